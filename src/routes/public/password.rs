//! `/password/forgot` and `/password/reset/{token}`: a new password by mailed single-use
//! link (SPEC §6). The request page answers the same for every address.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::link_problem;
use crate::auth::password::strength_problem;
use crate::domain::{Caller, Email};
use crate::error::AppError;
use crate::services::accounts::links::LinkProblem;
use crate::services::accounts::password_reset;
use crate::services::{Refusal, ServiceError};
use crate::state::AppState;
use crate::views::pages::AccountPage;
use crate::views::{Ctx, flash, redirect, render_with};

pub async fn forgot_form(ctx: Ctx) -> Result<HttpResponse, AppError> {
    render_with(
        StatusCode::OK,
        &AccountPage::new(ctx, "forgot", "account.forgot.title"),
    )
}

#[derive(Deserialize)]
pub struct ForgotForm {
    #[serde(default)]
    email: String,
}

pub async fn forgot(
    ctx: Ctx,
    caller: Caller,
    state: web::Data<AppState>,
    form: web::Form<ForgotForm>,
) -> Result<HttpResponse, AppError> {
    let email = match Email::parse(&form.email) {
        Ok(e) => e,
        Err(e) => {
            let mut page = AccountPage::new(ctx, "forgot", "account.forgot.title");
            page.errors.add("email", page.ctx.t(e.message_key()));
            page.email = form.email.chars().take(254).collect();
            return render_with(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    super::admit(&state, &caller).await?;
    let (address, url) = (
        email.as_str().to_string(),
        state.settings.public_url.clone(),
    );
    crate::routes::transaction(&state.pool, move |conn| {
        Ok(password_reset::request(conn, &caller, &address, &url)?)
    })
    .await?;
    state.mail_wake.notify_one();
    let mut page = AccountPage::new(ctx, "check_mail", "account.check_mail.title");
    page.message = page
        .ctx
        .tf("account.check_mail.reset", &[("email", email.as_str())]);
    render_with(StatusCode::OK, &page)
}

async fn pending(state: &AppState, token: &str) -> Result<Result<String, LinkProblem>, AppError> {
    let t = token.to_string();
    match crate::db::run(&state.pool, move |conn| password_reset::pending(conn, &t)).await {
        Ok(email) => Ok(Ok(email)),
        Err(ServiceError::Refused(Refusal::Link(p))) => Ok(Err(p)),
        Err(e) => Err(e.into()),
    }
}

pub async fn reset_form(
    ctx: Ctx,
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    match pending(&state, &token).await? {
        Err(problem) => link_problem(ctx, problem),
        Ok(email) => {
            let mut page = AccountPage::new(ctx, "reset", "account.reset.title");
            (page.email, page.token) = (email, token);
            render_with(StatusCode::OK, &page)
        }
    }
}

#[derive(Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    password: String,
}

pub async fn reset(
    ctx: Ctx,
    session: Session,
    caller: Caller,
    state: web::Data<AppState>,
    token: web::Path<String>,
    form: web::Form<ResetForm>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let email = match pending(&state, &token).await? {
        Err(problem) => return link_problem(ctx, problem),
        Ok(email) => email,
    };
    if let Some(problem) = strength_problem(&form.password) {
        let mut page = AccountPage::new(ctx, "reset", "account.reset.title");
        (page.email, page.token) = (email, token);
        page.errors.add("password", page.ctx.t(problem));
        return render_with(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    let hash = super::hash_password(&form.password).await?;
    let done = crate::db::transaction(&state.pool, move |conn| {
        password_reset::reset(conn, &caller, &token, &hash)
    })
    .await;
    match done {
        Ok(_) => {
            // Whoever was signed in on this browser starts over with the new password.
            session.purge();
            flash(&session, "success", ctx.t("account.reset.done"));
            Ok(redirect("/login"))
        }
        Err(ServiceError::Refused(Refusal::Link(problem))) => link_problem(ctx, problem),
        Err(e) => Err(e.into()),
    }
}
