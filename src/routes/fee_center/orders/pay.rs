//! Paying one's own order (rule K7): the choice (at most one voucher `voucher_id`, any cash
//! coupons `cash_coupon_id`) is previewed as the split the engine would take, then confirmed
//! under the form's key. A refusal (not enough funds, a coupon that does not fit) comes back on
//! the order's page with the choices kept.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

use super::detail::{PayInput, order_page};
use crate::auth::CustomerUser;
use crate::error::AppError;
use crate::services::ServiceError;
use crate::services::orders::paying;
use crate::services::payments::Choice;
use crate::state::AppState;
use crate::views::{Ctx, flash, redirect};

/// The pay form as sent; `None` when an id is not a number (no form of ours sends that).
fn read(fields: Vec<(String, String)>) -> Option<(Choice, PayInput)> {
    let mut input = PayInput {
        key: String::new(),
        ..PayInput::default()
    };
    let mut choice = Choice::default();
    let id = |v: &str| v.trim().parse::<i64>().ok().filter(|i| *i > 0);
    for (name, value) in fields {
        match name.as_str() {
            "voucher_id" if value.trim().is_empty() => {}
            "voucher_id" => {
                choice.voucher_id = Some(id(&value)?);
                input.voucher_id = value.trim().to_string();
            }
            "cash_coupon_id" => {
                let c = id(&value)?;
                if !choice.cash_coupon_ids.contains(&c) {
                    choice.cash_coupon_ids.push(c);
                }
            }
            "key" => input.key = value,
            _ => {}
        }
    }
    input.cash_coupon_ids = choice.cash_coupon_ids.clone();
    Some((choice, input))
}

/// The page again with a refusal of the choice: 409 for a rule, 422 for a malformed choice.
async fn refused(
    ctx: Ctx,
    user: &CustomerUser,
    state: &AppState,
    id: i64,
    mut input: PayInput,
    e: ServiceError,
) -> Result<HttpResponse, AppError> {
    let status = match &e {
        ServiceError::Refused(_) => StatusCode::CONFLICT,
        _ => return Err(e.into()),
    };
    input.message = e.message_key().map(|k| ctx.t(k)).unwrap_or_default();
    order_page(ctx, user, state, id, input, String::new(), status).await
}

async fn malformed(
    ctx: Ctx,
    user: &CustomerUser,
    state: &AppState,
    id: i64,
) -> Result<HttpResponse, AppError> {
    let input = PayInput {
        message: ctx.t("orders.fee.choose_from_list"),
        ..PayInput::default()
    };
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    order_page(ctx, user, state, id, input, String::new(), status).await
}

/// rule K7: shows the split the choice would pay (voucher, cash coupons, balance, credit) and
/// the confirm button when it covers the order.
pub async fn preview_payment(
    ctx: Ctx,
    user: CustomerUser,
    state: web::Data<AppState>,
    path: web::Path<i64>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let Some((choice, mut input)) = read(form.into_inner()) else {
        return malformed(ctx, &user, &state, id).await;
    };
    if input.key.is_empty() {
        input.key = uuid::Uuid::new_v4().to_string();
    }
    let caller = user.caller.clone();
    let c = choice.clone();
    let plan = crate::routes::run(&state.pool, move |conn| {
        Ok(paying::plan(conn, &caller, id, &c))
    })
    .await?;
    match plan {
        Ok(plan) => {
            if plan.short > rust_decimal::Decimal::ZERO {
                input.message =
                    ctx.t(crate::services::payments::PaymentRefusal::NotEnoughFunds.key());
            }
            input.plan = Some(plan);
            order_page(ctx, &user, &state, id, input, String::new(), StatusCode::OK).await
        }
        Err(e) => refused(ctx, &user, &state, id, input, e).await,
    }
}

/// rule K7: pays the order with the previewed choice under the form's key; a double submit
/// pays once.
pub async fn pay_order(
    ctx: Ctx,
    user: CustomerUser,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<i64>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let Some((choice, input)) = read(form.into_inner()) else {
        return malformed(ctx, &user, &state, id).await;
    };
    let (caller, key) = (user.caller.clone(), input.key.clone());
    let done = crate::routes::transaction(&state.pool, move |conn| {
        Ok(paying::pay_self(conn, &caller, id, &choice, &key))
    })
    .await?;
    match done {
        Ok(_) => {
            state.provision_wake.notify_one();
            flash(&session, "success", ctx.t("orders.fee.paid"));
            Ok(redirect(&format!("/fee-center/orders/{id}")))
        }
        Err(ServiceError::Malformed(_)) => Err(AppError::BadRequest("form key".into())),
        Err(e) => refused(ctx, &user, &state, id, input, e).await,
    }
}
