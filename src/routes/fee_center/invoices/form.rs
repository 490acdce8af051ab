//! The request form's fields (SPEC §5: `amount`, `title_id`; also `issuer`, `medium`, `mode`,
//! `item_id` repeated, and on confirmation `key` and `match`) and their own checks.

use crate::domain::Money;
use crate::error::AppError;
use crate::services::invoices::Issuer;
use crate::services::invoices::Medium;
use crate::services::invoices::request::{Mode, PICKER_MAX, RequestInput};
use crate::views::{Ctx, FormErrors};

/// The fields as typed.
#[derive(Default, Clone)]
pub struct Fields {
    pub issuer: String,
    pub title_id: String,
    pub medium: String,
    pub mode: String,
    pub amount: String,
    pub item_ids: Vec<i64>,
    pub key: String,
    pub fingerprint: String,
}

impl Fields {
    /// `platform`, an organisation id, or nothing (the customer's own); anything else is no
    /// form of ours (404).
    pub fn issuer(&self) -> Result<Option<Issuer>, AppError> {
        match self.issuer.trim() {
            "" => Ok(None),
            "platform" => Ok(Some(None)),
            id => id
                .parse::<i64>()
                .ok()
                .filter(|i| *i > 0)
                .map(|i| Some(Some(i)))
                .ok_or(AppError::NotFound),
        }
    }
}

/// How an issuer travels in forms.
pub fn issuer_value(issuer: Issuer) -> String {
    issuer.map_or_else(|| "platform".to_string(), |i| i.to_string())
}

/// Reads the form; a malformed item id is 404 (no form of ours sends one).
pub fn fields(pairs: Vec<(String, String)>) -> Result<Fields, AppError> {
    let mut f = Fields::default();
    for (name, value) in pairs {
        match name.as_str() {
            "issuer" => f.issuer = value,
            "title_id" => f.title_id = value.trim().to_string(),
            "medium" => f.medium = value.trim().to_string(),
            "mode" => f.mode = value.trim().to_string(),
            "amount" => f.amount = value,
            "item_id" => {
                let id = value
                    .trim()
                    .parse::<i64>()
                    .ok()
                    .filter(|i| *i > 0)
                    .ok_or(AppError::NotFound)?;
                // The picker lists at most `PICKER_MAX` items: a longer list is no form of ours.
                if f.item_ids.len() > 2 * PICKER_MAX as usize {
                    return Err(AppError::NotFound);
                }
                if !f.item_ids.contains(&id) {
                    f.item_ids.push(id);
                }
            }
            "key" => f.key = value,
            "match" => f.fingerprint = value,
            _ => {}
        }
    }
    f.issuer()?;
    Ok(f)
}

/// The form's own checks, each beside its field.
pub fn input_of(ctx: &Ctx, f: &Fields) -> Result<RequestInput, FormErrors> {
    let mut errors = FormErrors::default();
    let issuer = f.issuer().ok().flatten();
    let title_id = f.title_id.parse::<i64>().ok().filter(|i| *i > 0);
    if title_id.is_none() {
        errors.add("title_id", ctx.t("invoices.request.choose_title"));
    }
    let medium = Medium::parse(&f.medium);
    if medium.is_none() {
        errors.add("medium", ctx.t("invoices.request.choose_medium"));
    }
    let mode = if f.mode == "items" {
        if f.item_ids.is_empty() {
            errors.add("item_id", ctx.t("invoices.refused.nothing_picked"));
        }
        Some(Mode::Items(f.item_ids.clone()))
    } else {
        Money::parse_positive(&f.amount)
            .map(|m| Mode::Amount(m.amount()))
            .map_err(|e| errors.add("amount", ctx.t(e.message_key())))
            .ok()
    };
    match (title_id, medium, mode, errors.is_empty()) {
        (Some(title_id), Some(medium), Some(mode), true) => Ok(RequestInput {
            issuer,
            title_id,
            medium,
            mode,
        }),
        _ => Err(errors),
    }
}
