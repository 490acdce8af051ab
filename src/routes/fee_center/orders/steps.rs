//! The customer's other steps on one order: ask its partner to pay (代付, rule P2), cancel an
//! unpaid order (P2), unsubscribe a completed one (P3, the refund shown after). Each is
//! POST → flash → 303 back to the order; a step the order's state does not allow shows the
//! order's page again with the message (409).

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

use super::detail::{PayInput, order_page};
use crate::auth::CustomerUser;
use crate::domain::money::format_amount;
use crate::error::AppError;
use crate::services::ServiceError;
use crate::services::orders::{pay_request, paying, steps};
use crate::state::AppState;
use crate::views::{Ctx, flash, redirect};

/// Done: the flash and back to the order. Refused: the order's page with the message.
async fn answer(
    ctx: Ctx,
    user: &CustomerUser,
    session: &Session,
    state: &AppState,
    id: i64,
    done: Result<String, ServiceError>,
) -> Result<HttpResponse, AppError> {
    match done {
        Ok(text) => {
            flash(session, "success", text);
            Ok(redirect(&format!("/fee-center/orders/{id}")))
        }
        Err(e @ ServiceError::Refused(_)) => {
            let message = e.message_key().map(|k| ctx.t(k)).unwrap_or_default();
            let status = StatusCode::CONFLICT;
            order_page(ctx, user, state, id, PayInput::default(), message, status).await
        }
        Err(e) => Err(e.into()),
    }
}

/// rule P2: asks the customer's partner to pay the order; its admins are mailed.
pub async fn request_partner_payment(
    ctx: Ctx,
    user: CustomerUser,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let (caller, url) = (user.caller.clone(), state.settings.public_url.clone());
    let done = crate::routes::transaction(&state.pool, move |conn| {
        Ok(pay_request::request(conn, &caller, id, &url))
    })
    .await?;
    if done.is_ok() {
        state.mail_wake.notify_one();
    }
    let done = done.map(|()| ctx.t("orders.fee.requested"));
    answer(ctx, &user, &session, &state, id, done).await
}

/// rule P2: cancels the customer's unpaid order.
pub async fn cancel_order(
    ctx: Ctx,
    user: CustomerUser,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let caller = user.caller.clone();
    let done = crate::routes::transaction(&state.pool, move |conn| {
        Ok(steps::cancel(conn, &caller, id))
    })
    .await?;
    let done = done.map(|()| ctx.t("orders.fee.cancelled"));
    answer(ctx, &user, &session, &state, id, done).await
}

/// rule P3: unsubscribes the completed order; the unused days go back to whoever paid.
pub async fn unsubscribe_order(
    ctx: Ctx,
    user: CustomerUser,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let caller = user.caller.clone();
    let done = crate::routes::transaction(&state.pool, move |conn| {
        Ok(paying::unsubscribe(conn, &caller, id))
    })
    .await?;
    let done = done.map(|r| {
        let amount = ctx.money(&format_amount(r.amount));
        let forfeited = ctx.money(&format_amount(r.forfeited));
        ctx.tf(
            "orders.fee.unsubscribed",
            &[("amount", &amount), ("forfeited", &forfeited)],
        )
    });
    answer(ctx, &user, &session, &state, id, done).await
}
