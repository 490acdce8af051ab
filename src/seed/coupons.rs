//! Demo quota grants and coupons (rules K1–K6; issue 21 "Demo data"), made through the coupon
//! services so the ledger stays consistent: the platform grants Northwind a voucher quota and a
//! cash-coupon quota limited to three services, Northwind passes part of its voucher quota to
//! Bluebird (K1), Contoso gets a voucher quota and a K5-restricted cash-coupon quota. Northwind
//! issues Acme and Globex coupons in every state (usable, partly used, used, recovered,
//! expired; a few usable ones expire within three days) and Bluebird issues Initech one voucher
//! from its passed quota. Umbrella gets nothing (SPEC §6: no spending). No cash moves: every
//! opening balance stays as SPEC §5 lists it.
//!
//! Two steps have no service yet, and the seed does what that service will do:
//! - paying with a coupon (the orders issue): a `coupon_use` transfer coupon → platform, and the
//!   coupon becomes `used` once nothing is left on it;
//! - a coupon that has already expired: issued normally, its validity moved into the past (the
//!   dates only; no balance is touched), then the expiry job (`recover::expire_due`) ends it as
//!   it would have on the day, returning a cash coupon's value to its grant (K3).

mod steps;

use chrono::Duration;
use diesel::prelude::*;

use super::{Demo, seed_actor};
use crate::db::schema::customers;
use crate::domain::{Caller, CouponKind, MemberOf, Money, OrgId, OrgKind, Party};
use crate::domain::{Role, UserId};
use crate::services::coupons::grants::{self, NewGrant};
use crate::services::coupons::{recover, today};

/// The services Northwind's cash-coupon grant is limited to.
const CASH_SCOPE: &[&str] = &["ECS", "OBS", "RDS"];

/// One demo coupon: customer, grant, face value, days of validity left (`None`: the grant's
/// end), scope, and how it ends up.
type Planned = (
    i64,
    i64,
    &'static str,
    Option<i64>,
    &'static [&'static str],
    Fate,
);

