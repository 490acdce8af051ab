//! `/ops/quotas/{id}`: one grant with its adjustments, entries and passed children, and the
//! operators' actions on it (rule K2a): propose a change, approve or reject it, freeze,
//! unfreeze, withdraw.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::auth::Operator;
use crate::domain::Money;
use crate::error::AppError;
use crate::routes::cursor_id;
use crate::services::ServiceError;
use crate::services::coupons::ops_actions as acts;
use crate::services::coupons::ops_quotas as reads;
use crate::state::AppState;
use crate::views::coupons::quotas::OpsGrantPage;
use crate::views::{Ctx, FormErrors, Pager, flash, redirect, render_with};

#[derive(Deserialize)]
pub struct EntriesQuery {
    after: Option<String>,
}

/// The adjust form's typed values and what is wrong with them.
#[derive(Default)]
struct AdjustShown {
    delta: String,
    remark: String,
    errors: FormErrors,
}

async fn grant_page(
    ctx: Ctx,
    op: &Operator,
    state: &AppState,
    (id, before): (i64, Option<i64>),
    shown: AdjustShown,
) -> Result<HttpResponse, AppError> {
    let caller = op.caller.clone();
    let d = crate::routes::run(&state.pool, move |conn| {
        Ok(reads::detail(conn, &caller, id, before)?)
    })
    .await?;
    let pending = d
        .adjustments
        .iter()
        .find(|a| a.state == "pending")
        .map(|a| a.id);
    let status = if shown.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let message = if shown.errors.is_empty() {
        String::new()
    } else {
        ctx.t("form.fix_errors")
    };
    let path = format!("/ops/quotas/{id}");
    let detail = d.detail;
    render_with(
        status,
        &OpsGrantPage {
            ctx,
            grant: detail.grant.grant.into(),
            children: detail.grant.children.into_iter().map(Into::into).collect(),
            adjustments: d.adjustments.into_iter().map(Into::into).collect(),
            pending,
            entries: detail.entries.into_iter().map(Into::into).collect(),
            pager: Pager::new("", &path, before.is_none(), detail.next),
            show_counterparty: true,
            delta: shown.delta,
            remark: shown.remark,
            errors: shown.errors,
            message,
        },
    )
}

/// rule K2a: one grant with its adjustments, entries and passed children, and its actions.
pub async fn show_quota(
    ctx: Ctx,
    op: Operator,
    state: web::Data<AppState>,
    path: web::Path<i64>,
    query: web::Query<EntriesQuery>,
) -> Result<HttpResponse, AppError> {
    let before = cursor_id(&query.after);
    let id = path.into_inner();
    grant_page(ctx, &op, &state, (id, before), AdjustShown::default()).await
}

#[derive(Deserialize)]
pub struct AdjustForm {
    #[serde(default)]
    delta: String,
    #[serde(default)]
    remark: String,
}

/// A signed amount: `+100`, `-50.25`, `100` (an increase); never zero, two decimals at most.
fn signed_amount(raw: &str) -> Result<rust_decimal::Decimal, &'static str> {
    let raw = raw.trim();
    let (negative, magnitude) = match raw.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, raw.strip_prefix('+').unwrap_or(raw)),
    };
    let amount = Money::parse_positive(magnitude).map_err(|e| e.message_key())?;
    Ok(if negative {
        -amount.amount()
    } else {
        amount.amount()
    })
}

