//! The catalog form (rule P1) as typed, and its parsing into a `NewProduct` with a message
//! beside each wrong field: the code's shape (new products only: a code never changes), both
//! names, the service, prices with at most 8 decimals that charge at least a cent (B1), at
//! least one term, a tax rate of 6 or 13 (B5).

use serde::Deserialize;

use crate::domain::price::{charge, parse_price};
use crate::services::orders::catalog::{NewProduct, TAX_RATES, valid_code};
use crate::services::validate::check_text;
use crate::views::{Ctx, FormErrors};

/// The longest product name (the column's bound).
pub const NAME_MAX: usize = 120;

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct ProductForm {
    pub code: String,
    pub name_en: String,
    pub name_zh: String,
    pub service: String,
    pub monthly_price: String,
    pub yearly_price: String,
    pub tax_rate: String,
    pub needs_review: Option<String>,
}

impl ProductForm {
    pub fn needs_review(&self) -> bool {
        self.needs_review.as_deref().is_some_and(|v| !v.is_empty())
    }

    /// The validated product, or the messages beside the fields. `editing` skips the code,
    /// which the edit form shows but never sends as a change.
    pub fn parse(&self, ctx: &Ctx, editing: bool) -> Result<NewProduct, FormErrors> {
        let mut errors = FormErrors::default();
        let code = self.code.trim().to_ascii_lowercase();
        if !editing && !valid_code(&code) {
            errors.add("code", ctx.t("orders.catalog.error.code"));
        }
        check_text(
            &mut errors,
            ctx.lang,
            "name_en",
            &self.name_en,
            true,
            NAME_MAX,
        );
        check_text(
            &mut errors,
            ctx.lang,
            "name_zh",
            &self.name_zh,
            true,
            NAME_MAX,
        );
        let service = self.service.trim().to_ascii_uppercase();
        if service.is_empty() {
            errors.add("service", ctx.t("orders.catalog.error.service"));
        }
        let monthly = price(ctx, &mut errors, "monthly_price", &self.monthly_price);
        let yearly = price(ctx, &mut errors, "yearly_price", &self.yearly_price);
        if self.monthly_price.trim().is_empty() && self.yearly_price.trim().is_empty() {
            errors.add("monthly_price", ctx.t("orders.catalog.error.no_term"));
        }
        let tax_rate = self
            .tax_rate
            .trim()
            .parse::<i16>()
            .ok()
            .filter(|r| TAX_RATES.contains(r));
        if tax_rate.is_none() {
            errors.add("tax_rate", ctx.t("orders.catalog.error.tax_rate"));
        }
        match tax_rate {
            Some(tax_rate) if errors.is_empty() => Ok(NewProduct {
                code,
                name_en: self.name_en.trim().to_string(),
                name_zh: self.name_zh.trim().to_string(),
                service_code: service,
                monthly_price: monthly,
                yearly_price: yearly,
                tax_rate,
                needs_review: self.needs_review(),
            }),
            _ => Err(errors),
        }
    }
}

/// An optional price: empty is "not offered"; anything else must be a price (8 decimals at
/// most) that charges at least one cent (rule B1).
fn price(
    ctx: &Ctx,
    errors: &mut FormErrors,
    field: &'static str,
    raw: &str,
) -> Option<rust_decimal::Decimal> {
    if raw.trim().is_empty() {
        return None;
    }
    match parse_price(raw) {
        Ok(p) if charge(p).0 > rust_decimal::Decimal::ZERO => Some(p),
        Ok(_) => {
            errors.add(field, ctx.t("price.below_cent"));
            None
        }
        Err(e) => {
            errors.add(field, ctx.t(e.message_key()));
            None
        }
    }
}
