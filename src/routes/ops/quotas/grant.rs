//! `/ops/quotas/new` and `POST /ops/quotas`: the operator's grant form (rule K1): parsed beside
//! its fields (422 with the values kept), idempotent by the form's key.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use chrono::NaiveDate;

use crate::auth::Operator;
use crate::domain::{CouponKind, Money};
use crate::error::AppError;
use crate::services::ServiceError;
use crate::services::coupons::grants::NewGrant;
use crate::services::coupons::ops_quotas as reads;
use crate::services::coupons::{CouponRefusal, ops_actions as acts};
use crate::state::AppState;
use crate::views::coupons::quotas::{OpsGrantFormPage, ServiceChoice};
use crate::views::{Ctx, FormErrors, flash, redirect, render_with};

/// The grant form as typed (`scope` repeated).
#[derive(Default)]
struct GrantForm {
    partner: String,
    kind: String,
    amount: String,
    valid_from: String,
    valid_until: String,
    scope: Vec<String>,
    invoice_restricted: bool,
    remark: String,
    key: String,
}

impl GrantForm {
    fn read(fields: Vec<(String, String)>) -> GrantForm {
        let mut f = GrantForm::default();
        for (name, value) in fields {
            match name.as_str() {
                "partner" => f.partner = value,
                "kind" => f.kind = value,
                "amount" => f.amount = value,
                "valid_from" => f.valid_from = value,
                "valid_until" => f.valid_until = value,
                "scope" => f.scope.push(value),
                "invoice_restricted" => f.invoice_restricted = !value.is_empty(),
                "remark" => f.remark = value,
                "key" => f.key = value,
                _ => {}
            }
        }
        f
    }

    /// The validated grant, or the messages beside the fields.
    fn parse(&self, ctx: &Ctx) -> Result<NewGrant, FormErrors> {
        let mut errors = FormErrors::default();
        let partner = self.partner.trim().parse::<i64>().ok().filter(|p| *p > 0);
        if partner.is_none() {
            errors.add("partner", ctx.t("quotas.error.partner"));
        }
        let kind = CouponKind::parse(&self.kind);
        if kind.is_none() {
            errors.add("kind", ctx.t("quotas.error.kind"));
        }
        let amount = Money::parse_positive(&self.amount)
            .map_err(|e| errors.add("amount", ctx.t(e.message_key())))
            .ok();
        let date = |s: &str| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok();
        let from = date(&self.valid_from);
        if from.is_none() {
            errors.add("valid_from", ctx.t("quotas.error.date"));
        }
        let until = date(&self.valid_until);
        match (from, until) {
            (_, None) => errors.add("valid_until", ctx.t("quotas.error.date")),
            (Some(f), Some(u)) if u < f => {
                errors.add("valid_until", ctx.t("quotas.error.until_before_from"))
            }
            _ => {}
        }
        if self.scope.len() > crate::services::coupons::SCOPE_MAX {
            errors.add("scope", ctx.t(CouponRefusal::TooManyServices.key()));
        }
        let remark = self.remark.trim().to_string();
        if remark.chars().count() > crate::services::coupons::REMARK_MAX {
            let max = crate::services::coupons::REMARK_MAX.to_string();
            errors.add("remark", ctx.tf("form.too_long_n", &[("max", &max)]));
        }
        match (partner, kind, amount, from, until) {
            (Some(partner_id), Some(kind), Some(amount), Some(valid_from), Some(valid_until))
                if errors.is_empty() =>
            {
                Ok(NewGrant {
                    partner_id,
                    kind,
                    amount,
                    valid_from,
                    valid_until,
                    scope: self.scope.clone(),
                    invoice_restricted: self.invoice_restricted,
                    remark,
                })
            }
            _ => Err(errors),
        }
    }
}

async fn grant_form_page(
    ctx: Ctx,
    op: &Operator,
    state: &AppState,
    form: GrantForm,
    errors: FormErrors,
) -> Result<HttpResponse, AppError> {
    let caller = op.caller.clone();
    let choices = crate::routes::run(&state.pool, move |conn| {
        Ok(reads::form_choices(conn, &caller)?)
    })
    .await?;
    let zh = ctx.lang == crate::i18n::Lang::ZhCn;
    let services = choices
        .services
        .into_iter()
        .map(|s| ServiceChoice {
            checked: form.scope.iter().any(|c| c.eq_ignore_ascii_case(&s.code)),
            name: if zh { s.name_zh } else { s.name_en },
            code: s.code,
        })
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let message = if errors.is_empty() {
        String::new()
    } else {
        ctx.t("form.fix_errors")
    };
    render_with(
        status,
        &OpsGrantFormPage {
            ctx,
            partners: choices.partners,
            services,
            partner: form.partner,
            kind: form.kind,
            amount: form.amount,
            valid_from: form.valid_from,
            valid_until: form.valid_until,
            invoice_restricted: form.invoice_restricted,
            remark: form.remark,
            key: form.key,
            errors,
            message,
        },
    )
}

/// rule K1: the grant form, valid from today for half a year by default, with a fresh key.
pub async fn grant_quota_form(
    ctx: Ctx,
    op: Operator,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let today = crate::services::coupons::today();
    let form = GrantForm {
        kind: CouponKind::Voucher.as_str().into(),
        valid_from: crate::i18n::iso_date(today),
        valid_until: (today + chrono::Duration::days(180))
            .format("%Y-%m-%d")
            .to_string(),
        key: uuid::Uuid::new_v4().to_string(),
        ..GrantForm::default()
    };
    grant_form_page(ctx, &op, &state, form, FormErrors::default()).await
}

/// rule K1: grants quota; refusals come back beside their fields with the values kept.
pub async fn grant_quota(
    ctx: Ctx,
    op: Operator,
    session: Session,
    state: web::Data<AppState>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let form = GrantForm::read(form.into_inner());
    if !crate::services::customers::top_up::valid_key(&form.key) {
        return Err(AppError::BadRequest("form key".into()));
    }
    let new = match form.parse(&ctx) {
        Ok(new) => new,
        Err(errors) => return grant_form_page(ctx, &op, &state, form, errors).await,
    };
    let (caller, key) = (op.caller.clone(), form.key.clone());
    let outcome = crate::routes::transaction(&state.pool, move |conn| {
        Ok(acts::grant(conn, &caller, new, &key))
    })
    .await?;
    let mut errors = FormErrors::default();
    match outcome {
        Ok(id) => {
            flash(&session, "success", ctx.t("quotas.ops.granted"));
            return Ok(redirect(&format!("/ops/quotas/{id}")));
        }
        Err(ServiceError::Refused(r)) => {
            let field = match r {
                crate::services::Refusal::Coupon(CouponRefusal::ValidityInPast) => "valid_until",
                _ => "scope",
            };
            errors.add(field, ctx.t(r.key()));
        }
        Err(ServiceError::NotFound) => errors.add("partner", ctx.t("quotas.error.partner")),
        Err(e) => return Err(e.into()),
    }
    grant_form_page(ctx, &op, &state, form, errors).await
}
