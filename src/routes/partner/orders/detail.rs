//! `/partner/orders/{id}`: one order of a customer the member sees (404 otherwise) with how it
//! was paid, and, while its 代付 request waits, the admin's forms: pay from the organisation's
//! cash (idempotency key in the form) or reject with a reason (rule P2). Supervisors and
//! customer managers read only: posting is 403.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::auth::Member;
use crate::domain::money::format_amount;
use crate::error::AppError;
use crate::services::ServiceError;
use crate::services::orders::{REASON_MAX, partner_view, pay_request, paying};
use crate::state::AppState;
use crate::views::orders::partner::PartnerOrderPage;
use crate::views::orders::{OrderRow, PaymentRow};
use crate::views::{Ctx, FormErrors, flash, redirect, render_with};

/// The order page with the reject form as typed and a refusal, at `status`.
async fn order_page(
    ctx: Ctx,
    member: &Member,
    state: &AppState,
    id: i64,
    (reason, errors, message): (String, FormErrors, String),
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let caller = member.caller.clone();
    let order = crate::routes::run(&state.pool, move |conn| {
        Ok(partner_view::detail(conn, &caller, id)?)
    })
    .await?;
    render_with(
        status,
        &PartnerOrderPage {
            order: OrderRow::new(&ctx, order.line),
            payments: order.payments.into_iter().map(PaymentRow::from).collect(),
            can_answer: order.can_answer,
            cash: order.cash.map(format_amount).unwrap_or_default(),
            key: uuid::Uuid::new_v4().to_string(),
            reason,
            errors,
            message,
            ctx,
        },
    )
}

/// rules P2, C10: one order with its payments.
pub async fn show_order(
    ctx: Ctx,
    member: Member,
    state: web::Data<AppState>,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let none = (String::new(), FormErrors::default(), String::new());
    order_page(
        ctx,
        &member,
        &state,
        path.into_inner(),
        none,
        StatusCode::OK,
    )
    .await
}

/// A refusal shown above the page (409, or 422 for a form's own mistake).
async fn refused(
    ctx: Ctx,
    member: &Member,
    state: &AppState,
    id: i64,
    e: ServiceError,
) -> Result<HttpResponse, AppError> {
    let status = match &e {
        ServiceError::Refused(_) => StatusCode::CONFLICT,
        _ => return Err(e.into()),
    };
    let message = e.message_key().map(|k| ctx.t(k)).unwrap_or_default();
    let state_of = (String::new(), FormErrors::default(), message);
    order_page(ctx, member, state, id, state_of, status).await
}

#[derive(Deserialize, Default)]
pub struct PayForm {
    #[serde(default)]
    key: String,
}

/// rule P2: an admin pays the requested order from the organisation's cash. Paying twice at
/// once pays once; the customer is mailed by the call that paid.
pub async fn pay_order(
    ctx: Ctx,
    member: Member,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<i64>,
    form: web::Form<PayForm>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let (caller, key) = (member.caller.clone(), form.into_inner().key);
    let url = state.settings.public_url.clone();
    let done = crate::routes::transaction(&state.pool, move |conn| {
        Ok(paying::pay_on_behalf(conn, &caller, id, &key, &url))
    })
    .await?;
    match done {
        Ok(_) => {
            state.provision_wake.notify_one();
            state.mail_wake.notify_one();
            flash(&session, "success", ctx.t("orders.partner.paid"));
            Ok(redirect(&format!("/partner/orders/{id}")))
        }
        Err(ServiceError::Malformed(_)) => Err(AppError::BadRequest("form key".into())),
        Err(e) => refused(ctx, &member, &state, id, e).await,
    }
}

#[derive(Deserialize, Default)]
pub struct RejectForm {
    #[serde(default)]
    reason: String,
}

/// rule P2: an admin rejects the request with a reason; the order stays pending payment.
pub async fn reject_request(
    ctx: Ctx,
    member: Member,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<i64>,
    form: web::Form<RejectForm>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let reason = form.into_inner().reason.trim().to_string();
    if reason.is_empty() || reason.chars().count() > REASON_MAX {
        // The page is read before the role is known to be allowed: a reader gets 403 here too.
        member.require_admin()?;
        let mut errors = FormErrors::default();
        let max = REASON_MAX.to_string();
        errors.add("reason", ctx.tf("orders.reason.invalid", &[("max", &max)]));
        let typed = (reason, errors, ctx.t("form.fix_errors"));
        return order_page(
            ctx,
            &member,
            &state,
            id,
            typed,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let caller = member.caller.clone();
    let url = state.settings.public_url.clone();
    let done = crate::routes::transaction(&state.pool, move |conn| {
        Ok(pay_request::reject(conn, &caller, id, &reason, &url))
    })
    .await?;
    match done {
        Ok(()) => {
            state.mail_wake.notify_one();
            flash(&session, "success", ctx.t("orders.partner.rejected"));
            Ok(redirect(&format!("/partner/orders/{id}")))
        }
        Err(e) => refused(ctx, &member, &state, id, e).await,
    }
}
