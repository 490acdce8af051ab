//! `/invitations/{token}` (rule C2): one page per outcome; registration or sign-in and confirm.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::auth::identity::Who;
use crate::domain::{Caller, UserId};
use crate::error::AppError;
use crate::services::accounts::sign_in::{self, Outcome};
use crate::services::accounts::signup::RegistrationForm;
use crate::services::invitations::accept::{self, Invitee, Open, Stop};
use crate::services::invitations::expiry_text;
use crate::services::{Refusal, ServiceError};
use crate::state::AppState;
use crate::views::invitations::InvitationLandingPage;
use crate::views::{Ctx, FormErrors, redirect, render_with};

/// The landing page for `token` in `mode`, with an empty form and no message.
fn landing(
    ctx: Ctx,
    mode: &'static str,
    token: &str,
    open: Option<&Open>,
) -> InvitationLandingPage {
    InvitationLandingPage {
        mode,
        problem: "",
        token: token.to_string(),
        kind: open.map_or("customer", |o| o.kind.as_str()).to_string(),
        partner: open.map(|o| o.partner.clone()).unwrap_or_default(),
        association_type: open
            .map(|o| o.association_type.as_str().to_string())
            .unwrap_or_default(),
        expires: open.map(|o| expiry_text(o.expires_at)).unwrap_or_default(),
        email: open.map(|o| o.email.clone()).unwrap_or_default(),
        form: RegistrationForm::default(),
        errors: FormErrors::default(),
        message: String::new(),
        ctx,
    }
}

/// The landing page with the registration form prefilled: a reseller's name is the one the
/// distributor invited (rule R1).
fn register_page(ctx: Ctx, token: &str, open: &Open) -> InvitationLandingPage {
    let mut page = landing(ctx, "register", token, Some(open));
    if open.kind == crate::domain::InvitationKind::Reseller {
        page.form.company = open.company.clone();
    }
    page
}

/// Where the new session starts: the fee center for a customer, the partner area for the
/// admin of a new reseller (rule R1).
fn home_of(who: &crate::domain::SignedIn) -> &'static str {
    match who.audience {
        crate::domain::Audience::Partner => "/partner",
        _ => "/fee-center",
    }
}

fn problem(ctx: Ctx, stop: Stop) -> Result<HttpResponse, AppError> {
    let mut page = landing(ctx, "problem", "", None);
    page.problem = stop.key();
    let status = match stop {
        Stop::Unknown => StatusCode::NOT_FOUND,
        Stop::Superseded | Stop::Expired | Stop::Revoked => StatusCode::GONE,
        Stop::WrongAddress => StatusCode::FORBIDDEN,
        _ => StatusCode::CONFLICT,
    };
    render_with(status, &page)
}

/// A customer already signed in as the invited account only needs to confirm.
fn signed_in_as(ctx: &Ctx, invitee: &Invitee) -> bool {
    invitee
        .user_id()
        .is_some_and(|u| ctx.who.as_ref().is_some_and(|w| w.user_id == u))
}

fn mode_of(ctx: &Ctx, invitee: &Invitee) -> &'static str {
    match invitee {
        Invitee::New => "register",
        _ if signed_in_as(ctx, invitee) => "confirm",
        _ => "sign_in",
    }
}

/// The invitation behind `token`, or why it cannot be used.
async fn look_up(state: &AppState, token: &str) -> Result<Result<(Open, Invitee), Stop>, AppError> {
    let token = token.to_string();
    let found = crate::db::run(&state.pool, move |conn| accept::open(conn, &token, false)).await;
    settle(found)
}

/// Splits a use case's answer into what it did, why the link cannot be used, or a failure.
fn settle<T>(result: Result<T, ServiceError>) -> Result<Result<T, Stop>, AppError> {
    match result {
        Ok(v) => Ok(Ok(v)),
        Err(ServiceError::Refused(Refusal::Invitation(stop))) => Ok(Err(stop)),
        Err(e) => Err(e.into()),
    }
}

pub async fn open_invitation(
    ctx: Ctx,
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    match look_up(&state, &token).await? {
        Err(stop) => problem(ctx, stop),
        Ok((open, invitee)) => {
            let mode = mode_of(&ctx, &invitee);
            if mode == "confirm" {
                // Signed in as the invited address: now the account's own problems show (C2).
                let (o, i) = (open.clone(), invitee.clone());
                let found = crate::db::run(&state.pool, move |conn| {
                    accept::account_problem(conn, &o, &i)
                })
                .await?;
                if let Some(stop) = found {
                    return problem(ctx, stop);
                }
            }
            if mode == "register" {
                return render_with(StatusCode::OK, &register_page(ctx, &token, &open));
            }
            render_with(StatusCode::OK, &landing(ctx, mode, &token, Some(&open)))
        }
    }
}

