//! Operators decide a payment request (rules B8, P4): approve a pending one (approved, not
//! yet paid: the partner's 未入账), pay an approved one — the amount moves from the platform's
//! external account into the partner's cash through one ledger transfer (`incentive_payout`,
//! keyed by the request, so it moves once) — or reject a pending or approved one with a reason,
//! which frees its incentives to be applied for again. Each step runs under the request's row
//! lock, audits in the partner's log and mails the partner's admins.

use chrono::{NaiveDate, Utc};
use diesel::prelude::*;
use rust_decimal::Decimal;
use serde_json::json;

use super::mail::{self, Notice};
use super::{IncentiveRefusal, PAYOUT_KIND};
use crate::audit::{self, Entry};
use crate::db::schema::{incentive_payout_items, incentive_payouts, incentives};
use crate::domain::incentives::PayoutState;
use crate::domain::{Caller, Money, OrgId};
use crate::ledger::{self, AccountKind, TransferRequest};
use crate::services::{ServiceError, ServiceResult};

/// The partner page the mails link to.
const PAGE: &str = "/partner/incentives/payouts";

struct Locked {
    id: i64,
    partner_id: i64,
    amount: Decimal,
    state: PayoutState,
}

fn lock(conn: &mut PgConnection, id: i64) -> ServiceResult<Locked> {
    let (partner_id, amount, state): (i64, Decimal, String) = incentive_payouts::table
        .find(id)
        .for_update()
        .select((
            incentive_payouts::partner_id,
            incentive_payouts::amount,
            incentive_payouts::state,
        ))
        .first(conn)
        .optional()?
        .ok_or(ServiceError::NotFound)?;
    let state =
        PayoutState::parse(&state).ok_or_else(|| ServiceError::internal("stored payout state"))?;
    Ok(Locked {
        id,
        partner_id,
        amount,
        state,
    })
}

fn periods(conn: &mut PgConnection, id: i64) -> QueryResult<Vec<NaiveDate>> {
    incentive_payout_items::table
        .inner_join(incentives::table)
        .filter(incentive_payout_items::payout_id.eq(id))
        .order(incentives::period)
        .select(incentives::period)
        .load(conn)
}

/// Audits the step in the partner's log and mails its admins.
fn announce(
    conn: &mut PgConnection,
    caller: &Caller,
    p: &Locked,
    to: PayoutState,
    after: serde_json::Value,
    reason: &str,
    public_url: &str,
) -> ServiceResult<()> {
    let action = format!("incentive_payout.{}", to.as_str());
    audit::record_for_org(
        conn,
        caller,
        Some(OrgId(p.partner_id)),
        Entry::new(&action, "incentive_payout", p.id)
            .before(json!({ "state": p.state.as_str() }))
            .after(after),
    )?;
    let step = match to {
        PayoutState::Approved => "payout_approved",
        PayoutState::Paid => "payout_paid",
        _ => "payout_rejected",
    };
    let periods = periods(conn, p.id)?;
    mail::admins(
        conn,
        &Notice {
            step,
            partner_id: p.partner_id,
            what: format!("#{}", p.id),
            amount: p.amount,
            periods: &periods,
            reason,
            page: PAGE,
        },
        public_url,
    )?;
    Ok(())
}

/// Approves a pending request: approved, not yet paid (rule P4's 未入账).
pub fn approve(
    conn: &mut PgConnection,
    caller: &Caller,
    id: i64,
    public_url: &str,
) -> ServiceResult<()> {
    let operator = caller.require_operator()?.get();
    conn.transaction(|conn| {
        let p = lock(conn, id)?;
        if p.state != PayoutState::Pending {
            return Err(IncentiveRefusal::WrongPayoutState.into());
        }
        // rule P4: approval lowers the withdrawable amount.
        super::lock_cash(conn, p.partner_id)?;
        diesel::update(incentive_payouts::table.find(id))
            .set((
                incentive_payouts::state.eq(PayoutState::Approved.as_str()),
                incentive_payouts::approved_at.eq(Some(Utc::now())),
                incentive_payouts::operator_id.eq(Some(operator)),
            ))
            .execute(conn)?;
        let after = json!({ "state": "approved", "amount": p.amount.to_string() });
        announce(
            conn,
            caller,
            &p,
            PayoutState::Approved,
            after,
            "",
            public_url,
        )
    })
}

/// Pays an approved request into the partner's cash; `Ok(false)` when it was paid already (a
/// second click or a racing operator pays nothing more).
pub fn pay(
    conn: &mut PgConnection,
    caller: &Caller,
    id: i64,
    public_url: &str,
) -> ServiceResult<bool> {
    let operator = caller.require_operator()?.get();
    conn.transaction(|conn| {
        let p = lock(conn, id)?;
        match p.state {
            PayoutState::Paid => return Ok(false),
            PayoutState::Approved => {}
            _ => return Err(IncentiveRefusal::WrongPayoutState.into()),
        }
        let amount = Money::from_decimal(p.amount)
            .map_err(|_| ServiceError::internal("payout amount is not money"))?;
        let from = ledger::accounts::platform(conn, AccountKind::External)?.id;
        let to = ledger::accounts::for_org(conn, p.partner_id, AccountKind::PartnerCash)?.id;
        let key = format!("incentive-payout:{id}");
        let memo = format!("Incentive payment request #{id}");
        let t = ledger::transfer(
            conn,
            &TransferRequest {
                from,
                to,
                amount,
                kind: PAYOUT_KIND,
                idempotency_key: &key,
                memo: &memo,
                reverses: None,
            },
            caller,
        )?;
        diesel::update(incentive_payouts::table.find(id))
            .set((
                incentive_payouts::state.eq(PayoutState::Paid.as_str()),
                incentive_payouts::transfer_id.eq(Some(t.id)),
                incentive_payouts::paid_at.eq(Some(Utc::now())),
                incentive_payouts::operator_id.eq(Some(operator)),
            ))
            .execute(conn)?;
        let after = json!({ "state": "paid", "transfer": t.id, "amount": p.amount.to_string() });
        announce(conn, caller, &p, PayoutState::Paid, after, "", public_url)?;
        Ok(true)
    })
}

/// Rejects a request not yet paid, with a reason (1–500 characters); its incentives may be
/// applied for again.
pub fn reject(
    conn: &mut PgConnection,
    caller: &Caller,
    id: i64,
    reason: &str,
    public_url: &str,
) -> ServiceResult<()> {
    let operator = caller.require_operator()?.get();
    let reason = super::reason(reason)?;
    conn.transaction(|conn| {
        let p = lock(conn, id)?;
        if !matches!(p.state, PayoutState::Pending | PayoutState::Approved) {
            return Err(IncentiveRefusal::WrongPayoutState.into());
        }
        diesel::update(incentive_payouts::table.find(id))
            .set((
                incentive_payouts::state.eq(PayoutState::Rejected.as_str()),
                incentive_payouts::reason.eq(reason),
                incentive_payouts::rejected_at.eq(Some(Utc::now())),
                incentive_payouts::operator_id.eq(Some(operator)),
            ))
            .execute(conn)?;
        diesel::update(incentives::table.filter(incentives::payout_id.eq(Some(id))))
            .set(incentives::payout_id.eq(None::<i64>))
            .execute(conn)?;
        let after = json!({ "state": "rejected", "reason": reason });
        announce(
            conn,
            caller,
            &p,
            PayoutState::Rejected,
            after,
            reason,
            public_url,
        )
    })
}
