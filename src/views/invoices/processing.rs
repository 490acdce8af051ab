//! The issuers' pages (rule B7): the partner's and the operators' invoice lists and one
//! invoice with the forms that process it.

use askama::Template;

use super::{Area, item_label};
use crate::domain::money::format_amount;
use crate::i18n::local_time;
use crate::services::invoices::detail::{InvoiceView, ItemLine};
use crate::services::invoices::lists::Line;
use crate::services::invoices::titles::Title;
use crate::views::customers::Opt;
use crate::views::{Ctx, FormErrors, Pager};

/// One invoice as the lists show it.
pub struct InvoiceRow {
    pub id: i64,
    pub request_id: i64,
    pub customer_id: i64,
    pub company: String,
    pub entity: String,
    pub rate: String,
    pub medium_label: String,
    pub amount: String,
    pub state: String,
    pub state_label: String,
    pub number: String,
    pub created: String,
}

impl InvoiceRow {
    pub fn new(ctx: &Ctx, l: Line) -> InvoiceRow {
        InvoiceRow {
            id: l.id,
            request_id: l.request_id,
            customer_id: l.customer_id,
            company: l.company,
            entity: l.signing_entity,
            rate: format!("{}%", l.tax_rate),
            medium_label: ctx.tk("invoices.medium", &l.medium),
            amount: format_amount(l.amount),
            state_label: ctx.tk("invoices.state", &l.state),
            state: l.state,
            number: l.number.unwrap_or_default(),
            created: local_time(l.created_at),
        }
    }
}

#[derive(Template)]
#[template(path = "invoices/process_list.html")]
pub struct ProcessListPage {
    pub ctx: Ctx,
    pub area: Area,
    pub base: String,
    pub explain: String,
    pub read_only: bool,
    pub rows: Vec<InvoiceRow>,
    pub q: String,
    pub states: Vec<Opt>,
    pub sizes: Vec<Opt>,
    pub filtered: bool,
    pub pager: Pager,
}

/// One item an invoice holds, in words.
pub struct ItemLineRow {
    pub label: String,
    pub amount: String,
}

impl ItemLineRow {
    pub fn new(ctx: &Ctx, l: &ItemLine) -> ItemLineRow {
        ItemLineRow {
            label: item_label(ctx, &l.kind, l.period, l.order_id),
            amount: format_amount(l.amount),
        }
    }
}

/// What the forms on an invoice's page hold after a refused step.
#[derive(Default)]
pub struct Typed {
    pub number: String,
    pub issued_on: String,
    pub tracking: String,
    pub reason: String,
}

#[derive(Template)]
#[template(path = "invoices/process_detail.html")]
pub struct ProcessDetailPage {
    pub ctx: Ctx,
    pub area: Area,
    pub base: String,
    pub inv: InvoiceRow,
    pub kind_label: String,
    pub issuer: String,
    pub issued_on: String,
    pub tracking: String,
    pub reason: String,
    pub title: Title,
    pub file: Option<String>,
    pub items: Vec<ItemLineRow>,
    pub can_act: bool,
    pub is_paper: bool,
    pub typed: Typed,
    pub errors: FormErrors,
    pub message: String,
}

impl ProcessDetailPage {
    pub fn new(ctx: Ctx, area: Area, base: &str, v: InvoiceView) -> ProcessDetailPage {
        let issuer = if v.issuer_name.is_empty() {
            ctx.t("invoices.issuer.platform_label")
        } else {
            v.issuer_name.clone()
        };
        let items = v.items.iter().map(|l| ItemLineRow::new(&ctx, l)).collect();
        let is_paper = v.line.medium == "paper";
        ProcessDetailPage {
            kind_label: ctx.tk("invoices.kind", &v.invoice_kind),
            inv: InvoiceRow::new(&ctx, v.line),
            area,
            base: base.to_string(),
            issuer,
            issued_on: v.issued_on.map(|d| d.to_string()).unwrap_or_default(),
            tracking: v.tracking_number.unwrap_or_default(),
            reason: v.reason,
            title: v.title,
            file: v.file,
            items,
            can_act: v.can_act,
            is_paper,
            typed: Typed {
                issued_on: crate::services::invoices::items::today().to_string(),
                ..Typed::default()
            },
            errors: FormErrors::default(),
            message: String::new(),
            ctx,
        }
    }
}
