//! The partner's incentive pages (admins): its incentives with the apply form, its payment
//! requests, its incentive invoices and the invoice form.

use askama::Template;

use super::{IncentiveRow, InvoiceRow, PayoutRow};
use crate::views::{Ctx, FormErrors, Pager};

#[derive(Template)]
#[template(path = "partner/incentives/list.html")]
pub struct PartnerIncentivesPage {
    pub ctx: Ctx,
    pub rows: Vec<IncentiveRow>,
    pub q: String,
    pub stage: String,
    pub stages: Vec<(&'static str, String)>,
    pub pager: Pager,
    /// The apply form: its key, the boxes as the admin left them, and why it was refused.
    pub key: String,
    pub checked: Vec<i64>,
    pub message: String,
}

impl PartnerIncentivesPage {
    pub fn is_checked(&self, id: &i64) -> bool {
        self.checked.contains(id)
    }
}

#[derive(Template)]
#[template(path = "partner/incentives/payouts.html")]
pub struct PartnerPayoutsPage {
    pub ctx: Ctx,
    pub rows: Vec<PayoutRow>,
    pub q: String,
    pub pager: Pager,
}

#[derive(Template)]
#[template(path = "partner/incentives/invoices.html")]
pub struct PartnerInvoicesPage {
    pub ctx: Ctx,
    pub rows: Vec<InvoiceRow>,
    pub q: String,
    pub pager: Pager,
}

/// The paid incentives of one request, as the invoice form groups them (rule B8).
pub struct InvoiceGroup {
    pub payout_id: i64,
    pub batch: bool,
    pub rows: Vec<IncentiveRow>,
}

#[derive(Template)]
#[template(path = "partner/incentives/invoice_new.html")]
pub struct InvoiceFormPage {
    pub ctx: Ctx,
    pub groups: Vec<InvoiceGroup>,
    pub checked: Vec<i64>,
    pub tax_rate: String,
    pub number: String,
    pub issued_on: String,
    pub key: String,
    pub errors: FormErrors,
    pub message: String,
}

impl InvoiceFormPage {
    pub fn is_checked(&self, id: &i64) -> bool {
        self.checked.contains(id)
    }
}
