//! Orders (rule P1): the catalog customers buy from, an order's life from ordering to
//! completion or cancellation, review by operators, payment on behalf (代付, P2) requests and
//! their answers, and the lists partners, customers and operators read. Moving the money
//! (paying, refunding) is `services::payments`; this area calls it and sends the mail around it.
//!
//! Who may do what (SPEC §6 "Roles for money pages"): operators keep the catalog and review;
//! a customer orders, pays, asks its partner to pay, cancels and unsubscribes its own orders;
//! a partner's admins pay or reject 代付 requests; supervisors and customer managers read their
//! customers' orders only.

pub mod catalog;
pub mod create;
pub mod customer_view;
pub mod jobs;
pub mod line;
pub mod notify;
pub mod ops_review;
pub mod partner_view;
pub mod pay_request;
pub mod paying;
pub mod refusal;
pub mod steps;

use diesel::prelude::*;

use crate::db::schema::orders;
use crate::domain::OrderState;
use crate::services::{ServiceError, ServiceResult};

pub use refusal::OrderRefusal;

/// Audit actions as stored (SPEC §6: stored names are history).
pub mod actions {
    pub const PRODUCT_CREATED: &str = "product.created";
    pub const PRODUCT_UPDATED: &str = "product.updated";
    pub const PRODUCT_STOPPED: &str = "product.stopped";
    pub const PRODUCT_RESUMED: &str = "product.resumed";
    pub const CREATED: &str = "order.created";
    pub const APPROVED: &str = "order.approved";
    pub const REVIEW_REJECTED: &str = "order.review_rejected";
    pub const CANCELLED: &str = "order.cancelled";
    pub const EXPIRED: &str = "order.expired";
    pub const COMPLETED: &str = "order.completed";
    pub const PAY_REQUESTED: &str = "order.pay_requested";
    pub const PAY_REJECTED: &str = "order.pay_rejected";
    pub const PAID: &str = "order.paid";
    pub const UNSUBSCRIBED: &str = "order.unsubscribed";
}

/// Outbox kinds of this area's mail.
pub mod mail_kinds {
    pub const PAY_REQUESTED: &str = "order_pay_requested";
    pub const PAY_REJECTED: &str = "order_pay_rejected";
    pub const PAID_BY_PARTNER: &str = "order_paid_by_partner";
}

/// The longest reason a reviewer or a partner gives (the column's bound).
pub const REASON_MAX: usize = 500;
/// The reason the job writes on an order left unpaid for `EXPIRE_AFTER_DAYS` (rule P1).
pub const EXPIRED_REASON: &str = "expired";
/// rule P1: unpaid orders are cancelled after this many days.
pub const EXPIRE_AFTER_DAYS: i64 = 7;

/// A rejection's reason: required, at most `REASON_MAX` characters (the form checks it first
/// and shows the message beside the field; this guards every other caller).
pub fn reason(text: &str) -> ServiceResult<String> {
    let text = text.trim();
    if text.is_empty() || text.chars().count() > REASON_MAX {
        return Err(ServiceError::Malformed("reason"));
    }
    Ok(text.to_string())
}

/// Locks the order's row for the rest of the transaction and reads its state: every step that
/// moves an order holds it, so two steps of one order queue and the second sees the first.
pub(crate) fn lock_state(conn: &mut PgConnection, order_id: i64) -> ServiceResult<OrderState> {
    let state: String = orders::table
        .find(order_id)
        .select(orders::state)
        .for_update()
        .first(conn)
        .optional()?
        .ok_or(ServiceError::NotFound)?;
    OrderState::parse(&state).ok_or_else(|| ServiceError::internal(format!("order state {state}")))
}

/// rule P1: `from` may become `to`, or the step is refused with a clear message.
pub fn require_move(from: OrderState, to: OrderState) -> ServiceResult<()> {
    if from.can_become(to) {
        Ok(())
    } else {
        Err(OrderRefusal::IllegalTransition.into())
    }
}
