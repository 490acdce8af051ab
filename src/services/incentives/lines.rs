//! An incentive as lists show it, with where it stands: recorded, applied for (pending),
//! approved (not yet paid: P4's 未入账), paid without an invoice (P4's 欠票), invoiced and
//! awaiting confirmation (still 欠票), or invoiced (received). One query shape, reused by the
//! operators' and the partner's lists and the invoice form.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use rust_decimal::Decimal;

use crate::db::schema::{incentive_invoices, incentive_payouts, incentives, organizations};
use crate::domain::incentives::{IncentiveInvoiceState, PayoutState};

#[derive(Queryable, Clone, Debug)]
pub struct IncentiveLine {
    pub id: i64,
    pub partner_id: i64,
    pub partner: String,
    pub period: NaiveDate,
    pub kind: String,
    pub amount: Decimal,
    pub remark: String,
    pub payout_id: Option<i64>,
    pub payout_state: Option<String>,
    pub payout_batch: Option<bool>,
    pub invoice_id: Option<i64>,
    pub invoice_state: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// Where an incentive stands; `as_str` is the `incentives.stage.*` key and the filter value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    Open,
    Pending,
    Approved,
    Paid,
    Invoicing,
    Invoiced,
}

impl Stage {
    pub const ALL: [Stage; 6] = [
        Stage::Open,
        Stage::Pending,
        Stage::Approved,
        Stage::Paid,
        Stage::Invoicing,
        Stage::Invoiced,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Open => "open",
            Stage::Pending => "pending",
            Stage::Approved => "approved",
            Stage::Paid => "paid",
            Stage::Invoicing => "invoicing",
            Stage::Invoiced => "invoiced",
        }
    }

    pub fn parse(s: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|x| x.as_str() == s.trim())
    }
}

impl IncentiveLine {
    pub fn stage(&self) -> Stage {
        let payout = self.payout_state.as_deref().and_then(PayoutState::parse);
        let invoice = self
            .invoice_state
            .as_deref()
            .and_then(IncentiveInvoiceState::parse);
        match (payout, invoice) {
            (_, Some(IncentiveInvoiceState::Received)) => Stage::Invoiced,
            (_, Some(IncentiveInvoiceState::Pending)) => Stage::Invoicing,
            (Some(PayoutState::Paid), _) => Stage::Paid,
            (Some(PayoutState::Approved), _) => Stage::Approved,
            (Some(PayoutState::Pending), _) => Stage::Pending,
            _ => Stage::Open,
        }
    }
}

type Source = diesel::dsl::LeftJoinOn<
    diesel::dsl::LeftJoinOn<
        diesel::dsl::InnerJoinOn<
            incentives::table,
            organizations::table,
            diesel::dsl::Eq<organizations::id, incentives::partner_id>,
        >,
        incentive_payouts::table,
        diesel::dsl::Eq<incentive_payouts::id, diesel::dsl::AssumeNotNull<incentives::payout_id>>,
    >,
    incentive_invoices::table,
    diesel::dsl::Eq<incentive_invoices::id, diesel::dsl::AssumeNotNull<incentives::invoice_id>>,
>;

pub type Boxed<'a> = diesel::dsl::IntoBoxed<'a, Source, diesel::pg::Pg>;

/// Every incentive with its partner, request and invoice, ready for filters.
pub fn query<'a>() -> Boxed<'a> {
    incentives::table
        .inner_join(organizations::table.on(organizations::id.eq(incentives::partner_id)))
        .left_join(
            incentive_payouts::table
                .on(incentive_payouts::id.eq(incentives::payout_id.assume_not_null())),
        )
        .left_join(
            incentive_invoices::table
                .on(incentive_invoices::id.eq(incentives::invoice_id.assume_not_null())),
        )
        .into_boxed()
}

/// The filtered query's lines, newest first, `limit` of them.
pub fn load(conn: &mut PgConnection, q: Boxed<'_>, limit: i64) -> QueryResult<Vec<IncentiveLine>> {
    crate::db::page_limit::limited(
        q.order(incentives::id.desc()).select((
            incentives::id,
            incentives::partner_id,
            organizations::name,
            incentives::period,
            incentives::kind,
            incentives::amount,
            incentives::remark,
            incentives::payout_id,
            incentive_payouts::state.nullable(),
            incentive_payouts::batch.nullable(),
            incentives::invoice_id,
            incentive_invoices::state.nullable(),
            incentives::created_at,
        )),
        limit,
    )
    .load(conn)
}

/// Narrows the query to one stage.
pub fn at_stage(q: Boxed<'_>, stage: Stage) -> Boxed<'_> {
    let payout = |s: PayoutState| incentive_payouts::state.nullable().eq(s.as_str());
    match stage {
        Stage::Open => q.filter(incentives::payout_id.is_null()),
        Stage::Pending => q.filter(payout(PayoutState::Pending)),
        Stage::Approved => q.filter(payout(PayoutState::Approved)),
        Stage::Paid => q
            .filter(payout(PayoutState::Paid))
            .filter(incentives::invoice_id.is_null()),
        Stage::Invoicing => q
            .filter(incentives::invoice_id.is_not_null())
            .filter(incentives::invoiced_at.is_null()),
        Stage::Invoiced => q.filter(incentives::invoiced_at.is_not_null()),
    }
}
