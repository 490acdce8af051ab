//! `/partner/coupons/bulk`: bulk issue from a CSV file (rule K2; SPEC §6 "CSV files"):
//! upload → dry-run preview (kept server-side) → issue all rows or none → rejected-row report.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::bulk_preview::preview_page;
use crate::auth::Member;
use crate::error::AppError;
use crate::routes::upload::{self, UploadError};
use crate::services::coupons::bulk::{self as svc, BulkOutcome, FileProblem};
use crate::services::coupons::issue_form;
use crate::state::AppState;
use crate::views::coupons::issue::BulkFormPage;
use crate::views::{Ctx, FormErrors, flash, redirect, render, render_with};

/// SPEC K2: up to 10,000 rows, about 2 MB, in one upload of a grant and a file.
const UPLOAD: upload::Limits = upload::Limits {
    total_bytes: 2 * 1024 * 1024 + 64 * 1024,
    max_fields: 4,
    field_bytes: 2 * 1024 * 1024,
};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/partner/coupons/bulk", web::get().to(bulk_form))
        .route(
            "/partner/coupons/bulk/preview",
            web::post().to(preview_bulk),
        )
        .route("/partner/coupons/bulk/{id:\\d+}", web::get().to(show_bulk))
        .route(
            "/partner/coupons/bulk/{id:\\d+}/issue",
            web::post().to(issue_bulk),
        )
        .route(
            "/partner/coupons/bulk/{id:\\d+}/errors.csv",
            web::get().to(bulk_errors),
        );
}

async fn form_page(
    ctx: Ctx,
    member: &Member,
    state: &AppState,
    grant_id: &str,
    errors: FormErrors,
) -> Result<BulkFormPage, AppError> {
    let caller = member.caller.clone();
    let grants = crate::routes::run(&state.pool, move |conn| {
        Ok(issue_form::upload_grants(conn, &caller)?)
    })
    .await?;
    let chosen = super::grant_select::selected(&grants, grant_id).map(|g| g.row.id);
    let message = if errors.is_empty() {
        String::new()
    } else {
        ctx.t("form.fix_errors")
    };
    Ok(BulkFormPage {
        grants: super::grant_select::grant_options(&ctx, &grants, chosen),
        errors,
        message,
        ctx,
    })
}

#[derive(Deserialize)]
pub struct FormQuery {
    grant_id: Option<String>,
}

/// rule K2: the upload form (a grant and a file).
pub async fn bulk_form(
    ctx: Ctx,
    member: Member,
    state: web::Data<AppState>,
    query: web::Query<FormQuery>,
) -> Result<HttpResponse, AppError> {
    let grant = query.grant_id.clone().unwrap_or_default();
    let page = form_page(ctx, &member, &state, &grant, FormErrors::default()).await?;
    render(&page)
}

/// The grant and the file of the upload, or why it could not be read.
async fn read_upload(
    req: &HttpRequest,
    payload: web::Payload,
) -> Result<(String, Vec<u8>), UploadError> {
    let (mut grant, mut file) = (String::new(), Vec::new());
    for field in upload::read(req, payload, UPLOAD).await? {
        match field.name.as_str() {
            "grant_id" => grant = String::from_utf8_lossy(&field.content).trim().to_string(),
            "file" => file = field.content,
            _ => {}
        }
    }
    Ok((grant, file))
}

