//! `/ops/incentives/invoices` (rule B8): operators list incentive invoices (pending ones by
//! default, `state=all` for every one; `q` matches the partner or the number), open one,
//! download its file, confirm receipt or reject it with a `reason`.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::payouts::reason_problem;
use super::queue::QueueQuery;
use crate::auth::Operator;
use crate::error::AppError;
use crate::services::ServiceError;
use crate::services::incentives::{invoice_decide as svc, ops_queue as reads};
use crate::state::AppState;
use crate::views::incentives::InvoiceRow;
use crate::views::incentives::ops::{OpsInvoicePage, OpsInvoicesPage};
use crate::views::{Ctx, FormErrors, Pager, flash, redirect, render, render_with};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/ops/incentives/invoices", web::get().to(list_invoices))
        .route(
            "/ops/incentives/invoices/{id:\\d+}",
            web::get().to(show_invoice),
        )
        .route(
            "/ops/incentives/invoices/{id:\\d+}/file",
            web::get().to(invoice_file),
        )
        .route(
            "/ops/incentives/invoices/{id:\\d+}/receive",
            web::post().to(receive_invoice),
        )
        .route(
            "/ops/incentives/invoices/{id:\\d+}/reject",
            web::post().to(reject_invoice),
        );
}

pub async fn list_invoices(
    ctx: Ctx,
    op: Operator,
    state: web::Data<AppState>,
    query: web::Query<QueueQuery>,
) -> Result<HttpResponse, AppError> {
    let queue = query.parse();
    let (q2, before, size, all) = (queue.q.clone(), queue.before, queue.size, queue.all);
    let page = crate::routes::run(&state.pool, move |conn| {
        Ok(reads::invoices(conn, &op.caller, &q2, !all, before, size)?)
    })
    .await?;
    let base = queue.pager_base("pending");
    render(&OpsInvoicesPage {
        rows: page
            .rows
            .into_iter()
            .map(|r| InvoiceRow::new(&ctx, r))
            .collect(),
        pager: Pager::new(
            &base,
            "/ops/incentives/invoices",
            before.is_none(),
            page.next,
        ),
        state: queue.state_word("pending").to_string(),
        q: queue.q,
        ctx,
    })
}

async fn invoice_page(
    ctx: Ctx,
    op: &Operator,
    state: &AppState,
    id: i64,
    reason: String,
    errors: FormErrors,
) -> Result<OpsInvoicePage, AppError> {
    let caller = op.caller.clone();
    let inv = crate::routes::run(&state.pool, move |conn| {
        Ok(reads::invoice(conn, &caller, id)?)
    })
    .await?;
    let message = if errors.is_empty() {
        String::new()
    } else {
        ctx.t("form.fix_errors")
    };
    Ok(OpsInvoicePage {
        inv: InvoiceRow::new(&ctx, inv),
        reason,
        errors,
        message,
        ctx,
    })
}

pub async fn show_invoice(
    ctx: Ctx,
    op: Operator,
    state: web::Data<AppState>,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let page = invoice_page(ctx, &op, &state, id, String::new(), FormErrors::default()).await?;
    render(&page)
}

fn after_decision(
    ctx: &Ctx,
    session: &Session,
    state: &AppState,
    id: i64,
    done: Result<(), ServiceError>,
    key: &str,
) -> Result<HttpResponse, AppError> {
    match done {
        Ok(()) => {
            state.mail_wake.notify_one();
            flash(session, "success", ctx.t(key));
            Ok(redirect("/ops/incentives/invoices"))
        }
        Err(ServiceError::Refused(r)) => {
            flash(session, "error", ctx.t(r.key()));
            Ok(redirect(&format!("/ops/incentives/invoices/{id}")))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn receive_invoice(
    ctx: Ctx,
    op: Operator,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let (caller, url) = (op.caller.clone(), state.settings.public_url.clone());
    let done = crate::routes::transaction(&state.pool, move |conn| {
        Ok(svc::receive(conn, &caller, id, &url))
    })
    .await?;
    after_decision(&ctx, &session, &state, id, done, "incentives.ops.received")
}

#[derive(Deserialize)]
pub struct RejectForm {
    #[serde(default)]
    reason: String,
}

pub async fn reject_invoice(
    ctx: Ctx,
    op: Operator,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<i64>,
    form: web::Form<RejectForm>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let reason = form.into_inner().reason.trim().to_string();
    if let Some(errors) = reason_problem(&ctx, &reason) {
        let page = invoice_page(ctx, &op, &state, id, reason, errors).await?;
        return render_with(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    let (caller, url) = (op.caller.clone(), state.settings.public_url.clone());
    let done = crate::routes::transaction(&state.pool, move |conn| {
        Ok(svc::reject(conn, &caller, id, &reason, &url))
    })
    .await?;
    after_decision(
        &ctx,
        &session,
        &state,
        id,
        done,
        "incentives.ops.invoice_rejected",
    )
}

/// The invoice's e-invoice file (404 when it has none).
pub async fn invoice_file(
    op: Operator,
    state: web::Data<AppState>,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let file = crate::routes::run(&state.pool, move |conn| {
        Ok(crate::services::incentives::invoices::file_of(
            conn, &op.caller, id,
        )?)
    })
    .await?;
    crate::routes::partner::incentive_file_response(id, file)
}
