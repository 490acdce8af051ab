//! Incentives and their invoices (rules B8, P4). Operators record what the platform owes a
//! partner per period and kind (`record`); the partner's admins apply for payout one by one or
//! in a batch, one payment request covering several periods (`apply`); operators approve a
//! request, pay it from the platform into the partner's cash, or reject it (`payouts`). Once
//! paid, the partner invoices the platform at 3% or 6% (`invoices`): a batch's incentives may
//! share one invoice, an incentive applied for by itself may not share one; operators confirm
//! receipt or reject (`invoice_decide`). The withdrawable amount reads two of its terms here
//! (`terms`): paid incentives without a received invoice (欠票) and approved requests not yet
//! paid (未入账). Partner pages are for admins only: incentives are the organisation's own
//! money, like `/partner/account`.

pub mod apply;
pub mod file;
pub mod invoice_decide;
pub mod invoices;
pub mod lines;
pub mod mail;
pub mod ops_lists;
pub mod ops_queue;
pub mod partner_lists;
pub mod payouts;
pub mod record;
pub mod refusal;
pub mod request_lines;
pub mod terms;

use diesel::prelude::*;

pub use refusal::IncentiveRefusal;

use crate::db::schema::ledger_accounts;
use crate::domain::{Caller, MemberOf};
use crate::ledger::{self, AccountKind};
use crate::services::{ServiceError, ServiceResult};

/// The transfer kind of a paid request (platform → partner cash); stored, so its spelling stays.
pub const PAYOUT_KIND: &str = "incentive_payout";
/// The longest rejection reason (the columns' CHECK).
pub const REASON_MAX: usize = 500;
/// The longest remark of an incentive (the column's CHECK), as every money form's.
pub use crate::services::customers::top_up::REMARK_MAX;
/// The most incentives one request or invoice covers.
pub const CHOSEN_MAX: usize = 100;

/// Partner pages and actions are for admins (others 403).
pub(crate) fn admin(caller: &Caller) -> ServiceResult<&MemberOf> {
    let member = caller.member()?;
    member.require_admin()?;
    Ok(member)
}

/// A rejection reason: 1–500 characters once trimmed.
pub(crate) fn reason(text: &str) -> ServiceResult<&str> {
    let text = text.trim();
    if text.is_empty() || text.chars().count() > REASON_MAX {
        return Err(ServiceError::Malformed("reason"));
    }
    Ok(text)
}

/// Chosen ids, sorted and without repeats; none, or more than `CHOSEN_MAX`, is refused.
pub(crate) fn chosen(ids: &[i64]) -> ServiceResult<Vec<i64>> {
    let mut ids: Vec<i64> = ids.iter().copied().filter(|id| *id > 0).collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Err(IncentiveRefusal::NoneChosen.into());
    }
    if ids.len() > CHOSEN_MAX {
        return Err(ServiceError::Malformed("too many incentives"));
    }
    Ok(ids)
}

/// rule P4: a step that lowers the partner's withdrawable amount takes the cash account's row
/// lock, as a withdrawal request does, so the request checks the amount as the step left it.
pub(crate) fn lock_cash(conn: &mut PgConnection, partner_id: i64) -> ServiceResult<()> {
    let cash = ledger::accounts::for_org(conn, partner_id, AccountKind::PartnerCash)?;
    ledger_accounts::table
        .find(cash.id)
        .select(ledger_accounts::id)
        .for_update()
        .first::<i64>(conn)?;
    Ok(())
}