/// rule K2: the dry run. Reads the file, keeps it, and shows each row's result, the quota the
/// file needs against what the grant has, and whether it can be issued. Nothing is issued.
pub async fn preview_bulk(
    ctx: Ctx,
    member: Member,
    state: web::Data<AppState>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let mut errors = FormErrors::default();
    let (grant, file) = match read_upload(&req, payload).await {
        Ok(v) => v,
        Err(refused) => {
            let (status, key) = match refused {
                UploadError::TooLarge => {
                    (StatusCode::PAYLOAD_TOO_LARGE, "coupon_bulk.file.too_large")
                }
                UploadError::FieldTooLarge => (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "coupon_bulk.file.too_large",
                ),
                UploadError::TooManyFields | UploadError::Malformed(_) => {
                    (StatusCode::BAD_REQUEST, "coupon_bulk.file.unreadable")
                }
            };
            errors.add("file", ctx.t(key));
            let page = form_page(ctx, &member, &state, "", errors).await?;
            return render_with(status, &page);
        }
    };
    let grant_id = grant.parse::<i64>().ok().filter(|id| *id > 0);
    if grant_id.is_none() {
        errors.add("grant_id", ctx.t("coupons_issue.choose_grant"));
    }
    let rows = match svc::parse(&file) {
        Ok(rows) => Some(rows),
        Err(problem) => {
            let text = match &problem {
                FileProblem::MissingColumn(c) => ctx.tf(problem.key(), &[("column", c)]),
                FileProblem::Unreadable(line) => {
                    ctx.tf(problem.key(), &[("line", &line.to_string())])
                }
                FileProblem::TooManyRows => {
                    ctx.tf(problem.key(), &[("max", &svc::MAX_ROWS.to_string())])
                }
                _ => ctx.t(problem.key()),
            };
            errors.add("file", text);
            None
        }
    };
    let (Some(grant_id), Some(rows)) = (grant_id, rows) else {
        let page = form_page(ctx, &member, &state, &grant, errors).await?;
        return render_with(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    let caller = member.caller.clone();
    let shown = crate::routes::transaction(&state.pool, move |conn| {
        Ok(svc::preview(conn, &caller, grant_id, rows)?)
    })
    .await?;
    render(&preview_page(ctx, shown, 0, String::new()))
}

#[derive(Deserialize)]
pub struct ShowQuery {
    after: Option<String>,
}

/// A kept file as of now, page by page (`?after=` the last line shown).
pub async fn show_bulk(
    ctx: Ctx,
    member: Member,
    state: web::Data<AppState>,
    path: web::Path<i64>,
    query: web::Query<ShowQuery>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let after = query
        .after
        .as_deref()
        .and_then(|a| a.parse().ok())
        .unwrap_or(0);
    let caller = member.caller.clone();
    let shown =
        crate::routes::run(&state.pool, move |conn| Ok(svc::show(conn, &caller, id)?)).await?;
    render(&preview_page(ctx, shown, after, String::new()))
}

/// rule K2: issues every row of the kept file or none; a second confirm issues nothing more.
pub async fn issue_bulk(
    ctx: Ctx,
    member: Member,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let caller = member.caller.clone();
    let outcome =
        crate::routes::transaction(&state.pool, move |conn| Ok(svc::issue(conn, &caller, id)?))
            .await?;
    match outcome {
        BulkOutcome::Issued(n) => {
            let n = n.to_string();
            flash(
                &session,
                "success",
                ctx.tf("coupons_issue.issued_n", &[("n", &n)]),
            );
            Ok(redirect("/partner/coupons"))
        }
        BulkOutcome::AlreadyIssued => {
            flash(&session, "info", ctx.t("coupon_bulk.issued_before"));
            Ok(redirect(&format!("/partner/coupons/bulk/{id}")))
        }
        BulkOutcome::Refused(shown) => {
            let message = ctx.t("coupon_bulk.nothing_issued");
            let page = preview_page(ctx, *shown, 0, message);
            render_with(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
    }
}

/// SPEC §6: the rejected rows, the file's columns plus `error`, in the reader's language.
pub async fn bulk_errors(
    ctx: Ctx,
    member: Member,
    state: web::Data<AppState>,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let caller = member.caller.clone();
    let shown =
        crate::routes::run(&state.pool, move |conn| Ok(svc::show(conn, &caller, id)?)).await?;
    let body = svc::errors_csv(&shown.checked, |key| ctx.t(key));
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"coupon-upload-{id}-errors.csv\""),
        ))
        .body(body))
}
