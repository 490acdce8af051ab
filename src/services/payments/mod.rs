//! Paying orders and refunding them (rules K7, P2, P3, C8): how an order's amount is split
//! over a voucher, cash coupons, the balance and available credit, the transfers that move it
//! to the platform's revenue accounts, payment on behalf from the partner's cash, and refunds
//! that reverse exactly those transfers. Debts the credit creates are `services::credit`.
//! Mail is the orders area's: these functions only move money and record it.

mod choice;
mod order;
mod pay;
pub mod refund;
pub mod refusal;
pub mod split;

use rust_decimal::Decimal;

use crate::domain::PaymentSource;

pub use choice::{CouponChoice, usable_coupons};
pub use pay::{pay_on_behalf, pay_self, plan};
pub use refund::{Refunded, refund};
pub use refusal::PaymentRefusal;

/// Transfer kinds as stored (SPEC §6: their spelling stays).
pub mod kinds {
    /// Balance, credit or partner cash → revenue: paying an order (rules K7, P2). Coupons pay
    /// with `coupons::kinds::USE`.
    pub const PAY: &str = "order_payment";
    /// Revenue → where the money came from: the unused part of an unsubscribed order (P3).
    pub const REFUND: &str = "order_refund";
}

/// What the customer chose to pay with besides its balance and credit (form fields
/// `voucher_id`, `cash_coupon_id`, SPEC §5).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Choice {
    pub voucher_id: Option<i64>,
    pub cash_coupon_ids: Vec<i64>,
}

/// One source's share of an order's amount.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub source: PaymentSource,
    pub coupon_id: Option<i64>,
    pub amount: Decimal,
}

/// How an order would be paid: the parts in deduction order (K7) and what they leave
/// uncovered (`short`, zero when the order can be paid).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub amount: Decimal,
    pub parts: Vec<Part>,
    pub short: Decimal,
}

/// A payment made: the order, its parts, and whether this call made it (`false`: a double
/// submit or a racing request had paid it with the same key).
#[derive(Debug, Clone)]
pub struct Paid {
    pub order_id: i64,
    pub customer_id: i64,
    pub parts: Vec<Part>,
    pub fresh: bool,
}
