//! The moves of an order that carry no money (rule P1): an operator approves an order pending
//! review (it becomes payable) or rejects it with a reason (cancelled); a customer cancels its
//! own unpaid order (P2). Each locks the order, asks `OrderState::can_become`, writes the new
//! state and its audit row in the caller's transaction; a step the state does not allow is
//! refused with `OrderRefusal::IllegalTransition`.

use chrono::Utc;
use diesel::prelude::*;

use super::{OrderRefusal, actions, lock_state, require_move};
use crate::audit::{self, Entry};
use crate::db::schema::orders;
use crate::domain::{Caller, OrderState, OrgId};
use crate::services::{ServiceError, ServiceResult};

/// Moves the locked order from `from` to `to`, with `reason` when one is given, and audits it
/// in the log of the order's partner.
pub(crate) fn write_move(
    conn: &mut PgConnection,
    caller: &Caller,
    order_id: i64,
    (from, to): (OrderState, OrderState),
    action: &str,
    reason: Option<&str>,
) -> ServiceResult<()> {
    require_move(from, to)?;
    let partner: Option<i64> = diesel::update(orders::table.find(order_id))
        .set((
            orders::state.eq(to.as_str()),
            orders::updated_at.eq(Utc::now()),
        ))
        .returning(orders::partner_id)
        .get_result(conn)?;
    if let Some(reason) = reason {
        diesel::update(orders::table.find(order_id))
            .set(orders::reason.eq(reason))
            .execute(conn)?;
    }
    let mut after = serde_json::json!({ "state": to.as_str() });
    if let Some(reason) = reason {
        after["reason"] = serde_json::Value::from(reason);
    }
    audit::record_for_org(
        conn,
        caller,
        partner.map(OrgId),
        Entry::new(action, "order", order_id)
            .before(serde_json::json!({ "state": from.as_str() }))
            .after(after),
    )?;
    Ok(())
}

/// rule P1: an operator approves an order pending review; it waits for payment.
pub fn approve(conn: &mut PgConnection, caller: &Caller, order_id: i64) -> ServiceResult<()> {
    caller.require_operator()?;
    let from = lock_state(conn, order_id)?;
    write_move(
        conn,
        caller,
        order_id,
        (from, OrderState::PendingPayment),
        actions::APPROVED,
        None,
    )
}

/// rule P1: an operator rejects an order pending review, with a reason; it is cancelled.
/// Only an order pending review is reviewed: a second decision is refused.
pub fn reject_review(
    conn: &mut PgConnection,
    caller: &Caller,
    order_id: i64,
    reason: &str,
) -> ServiceResult<()> {
    caller.require_operator()?;
    let reason = super::reason(reason)?;
    let from = lock_state(conn, order_id)?;
    if from != OrderState::PendingReview {
        return Err(OrderRefusal::IllegalTransition.into());
    }
    write_move(
        conn,
        caller,
        order_id,
        (from, OrderState::Cancelled),
        actions::REVIEW_REJECTED,
        Some(&reason),
    )
}

/// rule P2: the customer cancels its own order while it is unpaid (pending review or
/// payment); another customer's order is not found.
pub fn cancel(conn: &mut PgConnection, caller: &Caller, order_id: i64) -> ServiceResult<()> {
    let customer_id = caller.customer_id()?.get();
    let owner: Option<i64> = orders::table
        .find(order_id)
        .select(orders::customer_id)
        .first(conn)
        .optional()?;
    if owner != Some(customer_id) {
        return Err(ServiceError::NotFound);
    }
    let from = lock_state(conn, order_id)?;
    write_move(
        conn,
        caller,
        order_id,
        (from, OrderState::Cancelled),
        actions::CANCELLED,
        None,
    )
}
