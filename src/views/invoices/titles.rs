//! The titles pages (rule B3), shared by the fee center and the partner area.

use askama::Template;

use super::Area;
use crate::services::invoices::titles::{Title, TitleFields};
use crate::views::{Ctx, FormErrors};

pub struct TitleRow {
    pub id: i64,
    pub name: String,
    pub type_label: String,
    pub kind_label: String,
    pub tax_id: String,
    pub postal: String,
    pub is_default: bool,
}

impl TitleRow {
    pub fn new(ctx: &Ctx, t: Title) -> TitleRow {
        let postal = [t.postal_recipient, t.postal_phone, t.postal_address]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" · ");
        TitleRow {
            id: t.id,
            type_label: ctx.tk("invoices.title.type", &t.title_type),
            kind_label: ctx.tk("invoices.kind", &t.invoice_kind),
            name: t.name,
            tax_id: t.tax_id,
            postal,
            is_default: t.is_default,
        }
    }
}

#[derive(Template)]
#[template(path = "invoices/titles.html")]
pub struct TitlesPage {
    pub ctx: Ctx,
    pub area: Area,
    /// `/fee-center/invoices/titles` or `/partner/invoices/titles`.
    pub base: String,
    pub rows: Vec<TitleRow>,
}

#[derive(Template)]
#[template(path = "invoices/title_form.html")]
pub struct TitleFormPage {
    pub ctx: Ctx,
    pub area: Area,
    pub base: String,
    pub action: String,
    pub heading: String,
    pub f: TitleFields,
    pub errors: FormErrors,
    pub message: String,
}