/// A new customer registers; the account takes the invited address (rule C1 binding).
pub async fn register_from_invitation(
    ctx: Ctx,
    session: Session,
    caller: Caller,
    state: web::Data<AppState>,
    token: web::Path<String>,
    form: web::Form<RegistrationForm>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let form = form.into_inner();
    let (open, invitee) = match look_up(&state, &token).await? {
        Err(stop) => return problem(ctx, stop),
        Ok(v) => v,
    };
    if invitee != Invitee::New {
        return problem(ctx, Stop::WrongAddress);
    }
    let errors = form.check(ctx.lang);
    if !errors.is_empty() {
        let mut page = landing(ctx, "register", &token, Some(&open));
        page.form = form;
        page.errors = errors;
        return render_with(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    super::admit(&state, &caller).await?;
    let hash = super::hash_password(&form.password).await?;
    let result = crate::db::transaction(&state.pool, move |conn| {
        accept::register(conn, &token, &form, &hash, &caller)
    })
    .await;
    match result {
        Ok(who) => {
            Who::start(&session, &who)?;
            Ok(redirect(home_of(&who)))
        }
        Err(ServiceError::Refused(Refusal::Invitation(stop))) => problem(ctx, stop),
        // The same address registered a moment ago by a concurrent request.
        Err(ServiceError::Refused(Refusal::AddressTaken)) => problem(ctx, Stop::Used),
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct ConfirmForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

/// An existing unassociated customer signs in with the invited address and confirms.
pub async fn confirm_invitation(
    ctx: Ctx,
    session: Session,
    caller: Caller,
    state: web::Data<AppState>,
    token: web::Path<String>,
    form: web::Form<ConfirmForm>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let form = form.into_inner();
    let (open, invitee) = match look_up(&state, &token).await? {
        Err(stop) => return problem(ctx, stop),
        Ok(v) => v,
    };
    if invitee == Invitee::New {
        return problem(ctx, Stop::WrongAddress);
    }
    let user_id = invitee.user_id().unwrap_or(0);
    if signed_in_as(&ctx, &invitee) {
        return accept_as(ctx, session, caller, &state, token, user_id).await;
    }
    // rule C1: the link is bound to the invited address.
    if !form.email.trim().eq_ignore_ascii_case(open.email.trim()) {
        return problem(ctx, Stop::WrongAddress);
    }
    // The login page's check: the same throttles and audit rows (rules A1, A2).
    let outcome = sign_in::sign_in(
        &state.pool,
        &state.settings,
        &caller,
        &open.email,
        &form.password,
    )
    .await?;
    let (status, message) = match outcome {
        Outcome::SignedIn(who) if who.user_id == UserId(user_id) => {
            return accept_as(ctx, session, caller, &state, token, user_id).await;
        }
        Outcome::SignedIn(_) => return problem(ctx, Stop::WrongAddress),
        Outcome::Throttled { minutes } => (
            StatusCode::TOO_MANY_REQUESTS,
            ctx.tf("login.throttled", &[("minutes", &minutes.to_string())]),
        ),
        Outcome::Refused => (StatusCode::UNAUTHORIZED, ctx.t("login.failed")),
        Outcome::Unverified(_) => (StatusCode::FORBIDDEN, ctx.t("login.unverified")),
    };
    let mut page = landing(ctx, "sign_in", &token, Some(&open));
    page.message = message;
    render_with(status, &page)
}

/// Associates the (authenticated) invited customer and starts its session.
async fn accept_as(
    ctx: Ctx,
    session: Session,
    caller: Caller,
    state: &AppState,
    token: String,
    user_id: i64,
) -> Result<HttpResponse, AppError> {
    let result = crate::db::transaction(&state.pool, move |conn| {
        accept::confirm(conn, &token, user_id, &caller)
    })
    .await;
    match settle(result)? {
        Ok(who) => {
            Who::start(&session, &who)?;
            Ok(redirect(home_of(&who)))
        }
        Err(stop) => problem(ctx, stop),
    }
}
