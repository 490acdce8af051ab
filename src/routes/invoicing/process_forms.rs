//! The steps of rule B7 posted from an invoice's page: issue (multipart: `number`,
//! `issued_on`, optional `file`), mail (`tracking_number`), reject and return (`reason`).
//! A bad value or a refusal shows the page again with the message beside its field; a step
//! done redirects to the page with a flash. Access (404/403) is the service's.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::NaiveDate;
use serde::Deserialize;

use super::processing::{Place, page};
use super::refusal_or;
use crate::domain::Caller;
use crate::error::AppError;
use crate::routes::upload::{self, UploadError};
use crate::services::billing::BillingRefusal;
use crate::services::invoices::files::{self, Upload};
use crate::services::invoices::process::{self, IssueInput};
use crate::state::AppState;
use crate::views::invoices::processing::Typed;
use crate::views::{Ctx, FormErrors, flash, redirect, render_with};

const UPLOAD: upload::Limits = upload::Limits {
    total_bytes: files::MAX_BYTES + 64 * 1024,
    max_fields: 4,
    field_bytes: files::MAX_BYTES,
};

/// Letters, digits and hyphens, 1 to 40: invoice and tracking numbers.
fn code(s: &str) -> bool {
    let s = s.trim();
    (1..=40).contains(&s.len()) && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

#[allow(clippy::too_many_arguments)]
async fn again(
    ctx: Ctx,
    caller: Caller,
    state: &AppState,
    at: Place,
    id: i64,
    typed: Typed,
    errors: FormErrors,
) -> Result<HttpResponse, AppError> {
    let message = ctx.t("form.fix_errors");
    let mut p = page(ctx, caller, state, at, id).await?;
    p.typed = typed;
    p.errors = errors;
    p.message = message;
    render_with(StatusCode::UNPROCESSABLE_ENTITY, &p)
}

/// 404 outside the caller's scope, 403 for a reader, before any field is looked at.
async fn may_act(caller: &Caller, state: &AppState, id: i64) -> Result<(), AppError> {
    let c = caller.clone();
    crate::routes::run(&state.pool, move |conn| Ok(process::may_act(conn, &c, id)?)).await
}

fn done(session: &Session, ctx: &Ctx, at: Place, id: i64, what: &str) -> HttpResponse {
    let key = format!("invoices.process.done.{what}");
    flash(session, "success", ctx.tf(&key, &[("id", &id.to_string())]));
    redirect(&format!("{}/{id}", at.base))
}

/// rule B7: issues a pending invoice.
#[allow(clippy::too_many_arguments)]
pub async fn issue(
    ctx: Ctx,
    caller: Caller,
    session: Session,
    state: web::Data<AppState>,
    at: Place,
    id: i64,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let mut typed = Typed::default();
    let mut errors = FormErrors::default();
    let mut file = None;
    match upload::read(&req, payload, UPLOAD).await {
        Ok(parts) => {
            for p in parts {
                match p.name.as_str() {
                    "number" => {
                        typed.number = String::from_utf8_lossy(&p.content).trim().to_string()
                    }
                    "issued_on" => {
                        typed.issued_on = String::from_utf8_lossy(&p.content).trim().to_string()
                    }
                    "file" if !p.content.is_empty() => file = Some(Upload { bytes: p.content }),
                    _ => {}
                }
            }
        }
        Err(UploadError::TooLarge | UploadError::FieldTooLarge) => {
            errors.add("file", ctx.t("invoices.file.too_large"))
        }
        Err(_) => errors.add("file", ctx.t("invoices.file.unreadable")),
    }
    may_act(&caller, &state, id).await?;
    if !code(&typed.number) {
        errors.add("number", ctx.t("invoices.process.error.number"));
    }
    let date = NaiveDate::parse_from_str(&typed.issued_on, "%Y-%m-%d").ok();
    if date.is_none() {
        errors.add("issued_on", ctx.t("invoices.process.error.date"));
    }
    if let Some(Err(p)) = file.as_ref().map(files::check) {
        errors.add("file", ctx.t(p.key()));
    }
    let (Some(issued_on), true) = (date, errors.is_empty()) else {
        return again(ctx, caller, &state, at, id, typed, errors).await;
    };
    let input = IssueInput {
        number: typed.number.clone(),
        issued_on,
        file,
    };
    let (c, url) = (caller.clone(), state.settings.public_url.clone());
    let outcome = crate::routes::run(&state.pool, move |conn| {
        refusal_or(process::issue(conn, &c, id, &input, &url))
    })
    .await?;
    match outcome {
        Ok(()) => Ok(done(&session, &ctx, at, id, "issued")),
        Err(r) => {
            let field = if r == BillingRefusal::InvoiceNumberTaken {
                "number"
            } else {
                "issued_on"
            };
            errors.add(field, ctx.t(r.key()));
            again(ctx, caller, &state, at, id, typed, errors).await
        }
    }
}

#[derive(Deserialize)]
pub struct MailForm {
    #[serde(default)]
    tracking_number: String,
}

/// rule B7: mails an issued paper invoice.
#[allow(clippy::too_many_arguments)]
pub async fn mail(
    ctx: Ctx,
    caller: Caller,
    session: Session,
    state: web::Data<AppState>,
    at: Place,
    id: i64,
    form: MailForm,
) -> Result<HttpResponse, AppError> {
    may_act(&caller, &state, id).await?;
    let typed = Typed {
        tracking: form.tracking_number.trim().to_string(),
        ..Typed::default()
    };
    let mut errors = FormErrors::default();
    if !code(&typed.tracking) {
        errors.add("tracking_number", ctx.t("invoices.process.error.tracking"));
        return again(ctx, caller, &state, at, id, typed, errors).await;
    }
    let (c, url, tracking) = (
        caller.clone(),
        state.settings.public_url.clone(),
        typed.tracking.clone(),
    );
    let outcome = crate::routes::run(&state.pool, move |conn| {
        refusal_or(process::mail_paper(conn, &c, id, &tracking, &url))
    })
    .await?;
    match outcome {
        Ok(()) => Ok(done(&session, &ctx, at, id, "mailed")),
        Err(r) => {
            errors.add("tracking_number", ctx.t(r.key()));
            again(ctx, caller, &state, at, id, typed, errors).await
        }
    }
}

#[derive(Deserialize)]
pub struct ReasonForm {
    #[serde(default)]
    reason: String,
}

/// rule B7: rejects a pending invoice (`returning` false) or returns an issued one (退票).
#[allow(clippy::too_many_arguments)]
pub async fn close(
    ctx: Ctx,
    caller: Caller,
    session: Session,
    state: web::Data<AppState>,
    at: Place,
    id: i64,
    form: ReasonForm,
    returning: bool,
) -> Result<HttpResponse, AppError> {
    may_act(&caller, &state, id).await?;
    let typed = Typed {
        reason: form.reason.trim().to_string(),
        ..Typed::default()
    };
    let mut errors = FormErrors::default();
    let n = typed.reason.chars().count();
    if n == 0 || n > 500 {
        errors.add("reason", ctx.t("invoices.process.error.reason"));
        return again(ctx, caller, &state, at, id, typed, errors).await;
    }
    let (c, url, reason) = (
        caller.clone(),
        state.settings.public_url.clone(),
        typed.reason.clone(),
    );
    let outcome = crate::routes::run(&state.pool, move |conn| {
        refusal_or(if returning {
            process::return_invoice(conn, &c, id, &reason, &url)
        } else {
            process::reject(conn, &c, id, &reason, &url)
        })
    })
    .await?;
    match outcome {
        Ok(()) => Ok(done(
            &session,
            &ctx,
            at,
            id,
            if returning { "returned" } else { "rejected" },
        )),
        Err(r) => {
            errors.add("reason", ctx.t(r.key()));
            again(ctx, caller, &state, at, id, typed, errors).await
        }
    }
}
