//! `/invitations/{token}` (rule C2): one page per outcome; registration or sign-in and confirm.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use diesel::prelude::*;
use serde::Deserialize;

use crate::audit::Actor;
use crate::auth::{password, throttle};
use crate::db::schema::users;
use crate::error::AppError;
use crate::services::invitations::accept::{self, Invitee, Open, Stop};
use crate::services::invitations::expiry_text;
use crate::services::signup::{self, RegistrationForm};
use crate::startup::AppState;
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

fn problem(ctx: Ctx, stop: Stop) -> Result<HttpResponse, AppError> {
    let mut page = landing(ctx, "problem", "", None);
    page.problem = stop.key();
    render_with(stop.status(), &page)
}

/// A customer already signed in as the invited account only needs to confirm.
fn signed_in_as(ctx: &Ctx, invitee: &Invitee) -> bool {
    matches!(invitee, Invitee::Customer { user_id, .. }
        if ctx.who.as_ref().is_some_and(|w| w.user_id == *user_id))
}

fn mode_of(ctx: &Ctx, invitee: &Invitee) -> &'static str {
    match invitee {
        Invitee::New => "register",
        Invitee::Customer { .. } if signed_in_as(ctx, invitee) => "confirm",
        Invitee::Customer { .. } => "sign_in",
    }
}

async fn look_up(state: &AppState, token: &str) -> Result<Result<(Open, Invitee), Stop>, AppError> {
    let token = token.to_string();
    crate::db::run(&state.pool, move |conn| accept::open(conn, &token, false)).await
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
            render_with(StatusCode::OK, &landing(ctx, mode, &token, Some(&open)))
        }
    }
}

/// A new customer registers; the account takes the invited address (rule C1 binding).
pub async fn register_from_invitation(
    ctx: Ctx,
    session: Session,
    actor: Actor,
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
    let hash = super::hash_password(&form.password).await?;
    let result = crate::db::transaction(&state.pool, move |conn| {
        accept::register(conn, &token, &form, &hash, &actor)
    })
    .await;
    match result {
        Ok(Ok(who)) => {
            signup::start_session(&session, &who)?;
            Ok(redirect("/fee-center"))
        }
        Ok(Err(stop)) => problem(ctx, stop),
        // The same address registered a moment ago by a concurrent request.
        Err(AppError::Conflict(_)) => problem(ctx, Stop::Used),
        Err(e) => Err(e),
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
    actor: Actor,
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
    let Invitee::Customer { user_id, .. } = invitee else {
        return problem(ctx, Stop::WrongAddress);
    };
    if signed_in_as(&ctx, &invitee) {
        return accept_as(ctx, session, actor, &state, token, user_id).await;
    }
    // rule C1: the link is bound to the invited address.
    if !form.email.trim().eq_ignore_ascii_case(open.email.trim()) {
        return problem(ctx, Stop::WrongAddress);
    }
    let key = open.email.trim().to_lowercase();
    let (limit, window) = (
        state.settings.login_account_limit,
        state.settings.login_window,
    );
    let k = key.clone();
    let (blocked, stored) = crate::db::run(&state.pool, move |conn| {
        let blocked = throttle::blocked_for(conn, throttle::SIGN_IN_ACCOUNT, &k, limit, window)?;
        let stored: String = users::table
            .find(user_id)
            .select(users::password_hash)
            .first(conn)?;
        Ok((blocked, stored))
    })
    .await?;
    let pass = form.password.chars().take(256).collect::<String>();
    let ok = web::block(move || password::verify(&pass, Some(&stored)))
        .await
        .map_err(|e| AppError::internal(e.to_string()))?;
    if blocked.is_some() || !ok {
        let (status, message) = match blocked {
            Some(wait) => (
                StatusCode::TOO_MANY_REQUESTS,
                ctx.tf(
                    "login.throttled",
                    &[("minutes", &throttle::minutes_ceil(wait).to_string())],
                ),
            ),
            None => {
                crate::db::run(&state.pool, move |conn| {
                    throttle::record(conn, throttle::SIGN_IN_ACCOUNT, &key)?;
                    Ok(())
                })
                .await?;
                (StatusCode::UNAUTHORIZED, ctx.t("login.failed"))
            }
        };
        let mut page = landing(ctx, "sign_in", &token, Some(&open));
        page.message = message;
        return render_with(status, &page);
    }
    accept_as(ctx, session, actor, &state, token, user_id).await
}

/// Associates the (authenticated) invited customer and starts its session.
async fn accept_as(
    ctx: Ctx,
    session: Session,
    actor: Actor,
    state: &AppState,
    token: String,
    user_id: i64,
) -> Result<HttpResponse, AppError> {
    let result = crate::db::transaction(&state.pool, move |conn| {
        accept::confirm(conn, &token, user_id, &actor)
    })
    .await?;
    match result {
        Ok(who) => {
            signup::start_session(&session, &who)?;
            Ok(redirect("/fee-center"))
        }
        Err(stop) => problem(ctx, stop),
    }
}
