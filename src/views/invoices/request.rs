//! The request form and the match shown before submitting (rule B6).

use askama::Template;

use super::ItemRow;
use crate::services::invoices::titles::Title;
use crate::views::customers::Opt;
use crate::views::{Ctx, FormErrors};

#[derive(Template)]
#[template(path = "invoices/request_form.html")]
pub struct RequestFormPage {
    pub ctx: Ctx,
    pub issuers: Vec<Opt>,
    pub titles: Vec<Opt>,
    pub medium: String,
    /// `amount` or `items`.
    pub mode: String,
    pub amount: String,
    pub items: Vec<ItemRow>,
    /// Set when the picker shows only the oldest items.
    pub items_more: String,
    pub errors: FormErrors,
    pub message: String,
}

/// One invoice the request makes (B5).
pub struct PlannedRow {
    pub entity: String,
    pub rate: String,
    pub amount: String,
    pub items: usize,
}

#[derive(Template)]
#[template(path = "invoices/request_preview.html")]
pub struct PreviewPage {
    pub ctx: Ctx,
    pub issuer: String,
    pub issuer_label: String,
    pub title: Title,
    pub medium: String,
    pub medium_label: String,
    pub mode: String,
    pub amount: String,
    pub item_ids: Vec<i64>,
    pub fingerprint: String,
    pub key: String,
    pub picks: Vec<ItemRow>,
    pub invoices: Vec<PlannedRow>,
    pub total: String,
    pub message: String,
}
