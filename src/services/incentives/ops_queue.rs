//! The operators' queues: `/ops/incentives/payouts` (requests to approve, pay or reject; the
//! open ones by default, or all) and `/ops/incentives/invoices` (invoices to confirm or reject;
//! the pending ones by default, or all); newest first, keyset-paged, `q` matching the partner's
//! name (and an invoice's number). One request or invoice for its decision page.

use crate::db::runtime_value::at_run_time;
use diesel::prelude::*;

use super::request_lines::{self as rl, InvoiceLine, PayoutLine};
use crate::db::schema::{incentive_invoices, incentive_payouts, organizations};
use crate::domain::Caller;
use crate::domain::incentives::{IncentiveInvoiceState, PayoutState};
use crate::services::keyset::take_page;
use crate::services::{ServiceError, ServiceResult};

pub struct PayoutPage {
    pub rows: Vec<PayoutLine>,
    pub next: Option<String>,
}

pub struct InvoicePage {
    pub rows: Vec<InvoiceLine>,
    pub next: Option<String>,
}

/// `open`: pending and approved requests (the default); `None`: every request.
pub fn payouts(
    conn: &mut PgConnection,
    caller: &Caller,
    q: &str,
    open: bool,
    before: Option<i64>,
    size: i64,
) -> ServiceResult<PayoutPage> {
    caller.require_operator()?;
    let mut query =
        rl::payouts().filter(incentive_payouts::id.lt(at_run_time(before.unwrap_or(i64::MAX))));
    if open {
        query = query.filter(crate::db::constant_sql::words_are_one_of(
            "incentive_payouts",
            "state",
            &[
                PayoutState::Pending.as_str(),
                PayoutState::Approved.as_str(),
            ],
        ));
    }
    if !q.is_empty() {
        query = query.filter(organizations::name.ilike(crate::db::like_pattern(q)));
    }
    let mut rows = rl::load_payouts(conn, query, size + 1)?;
    let next = take_page(&mut rows, size, |r| r.row.id.to_string());
    Ok(PayoutPage { rows, next })
}

pub fn payout(conn: &mut PgConnection, caller: &Caller, id: i64) -> ServiceResult<PayoutLine> {
    caller.require_operator()?;
    let query = rl::payouts().filter(incentive_payouts::id.eq(id));
    rl::load_payouts(conn, query, 1)?
        .pop()
        .ok_or(ServiceError::NotFound)
}

/// `pending`: the invoices awaiting confirmation (the default); otherwise every invoice.
pub fn invoices(
    conn: &mut PgConnection,
    caller: &Caller,
    q: &str,
    pending: bool,
    before: Option<i64>,
    size: i64,
) -> ServiceResult<InvoicePage> {
    caller.require_operator()?;
    let mut query =
        rl::invoices().filter(incentive_invoices::id.lt(at_run_time(before.unwrap_or(i64::MAX))));
    if pending {
        query = query.filter(incentive_invoices::state.eq(IncentiveInvoiceState::Pending.as_str()));
    }
    if !q.is_empty() {
        let pattern = crate::db::like_pattern(q);
        query = query.filter(
            organizations::name
                .ilike(pattern.clone())
                .or(incentive_invoices::number.ilike(pattern)),
        );
    }
    let mut rows = rl::load_invoices(conn, query, size + 1)?;
    let next = take_page(&mut rows, size, |r| r.row.id.to_string());
    Ok(InvoicePage { rows, next })
}

pub fn invoice(conn: &mut PgConnection, caller: &Caller, id: i64) -> ServiceResult<InvoiceLine> {
    caller.require_operator()?;
    let query = rl::invoices().filter(incentive_invoices::id.eq(id));
    rl::load_invoices(conn, query, 1)?
        .pop()
        .ok_or(ServiceError::NotFound)
}
