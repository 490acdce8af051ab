//! `/fee-center/orders/{id}`: one of the customer's orders (another customer's is 404) with
//! its facts, how it was paid, and the steps its state allows (rules P1–P3, K7). The page is
//! also what every step shows again when it is refused, with the choices kept.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

use crate::auth::CustomerUser;
use crate::domain::money::format_amount;
use crate::domain::{CouponKind, OrderState};
use crate::error::AppError;
use crate::services::orders::{customer_view, paying};
use crate::services::payments::Plan;
use crate::state::AppState;
use crate::views::customers::Opt;
use crate::views::orders::fee_center::{
    CouponCheck, CustomerOrderPage, PayForm, PlanPart, PlanView,
};
use crate::views::orders::{OrderRow, PaymentRow};
use crate::views::{Ctx, FormErrors, render_with};

/// The pay form as the customer left it: the choices, the form's key, a refusal, the preview.
pub struct PayInput {
    pub voucher_id: String,
    pub cash_coupon_ids: Vec<i64>,
    pub key: String,
    pub message: String,
    pub plan: Option<Plan>,
}

impl Default for PayInput {
    fn default() -> Self {
        PayInput {
            voucher_id: String::new(),
            cash_coupon_ids: Vec::new(),
            key: uuid::Uuid::new_v4().to_string(),
            message: String::new(),
            plan: None,
        }
    }
}

fn plan_view(plan: Plan) -> PlanView {
    PlanView {
        parts: plan
            .parts
            .into_iter()
            .map(|p| PlanPart {
                source: p.source.as_str().to_string(),
                coupon_id: p.coupon_id,
                amount: format_amount(p.amount),
            })
            .collect(),
        amount: format_amount(plan.amount),
        payable: plan.short <= rust_decimal::Decimal::ZERO,
        short: format_amount(plan.short),
    }
}

/// The order's page at `status`, with the pay form as `pay` left it and `message` above.
pub async fn order_page(
    ctx: Ctx,
    user: &CustomerUser,
    state: &AppState,
    id: i64,
    pay: PayInput,
    message: String,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let caller = user.caller.clone();
    let (order, coupons) = crate::routes::run(&state.pool, move |conn| {
        let order = customer_view::detail(conn, &caller, id)?;
        let coupons = if order.line.state() == Some(OrderState::PendingPayment) {
            paying::usable_coupons(conn, &caller, id)?
        } else {
            Vec::new()
        };
        Ok((order, coupons))
    })
    .await?;
    let st = order.line.state();
    let unpaid = matches!(
        st,
        Some(OrderState::PendingPayment | OrderState::PendingReview)
    );
    let payable = st == Some(OrderState::PendingPayment);
    let never_asked = order.line.pay_request().is_none();
    let can_unsubscribe =
        st == Some(OrderState::Completed) && order.line.page.unsubscribed_at.is_none();
    let mut vouchers = vec![Opt::new(
        "",
        ctx.t("orders.fee.no_voucher"),
        &pay.voucher_id,
    )];
    let mut cash_coupons = Vec::new();
    for c in coupons {
        let (balance, until) = (
            format_amount(c.balance),
            crate::i18n::iso_date(c.valid_until),
        );
        match c.kind() {
            Some(CouponKind::Voucher) => {
                let label = ctx.tf(
                    "orders.fee.coupon_label",
                    &[
                        ("id", &c.id.to_string()),
                        ("balance", &ctx.money(&balance)),
                        ("until", &until),
                    ],
                );
                vouchers.push(Opt::new(c.id.to_string(), label, &pay.voucher_id));
            }
            Some(CouponKind::CashCoupon) => cash_coupons.push(CouponCheck {
                checked: pay.cash_coupon_ids.contains(&c.id),
                id: c.id,
                balance,
                valid_until: until,
            }),
            None => {}
        }
    }
    let page = CustomerOrderPage {
        order: OrderRow::new(&ctx, order.line),
        payments: order.payments.into_iter().map(PaymentRow::from).collect(),
        can_pay: payable,
        can_request: payable && never_asked && order.has_partner,
        can_cancel: unpaid,
        can_unsubscribe,
        has_partner: order.has_partner,
        pay: PayForm {
            vouchers,
            cash_coupons,
            voucher_id: pay.voucher_id,
            key: pay.key,
            message: pay.message,
            plan: pay.plan.map(plan_view),
        },
        message,
        errors: FormErrors::default(),
        ctx,
    };
    render_with(status, &page)
}

/// rules P1, K7: the order's page.
pub async fn show_order(
    ctx: Ctx,
    user: CustomerUser,
    state: web::Data<AppState>,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    order_page(
        ctx,
        &user,
        &state,
        id,
        PayInput::default(),
        String::new(),
        StatusCode::OK,
    )
    .await
}
