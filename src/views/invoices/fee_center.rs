//! The requester's pages (rule B7): `/fee-center/invoices` and one request.

use askama::Template;

use super::processing::ItemLineRow;
use crate::domain::money::format_amount;
use crate::i18n::local_time;
use crate::services::invoices::customer::{Invoice, Request};
use crate::services::invoices::detail::ItemLine;
use crate::services::invoices::titles::Title;
use crate::views::{Ctx, Pager};

pub struct OwnInvoiceRow {
    pub id: i64,
    pub entity: String,
    pub rate: String,
    pub amount: String,
    pub state: String,
    pub state_label: String,
    pub number: String,
    pub issued_on: String,
    pub tracking: String,
    pub reason: String,
    pub has_file: bool,
    pub items: Vec<ItemLineRow>,
}

impl OwnInvoiceRow {
    pub fn new(ctx: &Ctx, i: Invoice, lines: &[ItemLine]) -> OwnInvoiceRow {
        OwnInvoiceRow {
            id: i.id,
            entity: i.signing_entity,
            rate: format!("{}%", i.tax_rate),
            amount: format_amount(i.amount),
            state_label: ctx.tk("invoices.state", &i.state),
            state: i.state,
            number: i.number.unwrap_or_default(),
            issued_on: i.issued_on.map(|d| d.to_string()).unwrap_or_default(),
            tracking: i.tracking_number.unwrap_or_default(),
            reason: i.reason,
            has_file: i.has_file,
            items: lines
                .iter()
                .filter(|l| l.invoice_id == i.id)
                .map(|l| ItemLineRow::new(ctx, l))
                .collect(),
        }
    }
}

pub struct RequestRow {
    pub id: i64,
    pub created: String,
    pub issuer: String,
    pub title_name: String,
    pub amount: String,
    pub asked: String,
    pub medium_label: String,
    pub invoices: Vec<OwnInvoiceRow>,
}

impl RequestRow {
    pub fn new(ctx: &Ctx, r: Request, lines: &[ItemLine]) -> (RequestRow, Title) {
        let row = RequestRow {
            id: r.id,
            created: local_time(r.created_at),
            issuer: if r.issuer_name.is_empty() {
                ctx.t("invoices.issuer.platform_label")
            } else {
                r.issuer_name
            },
            title_name: r.title.name.clone(),
            amount: format_amount(r.amount),
            asked: r.asked.map(format_amount).unwrap_or_default(),
            medium_label: ctx.tk("invoices.medium", &r.medium),
            invoices: r
                .invoices
                .into_iter()
                .map(|i| OwnInvoiceRow::new(ctx, i, lines))
                .collect(),
        };
        (row, r.title)
    }
}

#[derive(Template)]
#[template(path = "invoices/own_list.html")]
pub struct OwnInvoicesPage {
    pub ctx: Ctx,
    pub rows: Vec<RequestRow>,
    pub pager: Pager,
}

#[derive(Template)]
#[template(path = "invoices/own_request.html")]
pub struct OwnRequestPage {
    pub ctx: Ctx,
    pub r: RequestRow,
    pub title: Title,
}
