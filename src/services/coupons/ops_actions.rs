//! What operators do to grants (rules K1, K2a): grant, propose a change of the amount and
//! approve or reject it, freeze and unfreeze, withdraw. Every change is audited into the
//! partner's own log, and quota moves only through `ledger::transfer`.

use chrono::Utc;
use diesel::prelude::*;
use rust_decimal::Decimal;
use serde_json::json;

use super::grants::{self, Grant, NewGrant};
use super::{CouponRefusal, actions, kinds};
use crate::audit::{self, Entry};
use crate::db::schema::{quota_adjustments, quota_grants};
use crate::domain::{AdjustmentState, Caller, GrantState, Money, OrgId};
use crate::ledger::{self, AccountKind, TransferRequest};
use crate::services::customers::top_up::valid_key;
use crate::services::{ServiceError, ServiceResult};

mod state;
pub use state::{set_frozen, withdraw};

/// rule K1: an operator grants quota; the scope codes are checked against the catalogue
/// (`UnknownService`, `TooManyServices`) and the validity must not have ended
/// (`ValidityInPast`). `key` makes a double submit grant once.
pub fn grant(
    conn: &mut PgConnection,
    caller: &Caller,
    mut new: NewGrant,
    key: &str,
) -> ServiceResult<i64> {
    caller.require_operator()?;
    if !valid_key(key) {
        return Err(ServiceError::Malformed("idempotency key"));
    }
    new.scope = super::scope::parse(conn, &new.scope)??;
    if new.valid_until < super::today() || new.valid_from > new.valid_until {
        return Err(CouponRefusal::ValidityInPast.into());
    }
    grants::create(conn, caller, &new, key)
}

fn check_remark(remark: &str) -> ServiceResult<()> {
    if remark.chars().count() > super::REMARK_MAX {
        return Err(ServiceError::Malformed("remark"));
    }
    Ok(())
}

fn set_state(conn: &mut PgConnection, id: i64, state: GrantState) -> QueryResult<usize> {
    diesel::update(quota_grants::table.find(id))
        .set(quota_grants::state.eq(state.as_str()))
        .execute(conn)
}

fn audit_grant(
    conn: &mut PgConnection,
    caller: &Caller,
    grant: &Grant,
    action: &str,
    after: serde_json::Value,
) -> QueryResult<()> {
    audit::record_for_org(
        conn,
        caller,
        Some(OrgId(grant.row.partner_id)),
        Entry::new(action, "quota_grant", grant.row.id)
            .before(
                json!({ "state": grant.state.as_str(), "amount": grant.row.amount.to_string(),
                            "available": grant.available.to_string() }),
            )
            .after(after),
    )
}

/// rule K2a: an operator proposes a signed change of a normal grant's amount; the grant is
/// `adjusting` (and issues nothing) until another decision. One pending change per grant.
/// Quota passed to a reseller changes only through its parent.
pub fn propose(
    conn: &mut PgConnection,
    caller: &Caller,
    grant_id: i64,
    delta: Decimal,
    remark: &str,
) -> ServiceResult<i64> {
    let operator = caller.require_operator()?;
    check_remark(remark)?;
    if delta.is_zero() || delta.scale() > 2 {
        return Err(ServiceError::Malformed("delta"));
    }
    conn.transaction(|conn| {
        let grant = grants::by_id(conn, None, grant_id, true)?;
        if grant.row.parent_id.is_some() {
            return Err(CouponRefusal::PassedGrant.into());
        }
        match grant.state {
            GrantState::Normal => {}
            GrantState::Adjusting => return Err(CouponRefusal::AdjustmentPending.into()),
            _ => return Err(CouponRefusal::GrantNotNormal.into()),
        }
        if -delta > grant.available {
            return Err(CouponRefusal::DecreaseTooLarge.into());
        }
        let id: i64 = diesel::insert_into(quota_adjustments::table)
            .values((
                quota_adjustments::grant_id.eq(grant_id),
                quota_adjustments::delta.eq(delta),
                quota_adjustments::remark.eq(remark),
                quota_adjustments::proposed_by.eq(i64::from(operator)),
            ))
            .returning(quota_adjustments::id)
            .get_result(conn)?;
        set_state(conn, grant_id, GrantState::Adjusting)?;
        let after = json!({ "state": "adjusting", "adjustment": id,
                            "delta": delta.to_string(), "remark": remark });
        audit_grant(conn, caller, &grant, actions::ADJUSTMENT_PROPOSED, after)?;
        Ok(id)
    })
}

/// rule K2a: an operator approves (the amount changes through one transfer: platform → grant
/// for an increase, grant → platform for a decrease, never more than is left) or rejects a
/// pending change; either way the grant is normal again. A second decision is refused.
/// Returns the grant's id.
pub fn decide(
    conn: &mut PgConnection,
    caller: &Caller,
    adjustment_id: i64,
    approve: bool,
) -> ServiceResult<i64> {
    let operator = caller.require_operator()?;
    conn.transaction(|conn| {
        // The grant first, as `propose` and issuing lock it, then the adjustment.
        let grant_id: i64 = quota_adjustments::table
            .find(adjustment_id)
            .select(quota_adjustments::grant_id)
            .first(conn)?;
        let grant = grants::by_id(conn, None, grant_id, true)?;
        let (delta, state, remark): (Decimal, String, String) = quota_adjustments::table
            .find(adjustment_id)
            .select((
                quota_adjustments::delta,
                quota_adjustments::state,
                quota_adjustments::remark,
            ))
            .for_update()
            .first(conn)?;
        if state != AdjustmentState::Pending.as_str() {
            return Err(CouponRefusal::AlreadyDecided.into());
        }
        let mut transfer = None;
        if approve {
            let amount = Money::from_decimal(delta.abs())
                .map_err(|_| ServiceError::internal("adjustment amount"))?;
            let platform = ledger::accounts::platform(conn, AccountKind::Platform)?;
            let (from, to, kind) = if delta > Decimal::ZERO {
                (platform.id, grant.row.account_id, kinds::GRANT)
            } else {
                (grant.row.account_id, platform.id, kinds::GRANT_DECREASE)
            };
            if delta < Decimal::ZERO && amount.amount() > grant.available {
                return Err(CouponRefusal::DecreaseTooLarge.into());
            }
            let key = format!("adjustment:{adjustment_id}");
            let req = TransferRequest {
                from,
                to,
                amount,
                kind,
                idempotency_key: &key,
                memo: &remark,
                reverses: None,
            };
            transfer = Some(ledger::transfer(conn, &req, caller)?.id);
            diesel::update(quota_grants::table.find(grant_id))
                .set(quota_grants::amount.eq(quota_grants::amount + delta))
                .execute(conn)?;
        }
        let decided = if approve {
            AdjustmentState::Approved
        } else {
            AdjustmentState::Rejected
        };
        diesel::update(quota_adjustments::table.find(adjustment_id))
            .set((
                quota_adjustments::state.eq(decided.as_str()),
                quota_adjustments::decided_by.eq(i64::from(operator)),
                quota_adjustments::decided_at.eq(Utc::now()),
            ))
            .execute(conn)?;
        set_state(conn, grant_id, GrantState::Normal)?;
        let after = json!({ "state": "normal", "adjustment": adjustment_id,
                            "decision": decided.as_str(), "delta": delta.to_string(),
                            "transfer": transfer });
        audit_grant(conn, caller, &grant, actions::ADJUSTMENT_DECIDED, after)?;
        Ok(grant_id)
    })
}
