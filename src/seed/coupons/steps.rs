//! The steps of the demo coupons: issuing one through the issue service, paying with one as the
//! orders issue will, and moving a coupon's validity into the past for the expiry job.

use chrono::Duration;
use diesel::prelude::*;

use super::{money, seed_actor};
use crate::db::schema::{coupons, ledger_accounts};
use crate::domain::{Caller, CouponState, Money};
use crate::ledger::{self, AccountKind, TransferRequest};
use crate::services::coupons::issue::{self, IssueInput, IssueOutcome};
use crate::services::coupons::{kinds, today};

/// Issues one coupon through the issue form's service (rule K2).
#[allow(clippy::too_many_arguments)]
pub(super) fn issue_one(
    conn: &mut PgConnection,
    caller: &Caller,
    grant_id: i64,
    customer_id: i64,
    face: &str,
    days: Option<i64>,
    scope: &[&str],
    key: &str,
) -> anyhow::Result<i64> {
    let input = IssueInput {
        grant_id,
        customer_ids: vec![customer_id],
        face_value: money(face)?,
        valid_until: days.map(|d| today() + Duration::days(d)),
        scope: scope.iter().map(|s| s.to_string()).collect(),
        remark: String::new(),
        key: key.into(),
    };
    match issue::issue(conn, caller, &input).map_err(|e| anyhow::anyhow!("demo issue: {e}"))? {
        IssueOutcome::Issued(ids) => Ok(ids[0]),
        IssueOutcome::Refused(r) => anyhow::bail!("demo issue {key} refused: {r:?}"),
    }
}

/// Pays `amount` of an order with the coupon, as the orders issue will (rule K7): a transfer
/// coupon → platform; a coupon with nothing left is `used`.
pub(super) fn pay_with(conn: &mut PgConnection, id: i64, amount: Money) -> anyhow::Result<()> {
    let (account, balance): (i64, rust_decimal::Decimal) = coupons::table
        .inner_join(ledger_accounts::table)
        .filter(coupons::id.eq(id))
        .select((coupons::account_id, ledger_accounts::balance))
        .first(conn)?;
    let platform = ledger::accounts::platform(conn, AccountKind::Platform)?;
    ledger::transfer(
        conn,
        &TransferRequest {
            from: account,
            to: platform.id,
            amount,
            kind: kinds::USE,
            idempotency_key: &format!("demo-use-{id}"),
            memo: "Demo order",
            reverses: None,
        },
        &seed_actor(),
    )?;
    if balance == amount.amount() {
        diesel::update(coupons::table.find(id))
            .set((
                coupons::state.eq(CouponState::Used.as_str()),
                coupons::ended_at.eq(chrono::Utc::now()),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Moves a freshly issued coupon's validity into the past (30 days ago to 2 days ago), so the
/// expiry job ends it; only the dates change.
pub(super) fn lapse(conn: &mut PgConnection, id: i64) -> QueryResult<()> {
    diesel::update(coupons::table.find(id))
        .set((
            coupons::valid_from.eq(today() - Duration::days(30)),
            coupons::valid_until.eq(today() - Duration::days(2)),
        ))
        .execute(conn)
        .map(|_| ())
}
