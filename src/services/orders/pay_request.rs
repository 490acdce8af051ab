//! Payment on behalf (代付, rule P2), the steps without money: the customer asks its partner to
//! pay an order pending payment (the partner's admins are mailed), and a partner admin rejects
//! the request with a reason (the customer is mailed; the order stays pending payment, so the
//! customer may pay it itself or cancel it). Paying it is `paying::pay_on_behalf`.

use chrono::Utc;
use diesel::prelude::*;

use super::{OrderRefusal, actions, lock_state, notify, partner_view};
use crate::audit::{self, Entry};
use crate::db::schema::{customers, orders};
use crate::domain::{Caller, OrderState, OrgId, PayRequest};
use crate::services::{ServiceError, ServiceResult};

/// rule P2: the customer asks its partner to pay its order. Only an order pending payment that
/// was never put to the partner may be asked about; the partner is the customer's partner now.
pub fn request(
    conn: &mut PgConnection,
    caller: &Caller,
    order_id: i64,
    public_url: &str,
) -> ServiceResult<()> {
    let customer_id = caller.customer_id()?.get();
    let owner: Option<i64> = orders::table
        .find(order_id)
        .select(orders::customer_id)
        .first(conn)
        .optional()?;
    if owner != Some(customer_id) {
        return Err(ServiceError::NotFound);
    }
    let state = lock_state(conn, order_id)?;
    let asked: Option<String> = orders::table
        .find(order_id)
        .select(orders::pay_request)
        .first(conn)?;
    if state != OrderState::PendingPayment || asked.is_some() {
        return Err(OrderRefusal::IllegalTransition.into());
    }
    let partner: Option<i64> = customers::table
        .find(customer_id)
        .select(customers::partner_id)
        .first(conn)?;
    let partner = partner.ok_or(OrderRefusal::NoPartner)?;
    diesel::update(orders::table.find(order_id))
        .set((
            orders::pay_request.eq(PayRequest::Requested.as_str()),
            orders::pay_requested_at.eq(Utc::now()),
            orders::partner_id.eq(partner),
            orders::updated_at.eq(Utc::now()),
        ))
        .execute(conn)?;
    audit::record_for_org(
        conn,
        caller,
        Some(OrgId(partner)),
        Entry::new(actions::PAY_REQUESTED, "order", order_id)
            .after(serde_json::json!({ "pay_request": PayRequest::Requested.as_str() })),
    )?;
    notify::pay_requested(conn, order_id, public_url)
}

/// rule P2: a partner admin rejects a 代付 request with a reason; the customer is mailed. A
/// request already answered (paid or rejected) is refused: each is answered once.
pub fn reject(
    conn: &mut PgConnection,
    caller: &Caller,
    order_id: i64,
    reason: &str,
    public_url: &str,
) -> ServiceResult<()> {
    let member = caller.member()?;
    partner_view::visible(conn, member, order_id)?;
    member.require_admin()?;
    let reason = super::reason(reason)?;
    let state = lock_state(conn, order_id)?;
    let asked: Option<String> = orders::table
        .find(order_id)
        .select(orders::pay_request)
        .first(conn)?;
    if state != OrderState::PendingPayment
        || asked.as_deref() != Some(PayRequest::Requested.as_str())
    {
        return Err(OrderRefusal::IllegalTransition.into());
    }
    diesel::update(orders::table.find(order_id))
        .set((
            orders::pay_request.eq(PayRequest::Rejected.as_str()),
            orders::reason.eq(&reason),
            orders::updated_at.eq(Utc::now()),
        ))
        .execute(conn)?;
    audit::record(
        conn,
        caller,
        Entry::new(actions::PAY_REJECTED, "order", order_id)
            .before(serde_json::json!({ "pay_request": PayRequest::Requested.as_str() }))
            .after(serde_json::json!({
                "pay_request": PayRequest::Rejected.as_str(), "reason": reason,
            })),
    )?;
    notify::answered(conn, order_id, Some(&reason), public_url)
}
