//! Operators' changes of a grant's state (rule K2a): freeze and unfreeze, and withdraw, which
//! sends what is left back to the platform.

use diesel::prelude::*;
use rust_decimal::Decimal;
use serde_json::json;

use super::{audit_grant, check_remark, set_state};
use crate::db::schema::{ledger_accounts, quota_grants};
use crate::domain::{Caller, GrantState, Money};
use crate::ledger::{self, AccountKind, TransferRequest};
use crate::services::coupons::grants;
use crate::services::coupons::{CouponRefusal, actions, kinds};
use crate::services::{ServiceError, ServiceResult};

/// rule K2a: normal → frozen (`freeze`) or frozen → normal; a frozen grant issues and passes
/// nothing. Any other state is refused.
pub fn set_frozen(
    conn: &mut PgConnection,
    caller: &Caller,
    grant_id: i64,
    freeze: bool,
    remark: &str,
) -> ServiceResult<()> {
    caller.require_operator()?;
    check_remark(remark)?;
    conn.transaction(|conn| {
        let grant = grants::by_id(conn, None, grant_id, true)?;
        let (from, to, action) = if freeze {
            (GrantState::Normal, GrantState::Frozen, actions::FROZEN)
        } else {
            (GrantState::Frozen, GrantState::Normal, actions::UNFROZEN)
        };
        if grant.state != from {
            return Err(if freeze {
                CouponRefusal::GrantNotNormal
            } else {
                CouponRefusal::AlreadyDecided
            }
            .into());
        }
        set_state(conn, grant_id, to)?;
        let after = json!({ "state": to.as_str(), "remark": remark });
        audit_grant(conn, caller, &grant, action, after)?;
        Ok(())
    })
}

/// rule K2a: an operator withdraws a normal or frozen grant: it becomes invalid (it never
/// issues again) and what is left goes back to the platform. Quota it passed to resellers
/// comes back to it first (rule K3) and those passed grants become invalid too, so nothing
/// stays stranded under a withdrawn grant. A passed grant is withdrawn through its parent.
/// Returns the amount returned to the platform.
pub fn withdraw(
    conn: &mut PgConnection,
    caller: &Caller,
    grant_id: i64,
    remark: &str,
) -> ServiceResult<Decimal> {
    caller.require_operator()?;
    check_remark(remark)?;
    conn.transaction(|conn| {
        let grant = grants::by_id(conn, None, grant_id, true)?;
        if grant.row.parent_id.is_some() {
            return Err(CouponRefusal::PassedGrant.into());
        }
        match grant.state {
            GrantState::Normal | GrantState::Frozen => {}
            GrantState::Adjusting => return Err(CouponRefusal::AdjustmentPending.into()),
            GrantState::Invalid => return Err(CouponRefusal::GrantNotNormal.into()),
        }
        let children: Vec<(i64, i64, Decimal)> = quota_grants::table
            .inner_join(ledger_accounts::table)
            .filter(quota_grants::parent_id.eq(grant_id))
            .select((
                quota_grants::id,
                quota_grants::account_id,
                ledger_accounts::balance,
            ))
            .order(quota_grants::id)
            .for_update()
            .load(conn)?;
        let mut back = grant.available;
        for (child, account, balance) in children {
            if balance > Decimal::ZERO {
                let amount = Money::from_decimal(balance)
                    .map_err(|_| ServiceError::internal("grant balance"))?;
                let key = format!("withdraw:{grant_id}:{child}");
                let req = TransferRequest {
                    from: account,
                    to: grant.row.account_id,
                    amount,
                    kind: kinds::PASS_RECLAIM,
                    idempotency_key: &key,
                    memo: remark,
                    reverses: None,
                };
                ledger::transfer(conn, &req, caller)?;
                back += balance;
            }
            // As a reclaim does: the passed amount shrinks by what came back.
            diesel::update(quota_grants::table.find(child))
                .set((
                    quota_grants::amount.eq(quota_grants::amount - balance.max(Decimal::ZERO)),
                    quota_grants::state.eq(GrantState::Invalid.as_str()),
                ))
                .execute(conn)?;
        }
        let mut transfer = None;
        if back > Decimal::ZERO {
            let amount =
                Money::from_decimal(back).map_err(|_| ServiceError::internal("grant balance"))?;
            let platform = ledger::accounts::platform(conn, AccountKind::Platform)?;
            let key = format!("withdraw:{grant_id}");
            let req = TransferRequest {
                from: grant.row.account_id,
                to: platform.id,
                amount,
                kind: kinds::GRANT_DECREASE,
                idempotency_key: &key,
                memo: remark,
                reverses: None,
            };
            transfer = Some(ledger::transfer(conn, &req, caller)?.id);
        }
        // What went back is no longer granted: amount − available stays what was used.
        diesel::update(quota_grants::table.find(grant_id))
            .set((
                quota_grants::amount.eq(quota_grants::amount - back),
                quota_grants::state.eq(GrantState::Invalid.as_str()),
            ))
            .execute(conn)?;
        let after = json!({ "state": "invalid", "returned": back.to_string(),
                            "transfer": transfer, "remark": remark });
        audit_grant(conn, caller, &grant, actions::GRANT_INVALID, after)?;
        Ok(back)
    })
}
