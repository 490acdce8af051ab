//! Template structs of the order pages: the catalog and review queue (`ops`), the customer's
//! orders (`fee_center`), the partner's orders (`partner`), and the order line every page
//! shows, formatted once here (rule P1 states, B1 prices and cut-offs, K7 payment parts).

pub mod catalog;
pub mod fee_center;
pub mod ops;
pub mod partner;

use crate::domain::money::format_amount;
use crate::domain::price::format_price;
use crate::i18n::local_time;
use crate::services::orders::EXPIRED_REASON;
use crate::services::orders::line::{OrderLine, OrderListLine, PaymentLine};
use crate::views::Ctx;

/// One order as its own page shows it: what a list row shows (`listed`, read through as
/// `order.id`, `order.amount`, …) and the payment's amounts and times; all formatted.
pub struct OrderRow {
    pub listed: OrderListRow,
    pub price: String,
    pub cut_off: String,
    pub requested_at: String,
    /// `customer` or `partner`, empty while unpaid.
    pub payer: String,
    pub paid_at: String,
    pub refunded: String,
    pub has_refund: bool,
    pub unsubscribed_at: String,
}

impl std::ops::Deref for OrderRow {
    type Target = OrderListRow;

    fn deref(&self) -> &OrderListRow {
        &self.listed
    }
}

impl OrderRow {
    pub fn new(ctx: &Ctx, l: OrderLine) -> OrderRow {
        let time = |t: Option<chrono::DateTime<chrono::Utc>>| t.map(local_time).unwrap_or_default();
        OrderRow {
            listed: OrderListRow::new(ctx, l.listed),
            price: format_price(l.page.price),
            cut_off: format_price(l.page.cut_off),
            requested_at: time(l.page.pay_requested_at),
            payer: l.page.payer.unwrap_or_default(),
            paid_at: time(l.page.paid_at),
            has_refund: l.page.refunded > rust_decimal::Decimal::ZERO,
            refunded: format_amount(l.page.refunded),
            unsubscribed_at: time(l.page.unsubscribed_at),
        }
    }
}

/// One order as the order lists show it (`OrderListLine`, formatted); an order's own page
/// shows it within an `OrderRow`.
pub struct OrderListRow {
    pub id: i64,
    pub customer_id: i64,
    pub company: String,
    /// Masked on partner and operator pages (rule A5).
    pub email: String,
    pub product_code: String,
    /// The product's name in the reader's language.
    pub product: String,
    pub term: String,
    pub amount: String,
    pub state: String,
    /// `requested`, `paid`, `rejected`, or empty when the partner was never asked (P2).
    pub pay_request: String,
    pub created_at: String,
    /// Empty until the order is paid.
    pub term_start: String,
    pub term_end: String,
    /// Why it was rejected or cancelled, in the reader's words.
    pub reason: String,
}

impl OrderListRow {
    pub fn new(ctx: &Ctx, l: OrderListLine) -> OrderListRow {
        let date = |d: Option<chrono::NaiveDate>| d.map(crate::i18n::iso_date).unwrap_or_default();
        OrderListRow {
            id: l.id,
            customer_id: l.customer_id,
            company: l.company,
            email: l.email,
            product: ctx.lang.pick(l.name_zh, l.name_en),
            product_code: l.product_code,
            term: l.term,
            amount: format_amount(l.amount),
            state: l.state,
            pay_request: l.pay_request.unwrap_or_default(),
            created_at: local_time(l.created_at),
            term_start: date(l.term_start),
            term_end: date(l.term_end),
            reason: reason_shown(ctx, l.reason),
        }
    }
}

/// The reason as the reader reads it: the expiry job's marker in the reader's words.
fn reason_shown(ctx: &Ctx, reason: String) -> String {
    if reason == EXPIRED_REASON {
        ctx.t("orders.reason.expired")
    } else {
        reason
    }
}

/// One part of how an order was paid (rule K7) and what went back of it (P3).
pub struct PaymentRow {
    pub source: String,
    pub coupon_id: Option<i64>,
    pub amount: String,
    pub refunded: String,
    pub forfeited: String,
}

impl From<PaymentLine> for PaymentRow {
    fn from(p: PaymentLine) -> PaymentRow {
        PaymentRow {
            source: p.source,
            coupon_id: p.coupon_id,
            amount: format_amount(p.amount),
            refunded: format_amount(p.refunded),
            forfeited: format_amount(p.forfeited),
        }
    }
}
