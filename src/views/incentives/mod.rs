//! Template structs of the incentive pages (rules B8, P4): the shared row shapes here, the
//! operators' pages in `ops`, the partner's in `partner`.

pub mod ops;
pub mod partner;

use crate::domain::money::format_amount;
use crate::i18n::local_time;
use crate::services::incentives::lines::{IncentiveLine, Stage};
use crate::services::incentives::request_lines::{Covered, InvoiceLine, PayoutLine};
use crate::views::Ctx;

/// One incentive; texts already in the page's language.
pub struct IncentiveRow {
    pub id: i64,
    pub partner: String,
    pub period: String,
    pub kind: String,
    pub amount: String,
    pub remark: String,
    /// The `incentives.stage.*` suffix, also the CSS state class.
    pub stage: &'static str,
    pub stage_label: String,
    pub payout_id: Option<i64>,
    /// Applied for in a batch (`Some(true)`) or by itself (`Some(false)`).
    pub batch: Option<bool>,
    pub invoice_id: Option<i64>,
    /// Not applied for yet: the partner may apply.
    pub open: bool,
}

impl IncentiveRow {
    pub fn new(ctx: &Ctx, l: IncentiveLine) -> IncentiveRow {
        let stage = l.stage();
        IncentiveRow {
            id: l.id,
            partner: l.partner,
            period: crate::i18n::iso_month(l.period),
            kind: ctx.tk("incentives.kind", &l.kind),
            amount: format_amount(l.amount),
            remark: l.remark,
            stage: stage.as_str(),
            stage_label: ctx.tk("incentives.stage", stage.as_str()),
            payout_id: l.payout_id,
            batch: l.payout_batch,
            invoice_id: l.invoice_id,
            open: stage == Stage::Open,
        }
    }
}

/// What a request or invoice covers, one line of text: `2026-01 Sales incentive 1,000.00; …`.
pub fn covered_text(ctx: &Ctx, covered: &[Covered]) -> String {
    covered
        .iter()
        .map(|c| {
            format!(
                "{} {} {}",
                c.period.format("%Y-%m"),
                ctx.tk("incentives.kind", &c.kind),
                ctx.money(&format_amount(c.amount))
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// A payment request.
pub struct PayoutRow {
    pub id: i64,
    pub partner: String,
    pub batch: bool,
    pub amount: String,
    pub state: String,
    pub state_label: String,
    pub reason: String,
    pub requested: String,
    /// When it was last moved (approved, paid or rejected).
    pub decided: String,
    pub covered: String,
}

impl PayoutRow {
    pub fn new(ctx: &Ctx, l: PayoutLine) -> PayoutRow {
        let r = l.row;
        let decided = r.rejected_at.or(r.paid_at).or(r.approved_at);
        PayoutRow {
            id: r.id,
            partner: r.partner,
            batch: r.batch,
            amount: format_amount(r.amount),
            state_label: ctx.tk("incentives.payout.state", &r.state),
            state: r.state,
            reason: r.reason,
            requested: local_time(r.created_at),
            decided: decided.map(local_time).unwrap_or_default(),
            covered: covered_text(ctx, &l.covered),
        }
    }

    pub fn pending(&self) -> bool {
        self.state == "pending"
    }

    pub fn approved(&self) -> bool {
        self.state == "approved"
    }
}

/// An incentive invoice.
pub struct InvoiceRow {
    pub id: i64,
    pub partner: String,
    pub payout_id: i64,
    pub number: String,
    pub issued_on: String,
    pub tax_rate: i16,
    pub amount: String,
    pub has_file: bool,
    pub state: String,
    pub state_label: String,
    pub reason: String,
    pub submitted: String,
    pub decided: String,
    pub covered: String,
}

impl InvoiceRow {
    pub fn new(ctx: &Ctx, l: InvoiceLine) -> InvoiceRow {
        let r = l.row;
        InvoiceRow {
            id: r.id,
            partner: r.partner,
            payout_id: r.payout_id,
            number: r.number,
            issued_on: crate::i18n::iso_date(r.issued_on),
            tax_rate: r.tax_rate,
            amount: format_amount(r.amount),
            has_file: r.file_type.is_some(),
            state_label: ctx.tk("incentives.invoice.state", &r.state),
            state: r.state,
            reason: r.reason,
            submitted: local_time(r.created_at),
            decided: r.decided_at.map(local_time).unwrap_or_default(),
            covered: covered_text(ctx, &l.covered),
        }
    }

    pub fn pending(&self) -> bool {
        self.state == "pending"
    }
}

/// `(value, label)` choices of a select, in the page's language.
pub fn choices(ctx: &Ctx, prefix: &str, values: &[&'static str]) -> Vec<(&'static str, String)> {
    values.iter().map(|v| (*v, ctx.tk(prefix, v))).collect()
}
