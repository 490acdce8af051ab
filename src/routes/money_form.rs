//! The two fields every money form shares (SPEC §5 "Amounts in forms"): an amount > 0 with at
//! most two decimals and a remark of at most 256 characters, each refused beside its field.

use crate::domain::Money;
use crate::views::{Ctx, FormErrors};

use crate::services::customers::top_up::REMARK_MAX;

/// The parsed amount (when valid), the trimmed remark, and the messages beside the fields.
pub fn amount_and_remark(
    ctx: &Ctx,
    amount: &str,
    remark: &str,
) -> (Option<Money>, String, FormErrors) {
    let mut errors = FormErrors::default();
    let amount = match Money::parse_positive(amount) {
        Ok(a) => Some(a),
        Err(e) => {
            errors.add("amount", ctx.t(e.message_key()));
            None
        }
    };
    let remark = remark.trim().to_string();
    if remark.chars().count() > REMARK_MAX {
        errors.add(
            "remark",
            ctx.tf("form.too_long_n", &[("max", &REMARK_MAX.to_string())]),
        );
    }
    (amount.filter(|_| errors.is_empty()), remark, errors)
}
