//! Demo catalog and orders (rules P1, P2, P3, K7; issue 22 "Demo data"), made through the
//! order and payment services so states, payments and the ledger agree: nine products over
//! seven services (monthly and yearly, yearly only, one that needs review, tax 6% and 13%,
//! prices with 8 decimals), and orders of Acme and Globex in every state — pending review,
//! pending payment, processing, completed, cancelled by the customer, by a review and by the
//! 7-day expiry — plus a 代付 request Northwind rejected (Acme) and one it
//! has still to answer (Globex). Umbrella gets nothing (SPEC §6).
//!
//! Acme and Globex pay from their balance, into which each order's amount enters from outside
//! the platform just before (a bank transfer), so their balances stay at 0.00; no partner pays
//! on a customer's behalf, so every partner's cash stays as SPEC §5 lists it.
//! The demo's own steps send no mail: what they queued is dropped at the end.

use chrono::Duration;
use diesel::prelude::*;

use super::{Demo, seed_actor};
use crate::db::schema::{orders, outbox, users};
use crate::domain::{Caller, CustomerId, Money, OrgId, OrgKind, Party, Role, Term, UserId};
use crate::domain::{MemberOf, price::parse_price};
use crate::ledger::{self, AccountKind, TransferRequest};
use crate::services::orders::catalog::{self, NewProduct};
use crate::services::orders::create::{OrderInput, create};
use crate::services::orders::{jobs, mail_kinds, pay_request, paying, steps};
use crate::services::payments::Choice;

mod products;

use products::CATALOG;

/// One demo order: product code, term, and how it ends up.
type Step = (&'static str, Term, Fate);

fn fail(what: &str) -> impl Fn(crate::services::ServiceError) -> anyhow::Error + '_ {
    move |e| anyhow::anyhow!("demo {what}: {e}")
}

fn user(conn: &mut PgConnection, email: &str) -> anyhow::Result<(i64, Option<i64>)> {
    Ok(users::table
        .filter(users::email.eq(email))
        .select((users::id, users::customer_id))
        .first(conn)?)
}

fn customer(conn: &mut PgConnection, email: &str) -> anyhow::Result<Caller> {
    let (user_id, customer_id) = user(conn, email)?;
    let customer_id = customer_id.ok_or_else(|| anyhow::anyhow!("{email} is no customer"))?;
    Ok(seed_actor().as_party(
        Party::Customer {
            user_id: UserId(user_id),
            customer_id: CustomerId(customer_id),
        },
        email,
    ))
}

/// The order's amount reaches the customer's balance from outside the platform (a bank
/// transfer made to pay it).
fn deposit_for(conn: &mut PgConnection, customer_id: i64, order_id: i64) -> anyhow::Result<()> {
    let amount: rust_decimal::Decimal = orders::table
        .find(order_id)
        .select(orders::amount)
        .first(conn)?;
    let external = ledger::accounts::platform(conn, AccountKind::External)?;
    let balance = ledger::accounts::for_customer(conn, customer_id, AccountKind::CustomerBalance)?;
    let key = format!("demo-deposit-{order_id}");
    let amount = Money::from_decimal(amount).map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let req = TransferRequest {
        from: external.id,
        to: balance.id,
        amount,
        kind: "deposit",
        idempotency_key: &key,
        memo: "Bank transfer",
        reverses: None,
    };
    ledger::transfer(conn, &req, &seed_actor())?;
    Ok(())
}

/// How a demo order ends up.
#[derive(Clone, Copy)]
enum Fate {
    Pending,
    Processing,
    Completed,
    CancelledByCustomer,
    ReviewRejected,
    Expired,
    /// Asked the partner to pay; `true`: the partner rejected.
    Asked(bool),
}

struct Actors {
    operator: Caller,
    nw_admin: Caller,
}