/// How a demo coupon ends up.
#[derive(Clone, Copy)]
enum Fate {
    Usable,
    /// Used to pay this much, some left.
    PartlyUsed(&'static str),
    /// Used to pay its whole value.
    Used,
    Recovered,
    Expired,
}

fn money(amount: &str) -> anyhow::Result<Money> {
    Money::parse_positive(amount).map_err(|e| anyhow::anyhow!("demo amount {amount}: {e:?}"))
}

fn admin_of(org: i64, kind: OrgKind, user: i64, email: &str) -> Caller {
    seed_actor().as_party(
        Party::Member(MemberOf {
            user_id: UserId(user),
            org_id: OrgId(org),
            org_kind: kind,
            role: Role::Admin,
        }),
        email,
    )
}

fn customer(conn: &mut PgConnection, email: &str) -> QueryResult<i64> {
    customers::table
        .filter(customers::email.eq(email))
        .select(customers::id)
        .first(conn)
}

/// Grants valid from 60 days ago to 240 days ahead (issue 21: at least six months).
fn grant(
    conn: &mut PgConnection,
    partner_id: i64,
    kind: CouponKind,
    amount: &str,
    scope: &[&str],
    invoice_restricted: bool,
    remark: &str,
) -> anyhow::Result<i64> {
    let new = NewGrant {
        partner_id,
        kind,
        amount: money(amount)?,
        valid_from: today() - Duration::days(60),
        valid_until: today() + Duration::days(240),
        scope: scope.iter().map(|s| s.to_string()).collect(),
        invoice_restricted,
        remark: remark.into(),
    };
    let key = format!("demo-grant-{partner_id}-{}", kind.as_str());
    grants::create(conn, &seed_actor(), &new, &key).map_err(|e| anyhow::anyhow!("demo grant: {e}"))
}

pub fn load(conn: &mut PgConnection, demo: &Demo) -> anyhow::Result<()> {
    let northwind = admin_of(
        demo.northwind,
        OrgKind::Distributor,
        demo.nw_admin,
        "admin@northwind.test",
    );
    let bluebird = admin_of(
        demo.bluebird,
        OrgKind::Reseller,
        demo.bb_admin,
        "admin@bluebird.test",
    );
    let nw_voucher = grant(
        conn,
        demo.northwind,
        CouponKind::Voucher,
        "50000.00",
        &[],
        false,
        "Annual voucher quota",
    )?;
    let nw_cash = grant(
        conn,
        demo.northwind,
        CouponKind::CashCoupon,
        "20000.00",
        CASH_SCOPE,
        false,
        "Compute and storage cash-coupon quota",
    )?;
    grant(
        conn,
        demo.contoso,
        CouponKind::Voucher,
        "10000.00",
        &[],
        false,
        "Annual voucher quota",
    )?;
    // rule K5: Contoso's cash coupons invoice only their user.
    grant(
        conn,
        demo.contoso,
        CouponKind::CashCoupon,
        "8000.00",
        &[],
        true,
        "Cash coupons invoiced to their user",
    )?;
    // rule K1: part of Northwind's voucher quota passed to Bluebird.
    let member = *northwind.member().map_err(|_| anyhow::anyhow!("member"))?;
    let parent = grants::own(conn, &member, nw_voucher, false)?;
    let passed = grants::pass_one(
        conn,
        &northwind,
        &member,
        &parent,
        demo.bluebird,
        money("5000.00")?,
        "demo-pass-bluebird",
    )?
    .map_err(|r| anyhow::anyhow!("demo pass refused: {r:?}"))?;

    let acme = customer(conn, "it@acme.test")?;
    let globex = customer(conn, "cfo@globex.test")?;
    let initech = customer(conn, "ops@initech.test")?;
    let plan: Vec<Planned> = vec![
        (acme, nw_voucher, "500.00", None, &[], Fate::Usable),
        (
            acme,
            nw_voucher,
            "300.00",
            None,
            &[],
            Fate::PartlyUsed("120.00"),
        ),
        (acme, nw_voucher, "200.00", Some(90), &[], Fate::Used),
        (acme, nw_voucher, "150.00", None, &[], Fate::Recovered),
        (acme, nw_voucher, "100.00", None, &[], Fate::Expired),
        (acme, nw_voucher, "80.00", Some(2), &[], Fate::Usable),
        (acme, nw_cash, "1000.00", None, &["ECS"], Fate::Usable),
        (
            acme,
            nw_cash,
            "400.00",
            None,
            CASH_SCOPE,
            Fate::PartlyUsed("150.00"),
        ),
        (acme, nw_cash, "250.00", Some(3), CASH_SCOPE, Fate::Usable),
        (acme, nw_cash, "120.00", None, CASH_SCOPE, Fate::Expired),
        (acme, nw_cash, "90.00", None, CASH_SCOPE, Fate::Used),
        (acme, nw_cash, "70.00", None, CASH_SCOPE, Fate::Recovered),
        (globex, nw_voucher, "800.00", None, &[], Fate::Usable),
        (globex, nw_voucher, "60.00", Some(1), &[], Fate::Usable),
        (
            globex,
            nw_voucher,
            "250.00",
            None,
            &[],
            Fate::PartlyUsed("40.00"),
        ),
        (globex, nw_voucher, "120.00", None, &[], Fate::Used),
        (globex, nw_voucher, "90.00", None, &[], Fate::Recovered),
        (globex, nw_voucher, "75.00", None, &[], Fate::Expired),
        (
            globex,
            nw_cash,
            "600.00",
            None,
            &["OBS", "RDS"],
            Fate::Usable,
        ),
        (
            globex,
            nw_cash,
            "200.00",
            None,
            CASH_SCOPE,
            Fate::PartlyUsed("80.00"),
        ),
        (globex, nw_cash, "100.00", None, CASH_SCOPE, Fate::Used),
        (globex, nw_cash, "110.00", None, CASH_SCOPE, Fate::Recovered),
        (globex, nw_cash, "150.00", None, CASH_SCOPE, Fate::Expired),
    ];
    let mut expired = false;
    for (n, (customer_id, grant_id, face, days, scope, fate)) in plan.into_iter().enumerate() {
        let id = steps::issue_one(
            conn,
            &northwind,
            grant_id,
            customer_id,
            face,
            days,
            scope,
            &format!("demo-coupon-{n:03}"),
        )?;
        match fate {
            Fate::Usable => {}
            Fate::PartlyUsed(amount) => steps::pay_with(conn, id, money(amount)?)?,
            Fate::Used => steps::pay_with(conn, id, money(face)?)?,
            Fate::Recovered => {
                recover::recover(conn, &northwind, id, "Reissued with another scope")
                    .map_err(|e| anyhow::anyhow!("demo recovery: {e}"))?;
            }
            Fate::Expired => {
                steps::lapse(conn, id)?;
                expired = true;
            }
        }
    }
    if expired {
        recover::expire_due(conn, &seed_actor())
            .map_err(|e| anyhow::anyhow!("demo expiry: {e}"))?;
    }
    steps::issue_one(
        conn,
        &bluebird,
        passed,
        initech,
        "200.00",
        None,
        &[],
        "demo-coupon-initech",
    )?;
    Ok(())
}
