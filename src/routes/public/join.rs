//! `/join/{code}` (rule C7): the public page behind a partner's QR code. A new customer
//! registers, confirms the address through the mailed `/join/verify/{token}` link with the
//! password it chose, and is then associated with the partner; a voided code says so.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::link_problem;
use crate::auth::identity::Who;
use crate::domain::{Caller, Email};
use crate::error::AppError;
use crate::services::accounts::join as joins;
use crate::services::accounts::sign_in::{self, Outcome};
use crate::services::accounts::signup::RegistrationForm;
use crate::services::expansion;
use crate::services::{Refusal, ServiceError};
use crate::state::AppState;
use crate::views::invitations::JoinPage;
use crate::views::pages::AccountPage;
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
    super::admit(&state, &caller).await?;
    let hash = super::hash_password(&form.password).await?;
    let (f, lang, code) = (form.clone(), ctx.lang, code.clone());
    let url = state.settings.public_url.clone();
    let address = email.as_str().to_string();
    let done = crate::db::transaction(&state.pool, move |conn| {
        joins::register(conn, &caller, &code, &f, &email, &hash, lang, &url)
    })
    .await;
    match done {
        // A concurrent registration of the same address answers like any other (rule C7).
        Ok(()) | Err(ServiceError::Refused(Refusal::AddressTaken)) => {
            state.mail_wake.notify_one();
            let mut page = AccountPage::new(ctx, "check_mail", "account.check_mail.title");
            page.message = page
                .ctx
                .tf("account.check_mail.join", &[("email", &address)]);
            render_with(StatusCode::OK, &page)
        }
        Err(e) => Err(e.into()),
    }
}

/// Shows the confirmation form of a join (rule C7), or why the link cannot be used.
pub async fn verify_form(
    ctx: Ctx,
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let t = token.clone();
    match crate::db::run(&state.pool, move |conn| joins::pending(conn, &t)).await {
        Ok(p) => {
            let mut page = AccountPage::new(ctx, "verify", "account.verify.title");
            (page.email, page.partner, page.token) = (p.email, p.partner, token);
            render_with(StatusCode::OK, &page)
        }
        Err(ServiceError::Refused(Refusal::Link(problem))) => link_problem(ctx, problem),
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct VerifyForm {
    #[serde(default)]
    password: String,
}

/// Completes a join: the link proves the address, the password chosen at registration proves
/// it is the same person (checked like any sign-in, rules A1, A2).
pub async fn verify(
    ctx: Ctx,
    session: Session,
    caller: Caller,
    state: web::Data<AppState>,
    token: web::Path<String>,
    form: web::Form<VerifyForm>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let t = token.clone();
    let pending = match crate::db::run(&state.pool, move |conn| joins::pending(conn, &t)).await {
        Ok(p) => p,
        Err(ServiceError::Refused(Refusal::Link(problem))) => return link_problem(ctx, problem),
        Err(e) => return Err(e.into()),
    };
    let outcome = sign_in::sign_in(
        &state.pool,
        &state.settings,
        &caller,
        &pending.email,
        &form.password,
    )
    .await?;
    let message = match outcome {
        Outcome::Unverified(user_id) if user_id == pending.user_id => {
            let done = crate::db::transaction(&state.pool, move |conn| {
                joins::confirm(conn, &caller, &token, user_id)
            })
            .await;
            return match done {
                Ok(who) => {
                    Who::start(&session, &who)?;
                    Ok(redirect("/fee-center"))
                }
                Err(ServiceError::Refused(Refusal::Link(problem))) => link_problem(ctx, problem),
                Err(e) => Err(e.into()),
            };
        }
        // Confirmed already (a second tab): signing in is enough.
        Outcome::SignedIn(who) if who.user_id == pending.user_id => {
            Who::start(&session, &who)?;
            return Ok(redirect("/fee-center"));
        }
        Outcome::Throttled { minutes } => (
            StatusCode::TOO_MANY_REQUESTS,
            ctx.tf("login.throttled", &[("minutes", &minutes.to_string())]),
        ),
        _ => (StatusCode::UNAUTHORIZED, ctx.t("login.failed")),
    };
    let mut page = AccountPage::new(ctx, "verify", "account.verify.title");
    (page.email, page.partner, page.token) = (pending.email, pending.partner, token);
    page.message = message.1;
    render_with(message.0, &page)
}
