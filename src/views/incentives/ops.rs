//! The operators' incentive pages: `/ops/incentives` and its new-incentive form, the payment
//! requests and the incentive invoices with their decision pages.

use askama::Template;

use super::{IncentiveRow, InvoiceRow, PayoutRow};
use crate::views::{Ctx, FormErrors, Pager};

#[derive(Template)]
#[template(path = "ops/incentives/list.html")]
pub struct OpsIncentivesPage {
    pub ctx: Ctx,
    pub rows: Vec<IncentiveRow>,
    pub q: String,
    pub period: String,
    pub kind: String,
    pub stage: String,
    pub kinds: Vec<(&'static str, String)>,
    pub stages: Vec<(&'static str, String)>,
    pub pager: Pager,
}

#[derive(Template)]
#[template(path = "ops/incentives/new.html")]
pub struct OpsIncentiveFormPage {
    pub ctx: Ctx,
    pub partners: Vec<(i64, String)>,
    pub kinds: Vec<(&'static str, String)>,
    pub partner: String,
    pub period: String,
    pub kind: String,
    pub amount: String,
    pub remark: String,
    pub key: String,
    pub errors: FormErrors,
    pub message: String,
}

#[derive(Template)]
#[template(path = "ops/incentives/payouts.html")]
pub struct OpsPayoutsPage {
    pub ctx: Ctx,
    pub rows: Vec<PayoutRow>,
    pub q: String,
    /// `open` or `all`.
    pub state: String,
    pub pager: Pager,
}

#[derive(Template)]
#[template(path = "ops/incentives/payout.html")]
pub struct OpsPayoutPage {
    pub ctx: Ctx,
    pub p: PayoutRow,
    pub reason: String,
    pub errors: FormErrors,
    pub message: String,
}

#[derive(Template)]
#[template(path = "ops/incentives/invoices.html")]
pub struct OpsInvoicesPage {
    pub ctx: Ctx,
    pub rows: Vec<InvoiceRow>,
    pub q: String,
    /// `pending` or `all`.
    pub state: String,
    pub pager: Pager,
}

#[derive(Template)]
#[template(path = "ops/incentives/invoice.html")]
pub struct OpsInvoicePage {
    pub ctx: Ctx,
    pub inv: InvoiceRow,
    pub reason: String,
    pub errors: FormErrors,
    pub message: String,
}
