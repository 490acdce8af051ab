//! The operator's catalog pages (rule P1): the product list and the new/edit form.

use askama::Template;

use crate::domain::price::format_price;
use crate::i18n::{Lang, local_time};
use crate::services::orders::catalog::Product;
use crate::views::customers::Opt;
use crate::views::{Ctx, FormErrors, Pager};

/// One product as the catalog lists it.
pub struct ProductRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub service: String,
    /// Empty when the term is not offered.
    pub monthly_price: String,
    pub yearly_price: String,
    pub tax_rate: i16,
    pub needs_review: bool,
    pub active: bool,
    pub updated_at: String,
}

impl ProductRow {
    pub fn new(lang: Lang, p: Product) -> ProductRow {
        ProductRow {
            id: p.id,
            code: p.code,
            name: lang.pick(p.name_zh, p.name_en),
            service: p.service_code,
            monthly_price: p.monthly_price.map(format_price).unwrap_or_default(),
            yearly_price: p.yearly_price.map(format_price).unwrap_or_default(),
            tax_rate: p.tax_rate,
            needs_review: p.needs_review,
            active: p.active,
            updated_at: local_time(p.updated_at),
        }
    }
}

#[derive(Template)]
#[template(path = "ops/catalog.html")]
pub struct CatalogPage {
    pub ctx: Ctx,
    pub rows: Vec<ProductRow>,
    pub q: String,
    pub pager: Pager,
}

/// The product form as typed, for a new product (`id` none) or an edit.
#[derive(Template)]
#[template(path = "ops/catalog_form.html")]
pub struct ProductFormPage {
    pub ctx: Ctx,
    pub id: Option<i64>,
    pub code: String,
    pub name_en: String,
    pub name_zh: String,
    pub services: Vec<Opt>,
    pub monthly_price: String,
    pub yearly_price: String,
    pub tax_rates: Vec<Opt>,
    pub needs_review: bool,
    /// On sale (edit only).
    pub active: bool,
    pub errors: FormErrors,
    pub message: String,
}

impl ProductFormPage {
    pub fn action(&self) -> String {
        match self.id {
            Some(id) => format!("/ops/catalog/{id}"),
            None => "/ops/catalog".to_string(),
        }
    }
}
