//! Admin actions on one customer: top up its balance (rule R4) and unassociate it (C6, C9).

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use rust_decimal::Decimal;
use serde::Deserialize;

use crate::auth::Member;
use crate::domain::money::format_amount;
use crate::error::AppError;
use crate::services::customers::top_up::{self, TopUpOutcome};
use crate::services::customers::unassociation::{self as unassoc, Outcome};
use crate::state::AppState;
use crate::views::customers::{TopUpPage, UnassociatePage};
use crate::views::{Ctx, FormErrors, flash, redirect, render, render_with};

pub async fn top_up_form(
    ctx: Ctx,
    member: Member,
    state: web::Data<AppState>,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    member.require_admin()?;
    let id = path.into_inner();
    let top_up::TopUpContext { company, cash } = crate::routes::run(&state.pool, move |conn| {
        Ok(top_up::context(conn, &member.caller, id)?)
    })
    .await?;
    let blank = TopUpForm {
        key: uuid::Uuid::new_v4().to_string(),
        ..TopUpForm::default()
    };
    let page = top_up_page(
        ctx,
        id,
        company,
        cash,
        blank,
        FormErrors::default(),
        String::new(),
    );
    render(&page)
}

#[derive(Deserialize, Default)]
pub struct TopUpForm {
    #[serde(default)]
    amount: String,
    #[serde(default)]
    remark: String,
    #[serde(default)]
    key: String,
}

pub async fn top_up_customer(
    ctx: Ctx,
    member: Member,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<i64>,
    form: web::Form<TopUpForm>,
) -> Result<HttpResponse, AppError> {
    member.require_admin()?;
    let id = path.into_inner();
    let form = form.into_inner();
    let (amount, remark, mut errors) =
        crate::routes::money_form::amount_and_remark(&ctx, &form.amount, &form.remark);
    if !top_up::valid_key(&form.key) {
        return Err(AppError::BadRequest("form key".into()));
    }
    let (key, caller, r) = (form.key.clone(), member.caller.clone(), remark.clone());
    let outcome = match amount {
        Some(a) => Some(
            crate::routes::transaction(&state.pool, move |conn| {
                Ok(top_up::top_up(conn, &caller, id, a, &r, &key)?)
            })
            .await?,
        ),
        None => None,
    };
    let message = match outcome {
        Some(TopUpOutcome::Done { .. }) => {
            flash(&session, "success", ctx.t("customers.top_up.done"));
            return Ok(redirect(&format!("/partner/customers/{id}")));
        }
        Some(TopUpOutcome::NotEnough { available }) => {
            let text = ctx.tf(
                "customers.top_up.not_enough",
                &[("available", &format_amount(available))],
            );
            errors.add("amount", text.clone());
            text
        }
        None => ctx.t("form.fix_errors"),
    };
    let caller = member.caller.clone();
    let top_up::TopUpContext { company, cash } = crate::routes::run(&state.pool, move |conn| {
        Ok(top_up::context(conn, &caller, id)?)
    })
    .await?;
    let form = TopUpForm { remark, ..form };
    let page = top_up_page(ctx, id, company, cash, form, errors, message);
    render_with(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

/// `/partner/customers/{id}/credit`, the top-up's earlier path: 308 Permanent Redirect.
pub async fn moved_to_top_up(path: web::Path<i64>) -> HttpResponse {
    HttpResponse::PermanentRedirect()
        .insert_header((
            actix_web::http::header::LOCATION,
            format!("/partner/customers/{}/top-up", path.into_inner()),
        ))
        .finish()
}

/// The top-up form as the admin left it, beside the organisation's cash.
fn top_up_page(
    ctx: Ctx,
    id: i64,
    company: String,
    cash: Decimal,
    form: TopUpForm,
    errors: FormErrors,
    message: String,
) -> TopUpPage {
    TopUpPage {
        ctx,
        id,
        company,
        cash: format_amount(cash),
        amount: form.amount,
        remark: form.remark,
        key: form.key,
        errors,
        message,
    }
}

async fn unassociate_page(
    ctx: Ctx,
    member: Member,
    state: &AppState,
    id: i64,
    message: String,
) -> Result<UnassociatePage, AppError> {
    let limit = state.settings.unassociation_limit;
    let p = crate::routes::run(&state.pool, move |conn| {
        Ok(unassoc::preview(conn, &member.caller, id, limit)?)
    })
    .await?;
    Ok(UnassociatePage {
        id,
        allowed: p.allowed(),
        company: p.customer.company.clone(),
        manager: p.manager.clone().unwrap_or_default(),
        recoveries: p.recoveries.iter().map(|(k, n)| (ctx.t(k), *n)).collect(),
        used: p.used,
        limit: p.limit,
        message,
        ctx,
    })
}

pub async fn unassociate_form(
    ctx: Ctx,
    member: Member,
    state: web::Data<AppState>,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    member.require_admin()?;
    let page = unassociate_page(ctx, member, &state, path.into_inner(), String::new()).await?;
    render(&page)
}

pub async fn unassociate_customer(
    ctx: Ctx,
    member: Member,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    member.require_admin()?;
    let id = path.into_inner();
    let limit = state.settings.unassociation_limit;
    let m = member.clone();
    let outcome = crate::routes::run(&state.pool, move |conn| {
        Ok(unassoc::unassociate(conn, &m.caller, id, limit)?)
    })
    .await?;
    match outcome {
        Outcome::Done { company } => {
            flash(
                &session,
                "success",
                ctx.tf("customers.unassociate.done", &[("company", &company)]),
            );
            Ok(redirect("/partner/customers"))
        }
        Outcome::LimitReached { used, limit } => {
            let message = ctx.tf(
                "customers.unassociate.limit_reached",
                &[("used", &used.to_string()), ("limit", &limit.to_string())],
            );
            let page = unassociate_page(ctx, member, &state, id, message).await?;
            render_with(StatusCode::CONFLICT, &page)
        }
    }
}
