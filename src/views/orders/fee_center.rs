//! The customer's order pages in the fee center (rules P1, P2, P3, K7): the list, the order
//! form, and one order with the steps its state allows: pay (choose coupons, preview the
//! split, confirm), ask the partner to pay, cancel, unsubscribe.

use askama::Template;

use super::{OrderListRow, OrderRow, PaymentRow};
use crate::views::customers::Opt;
use crate::views::{Ctx, FormErrors, Pager};

#[derive(Template)]
#[template(path = "fee_center/orders/list.html")]
pub struct CustomerOrdersPage {
    pub ctx: Ctx,
    pub rows: Vec<OrderListRow>,
    pub states: Vec<Opt>,
    pub q: String,
    pub pager: Pager,
}

/// A product the order form offers, with its prices.
pub struct ProductChoice {
    pub code: String,
    pub name: String,
    /// Empty when the term is not offered.
    pub monthly_price: String,
    pub yearly_price: String,
    pub needs_review: bool,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "fee_center/orders/new.html")]
pub struct NewOrderPage {
    pub ctx: Ctx,
    pub products: Vec<ProductChoice>,
    pub term: String,
    pub key: String,
    pub errors: FormErrors,
    pub message: String,
}

/// A cash coupon the customer may tick (field `cash_coupon_id`).
pub struct CouponCheck {
    pub id: i64,
    pub balance: String,
    pub valid_until: String,
    pub checked: bool,
}

/// One part of the previewed split (rule K7).
pub struct PlanPart {
    pub source: String,
    pub coupon_id: Option<i64>,
    pub amount: String,
}

/// The split the chosen coupons, balance and credit would pay (the confirm step).
pub struct PlanView {
    pub parts: Vec<PlanPart>,
    pub amount: String,
    pub short: String,
    pub payable: bool,
}

/// The pay form: the voucher select (`voucher_id`, one at most), the cash coupon boxes
/// (`cash_coupon_id`), the form's key, a refusal, and the preview once asked for.
#[derive(Default)]
pub struct PayForm {
    pub vouchers: Vec<Opt>,
    pub cash_coupons: Vec<CouponCheck>,
    pub voucher_id: String,
    pub key: String,
    pub message: String,
    pub plan: Option<PlanView>,
}

#[derive(Template)]
#[template(path = "fee_center/orders/detail.html")]
pub struct CustomerOrderPage {
    pub ctx: Ctx,
    pub order: OrderRow,
    pub payments: Vec<PaymentRow>,
    pub can_pay: bool,
    pub can_request: bool,
    pub can_cancel: bool,
    pub can_unsubscribe: bool,
    pub has_partner: bool,
    pub pay: PayForm,
    /// A refusal of another step (ask, cancel, unsubscribe).
    pub message: String,
    pub errors: FormErrors,
}
