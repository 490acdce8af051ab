//! `/ops/withdrawals` (rule P4): operators list partners' withdrawal requests (pending first:
//! the default view; `state=all` shows every request), open one, approve it (the held amount
//! leaves the platform) or reject it with a `reason` (the hold returns to the partner's cash).

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::auth::Operator;
use crate::domain::WithdrawalState;
use crate::domain::money::format_amount;
use crate::error::AppError;
use crate::i18n::local_time;
use crate::routes::cursor_id;
use crate::services::credit::decide::{self, REASON_MAX};
use crate::services::credit::ops_list::{self as reads, OpsFilter, OpsLine};
use crate::services::keyset;
use crate::state::AppState;
use crate::views::credit::{OpsWithdrawalPage, OpsWithdrawalsPage, WithdrawalLine};
use crate::views::{Ctx, FormErrors, Pager, flash, redirect, render, render_with, url_encode};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/ops/withdrawals", web::get().to(list_withdrawals))
        .route("/ops/withdrawals/{id:\\d+}", web::get().to(show_withdrawal))
        .route(
            "/ops/withdrawals/{id:\\d+}/approve",
            web::post().to(approve_withdrawal),
        )
        .route(
            "/ops/withdrawals/{id:\\d+}/reject",
            web::post().to(reject_withdrawal),
        );
}

#[derive(Deserialize)]
pub struct ListQuery {
    q: Option<String>,
    state: Option<String>,
    after: Option<String>,
    size: Option<String>,
}

fn line(ctx: &Ctx, r: OpsLine) -> WithdrawalLine {
    WithdrawalLine {
        id: r.id,
        partner: r.partner,
        amount: format_amount(r.amount),
        pending: r.state == WithdrawalState::Pending.as_str(),
        state: ctx.tk("credit.withdrawal.state", &r.state),
        reason: r.reason,
        requested: local_time(r.created_at),
        decided: r.decided_at.map(local_time).unwrap_or_default(),
    }
}

pub async fn list_withdrawals(
    ctx: Ctx,
    op: Operator,
    state: web::Data<AppState>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let all = query.state.as_deref() == Some("all");
    let filter = OpsFilter {
        q: keyset::q(query.q.as_deref()),
        state: (!all).then_some(WithdrawalState::Pending),
    };
    let size = keyset::size_of(query.size.as_deref());
    let before = cursor_id(&query.after);
    let f = filter.clone();
    let page = crate::routes::run(&state.pool, move |conn| {
        Ok(reads::list(conn, &op.caller, &f, before, size)?)
    })
    .await?;
    let state_param = if all { "all" } else { "pending" };
    let base = crate::routes::with_size(
        format!("q={}&state={state_param}", url_encode(&filter.q)),
        size,
    );
    render(&OpsWithdrawalsPage {
        rows: page.rows.into_iter().map(|r| line(&ctx, r)).collect(),
        pager: Pager::new(&base, "/ops/withdrawals", before.is_none(), page.next),
        q: filter.q,
        state: state_param.to_string(),
        ctx,
    })
}

async fn withdrawal_page(
    ctx: Ctx,
    op: &Operator,
    state: &AppState,
    id: i64,
    reason: String,
    errors: FormErrors,
    message: String,
) -> Result<OpsWithdrawalPage, AppError> {
    let caller = op.caller.clone();
    let w = crate::routes::run(&state.pool, move |conn| Ok(reads::one(conn, &caller, id)?)).await?;
    Ok(OpsWithdrawalPage {
        w: line(&ctx, w),
        reason,
        errors,
        message,
        ctx,
    })
}

pub async fn show_withdrawal(
    ctx: Ctx,
    op: Operator,
    state: web::Data<AppState>,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let page = withdrawal_page(
        ctx,
        &op,
        &state,
        id,
        String::new(),
        FormErrors::default(),
        String::new(),
    )
    .await?;
    render(&page)
}

pub async fn approve_withdrawal(
    ctx: Ctx,
    op: Operator,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let caller = op.caller.clone();
    crate::routes::transaction(&state.pool, move |conn| {
        Ok(decide::approve(conn, &caller, id)?)
    })
    .await?;
    flash(&session, "success", ctx.t("credit.withdrawal.approved"));
    Ok(redirect("/ops/withdrawals"))
}

#[derive(Deserialize)]
pub struct RejectForm {
    #[serde(default)]
    reason: String,
}

pub async fn reject_withdrawal(
    ctx: Ctx,
    op: Operator,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<i64>,
    form: web::Form<RejectForm>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let reason = form.into_inner().reason.trim().to_string();
    let problem = if reason.is_empty() {
        Some(ctx.t("form.required"))
    } else if reason.chars().count() > REASON_MAX {
        Some(ctx.tf("form.too_long_n", &[("max", &REASON_MAX.to_string())]))
    } else {
        None
    };
    if let Some(text) = problem {
        let mut errors = FormErrors::default();
        errors.add("reason", text);
        let message = ctx.t("form.fix_errors");
        let page = withdrawal_page(ctx, &op, &state, id, reason, errors, message).await?;
        return render_with(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    let (caller, r) = (op.caller.clone(), reason.clone());
    crate::routes::transaction(&state.pool, move |conn| {
        Ok(decide::reject(conn, &caller, id, &r)?)
    })
    .await?;
    flash(&session, "success", ctx.t("credit.withdrawal.rejected"));
    Ok(redirect("/ops/withdrawals"))
}
