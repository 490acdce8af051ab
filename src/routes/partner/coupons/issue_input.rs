//! The issue form's fields (SPEC §5 names; `customer_id` and `scope` repeat) and its own
//! checks, each message beside its field; and which field a batch-wide refusal belongs to.

use chrono::NaiveDate;

use crate::domain::Money;
use crate::error::AppError;
use crate::services::coupons::issue::IssueInput;
use crate::services::coupons::{CouponRefusal, FORM_CUSTOMERS_MAX, REMARK_MAX};
use crate::views::{Ctx, FormErrors};

/// The form's fields as typed (SPEC §5 names; `customer_id` and `scope` repeat).
#[derive(Default)]
pub struct Fields {
    pub grant_id: String,
    pub customer_ids: Vec<i64>,
    pub face_value: String,
    pub valid_until: String,
    pub scope: Vec<String>,
    pub remark: String,
    pub key: String,
    pub q: String,
    pub search: bool,
}

pub fn fields(pairs: Vec<(String, String)>) -> Result<Fields, AppError> {
    let mut f = Fields::default();
    for (name, value) in pairs {
        match name.as_str() {
            "grant_id" => f.grant_id = value.trim().to_string(),
            "customer_id" => {
                let id = value
                    .trim()
                    .parse::<i64>()
                    .map_err(|_| AppError::BadRequest("customer_id".into()))?;
                if !f.customer_ids.contains(&id) {
                    f.customer_ids.push(id);
                }
            }
            "face_value" => f.face_value = value,
            "valid_until" => f.valid_until = value.trim().to_string(),
            "scope" => f.scope.push(value),
            "remark" => f.remark = value,
            "key" => f.key = value,
            "q" => f.q = crate::services::keyset::q(Some(&value)),
            "action" => f.search = value == "search",
            _ => {}
        }
    }
    Ok(f)
}

/// Which field a refusal that holds for the whole batch belongs beside.
pub fn field_of(r: CouponRefusal) -> Option<&'static str> {
    match r {
        CouponRefusal::GrantNotNormal | CouponRefusal::GrantExpired => Some("grant_id"),
        CouponRefusal::NotEnoughQuota => Some("face_value"),
        CouponRefusal::ValidityInPast | CouponRefusal::BeyondGrantValidity => Some("valid_until"),
        CouponRefusal::ScopeWider
        | CouponRefusal::UnknownService
        | CouponRefusal::TooManyServices => Some("scope"),
        CouponRefusal::TooMany => Some("customer_id"),
        _ => None,
    }
}

/// The form's own checks, each beside its field: `None` when one failed.
pub fn input_of(ctx: &Ctx, f: &Fields, errors: &mut FormErrors) -> Option<IssueInput> {
    let grant_id = f.grant_id.parse::<i64>().ok().filter(|id| *id > 0);
    if grant_id.is_none() {
        errors.add("grant_id", ctx.t("coupons_issue.choose_grant"));
    }
    if f.customer_ids.is_empty() {
        errors.add("customer_id", ctx.t("coupons_issue.choose_customer"));
    } else if f.customer_ids.len() > FORM_CUSTOMERS_MAX {
        let max = FORM_CUSTOMERS_MAX.to_string();
        errors.add(
            "customer_id",
            ctx.tf("coupons_issue.too_many_customers", &[("max", &max)]),
        );
    }
    let face = Money::parse_positive(&f.face_value)
        .map_err(|e| errors.add("face_value", ctx.t(e.message_key())))
        .ok();
    let valid_until = match f.valid_until.as_str() {
        "" => Some(None),
        d => NaiveDate::parse_from_str(d, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| errors.add("valid_until", ctx.t("coupons_issue.bad_date")))
            .ok(),
    };
    if f.remark.trim().chars().count() > REMARK_MAX {
        let max = REMARK_MAX.to_string();
        errors.add("remark", ctx.tf("form.too_long_n", &[("max", &max)]));
    }
    if !errors.is_empty() {
        return None;
    }
    Some(IssueInput {
        grant_id: grant_id?,
        customer_ids: f.customer_ids.clone(),
        face_value: face?,
        valid_until: valid_until?,
        scope: f.scope.clone(),
        remark: f.remark.trim().to_string(),
        key: f.key.clone(),
    })
}
