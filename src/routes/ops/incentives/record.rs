//! `/ops/incentives/new` and `POST /ops/incentives`: the operator records an incentive owed
//! to a partner (rule B8): `partner`, `period` (`YYYY-MM`), `kind`, `amount`, `remark`, and a
//! hidden key. Problems come back beside their fields with the values kept (422).

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::kind_values;
use crate::auth::Operator;
use crate::domain::incentives::{IncentiveKind, Period};
use crate::error::AppError;
use crate::routes::money_form::amount_and_remark;
use crate::services::customers::top_up::valid_key;
use crate::services::incentives::record::{self as svc, NewIncentive};
use crate::services::{Refusal, ServiceError};
use crate::state::AppState;
use crate::views::incentives::choices;
use crate::views::incentives::ops::OpsIncentiveFormPage;
use crate::views::{Ctx, FormErrors, flash, redirect, render_with};

#[derive(Deserialize, Default)]
pub struct RecordForm {
    #[serde(default)]
    partner: String,
    #[serde(default)]
    period: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    remark: String,
    #[serde(default)]
    key: String,
}

impl RecordForm {
    fn parse(&self, ctx: &Ctx) -> Result<NewIncentive, FormErrors> {
        let (amount, remark, mut errors) = amount_and_remark(ctx, &self.amount, &self.remark);
        let partner = self.partner.trim().parse::<i64>().ok().filter(|p| *p > 0);
        if partner.is_none() {
            errors.add("partner", ctx.t("incentives.error.partner"));
        }
        let period = Period::parse(&self.period);
        if period.is_none() {
            errors.add("period", ctx.t("incentives.error.period"));
        }
        let kind = IncentiveKind::parse(&self.kind);
        if kind.is_none() {
            errors.add("kind", ctx.t("incentives.error.kind"));
        }
        match (partner, period, kind, amount) {
            (Some(partner_id), Some(period), Some(kind), Some(amount)) if errors.is_empty() => {
                Ok(NewIncentive {
                    partner_id,
                    period,
                    kind,
                    amount,
                    remark,
                })
            }
            _ => Err(errors),
        }
    }
}

async fn form_page(
    ctx: Ctx,
    op: &Operator,
    state: &AppState,
    form: RecordForm,
    errors: FormErrors,
) -> Result<HttpResponse, AppError> {
    let caller = op.caller.clone();
    let partners =
        crate::routes::run(&state.pool, move |conn| Ok(svc::partners(conn, &caller)?)).await?;
    let (status, message) = if errors.is_empty() {
        (StatusCode::OK, String::new())
    } else {
        (StatusCode::UNPROCESSABLE_ENTITY, ctx.t("form.fix_errors"))
    };
    render_with(
        status,
        &OpsIncentiveFormPage {
            partners,
            kinds: choices(&ctx, "incentives.kind", &kind_values()),
            partner: form.partner,
            period: form.period,
            kind: form.kind,
            amount: form.amount,
            remark: form.remark,
            key: form.key,
            errors,
            message,
            ctx,
        },
    )
}

/// The form, for last month by default, with a fresh key.
pub async fn record_incentive_form(
    ctx: Ctx,
    op: Operator,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let today = crate::services::credit::line::today();
    let last_month = today
        .checked_sub_months(chrono::Months::new(1))
        .unwrap_or(today);
    let form = RecordForm {
        period: Period::of(last_month).label(),
        kind: IncentiveKind::Sales.as_str().to_string(),
        key: uuid::Uuid::new_v4().to_string(),
        ..RecordForm::default()
    };
    form_page(ctx, &op, &state, form, FormErrors::default()).await
}

pub async fn record_incentive(
    ctx: Ctx,
    op: Operator,
    session: Session,
    state: web::Data<AppState>,
    form: web::Form<RecordForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    if !valid_key(&form.key) {
        return Err(AppError::BadRequest("form key".into()));
    }
    let new = match form.parse(&ctx) {
        Ok(new) => new,
        Err(errors) => return form_page(ctx, &op, &state, form, errors).await,
    };
    let (caller, key) = (op.caller.clone(), form.key.clone());
    let outcome = crate::routes::transaction(&state.pool, move |conn| {
        Ok(svc::record(conn, &caller, &new, &key))
    })
    .await?;
    let mut errors = FormErrors::default();
    match outcome {
        Ok(_) => {
            flash(&session, "success", ctx.t("incentives.ops.recorded"));
            return Ok(redirect("/ops/incentives"));
        }
        Err(ServiceError::Refused(Refusal::Incentive(r))) => errors.add(r.field(), ctx.t(r.key())),
        Err(ServiceError::NotFound) => errors.add("partner", ctx.t("incentives.error.partner")),
        Err(e) => return Err(e.into()),
    }
    form_page(ctx, &op, &state, form, errors).await
}