fn place(
    conn: &mut PgConnection,
    c: &Caller,
    actors: &Actors,
    (code, term, fate): Step,
    n: usize,
) -> anyhow::Result<i64> {
    let who = c.customer_id().map_err(|_| anyhow::anyhow!("customer"))?;
    let input = OrderInput {
        product: code.into(),
        term,
        key: format!("demo-order-{who}-{n}"),
    };
    let id = create(conn, c, &input).map_err(fail("order"))?;
    let pay = |conn: &mut PgConnection| -> anyhow::Result<()> {
        deposit_for(conn, who.get(), id)?;
        let key = format!("demo-pay-{id}");
        paying::pay_self(conn, c, id, &Choice::default(), &key).map_err(fail("payment"))?;
        Ok(())
    };
    match fate {
        Fate::Pending => {}
        Fate::Processing => {
            pay(conn)?;
        }
        Fate::Completed => {
            pay(conn)?;
            jobs::complete_processing(conn, &seed_actor()).map_err(fail("provisioning"))?;
        }
        Fate::CancelledByCustomer => steps::cancel(conn, c, id).map_err(fail("cancel"))?,
        Fate::ReviewRejected => steps::reject_review(
            conn,
            &actors.operator,
            id,
            "The requested cluster size needs a signed capacity plan first.",
        )
        .map_err(fail("review"))?,
        Fate::Expired => {
            diesel::update(orders::table.find(id))
                .set(orders::created_at.eq(chrono::Utc::now() - Duration::days(8)))
                .execute(conn)?;
            jobs::expire_unpaid(conn, &seed_actor()).map_err(fail("expiry"))?;
        }
        Fate::Asked(rejected) => {
            pay_request::request(conn, c, id, "").map_err(fail("代付 request"))?;
            if rejected {
                let reason = "This order is outside our agreed budget; please pay it yourself.";
                pay_request::reject(conn, &actors.nw_admin, id, reason, "")
                    .map_err(fail("代付 rejection"))?;
            }
        }
    }
    Ok(id)
}

pub fn load(conn: &mut PgConnection, demo: &Demo) -> anyhow::Result<()> {
    let (ops, _) = user(conn, "ops@demo.test")?;
    let actors = Actors {
        operator: seed_actor().as_party(
            Party::Operator {
                user_id: UserId(ops),
            },
            "ops@demo.test",
        ),
        nw_admin: seed_actor().as_party(
            Party::Member(MemberOf {
                user_id: UserId(demo.nw_admin),
                org_id: OrgId(demo.northwind),
                org_kind: OrgKind::Distributor,
                role: Role::Admin,
            }),
            "admin@northwind.test",
        ),
    };
    for (code, en, zh, service, monthly, yearly, tax_rate, needs_review) in CATALOG {
        let price = |p: &Option<&str>| p.map(|p| parse_price(p).expect("demo price"));
        let new = NewProduct {
            code: code.to_string(),
            name_en: en.to_string(),
            name_zh: zh.to_string(),
            service_code: service.to_string(),
            monthly_price: price(monthly),
            yearly_price: price(yearly),
            tax_rate: *tax_rate,
            needs_review: *needs_review,
        };
        catalog::create(conn, &actors.operator, &new).map_err(fail("product"))?;
    }
    let acme = customer(conn, "it@acme.test")?;
    let globex = customer(conn, "cfo@globex.test")?;
    let plans: [(&Caller, Vec<Step>); 2] = [
        (
            &acme,
            vec![
                ("evs.ssd.100g", Term::Month, Fate::Expired),
                ("dws.cluster.8n", Term::Year, Fate::ReviewRejected),
                ("ecs.s6.large", Term::Month, Fate::Completed),
                ("obs.standard.1t", Term::Year, Fate::Completed),
                ("ecs.c7.xlarge", Term::Month, Fate::CancelledByCustomer),
                ("waf.pro", Term::Month, Fate::Asked(true)),
                ("rds.mysql.2c4g", Term::Month, Fate::Processing),
                ("dws.cluster.8n", Term::Year, Fate::Pending),
                ("dcs.redis.4g", Term::Month, Fate::Pending),
            ],
        ),
        (
            &globex,
            vec![
                ("evs.ssd.100g", Term::Month, Fate::Expired),
                ("rds.mysql.2c4g", Term::Year, Fate::Completed),
                ("ecs.s6.large", Term::Year, Fate::CancelledByCustomer),
                ("obs.standard.1t", Term::Month, Fate::Processing),
                ("dws.cluster.8n", Term::Year, Fate::Pending),
                ("cdn.traffic.10t", Term::Year, Fate::Asked(false)),
                ("dcs.redis.4g", Term::Month, Fate::Pending),
            ],
        ),
    ];
    // Processing last: completing the paid orders completes every processing one.
    for last in [false, true] {
        for (c, plan) in &plans {
            for (n, step) in plan.iter().enumerate() {
                if matches!(step.2, Fate::Processing) == last {
                    place(conn, c, &actors, *step, n)?;
                }
            }
        }
    }
    // The demo's steps mail nobody: a fresh database starts with an empty outbox.
    diesel::delete(outbox::table.filter(outbox::kind.eq_any([
        mail_kinds::PAY_REQUESTED,
        mail_kinds::PAY_REJECTED,
        mail_kinds::PAID_BY_PARTNER,
    ])))
    .execute(conn)?;
    Ok(())
}
