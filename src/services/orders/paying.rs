//! The money steps of an order as its pages take them (rules K7, P2, P3): each calls
//! `services::payments`, which moves the money, and adds what belongs to the orders area — the
//! audit row, and the customer's mail when its partner paid. Mail and audit go out only when
//! the call itself paid or refunded (`fresh`): a double submit or a racing admin that finds
//! the order already paid sends nothing twice.

use diesel::prelude::*;

use super::{actions, notify};
use crate::audit::{self, Entry};
use crate::db::schema::orders;
use crate::domain::{Caller, OrgId, Payer};
use crate::services::ServiceResult;
use crate::services::payments::{self, Choice, CouponChoice, Paid, Plan, Refunded};

/// The coupons that can pay the customer's order (the pay form's choices, rule K7).
pub fn usable_coupons(
    conn: &mut PgConnection,
    caller: &Caller,
    order_id: i64,
) -> ServiceResult<Vec<CouponChoice>> {
    payments::usable_coupons(conn, caller, order_id)
}

/// The split the choice would pay, without paying (the preview step).
pub fn plan(
    conn: &mut PgConnection,
    caller: &Caller,
    order_id: i64,
    choice: &Choice,
) -> ServiceResult<Plan> {
    payments::plan(conn, caller, order_id, choice)
}

fn audit_paid(
    conn: &mut PgConnection,
    caller: &Caller,
    paid: &Paid,
    payer: Payer,
) -> ServiceResult<()> {
    let partner: Option<i64> = orders::table
        .find(paid.order_id)
        .select(orders::partner_id)
        .first(conn)?;
    let parts: Vec<serde_json::Value> = paid
        .parts
        .iter()
        .map(|p| {
            serde_json::json!({
                "source": p.source.as_str(), "coupon": p.coupon_id, "amount": p.amount.to_string(),
            })
        })
        .collect();
    audit::record_for_org(
        conn,
        caller,
        partner.map(OrgId),
        Entry::new(actions::PAID, "order", paid.order_id).after(
            serde_json::json!({ "state": "processing", "payer": payer.as_str(), "parts": parts }),
        ),
    )?;
    Ok(())
}

/// rule K7: the customer pays its own order with the chosen coupons, then its balance and
/// available credit.
pub fn pay_self(
    conn: &mut PgConnection,
    caller: &Caller,
    order_id: i64,
    choice: &Choice,
    key: &str,
) -> ServiceResult<Paid> {
    conn.transaction(|conn| {
        let paid = payments::pay_self(conn, caller, order_id, choice, key)?;
        if paid.fresh {
            audit_paid(conn, caller, &paid, Payer::Customer)?;
        }
        Ok(paid)
    })
}

/// rule P2: an admin of the customer's partner pays a 代付 request from the partner's cash;
/// the customer is mailed when this call paid it.
pub fn pay_on_behalf(
    conn: &mut PgConnection,
    caller: &Caller,
    order_id: i64,
    key: &str,
    public_url: &str,
) -> ServiceResult<Paid> {
    conn.transaction(|conn| {
        let paid = payments::pay_on_behalf(conn, caller, order_id, key)?;
        if paid.fresh {
            audit_paid(conn, caller, &paid, Payer::Partner)?;
            notify::answered(conn, order_id, None, public_url)?;
        }
        Ok(paid)
    })
}

/// rule P3: the customer unsubscribes its completed order; the unused days go back to
/// whoever paid.
pub fn unsubscribe(
    conn: &mut PgConnection,
    caller: &Caller,
    order_id: i64,
) -> ServiceResult<Refunded> {
    conn.transaction(|conn| {
        let refunded = payments::refund(conn, caller, order_id)?;
        if refunded.fresh {
            audit::record(
                conn,
                caller,
                Entry::new(actions::UNSUBSCRIBED, "order", order_id).after(serde_json::json!({
                    "refunded": refunded.amount.to_string(),
                    "forfeited": refunded.forfeited.to_string(),
                    "unused_days": refunded.unused_days, "term_days": refunded.term_days,
                })),
            )?;
        }
        Ok(refunded)
    })
}
