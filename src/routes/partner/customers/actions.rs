//! Admin actions on one customer: credit its account (rule R4) and unassociate it (C6, C9).

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use rust_decimal::Decimal;
use serde::Deserialize;

use crate::auth::Member;
use crate::domain::Money;
use crate::domain::money::format_amount;
use crate::error::AppError;
use crate::services::customers::detail::visible;
use crate::services::customers::top_up::{self as credit, CreditOutcome, REMARK_MAX};
use crate::services::customers::unassociation::{self as unassoc, Outcome};
use crate::state::AppState;
use crate::views::customers::{CreditPage, UnassociatePage};
use crate::views::{Ctx, FormErrors, flash, redirect, render, render_with};

pub async fn credit_form(
    ctx: Ctx,
    member: Member,
    state: web::Data<AppState>,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    member.require_admin()?;
    let id = path.into_inner();
    let (company, cash) = crate::routes::run(&state.pool, move |conn| {
        let company = visible(conn, &member, id)?.company;
        Ok((company, credit::partner_cash(conn, member.org_id)?))
    })
    .await?;
    let blank = CreditForm {
        key: uuid::Uuid::new_v4().to_string(),
        ..CreditForm::default()
    };
    let page = credit_page(
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
pub struct CreditForm {
    #[serde(default)]
    amount: String,
    #[serde(default)]
    remark: String,
    #[serde(default)]
    key: String,
}

pub async fn credit_customer(
    ctx: Ctx,
    member: Member,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<i64>,
    form: web::Form<CreditForm>,
) -> Result<HttpResponse, AppError> {
    member.require_admin()?;
    let id = path.into_inner();
    let form = form.into_inner();
    let mut errors = FormErrors::default();
    let amount = match Money::parse_positive(&form.amount) {
        Ok(a) => Some(a),
        Err(e) => {
            errors.add("amount", ctx.t(e.message_key()));
            None
        }
    };
    let remark = form.remark.trim().to_string();
    if remark.chars().count() > REMARK_MAX {
        errors.add(
            "remark",
            ctx.tf("form.too_long_n", &[("max", &REMARK_MAX.to_string())]),
        );
    }
    if !credit::valid_key(&form.key) {
        return Err(AppError::BadRequest("form key".into()));
    }
    let key = form.key.clone();
    let (m, r) = (member.clone(), remark.clone());
    let valid = errors.is_empty();
    let (company, cash, outcome) = crate::routes::transaction(&state.pool, move |conn| {
        let company = visible(conn, &m, id)?.company;
        let outcome = match amount.filter(|_| valid) {
            Some(a) => Some(credit::credit(conn, &m.caller, id, a, &r, &key)?),
            None => None,
        };
        Ok((company, credit::partner_cash(conn, m.org_id)?, outcome))
    })
    .await?;
    let message = match outcome {
        Some(CreditOutcome::Done { .. }) => {
            flash(&session, "success", ctx.t("customers.credit.done"));
            return Ok(redirect(&format!("/partner/customers/{id}")));
        }
        Some(CreditOutcome::NotEnough { available }) => {
            let text = ctx.tf(
                "customers.credit.not_enough",
                &[("available", &format_amount(available))],
            );
            errors.add("amount", text.clone());
            text
        }
        None => ctx.t("form.fix_errors"),
    };
    let form = CreditForm { remark, ..form };
    let page = credit_page(ctx, id, company, cash, form, errors, message);
    render_with(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

/// The credit form as the admin left it, beside the organisation's cash.
fn credit_page(
    ctx: Ctx,
    id: i64,
    company: String,
    cash: Decimal,
    form: CreditForm,
    errors: FormErrors,
    message: String,
) -> CreditPage {
    CreditPage {
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
    let m = member.clone();
    let (p, manager) = crate::routes::run(&state.pool, move |conn| {
        let p = unassoc::preview(conn, &m, id, limit)?;
        let manager = match p.customer.manager_id {
            Some(mid) => crate::services::customers::list::org_managers(conn, m.org_id)?
                .into_iter()
                .find(|x| x.0 == mid)
                .map(|x| x.1),
            None => None,
        };
        Ok((p, manager))
    })
    .await?;
    Ok(UnassociatePage {
        id,
        allowed: p.allowed(),
        company: p.customer.company.clone(),
        manager: manager.unwrap_or_default(),
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
