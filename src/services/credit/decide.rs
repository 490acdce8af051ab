//! Deciding a pending withdrawal (rule P4): an operator approves it (the held amount leaves the
//! platform: hold → the platform's `external` account) or rejects it with a reason, and the
//! partner may cancel it; a rejection or cancellation reverses the hold back to the partner's
//! cash. Only a pending request moves (`CreditRefusal::NotPending`), under its row lock, so two
//! decisions at once decide it once.

use diesel::prelude::*;
use serde_json::json;

use super::CreditRefusal;
use super::withdrawals::WithdrawalRow;
use crate::audit::{self, Entry};
use crate::db::schema::withdrawals;
use crate::domain::{Caller, Money, OrgId, WithdrawalState};
use crate::ledger::{self, AccountKind, TransferRequest};
use crate::services::{ServiceError, ServiceResult};

/// Transfer kinds of a decision; stored, so their spelling stays.
pub const RELEASE_KIND: &str = "withdrawal_release";
pub const PAYOUT_KIND: &str = "withdrawal_payout";
/// The longest rejection reason (the column's CHECK).
pub const REASON_MAX: usize = 500;

pub enum Decision<'a> {
    Approve,
    Reject(&'a str),
    Cancel,
}

impl Decision<'_> {
    fn state(&self) -> WithdrawalState {
        match self {
            Decision::Approve => WithdrawalState::Approved,
            Decision::Reject(_) => WithdrawalState::Rejected,
            Decision::Cancel => WithdrawalState::Cancelled,
        }
    }
}

/// The request, locked until the transaction ends; an unknown id is "not found".
pub fn lock(conn: &mut PgConnection, id: i64) -> ServiceResult<WithdrawalRow> {
    withdrawals::table
        .find(id)
        .for_update()
        .select(WithdrawalRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(ServiceError::NotFound)
}

/// Moves a locked pending request to the decision's state with its ledger transfer and audit
/// row (in the partner's log, so its admins see operators' decisions too).
pub fn apply(
    conn: &mut PgConnection,
    caller: &Caller,
    w: &WithdrawalRow,
    decision: Decision<'_>,
) -> ServiceResult<()> {
    if WithdrawalState::parse(&w.state) != Some(WithdrawalState::Pending) {
        return Err(CreditRefusal::NotPending.into());
    }
    let amount = Money::from_decimal(w.amount)
        .map_err(|_| ServiceError::internal("withdrawal amount is not money"))?;
    let hold = ledger::accounts::for_org(conn, w.partner_id, AccountKind::PartnerHold)?;
    let (to, kind, reverses, key) = match decision {
        Decision::Approve => (
            ledger::accounts::platform(conn, AccountKind::External)?.id,
            PAYOUT_KIND,
            None,
            format!("withdraw-payout:{}", w.id),
        ),
        Decision::Reject(_) | Decision::Cancel => (
            ledger::accounts::for_org(conn, w.partner_id, AccountKind::PartnerCash)?.id,
            RELEASE_KIND,
            Some(w.hold_transfer_id),
            format!("withdraw-release:{}", w.id),
        ),
    };
    let t = ledger::transfer(
        conn,
        &TransferRequest {
            from: hold.id,
            to,
            amount,
            kind,
            idempotency_key: &key,
            memo: "",
            reverses,
        },
        caller,
    )?;
    let state = decision.state();
    let reason = match decision {
        Decision::Reject(r) => r,
        _ => "",
    };
    diesel::update(withdrawals::table.find(w.id))
        .set((
            withdrawals::state.eq(state.as_str()),
            withdrawals::release_transfer_id.eq(Some(t.id)),
            withdrawals::reason.eq(reason),
            withdrawals::decided_by.eq(caller.user_id().map(i64::from)),
            withdrawals::decided_at.eq(Some(chrono::Utc::now())),
        ))
        .execute(conn)?;
    let action = format!("withdrawal.{}", state.as_str());
    audit::record_for_org(
        conn,
        caller,
        Some(OrgId(w.partner_id)),
        Entry::new(&action, "withdrawal", w.id)
            .before(json!({ "state": w.state }))
            .after(json!({
                "state": state.as_str(), "transfer": t.id, "reason": reason,
                "amount": w.amount.to_string(),
            })),
    )?;
    Ok(())
}

/// An operator approves: the held amount leaves the platform.
pub fn approve(conn: &mut PgConnection, caller: &Caller, id: i64) -> ServiceResult<()> {
    caller.require_operator()?;
    conn.transaction(|conn| {
        let w = lock(conn, id)?;
        apply(conn, caller, &w, Decision::Approve)
    })
}

/// An operator rejects with a reason (1–500 characters): the hold returns to the cash.
pub fn reject(
    conn: &mut PgConnection,
    caller: &Caller,
    id: i64,
    reason: &str,
) -> ServiceResult<()> {
    caller.require_operator()?;
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > REASON_MAX {
        return Err(ServiceError::Malformed("reason"));
    }
    conn.transaction(|conn| {
        let w = lock(conn, id)?;
        apply(conn, caller, &w, Decision::Reject(reason))
    })
}
