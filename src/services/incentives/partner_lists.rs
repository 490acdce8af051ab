//! The partner's own pages (admins only): its incentives with where each stands (`q` matches a
//! period `YYYY-MM` or the remark; `stage` narrows), its payment requests (`q`: a period they
//! cover), its incentive invoices (`q`: the number), and the paid incentives not yet invoiced
//! that the invoice form offers. Newest first, keyset-paged.

use crate::db::runtime_value::at_run_time;
use diesel::prelude::*;

use super::lines::{self, IncentiveLine, Stage};
use super::ops_lists::IncentivePage;
use super::ops_queue::{InvoicePage, PayoutPage};
use super::request_lines as rl;
use crate::db::schema::{
    incentive_invoices, incentive_payout_items, incentive_payouts, incentives,
};
use crate::domain::Caller;
use crate::domain::incentives::Period;
use crate::services::ServiceResult;
use crate::services::keyset::take_page;

/// The most paid incentives the invoice form offers at once.
pub const INVOICEABLE_SHOWN: i64 = 200;

pub fn incentives(
    conn: &mut PgConnection,
    caller: &Caller,
    q: &str,
    stage: Option<Stage>,
    before: Option<i64>,
    size: i64,
) -> ServiceResult<IncentivePage> {
    let org = super::admin(caller)?.org_id.get();
    let mut query = lines::query()
        .filter(incentives::partner_id.eq(org))
        .filter(incentives::id.lt(at_run_time(before.unwrap_or(i64::MAX))));
    if let Some(p) = Period::parse(q) {
        query = query.filter(incentives::period.eq(p.first_day()));
    } else if !q.is_empty() {
        query = query.filter(incentives::remark.ilike(crate::db::like_pattern(q)));
    }
    if let Some(s) = stage {
        query = lines::at_stage(query, s);
    }
    let mut rows = lines::load(conn, query, size + 1)?;
    let next = take_page(&mut rows, size, |r| r.id.to_string());
    Ok(IncentivePage { rows, next })
}

/// rule B8: the paid incentives no pending or received invoice covers, grouped by request
/// (oldest request first, then period), for the invoice form.
pub fn invoiceable(conn: &mut PgConnection, caller: &Caller) -> ServiceResult<Vec<IncentiveLine>> {
    let org = super::admin(caller)?.org_id.get();
    let query = lines::at_stage(
        lines::query().filter(incentives::partner_id.eq(org)),
        Stage::Paid,
    );
    let mut rows = lines::load(conn, query, INVOICEABLE_SHOWN)?;
    rows.sort_by_key(|r| (r.payout_id, r.period, r.kind.clone()));
    Ok(rows)
}

pub fn payouts(
    conn: &mut PgConnection,
    caller: &Caller,
    q: &str,
    before: Option<i64>,
    size: i64,
) -> ServiceResult<PayoutPage> {
    let org = super::admin(caller)?.org_id.get();
    let mut query = rl::payouts()
        .filter(incentive_payouts::partner_id.eq(org))
        .filter(incentive_payouts::id.lt(at_run_time(before.unwrap_or(i64::MAX))));
    if let Some(p) = Period::parse(q) {
        let covering = incentive_payout_items::table
            .inner_join(incentives::table)
            .filter(incentives::partner_id.eq(org))
            .filter(incentives::period.eq(p.first_day()))
            .select(incentive_payout_items::payout_id);
        query = query.filter(incentive_payouts::id.eq_any(covering));
    }
    let mut rows = rl::load_payouts(conn, query, size + 1)?;
    let next = take_page(&mut rows, size, |r| r.row.id.to_string());
    Ok(PayoutPage { rows, next })
}

pub fn invoices(
    conn: &mut PgConnection,
    caller: &Caller,
    q: &str,
    before: Option<i64>,
    size: i64,
) -> ServiceResult<InvoicePage> {
    let org = super::admin(caller)?.org_id.get();
    let mut query = rl::invoices()
        .filter(incentive_invoices::partner_id.eq(org))
        .filter(incentive_invoices::id.lt(at_run_time(before.unwrap_or(i64::MAX))));
    if !q.is_empty() {
        query = query.filter(incentive_invoices::number.ilike(crate::db::like_pattern(q)));
    }
    let mut rows = rl::load_invoices(conn, query, size + 1)?;
    let next = take_page(&mut rows, size, |r| r.row.id.to_string());
    Ok(InvoicePage { rows, next })
}
