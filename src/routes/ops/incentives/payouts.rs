//! `/ops/incentives/payouts` (rules B8, P4): operators list payment requests (open ones by
//! default, `state=all` for every one), open one, approve it, pay it into the partner's cash
//! or reject it with a `reason`. A step the request's state no longer allows comes back as a
//! message on its page.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::queue::QueueQuery;
use crate::auth::Operator;
use crate::error::AppError;
use crate::services::incentives::{REASON_MAX, ops_queue as reads, payouts as svc};
use crate::services::{ServiceError, ServiceResult};
use crate::state::AppState;
use crate::views::incentives::PayoutRow;
use crate::views::incentives::ops::{OpsPayoutPage, OpsPayoutsPage};
use crate::views::{Ctx, FormErrors, Pager, flash, redirect, render, render_with};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/ops/incentives/payouts", web::get().to(list_payouts))
        .route(
            "/ops/incentives/payouts/{id:\\d+}",
            web::get().to(show_payout),
        )
        .route(
            "/ops/incentives/payouts/{id:\\d+}/{step:approve|pay}",
            web::post().to(move_payout),
        )
        .route(
            "/ops/incentives/payouts/{id:\\d+}/reject",
            web::post().to(reject_payout),
        );
}

pub async fn list_payouts(
    ctx: Ctx,
    op: Operator,
    state: web::Data<AppState>,
    query: web::Query<QueueQuery>,
) -> Result<HttpResponse, AppError> {
    let queue = query.parse();
    let (q2, before, size, all) = (queue.q.clone(), queue.before, queue.size, queue.all);
    let page = crate::routes::run(&state.pool, move |conn| {
        Ok(reads::payouts(conn, &op.caller, &q2, !all, before, size)?)
    })
    .await?;
    let base = queue.pager_base("open");
    render(&OpsPayoutsPage {
        rows: page
            .rows
            .into_iter()
            .map(|r| PayoutRow::new(&ctx, r))
            .collect(),
        pager: Pager::new(
            &base,
            "/ops/incentives/payouts",
            before.is_none(),
            page.next,
        ),
        state: queue.state_word("open").to_string(),
        q: queue.q,
        ctx,
    })
}

async fn payout_page(
    ctx: Ctx,
    op: &Operator,
    state: &AppState,
    id: i64,
    reason: String,
    errors: FormErrors,
    message: String,
) -> Result<OpsPayoutPage, AppError> {
    let caller = op.caller.clone();
    let p = crate::routes::run(&state.pool, move |conn| {
        Ok(reads::payout(conn, &caller, id)?)
    })
    .await?;
    Ok(OpsPayoutPage {
        p: PayoutRow::new(&ctx, p),
        reason,
        errors,
        message,
        ctx,
    })
}

pub async fn show_payout(
    ctx: Ctx,
    op: Operator,
    state: web::Data<AppState>,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let page = payout_page(
        ctx,
        &op,
        &state,
        path.into_inner(),
        String::new(),
        FormErrors::default(),
        String::new(),
    )
    .await?;
    render(&page)
}

/// The outcome of a step: back to the list with a message, or to the request's page with why
/// the step was refused.
fn after_step(
    ctx: &Ctx,
    session: &Session,
    state: &AppState,
    id: i64,
    done: ServiceResult<&'static str>,
) -> Result<HttpResponse, AppError> {
    match done {
        Ok(key) => {
            state.mail_wake.notify_one();
            flash(session, "success", ctx.t(key));
            Ok(redirect("/ops/incentives/payouts"))
        }
        Err(ServiceError::Refused(r)) => {
            flash(session, "error", ctx.t(r.key()));
            Ok(redirect(&format!("/ops/incentives/payouts/{id}")))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn move_payout(
    ctx: Ctx,
    op: Operator,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<(i64, String)>,
) -> Result<HttpResponse, AppError> {
    let (id, step) = path.into_inner();
    let (caller, url) = (op.caller.clone(), state.settings.public_url.clone());
    let done = crate::routes::transaction(&state.pool, move |conn| {
        Ok(if step == "pay" {
            svc::pay(conn, &caller, id, &url).map(|fresh| {
                if fresh {
                    "incentives.ops.paid"
                } else {
                    "incentives.ops.already_paid"
                }
            })
        } else {
            svc::approve(conn, &caller, id, &url).map(|_| "incentives.ops.approved")
        })
    })
    .await?;
    after_step(&ctx, &session, &state, id, done)
}

#[derive(Deserialize)]
pub struct RejectForm {
    #[serde(default)]
    reason: String,
}

pub async fn reject_payout(
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
        let message = ctx.t("form.fix_errors");
        let page = payout_page(ctx, &op, &state, id, reason, errors, message).await?;
        return render_with(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    let (caller, url) = (op.caller.clone(), state.settings.public_url.clone());
    let done = crate::routes::transaction(&state.pool, move |conn| {
        Ok(svc::reject(conn, &caller, id, &reason, &url).map(|_| "incentives.ops.rejected"))
    })
    .await?;
    after_step(&ctx, &session, &state, id, done)
}

/// A rejection reason's problem beside the `reason` field: required, at most 500 characters.
pub fn reason_problem(ctx: &Ctx, reason: &str) -> Option<FormErrors> {
    let text = if reason.is_empty() {
        ctx.t("form.required")
    } else if reason.chars().count() > REASON_MAX {
        ctx.tf("form.too_long_n", &[("max", &REASON_MAX.to_string())])
    } else {
        return None;
    };
    let mut errors = FormErrors::default();
    errors.add("reason", text);
    Some(errors)
}
