//! `/ops/orders`: the operators' order queue (rule P1), pending review by default (`state=all`
//! or another state widens it), with approve and reject-with-reason on each pending order. A
//! decision the order's state no longer allows (reviewed twice) shows the queue again with the
//! message (409); a missing reason, 422.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::auth::Operator;
use crate::domain::OrderState;
use crate::error::AppError;
use crate::routes::cursor_id;
use crate::services::orders::{REASON_MAX, ops_review, steps};
use crate::services::{ServiceError, keyset};
use crate::state::AppState;
use crate::views::customers::Opt;
use crate::views::orders::OrderListRow;
use crate::views::orders::ops::OpsOrdersPage;
use crate::views::{Ctx, Flash, Pager, flash, local_path, redirect, render_with, url_encode};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/ops/orders", web::get().to(list_orders))
        .route(
            "/ops/orders/{id:\\d+}/approve",
            web::post().to(approve_order),
        )
        .route("/ops/orders/{id:\\d+}/reject", web::post().to(reject_order));
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    q: Option<String>,
    state: Option<String>,
    after: Option<String>,
    size: Option<String>,
}

const ALL: &str = "all";

/// rule P1: the queue; a refusal of a decision comes back above it with `status`.
async fn queue_page(
    mut ctx: Ctx,
    op: &Operator,
    state: &AppState,
    query: ListQuery,
    problem: Option<(StatusCode, String)>,
) -> Result<HttpResponse, AppError> {
    let shown = match query.state.as_deref().map(str::trim) {
        Some(ALL) => None,
        Some(s) => Some(OrderState::parse(s).unwrap_or(OrderState::PendingReview)),
        None => Some(OrderState::PendingReview),
    };
    let filter = ops_review::Filter {
        state: shown,
        q: keyset::q(query.q.as_deref()),
    };
    let size = keyset::size_of(query.size.as_deref());
    let after = cursor_id(&query.after);
    let (caller, f) = (op.caller.clone(), filter.clone());
    let (rows, next) = crate::routes::run(&state.pool, move |conn| {
        Ok(ops_review::page(conn, &caller, &f, after, size)?)
    })
    .await?;
    let current = shown.map_or(ALL, OrderState::as_str);
    let mut states: Vec<Opt> = OrderState::ALL
        .iter()
        .map(|s| Opt::new(s.as_str(), ctx.tk("orders.state", s.as_str()), current))
        .collect();
    states.push(Opt::new(ALL, ctx.t("filter.all"), current));
    let base =
        crate::routes::with_size(format!("q={}&state={current}", url_encode(&filter.q)), size);
    let status = match problem {
        Some((status, text)) => {
            ctx.flashes.push(Flash {
                kind: "error".into(),
                text,
            });
            status
        }
        None => StatusCode::OK,
    };
    let rows = rows
        .into_iter()
        .map(|r| OrderListRow::new(&ctx, r))
        .collect();
    render_with(
        status,
        &OpsOrdersPage {
            rows,
            states,
            q: filter.q,
            pager: Pager::new(&base, "/ops/orders", after.is_none(), next),
            back: format!("/ops/orders?{base}"),
            ctx,
        },
    )
}

/// rule P1: the queue of orders pending review (or the state asked for).
pub async fn list_orders(
    ctx: Ctx,
    op: Operator,
    state: web::Data<AppState>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    queue_page(ctx, &op, &state, query.into_inner(), None).await
}

#[derive(Deserialize, Default)]
pub struct DecisionForm {
    #[serde(default)]
    reason: String,
    #[serde(default)]
    back: String,
}

/// Where to go after a decision: the queue view the form came from.
fn back_to(form: &DecisionForm) -> String {
    local_path(&form.back)
        .filter(|p| p.starts_with("/ops/orders"))
        .unwrap_or("/ops/orders")
        .to_string()
}

/// After a refused decision: the queue again with the message.
async fn refused(
    ctx: Ctx,
    op: &Operator,
    state: &AppState,
    e: ServiceError,
) -> Result<HttpResponse, AppError> {
    match e.message_key() {
        Some(key) => {
            let text = ctx.t(key);
            let problem = Some((StatusCode::CONFLICT, text));
            queue_page(ctx, op, state, ListQuery::default(), problem).await
        }
        None => Err(e.into()),
    }
}

/// rule P1: approves an order pending review; it waits for payment.
pub async fn approve_order(
    ctx: Ctx,
    op: Operator,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<i64>,
    form: web::Form<DecisionForm>,
) -> Result<HttpResponse, AppError> {
    let (caller, id) = (op.caller.clone(), path.into_inner());
    let done = crate::routes::transaction(&state.pool, move |conn| {
        Ok(steps::approve(conn, &caller, id))
    })
    .await?;
    match done {
        Ok(()) => {
            let id = id.to_string();
            flash(
                &session,
                "success",
                ctx.tf("orders.review.approved", &[("id", &id)]),
            );
            Ok(redirect(&back_to(&form)))
        }
        Err(e) => refused(ctx, &op, &state, e).await,
    }
}

/// rule P1: rejects an order pending review with a reason; it is cancelled.
pub async fn reject_order(
    ctx: Ctx,
    op: Operator,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<i64>,
    form: web::Form<DecisionForm>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let reason = form.reason.trim().to_string();
    if reason.is_empty() || reason.chars().count() > REASON_MAX {
        let text = ctx.tf("orders.reason.invalid", &[("max", &REASON_MAX.to_string())]);
        let problem = Some((StatusCode::UNPROCESSABLE_ENTITY, text));
        return queue_page(ctx, &op, &state, ListQuery::default(), problem).await;
    }
    let caller = op.caller.clone();
    let done = crate::routes::transaction(&state.pool, move |conn| {
        Ok(steps::reject_review(conn, &caller, id, &reason))
    })
    .await?;
    match done {
        Ok(()) => {
            let id = id.to_string();
            flash(
                &session,
                "success",
                ctx.tf("orders.review.rejected", &[("id", &id)]),
            );
            Ok(redirect(&back_to(&form)))
        }
        Err(e) => refused(ctx, &op, &state, e).await,
    }
}
