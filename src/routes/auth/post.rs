use actix_session::Session;
use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::auth::identity::Who;
use crate::domain::Caller;
use crate::error::AppError;
use crate::i18n::{LANG_COOKIE, Lang};
use crate::services::accounts::profile;
use crate::services::accounts::sign_in::{self, Outcome};
use crate::state::AppState;
use crate::views::pages::LoginPage;
use crate::views::{Ctx, FormErrors, local_path, redirect, render_with};

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

/// rule A1, A2: sign in; the same message for unknown accounts and wrong passwords.
pub async fn login(
    ctx: Ctx,
    session: Session,
    state: web::Data<AppState>,
    caller: Caller,
    form: web::Form<LoginForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let mut errors = FormErrors::default();
    if form.email.trim().is_empty() {
        errors.add("email", ctx.t("form.email_required"));
    } else if form.email.len() > 254 {
        errors.add("email", ctx.t("form.email_invalid"));
    }
    if form.password.is_empty() {
        errors.add("password", ctx.t("form.required"));
    } else if form.password.len() > 256 {
        errors.add("password", ctx.t("login.failed"));
    }
    let next = local_path(&form.next).unwrap_or("").to_string();
    let page = |ctx: Ctx, message: String, errors: FormErrors| LoginPage {
        ctx,
        email: form.email.clone(),
        next: next.clone(),
        message,
        errors,
    };
    if !errors.is_empty() {
        return render_with(
            StatusCode::UNPROCESSABLE_ENTITY,
            &page(ctx, String::new(), errors),
        );
    }
    let _permit = state.throttled_attempt().await?;
    match sign_in::sign_in(
        &state.pool,
        &state.settings,
        &caller,
        &form.email,
        &form.password,
    )
    .await?
    {
        Outcome::Unverified(_) => {
            let msg = ctx.t("login.unverified");
            render_with(StatusCode::FORBIDDEN, &page(ctx, msg, errors))
        }
        Outcome::Refused => {
            let msg = ctx.t("login.failed");
            render_with(StatusCode::UNAUTHORIZED, &page(ctx, msg, errors))
        }
        Outcome::Throttled { minutes } => {
            let msg = ctx.tf("login.throttled", &[("minutes", &minutes.to_string())]);
            render_with(StatusCode::TOO_MANY_REQUESTS, &page(ctx, msg, errors))
        }
        Outcome::SignedIn(signed_in) => {
            // A new session id at sign-in, so a session fixed before sign-in is worthless.
            let who = Who::start(&session, &signed_in)?;
            let home = who.audience.home();
            let target = if next == home
                || next.starts_with(&format!("{home}/"))
                || next.starts_with(&format!("{home}?"))
            {
                next.as_str()
            } else {
                home
            };
            Ok(redirect(target))
        }
    }
}

pub async fn logout(
    session: Session,
    state: web::Data<AppState>,
    caller: Caller,
) -> Result<HttpResponse, AppError> {
    crate::routes::run(&state.pool, move |conn| {
        Ok(profile::sign_out(conn, &caller)?)
    })
    .await?;
    session.purge();
    Ok(redirect("/login?signed_out=1"))
}

#[derive(Deserialize)]
pub struct LanguageForm {
    lang: String,
    #[serde(default)]
    back: String,
}

/// rule X4: switch language, remembered in a cookie and, when signed in, on the account.
pub async fn switch_language(
    state: web::Data<AppState>,
    caller: Caller,
    form: web::Form<LanguageForm>,
) -> Result<HttpResponse, AppError> {
    let lang =
        Lang::parse(&form.lang).ok_or_else(|| AppError::BadRequest("unknown language".into()))?;
    crate::routes::run(&state.pool, move |conn| {
        Ok(profile::set_language(conn, &caller, lang)?)
    })
    .await?;
    let cookie = Cookie::build(LANG_COOKIE, lang.code())
        .path("/")
        .max_age(CookieDuration::days(365))
        .same_site(SameSite::Lax)
        .http_only(true)
        .secure(state.settings.secure_cookies)
        .finish();
    let back = local_path(&form.back).unwrap_or("/");
    let mut res = redirect(back);
    res.add_cookie(&cookie)
        .map_err(|e| AppError::internal(e.to_string()))?;
    Ok(res)
}
