//! `/fee-center/invoices/new` → `/fee-center/invoices/preview` → POST `/fee-center/invoices`
//! (rules B4–B7; SPEC §5 names `amount`, `title_id`): the form (issuer, title, medium, a
//! specified amount or picked items), the match shown before submitting (B6), and the
//! confirmation with its idempotency key and the match's fingerprint. Problems sit beside
//! their fields with the values kept; a malformed id is 404.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::form::{Fields, fields, input_of};
use super::pages::{form_page, preview_page};
use crate::auth::CustomerUser;
use crate::error::AppError;
use crate::routes::invoicing::refusal_or;
use crate::services::billing::BillingRefusal;
use crate::services::customers::top_up::valid_key;
use crate::services::invoices::request as svc;
use crate::state::AppState;
use crate::views::{Ctx, FormErrors, flash, redirect, render, render_with};

/// Which field a refusal belongs beside.
fn field_of(r: BillingRefusal) -> &'static str {
    match r {
        BillingRefusal::AmountOverInvoiceable | BillingRefusal::AmountBelowRefunds => "amount",
        BillingRefusal::PaperNeedsAddress => "medium",
        _ => "item_id",
    }
}

#[derive(Deserialize)]
pub struct FormQuery {
    issuer: Option<String>,
}

/// The blank form (`?issuer=` picks the issuer; default the customer's own, B7).
pub async fn request_form(
    ctx: Ctx,
    user: CustomerUser,
    state: web::Data<AppState>,
    query: web::Query<FormQuery>,
) -> Result<HttpResponse, AppError> {
    let f = Fields {
        issuer: query.into_inner().issuer.unwrap_or_default(),
        ..Fields::default()
    };
    render(&form_page(ctx, &user, &state, f, FormErrors::default()).await?)
}

/// The form again with what was typed ("change the request" from the match).
pub async fn change_request(
    ctx: Ctx,
    user: CustomerUser,
    state: web::Data<AppState>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let f = fields(form.into_inner())?;
    render(&form_page(ctx, &user, &state, f, FormErrors::default()).await?)
}

async fn show_preview(
    ctx: Ctx,
    user: &CustomerUser,
    state: &AppState,
    f: Fields,
    message: String,
) -> Result<HttpResponse, AppError> {
    let input = match input_of(&ctx, &f) {
        Ok(input) => input,
        Err(errors) => {
            let page = form_page(ctx, user, state, f, errors).await?;
            return render_with(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    let (caller, i) = (user.caller.clone(), input.clone());
    let outcome = crate::routes::run(&state.pool, move |conn| {
        let preview = refusal_or(svc::preview(conn, &caller, &i))?;
        let issuer = match preview.as_ref().ok().and_then(|p| p.issuer) {
            Some(org) => Some(crate::services::invoices::items::issuer_name(conn, org)?),
            None => None,
        };
        Ok(preview.map(|p| (p, issuer)))
    })
    .await?;
    match outcome {
        Ok((p, issuer)) => {
            let label = issuer.unwrap_or_else(|| ctx.t("invoices.issuer.platform_label"));
            let status = if message.is_empty() {
                StatusCode::OK
            } else {
                StatusCode::CONFLICT
            };
            let mut page = preview_page(ctx, &f, &input, p, message);
            page.issuer_label = label;
            render_with(status, &page)
        }
        Err(r) => {
            let mut errors = FormErrors::default();
            errors.add(field_of(r), ctx.t(r.key()));
            let page = form_page(ctx, user, state, f, errors).await?;
            render_with(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
    }
}

/// rule B6: the match the request would make; nothing is written.
pub async fn preview_request(
    ctx: Ctx,
    user: CustomerUser,
    state: web::Data<AppState>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let f = fields(form.into_inner())?;
    show_preview(ctx, &user, &state, f, String::new()).await
}

/// rules B5–B7: sends the request shown; a double submit finds the request it made. When the
/// items changed since the match was shown, the new match is shown instead.
pub async fn submit_request(
    ctx: Ctx,
    user: CustomerUser,
    session: Session,
    state: web::Data<AppState>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let f = fields(form.into_inner())?;
    if !valid_key(&f.key) {
        return Err(AppError::BadRequest("form key".into()));
    }
    let input = match input_of(&ctx, &f) {
        Ok(input) => input,
        Err(errors) => {
            let page = form_page(ctx, &user, &state, f, errors).await?;
            return render_with(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    let (caller, url, i) = (
        user.caller.clone(),
        state.settings.public_url.clone(),
        input.clone(),
    );
    let (seen, key) = (f.fingerprint.clone(), f.key.clone());
    let outcome = crate::routes::run(&state.pool, move |conn| {
        refusal_or(svc::submit(conn, &caller, &i, &seen, &key, &url))
    })
    .await?;
    match outcome {
        Ok(done) => {
            if done.fresh {
                let n = done.invoices.to_string();
                flash(
                    &session,
                    "success",
                    ctx.tf("invoices.request.submitted", &[("n", &n)]),
                );
            }
            Ok(redirect(&format!(
                "/fee-center/invoices/{}",
                done.request_id
            )))
        }
        Err(r @ BillingRefusal::MatchChanged) => {
            let message = ctx.t(r.key());
            show_preview(ctx, &user, &state, f, message).await
        }
        Err(r) => {
            let mut errors = FormErrors::default();
            errors.add(field_of(r), ctx.t(r.key()));
            let page = form_page(ctx, &user, &state, f, errors).await?;
            render_with(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
    }
}
