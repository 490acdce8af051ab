//! `/join/{code}` (rule C7): the public page behind a partner's QR code. A new customer
//! registers and is associated with the partner at once; a voided code says so.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

use crate::auth::identity::Who;
use crate::domain::{Caller, Email};
use crate::error::AppError;
use crate::services::accounts::signup::RegistrationForm;
use crate::services::expansion;
use crate::services::{Refusal, ServiceError};
use crate::state::AppState;
use crate::views::invitations::JoinPage;
use crate::views::{Ctx, FormErrors, redirect, render_with};

/// The join page for `code`, with an empty form; without a partner the code is not usable.
fn join_page(ctx: Ctx, code: String, partner: Option<String>) -> JoinPage {
    JoinPage {
        ctx,
        valid: partner.is_some(),
        code,
        partner: partner.unwrap_or_default(),
        form: RegistrationForm::default(),
        errors: FormErrors::default(),
        message: String::new(),
    }
}

fn invalid(ctx: Ctx, code: String, status: StatusCode) -> Result<HttpResponse, AppError> {
    render_with(status, &join_page(ctx, code, None))
}

async fn resolve(state: &AppState, code: &str) -> Result<Option<(i64, String, bool)>, AppError> {
    let code = code.to_string();
    crate::routes::run(&state.pool, move |conn| {
        Ok(expansion::resolve(conn, &code)?)
    })
    .await
}

pub async fn join_form(
    ctx: Ctx,
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let code = code.into_inner();
    match resolve(&state, &code).await? {
        None => invalid(ctx, code, StatusCode::NOT_FOUND),
        Some((_, _, false)) => invalid(ctx, code, StatusCode::GONE),
        Some((_, partner, true)) => {
            render_with(StatusCode::OK, &join_page(ctx, code, Some(partner)))
        }
    }
}

pub async fn join(
    ctx: Ctx,
    session: Session,
    caller: Caller,
    state: web::Data<AppState>,
    code: web::Path<String>,
    form: web::Form<RegistrationForm>,
) -> Result<HttpResponse, AppError> {
    let code = code.into_inner();
    let mut form = form.into_inner();
    let (_partner_id, partner) = match resolve(&state, &code).await? {
        None => return invalid(ctx, code, StatusCode::NOT_FOUND),
        Some((_, _, false)) => return invalid(ctx, code, StatusCode::GONE),
        Some((id, name, true)) => (id, name),
    };
    let mut errors = form.check(ctx.lang);
    let email = Email::parse(&form.email);
    if let Err(e) = &email {
        errors.add("email", ctx.t(e.message_key()));
    }
    let page = |ctx: Ctx, form: RegistrationForm, errors: FormErrors, status| {
        let mut page = join_page(ctx, code.clone(), Some(partner.clone()));
        page.form = form;
        page.errors = errors;
        render_with(status, &page)
    };
    let email = match email {
        Ok(e) if errors.is_empty() => e,
        _ => return page(ctx, form, errors, StatusCode::UNPROCESSABLE_ENTITY),
    };
    form.email = email.as_str().to_string();
    let hash = super::hash_password(&form.password).await?;
    let (f, lang, c) = (form.clone(), ctx.lang, code.clone());
    let created = crate::db::transaction(&state.pool, move |conn| {
        expansion::join(conn, &caller, &c, &f, &email, &hash, lang)
    })
    .await;
    match created {
        Ok(signed_in) => {
            Who::start(&session, &signed_in)?;
            Ok(redirect("/fee-center"))
        }
        Err(ServiceError::Refused(refusal @ Refusal::AddressTaken)) => {
            let mut errors = FormErrors::default();
            errors.add("email", ctx.t(refusal.key()));
            page(ctx, form, errors, StatusCode::CONFLICT)
        }
        Err(e) => Err(e.into()),
    }
}
