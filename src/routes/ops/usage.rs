//! `/ops/usage`: operators import rated usage (rule B2) and issue a closed month's bills. The
//! upload is streamed to disk and imported in the background; `/ops/usage/imports/{id}` shows
//! its progress (a script in /static polls `…/progress`) and `…/rejected.csv` the rejected rows
//! with their reasons (SPEC §6 "CSV files").

mod report;
mod upload;

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;
use serde::Deserialize;

use crate::auth::Operator;
use crate::error::AppError;
use crate::i18n::local_time;
use crate::services::ServiceError;
use crate::services::billing::usage::{self, ImportStatus};
use crate::services::billing::{Month, issue};
use crate::state::AppState;
use crate::views::usage::{ImportRow, UsageImportPage, UsagePage};
use crate::views::{Ctx, FormErrors, flash, redirect, render, render_with};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/ops/usage", web::get().to(show_usage))
        .route("/ops/usage", web::post().to(upload_usage))
        .route("/ops/usage/bills", web::post().to(issue_bills))
        .route("/ops/usage/imports/{id:\\d+}", web::get().to(show_import))
        .route(
            "/ops/usage/imports/{id:\\d+}/progress",
            web::get().to(import_progress),
        )
        .route(
            "/ops/usage/imports/{id:\\d+}/rejected.csv",
            web::get().to(report::rejected_report),
        );
}

fn import_row(ctx: &Ctx, i: ImportStatus) -> ImportRow {
    let line = i.problem_line.map(|l| l.to_string()).unwrap_or_default();
    ImportRow {
        state_label: ctx.tk("usage.state", &i.state),
        running: i.running(),
        percent: i.percent(),
        problem: if i.problem.is_empty() {
            String::new()
        } else {
            ctx.tf(&i.problem, &[("line", &line)])
        },
        by: i.by.clone().unwrap_or_else(|| ctx.t("usage.by_system")),
        created_at: local_time(i.created_at),
        finished_at: i.finished_at.map(local_time).unwrap_or_default(),
        id: i.id,
        file_name: i.file_name,
        state: i.state,
        rows_read: i.rows_read,
        rows_imported: i.rows_imported,
        rows_already: i.rows_already,
        rows_rejected: i.rows_rejected,
    }
}

async fn usage_page(
    ctx: Ctx,
    op: &Operator,
    state: &AppState,
    errors: FormErrors,
    month: String,
) -> Result<UsagePage, AppError> {
    let caller = op.caller.clone();
    let imports = crate::routes::run(&state.pool, move |conn| {
        Ok(usage::recent(conn, &caller, 20)?)
    })
    .await?;
    Ok(UsagePage {
        imports: imports.into_iter().map(|i| import_row(&ctx, i)).collect(),
        errors,
        month,
        ctx,
    })
}

/// rule B2: the upload form, the issue form and the latest imports.
pub async fn show_usage(
    ctx: Ctx,
    op: Operator,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let last = Month::at(Utc::now()).previous().label();
    render(&usage_page(ctx, &op, &state, FormErrors::default(), last).await?)
}

/// rule B2: streams the file to disk, records the import and runs it in the background.
pub async fn upload_usage(
    ctx: Ctx,
    op: Operator,
    state: web::Data<AppState>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let received = match upload::receive(&req, payload).await {
        Ok(r) if r.size > 0 => r,
        outcome => {
            let problem = match outcome {
                Ok(r) => {
                    let _ = std::fs::remove_file(&r.path);
                    upload::Problem::NoFile
                }
                Err(p) => p,
            };
            let status = match problem {
                upload::Problem::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
                _ => StatusCode::UNPROCESSABLE_ENTITY,
            };
            let mut errors = FormErrors::default();
            errors.add("file", ctx.t(problem.key()));
            let last = Month::at(Utc::now()).previous().label();
            return render_with(status, &usage_page(ctx, &op, &state, errors, last).await?);
        }
    };
    let (caller, name, size) = (op.caller.clone(), received.name.clone(), received.size);
    let created = crate::routes::run(&state.pool, move |conn| {
        Ok(usage::create(conn, &caller, &name, size as i64)?)
    })
    .await;
    let id = match created {
        Ok(id) => id,
        Err(e) => {
            let _ = std::fs::remove_file(&received.path);
            return Err(e);
        }
    };
    usage::runner::spawn(state.pool.clone(), op.caller.clone(), id, received.path);
    Ok(redirect(&format!("/ops/usage/imports/{id}")))
}

/// rule B2: one import's progress, counts, problem and report link.
pub async fn show_import(
    ctx: Ctx,
    op: Operator,
    state: web::Data<AppState>,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let (id, caller) = (path.into_inner(), op.caller.clone());
    let import = crate::routes::run(&state.pool, move |conn| {
        Ok(usage::status(conn, &caller, id)?)
    })
    .await?;
    render(&UsageImportPage {
        import: import_row(&ctx, import),
        ctx,
    })
}

/// The figures the progress script shows while an import runs.
pub async fn import_progress(
    ctx: Ctx,
    op: Operator,
    state: web::Data<AppState>,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let (id, caller) = (path.into_inner(), op.caller.clone());
    let import = crate::routes::run(&state.pool, move |conn| {
        Ok(usage::status(conn, &caller, id)?)
    })
    .await?;
    let row = import_row(&ctx, import);
    Ok(HttpResponse::Ok().json(serde_json::json!({
        "state": row.state, "state_label": row.state_label, "running": row.running,
        "percent": row.percent, "rows_read": row.rows_read, "rows_imported": row.rows_imported,
        "rows_already": row.rows_already, "rows_rejected": row.rows_rejected,
    })))
}

#[derive(Deserialize)]
pub struct IssueForm {
    #[serde(default)]
    month: String,
}

/// rule B2: issues the bills of a closed month (idempotent: a second time issues nothing).
pub async fn issue_bills(
    ctx: Ctx,
    op: Operator,
    state: web::Data<AppState>,
    session: Session,
    form: web::Form<IssueForm>,
) -> Result<HttpResponse, AppError> {
    let typed = form.month.trim().to_string();
    let refused = |ctx: &Ctx, key: &str| {
        let mut errors = FormErrors::default();
        errors.add("month", ctx.t(key));
        errors
    };
    let Some(month) = Month::parse(&typed) else {
        let errors = refused(&ctx, "usage.issue.bad_month");
        let page = usage_page(ctx, &op, &state, errors, typed).await?;
        return render_with(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    let caller = op.caller.clone();
    let outcome = crate::db::run(&state.pool, move |conn| {
        issue::issue_month(conn, &caller, month)
    })
    .await;
    match outcome {
        Ok(done) => {
            let (bills, skipped) = (done.bills.to_string(), done.skipped.to_string());
            let text = ctx.tf(
                "usage.issue.done",
                &[
                    ("month", &month.label()),
                    ("bills", &bills),
                    ("skipped", &skipped),
                ],
            );
            flash(&session, "success", text);
            Ok(redirect("/ops/usage"))
        }
        Err(ServiceError::Refused(r)) => {
            let errors = refused(&ctx, r.key());
            let page = usage_page(ctx, &op, &state, errors, month.label()).await?;
            render_with(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(e) => Err(e.into()),
    }
}
