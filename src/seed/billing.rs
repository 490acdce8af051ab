//! Demo usage and bills (rules B1, B2, C5, SPEC §6 "Settlement"): twelve closed months of rated
//! usage for every demo customer that has a partner (Umbrella has none and gets nothing), from
//! the month it registered, imported as a CSV through the usage import and billed month by month
//! through the same issue service the operators' button runs. Named customers pay each bill
//! right after it is issued (a deposit, then `credit::debts::repay_oldest`), so their balances
//! stay at zero; a few extra customers keep a balance that settles bills when issued, one pays
//! on credit and one leaves its last bill unpaid (both owe it until the end of next month). One customer changes manager in the middle of
//! last month, so its bill shows the split (C5).

mod usage;

use chrono::{Duration, Utc};
use diesel::prelude::*;
use rust_decimal::Decimal;

use super::{Demo, seed_actor};
use crate::db::schema::{customers, ledger_accounts, manager_assignments};
use crate::domain::{Caller, Money};
use crate::ledger::{self, AccountKind, TransferRequest};
use crate::services::billing::{Month, issue};

/// Months billed, the last closed one included.
const MONTHS: u32 = 12;
/// Extra customers that keep money on their balance: their bills are settled when issued. They
/// buy at 92% of list price.
const PREPAID: &[&str] = &[
    "Falcon Mining",
    "Granite Bank",
    "Iris Optics",
    "Jade Textiles",
];
/// An extra customer with a credit line that its bills use.
const ON_CREDIT: &str = "Maple Education";
/// An extra customer whose last bill stays unpaid.
const UNPAID: &str = "Lotus Retail";
/// An extra customer whose manager changed in the middle of last month.
const SPLIT: &str = "Kestrel Air";

pub fn load(conn: &mut PgConnection, demo: &Demo) -> anyhow::Result<()> {
    let actor = seed_actor();
    let last = Month::at(Utc::now()).previous();
    let first = (1..MONTHS).fold(last, |m, _| m.previous());
    manager_change(conn, demo)?;
    let billed = usage::load(conn, &actor, first, last)?;
    prepay(conn, &actor)?;
    let credit = id_of(conn, ON_CREDIT)?;
    diesel::update(
        ledger_accounts::table
            .filter(ledger_accounts::owner_customer_id.eq(credit))
            .filter(ledger_accounts::kind.eq(AccountKind::CustomerCredit.as_str())),
    )
    .set(ledger_accounts::credit_limit.eq(Some(Decimal::from(20_000))))
    .execute(conn)?;
    let unpaid = id_of(conn, UNPAID)?;
    let mut month = first;
    loop {
        issue::issue_month(conn, &actor, month).map_err(|e| anyhow::anyhow!("demo bills: {e}"))?;
        for customer in &billed {
            let keep = (*customer == credit || *customer == unpaid) && month == last;
            if !keep {
                pay_debts(conn, &actor, *customer, month)?;
            }
        }
        if month == last {
            break;
        }
        month = month.next();
    }
    Ok(())
}

fn id_of(conn: &mut PgConnection, company: &str) -> QueryResult<i64> {
    customers::table
        .filter(customers::company.eq(company))
        .select(customers::id)
        .first(conn)
}

/// Money from outside the platform reaching a customer's balance.
fn deposit(
    conn: &mut PgConnection,
    actor: &Caller,
    customer: i64,
    amount: Decimal,
    key: &str,
) -> anyhow::Result<()> {
    let external = ledger::accounts::platform(conn, AccountKind::External)?;
    let balance = ledger::accounts::for_customer(conn, customer, AccountKind::CustomerBalance)?;
    let amount = Money::from_decimal(amount).map_err(|e| anyhow::anyhow!("{e:?}"))?;
    ledger::transfer(
        conn,
        &TransferRequest {
            from: external.id,
            to: balance.id,
            amount,
            kind: "customer_deposit",
            idempotency_key: key,
            memo: "Demo deposit",
            reverses: None,
        },
        actor,
    )?;
    Ok(())
}

/// The prepaid customers' deposits, made before their first bill.
fn prepay(conn: &mut PgConnection, actor: &Caller) -> anyhow::Result<()> {
    for company in PREPAID {
        let id = id_of(conn, company)?;
        deposit(
            conn,
            actor,
            id,
            Decimal::from(30_000),
            &format!("demo-prepay:{id}"),
        )?;
        diesel::update(customers::table.find(id))
            .set(customers::discount.eq(Decimal::new(92, 2)))
            .execute(conn)?;
    }
    Ok(())
}

/// Pays what the customer owes, as a customer paying its bill would: exactly the open debts
/// reach the balance, then the oldest debt is repaid first (SPEC §6).
fn pay_debts(
    conn: &mut PgConnection,
    actor: &Caller,
    customer: i64,
    month: Month,
) -> anyhow::Result<()> {
    use crate::db::schema::debts;
    let owed: Option<Decimal> = debts::table
        .filter(debts::customer_id.eq(customer))
        .filter(debts::settled_at.is_null())
        .select(diesel::dsl::sum(debts::amount - debts::repaid))
        .first(conn)?;
    let Some(owed) = owed.filter(|o| *o > Decimal::ZERO) else {
        return Ok(());
    };
    deposit(
        conn,
        actor,
        customer,
        owed,
        &format!("demo-pay:{customer}:{month}"),
    )?;
    crate::services::credit::debts::repay_oldest(conn, actor, customer)
        .map_err(|e| anyhow::anyhow!("demo repayment: {e}"))?;
    Ok(())
}

/// rule C5: `SPLIT`'s manager until the middle of last month was mgr1; its current manager
/// (mgr2) has held it since. Its manager today does not change.
fn manager_change(conn: &mut PgConnection, demo: &Demo) -> anyhow::Result<()> {
    let id = id_of(conn, SPLIT)?;
    let changed = Month::at(Utc::now()).previous().start() + Duration::days(14);
    let (current, since): (i64, chrono::DateTime<Utc>) = manager_assignments::table
        .filter(manager_assignments::customer_id.eq(id))
        .filter(manager_assignments::to_at.is_null())
        .select((manager_assignments::id, manager_assignments::from_at))
        .first(conn)?;
    if since >= changed {
        return Ok(());
    }
    diesel::update(manager_assignments::table.find(current))
        .set(manager_assignments::from_at.eq(changed))
        .execute(conn)?;
    diesel::insert_into(manager_assignments::table)
        .values((
            manager_assignments::customer_id.eq(id),
            manager_assignments::partner_id.eq(demo.northwind),
            manager_assignments::manager_id.eq(Some(demo.mgr1)),
            manager_assignments::from_at.eq(since),
            manager_assignments::to_at.eq(Some(changed)),
            manager_assignments::assigned_by.eq(Some(demo.nw_admin)),
        ))
        .execute(conn)?;
    Ok(())
}
