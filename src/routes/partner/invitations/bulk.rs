//! Bulk invitations from CSV (rule C3): upload → per-row preview → send → per-row report.

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use futures_util::StreamExt;
use serde::Deserialize;

use crate::auth::Member;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::services::invitations::bulk::{self, Row};
use crate::state::AppState;
use crate::views::invitations::{BulkPage, BulkRow};
use crate::views::{Ctx, render, render_with};

/// Enough for 1,000 rows of long addresses and company names.
const MAX_FILE_BYTES: usize = 512 * 1024;

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

/// Reads the upload (file and language), refusing files over the size limit.
async fn read_upload(mut payload: Multipart) -> Result<(Vec<u8>, String), AppError> {
    let mut file = Vec::new();
    let mut language = String::new();
    while let Some(field) = payload.next().await {
        let mut field = field.map_err(|e| AppError::BadRequest(e.to_string()))?;
        let name = field.name().unwrap_or("").to_string();
        let mut buf = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(|e| AppError::BadRequest(e.to_string()))?;
            if buf.len() + chunk.len() > MAX_FILE_BYTES {
                return Err(AppError::BadRequest("file too large".into()));
            }
            buf.extend_from_slice(&chunk);
        }
        match name.as_str() {
            "file" => file = buf,
            "language" => language = String::from_utf8_lossy(&buf).chars().take(10).collect(),
            _ => {}
        }
    }
    Ok((file, language))
}

pub async fn preview_bulk(
    ctx: Ctx,
    member: Member,
    state: web::Data<AppState>,
    payload: Multipart,
) -> Result<HttpResponse, AppError> {
    let (file, language) = match read_upload(payload).await {
        Ok(v) => v,
        Err(AppError::BadRequest(_)) => {
            let lang = ctx.lang.code().to_string();
            let msg = ctx.t("bulk.error.too_large");
            return render_with(
                StatusCode::UNPROCESSABLE_ENTITY,
                &page(ctx, Vec::new(), lang, msg, false),
            );
        }
        Err(e) => return Err(e),
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
