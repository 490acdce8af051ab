//! Taking coupon value back to the grant it came from (rules K3, K4): a partner's recovery of
//! a usable coupon, the recovery every unassociation runs, and the expiry job (`expiry`).

mod expiry;

use chrono::Utc;
use diesel::prelude::*;
use rust_decimal::Decimal;

use super::{CouponRefusal, actions, kinds};
use crate::audit::{self, Entry};
use crate::db::schema::{coupons, ledger_accounts, quota_grants};
use crate::domain::{Caller, CouponState, CustomerId, OrgId};
use crate::ledger::{self, TransferRequest};
use crate::services::{ServiceError, ServiceResult};

pub use expiry::expire_due;

/// A coupon as the recovery needs it, read with its balance and its grant's account.
#[derive(Queryable, Debug)]
struct Held {
    id: i64,
    kind: String,
    partner_id: i64,
    state: String,
    account_id: i64,
    grant_account_id: i64,
    balance: Decimal,
}

/// Locks and reads one coupon (of `org` when given).
fn held(conn: &mut PgConnection, id: i64, org: Option<OrgId>) -> QueryResult<Option<Held>> {
    let locked: Option<i64> = coupons::table
        .find(id)
        .select(coupons::id)
        .for_update()
        .first(conn)
        .optional()?;
    if locked.is_none() {
        return Ok(None);
    }
    let mut query = coupons::table
        .inner_join(ledger_accounts::table)
        .inner_join(quota_grants::table)
        .filter(coupons::id.eq(id))
        .into_boxed();
    if let Some(org) = org {
        query = query.filter(coupons::partner_id.eq(org.get()));
    }
    query
        .select((
            coupons::id,
            coupons::kind,
            coupons::partner_id,
            coupons::state,
            coupons::account_id,
            quota_grants::account_id,
            ledger_accounts::balance,
        ))
        .first(conn)
        .optional()
}

/// Moves a coupon's whole balance back to its grant and ends it in `state`, with the audit
/// row. The caller holds the coupon's lock and has checked it is usable.
fn give_back(
    conn: &mut PgConnection,
    caller: &Caller,
    coupon: &Held,
    state: CouponState,
    remark: &str,
) -> ServiceResult<Decimal> {
    let (kind, action) = match state {
        CouponState::Expired => (kinds::EXPIRY, actions::EXPIRED),
        _ => (kinds::RECOVERY, actions::RECOVERED),
    };
    let mut transfer = None;
    if coupon.balance > Decimal::ZERO {
        let amount = crate::domain::Money::from_decimal(coupon.balance)
            .map_err(|_| ServiceError::internal("coupon balance"))?;
        let t = ledger::transfer(
            conn,
            &TransferRequest {
                from: coupon.account_id,
                to: coupon.grant_account_id,
                amount,
                kind,
                idempotency_key: &format!("{kind}:{}", coupon.id),
                memo: remark,
                reverses: None,
            },
            caller,
        )?;
        transfer = Some(t.id);
    }
    end(
        conn,
        caller,
        coupon,
        (state, action),
        serde_json::json!({
            "state": state.as_str(), "amount": coupon.balance.to_string(),
            "transfer": transfer, "remark": remark,
        }),
    )?;
    Ok(coupon.balance)
}

/// Ends the coupon in `state` now, with its audit row (rule X1): `after` is what the row
/// records the coupon became.
fn end(
    conn: &mut PgConnection,
    caller: &Caller,
    coupon: &Held,
    (state, action): (CouponState, &str),
    after: serde_json::Value,
) -> ServiceResult<()> {
    diesel::update(coupons::table.find(coupon.id))
        .set((
            coupons::state.eq(state.as_str()),
            coupons::ended_at.eq(Utc::now()),
        ))
        .execute(conn)?;
    audit::record_for_org(
        conn,
        caller,
        Some(OrgId(coupon.partner_id)),
        Entry::new(action, "coupon", coupon.id)
            .before(serde_json::json!({ "state": coupon.state }))
            .after(after),
    )?;
    Ok(())
}

/// rule K3: an admin recovers one usable coupon of the organisation: its whole remaining
/// balance goes back to the grant it came from. Another organisation's coupon is not found;
/// a used, expired or recovered one is refused. Returns the amount recovered.
pub fn recover(
    conn: &mut PgConnection,
    caller: &Caller,
    coupon_id: i64,
    remark: &str,
) -> ServiceResult<Decimal> {
    let member = super::admin(caller)?;
    if remark.chars().count() > super::REMARK_MAX {
        return Err(ServiceError::Malformed("remark"));
    }
    conn.transaction(|conn| {
        let coupon = held(conn, coupon_id, Some(member.org_id))?.ok_or(ServiceError::NotFound)?;
        if coupon.state != CouponState::Usable.as_str() {
            return Err(CouponRefusal::NotUsable.into());
        }
        give_back(conn, caller, &coupon, CouponState::Recovered, remark)
    })
}

/// Usable coupons `org` issued to the customer (what an unassociation recovers).
fn usable_of(conn: &mut PgConnection, org: OrgId, customer: CustomerId) -> QueryResult<Vec<i64>> {
    coupons::table
        .filter(coupons::partner_id.eq(org.get()))
        .filter(coupons::customer_id.eq(customer.get()))
        .filter(coupons::state.eq(CouponState::Usable.as_str()))
        .order(coupons::id)
        .select(coupons::id)
        .load(conn)
}

/// rule C6/K4, for the unassociation page: how many coupons would come back.
pub fn pending_for_unassociation(
    conn: &mut PgConnection,
    org: OrgId,
    customer: CustomerId,
) -> QueryResult<i64> {
    Ok(usable_of(conn, org, customer)?.len() as i64)
}

/// rule C6/K4: inside the unassociation's transaction, every usable coupon the partner issued
/// to the customer comes back to its grant; used ones stay.
pub fn recover_for_unassociation(
    conn: &mut PgConnection,
    caller: &Caller,
    org: OrgId,
    customer: CustomerId,
) -> ServiceResult<i64> {
    let mut n = 0;
    for id in usable_of(conn, org, customer)? {
        if let Some(coupon) = held(conn, id, Some(org))?
            && coupon.state == CouponState::Usable.as_str()
        {
            give_back(
                conn,
                caller,
                &coupon,
                CouponState::Recovered,
                "unassociated",
            )?;
            n += 1;
        }
    }
    Ok(n)
}
