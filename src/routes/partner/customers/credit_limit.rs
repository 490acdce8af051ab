//! `/partner/customers/{id}/credit-limit`: an admin sets a resale customer's credit limit
//! (field `credit_limit`, SPEC §5/§6). A limit below the credit already used is refused beside
//! the field with the form kept; a customer that is not resale gets the page's refusal.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::auth::Member;
use crate::domain::Money;
use crate::domain::money::MoneyError;
use crate::error::AppError;
use crate::services::credit::limit::{self, LimitContext};
use crate::services::{Refusal, ServiceError};
use crate::state::AppState;
use crate::views::credit::CreditLimitPage;
use crate::views::{Ctx, FormErrors, flash, redirect, render, render_with};

#[derive(Deserialize, Default)]
pub struct LimitForm {
    #[serde(default)]
    credit_limit: String,
}

async fn page(
    ctx: Ctx,
    member: &Member,
    state: &AppState,
    id: i64,
    credit_limit: Option<String>,
    errors: FormErrors,
    message: String,
) -> Result<CreditLimitPage, AppError> {
    let caller = member.caller.clone();
    let LimitContext {
        company,
        resale,
        line,
    } = crate::routes::run(&state.pool, move |conn| {
        Ok(limit::context(conn, &caller, id)?)
    })
    .await?;
    let message = if resale || !message.is_empty() {
        message
    } else {
        ctx.t("credit.refused.not_resale")
    };
    Ok(CreditLimitPage {
        id,
        company,
        resale,
        credit_limit: credit_limit.unwrap_or_else(|| line.limit.round_dp(2).to_string()),
        facts: line.into(),
        errors,
        message,
        ctx,
    })
}

pub async fn credit_limit_form(
    ctx: Ctx,
    member: Member,
    state: web::Data<AppState>,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    member.require_admin()?;
    let id = path.into_inner();
    let page = page(
        ctx,
        &member,
        &state,
        id,
        None,
        FormErrors::default(),
        String::new(),
    )
    .await?;
    render(&page)
}

/// The message beside the field for a malformed limit (a limit may be 0, never negative).
fn limit_error(e: MoneyError) -> &'static str {
    match e {
        MoneyError::NotPositive => "credit.limit.negative",
        other => other.message_key(),
    }
}

pub async fn set_credit_limit(
    ctx: Ctx,
    member: Member,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<i64>,
    form: web::Form<LimitForm>,
) -> Result<HttpResponse, AppError> {
    member.require_admin()?;
    let id = path.into_inner();
    let typed = form.into_inner().credit_limit;
    let mut errors = FormErrors::default();
    let (status, message) = match Money::parse_non_negative(&typed) {
        Err(e) => {
            errors.add("credit_limit", ctx.t(limit_error(e)));
            (StatusCode::UNPROCESSABLE_ENTITY, ctx.t("form.fix_errors"))
        }
        Ok(value) => {
            let caller = member.caller.clone();
            let outcome = crate::routes::transaction(&state.pool, move |conn| {
                Ok(limit::set_limit(conn, &caller, id, value).map(|_| ()))
            })
            .await?;
            match outcome {
                Ok(()) => {
                    flash(&session, "success", ctx.t("credit.limit.done"));
                    return Ok(redirect(&format!("/partner/customers/{id}")));
                }
                Err(ServiceError::Refused(Refusal::Credit(r))) => {
                    let text = ctx.t(r.key());
                    errors.add("credit_limit", text.clone());
                    (StatusCode::CONFLICT, text)
                }
                Err(e) => return Err(e.into()),
            }
        }
    };
    let page = page(ctx, &member, &state, id, Some(typed), errors, message).await?;
    render_with(status, &page)
}