/// rule K2a: proposes a change; the grant is adjusting until an operator decides.
pub async fn propose_adjustment(
    ctx: Ctx,
    op: Operator,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<i64>,
    form: web::Form<AdjustForm>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let form = form.into_inner();
    let mut shown = AdjustShown {
        remark: form.remark.trim().to_string(),
        delta: form.delta,
        errors: FormErrors::default(),
    };
    let delta = signed_amount(&shown.delta)
        .map_err(|key| shown.errors.add("delta", ctx.t(key)))
        .ok();
    if shown.remark.chars().count() > crate::services::coupons::REMARK_MAX {
        let max = crate::services::coupons::REMARK_MAX.to_string();
        shown
            .errors
            .add("remark", ctx.tf("form.too_long_n", &[("max", &max)]));
    }
    if let Some(delta) = delta.filter(|_| shown.errors.is_empty()) {
        let (caller, remark) = (op.caller.clone(), shown.remark.clone());
        let outcome = crate::routes::transaction(&state.pool, move |conn| {
            Ok(acts::propose(conn, &caller, id, delta, &remark))
        })
        .await?;
        match outcome {
            Ok(_) => {
                flash(&session, "success", ctx.t("quotas.ops.proposed"));
                return Ok(redirect(&format!("/ops/quotas/{id}")));
            }
            Err(ServiceError::Refused(r)) => shown.errors.add("delta", ctx.t(r.key())),
            Err(e) => return Err(e.into()),
        }
    }
    grant_page(ctx, &op, &state, (id, None), shown).await
}

/// Runs one state-changing action and answers with a flash and a redirect to the grant.
async fn act_and_return<F>(
    ctx: &Ctx,
    session: &Session,
    state: &AppState,
    done_key: &str,
    work: F,
) -> Result<HttpResponse, AppError>
where
    F: FnOnce(&mut diesel::PgConnection) -> Result<i64, ServiceError> + Send + 'static,
{
    let id = crate::routes::transaction(&state.pool, move |conn| Ok(work(conn)?)).await?;
    flash(session, "success", ctx.t(done_key));
    Ok(redirect(&format!("/ops/quotas/{id}")))
}

/// rule K2a: approves or rejects a pending change; a second decision is refused.
pub async fn decide_adjustment(
    ctx: Ctx,
    op: Operator,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<(i64, String)>,
) -> Result<HttpResponse, AppError> {
    let (id, decision) = path.into_inner();
    let approve = decision == "approve";
    let caller = op.caller.clone();
    let grant = crate::routes::run(&state.pool, {
        let caller = caller.clone();
        move |conn| Ok(reads::adjustment_grant(conn, &caller, id)?)
    })
    .await?;
    let refused = refusal_flash(&ctx, &session, grant);
    let done = if approve {
        "quotas.ops.approved"
    } else {
        "quotas.ops.rejected"
    };
    act_and_return(&ctx, &session, &state, done, move |conn| {
        acts::decide(conn, &caller, id, approve)
    })
    .await
    .or_else(refused)
}

/// rule K2a: freeze, unfreeze or withdraw a grant, with a remark.
pub async fn change_quota_state(
    ctx: Ctx,
    op: Operator,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<(i64, String)>,
    form: web::Form<RemarkForm>,
) -> Result<HttpResponse, AppError> {
    let (id, action) = path.into_inner();
    let remark = form.into_inner().remark.trim().to_string();
    let refused = refusal_flash(&ctx, &session, id);
    if remark.chars().count() > crate::services::coupons::REMARK_MAX {
        let max = crate::services::coupons::REMARK_MAX.to_string();
        flash(
            &session,
            "error",
            ctx.tf("form.too_long_n", &[("max", &max)]),
        );
        return Ok(redirect(&format!("/ops/quotas/{id}")));
    }
    let caller = op.caller.clone();
    let done = format!("quotas.ops.{action}_done");
    act_and_return(&ctx, &session, &state, &done, move |conn| {
        match action.as_str() {
            "withdraw" => acts::withdraw(conn, &caller, id, &remark).map(|_| id),
            a => acts::set_frozen(conn, &caller, id, a == "freeze", &remark).map(|_| id),
        }
    })
    .await
    .or_else(refused)
}

#[derive(Deserialize)]
pub struct RemarkForm {
    #[serde(default)]
    remark: String,
}

/// A business refusal of a button (no field to show it beside) is a flash on the grant's
/// page; any other error stays an error.
fn refusal_flash<'a>(
    ctx: &'a Ctx,
    session: &'a Session,
    grant: i64,
) -> impl FnOnce(AppError) -> Result<HttpResponse, AppError> + 'a {
    move |e| match e {
        AppError::Conflict(key) => {
            flash(session, "error", ctx.t(&key));
            Ok(redirect(&format!("/ops/quotas/{grant}")))
        }
        other => Err(other),
    }
}
