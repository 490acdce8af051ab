//! Bulk invitations from CSV (rule C3): upload → per-row preview → send → per-row report.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use crate::auth::Member;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::routes::upload::{self, UploadError};
use crate::services::invitations::bulk::{self, Row};
use crate::state::AppState;
use crate::views::invitations::{BulkPage, BulkRow};
use crate::views::{Ctx, render, render_with};

fn page(ctx: Ctx, rows: Vec<Row>, language: String, error: String, sent: bool) -> BulkPage {
    let valid = rows
        .iter()
        .filter(|r| r.result == if sent { "sent" } else { "valid" })
        .count();
    let csv = bulk::to_csv(&rows);
    let (n, total) = (valid.to_string(), rows.len().to_string());
    let summary = if sent {
        ctx.tf("bulk.sent_n", &[("n", &n)])
    } else {
        ctx.tf("bulk.valid_n", &[("n", &n), ("total", &total)])
    };
    let send_label = ctx.tf("bulk.send_n", &[("n", &n)]);
    BulkPage {
        rows: rows
            .into_iter()
            .map(|r| BulkRow {
                line: r.line,
                email: r.email,
                company: r.company,
                association_type: r.association_type,
                result: r.result.to_string(),
            })
            .collect(),
        csv,
        language,
        error,
        valid,
        summary,
        send_label,
        sent,
        ctx,
    }
}

pub async fn bulk_form(ctx: Ctx, _member: Member) -> Result<HttpResponse, AppError> {
    let language = ctx.lang.code().to_string();
    render(&page(ctx, Vec::new(), language, String::new(), false))
}

/// Reads the upload (file and language) within the route's limits (`super::BULK_UPLOAD`).
async fn read_upload(
    req: &HttpRequest,
    payload: web::Payload,
) -> Result<(Vec<u8>, String), UploadError> {
    let mut file = Vec::new();
    let mut language = String::new();
    for field in upload::read(req, payload, super::BULK_UPLOAD).await? {
        match field.name.as_str() {
            "file" => file = field.content,
            "language" => {
                language = String::from_utf8_lossy(&field.content)
                    .chars()
                    .take(10)
                    .collect()
            }
            _ => {}
        }
    }
    Ok((file, language))
}

pub async fn preview_bulk(
    ctx: Ctx,
    member: Member,
    state: web::Data<AppState>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let (file, language) = match read_upload(&req, payload).await {
        Ok(v) => v,
        Err(refused) => {
            let (status, key) = match refused {
                UploadError::TooLarge => {
                    (StatusCode::PAYLOAD_TOO_LARGE, "bulk.error.upload_too_large")
                }
                UploadError::TooManyFields => {
                    (StatusCode::BAD_REQUEST, "bulk.error.too_many_fields")
                }
                UploadError::FieldTooLarge => {
                    (StatusCode::UNPROCESSABLE_ENTITY, "bulk.error.too_large")
                }
                UploadError::Malformed(_) => (StatusCode::BAD_REQUEST, "bulk.error.unreadable"),
            };
            let lang = ctx.lang.code().to_string();
            let msg = ctx.t(key);
            return render_with(status, &page(ctx, Vec::new(), lang, msg, false));
        }
    };
    let language = Lang::parse(&language)
        .unwrap_or(ctx.lang)
        .code()
        .to_string();
    let mut rows = match bulk::parse(&file) {
        Ok(rows) => rows,
        Err(problem) => {
            let msg = ctx.t(problem.key());
            return render_with(
                StatusCode::UNPROCESSABLE_ENTITY,
                &page(ctx, Vec::new(), language, msg, false),
            );
        }
    };
    let rows = crate::routes::run(&state.pool, move |conn| {
        bulk::check(conn, &member, &mut rows)?;
        Ok(rows)
    })
    .await?;
    render(&page(ctx, rows, language, String::new(), false))
}

#[derive(Deserialize)]
pub struct SendForm {
    #[serde(default)]
    csv: String,
    #[serde(default)]
    language: String,
}

/// Sends the previewed rows: invitations and mail go to the outbox in one transaction; the
/// mail worker delivers them afterwards, so the request does not wait for SMTP.
pub async fn send_bulk(
    ctx: Ctx,
    member: Member,
    state: web::Data<AppState>,
    form: web::Form<SendForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let lang = Lang::parse(&form.language).unwrap_or(ctx.lang);
    let mut rows = match bulk::parse(form.csv.as_bytes()) {
        Ok(rows) => rows,
        Err(problem) => {
            let msg = ctx.t(problem.key());
            let code = lang.code().to_string();
            return render_with(
                StatusCode::UNPROCESSABLE_ENTITY,
                &page(ctx, Vec::new(), code, msg, false),
            );
        }
    };
    let (ttl, url) = super::ttl_and_url(&state);
    let rows = crate::routes::transaction(&state.pool, move |conn| {
        bulk::send(conn, &member.caller, &mut rows, lang, ttl, &url)?;
        Ok(rows)
    })
    .await?;
    state.mail_wake.notify_one();
    render(&page(
        ctx,
        rows,
        lang.code().to_string(),
        String::new(),
        true,
    ))
}
