//! A customer orders a product for a month or a year (rule P1). The order records the list
//! price (8 decimals) and what is charged: truncated toward zero to the cent, the rest its
//! cut-off (B1, `domain::price::charge`), and who the customer belonged to when it ordered
//! (partner, association type, signing entity). A product that needs review starts pending
//! review; any other pending payment. The form's key makes a double submit find the first
//! order instead of placing a second one.

use diesel::prelude::*;

use super::catalog::Product;
use super::{OrderRefusal, actions};
use crate::audit::{self, Entry};
use crate::db::schema::{customers, orders, products};
use crate::domain::price::charge;
use crate::domain::{Caller, OrderState, OrgId, Term};
use crate::services::customers::top_up::valid_key;
use crate::services::{ServiceError, ServiceResult};

/// What the order form sends (SPEC §6: `product` is the catalog code, `term` `month` or
/// `year`), with the form's hidden key.
#[derive(Debug, Clone)]
pub struct OrderInput {
    pub product: String,
    pub term: Term,
    pub key: String,
}

/// rule P1: places the order and returns its id; the same key returns the same order.
pub fn create(conn: &mut PgConnection, caller: &Caller, input: &OrderInput) -> ServiceResult<i64> {
    let customer_id = caller.customer_id()?.get();
    if !valid_key(&input.key) {
        return Err(ServiceError::Malformed("idempotency key"));
    }
    // Keys are per customer: another customer's key never finds this customer's order.
    let create_key = format!("{customer_id}:{}", input.key);
    if let Some(id) = by_key(conn, &create_key)? {
        return Ok(id);
    }
    let product: Product = products::table
        .filter(products::code.eq(input.product.trim()))
        .filter(products::active.eq(true))
        .select(Product::as_select())
        .first(conn)
        .optional()?
        .ok_or(OrderRefusal::ProductUnavailable)?;
    let price = product
        .price_of(input.term)
        .ok_or(OrderRefusal::TermNotOffered)?;
    let (amount, cut_off) = charge(price);
    if amount <= rust_decimal::Decimal::ZERO {
        // A price below one cent charges nothing: the catalog form refuses it, and an order
        // of nothing is not one.
        return Err(OrderRefusal::ProductUnavailable.into());
    }
    let (partner_id, association_type, signing_entity): (Option<i64>, Option<String>, String) =
        customers::table
            .find(customer_id)
            .select((
                customers::partner_id,
                customers::association_type,
                customers::signing_entity,
            ))
            .first(conn)?;
    let state = if product.needs_review {
        OrderState::PendingReview
    } else {
        OrderState::PendingPayment
    };
    let inserted: Option<i64> = diesel::insert_into(orders::table)
        .values((
            orders::customer_id.eq(customer_id),
            orders::partner_id.eq(partner_id),
            orders::association_type.eq(association_type),
            orders::signing_entity.eq(signing_entity),
            orders::product_id.eq(product.id),
            orders::term.eq(input.term.as_str()),
            orders::price.eq(price),
            orders::amount.eq(amount),
            orders::cut_off.eq(cut_off),
            orders::state.eq(state.as_str()),
            orders::create_key.eq(&create_key),
        ))
        .on_conflict(orders::create_key)
        .do_nothing()
        .returning(orders::id)
        .get_result(conn)
        .optional()?;
    let Some(id) = inserted else {
        // A racing submit of the same form committed first: its order is this one.
        return by_key(conn, &create_key)?.ok_or(ServiceError::NotFound);
    };
    audit::record_for_org(
        conn,
        caller,
        partner_id.map(OrgId),
        Entry::new(actions::CREATED, "order", id).after(serde_json::json!({
            "product": product.code, "term": input.term.as_str(), "price": price.to_string(),
            "amount": amount.to_string(), "cut_off": cut_off.to_string(), "state": state.as_str(),
        })),
    )?;
    Ok(id)
}

fn by_key(conn: &mut PgConnection, create_key: &str) -> QueryResult<Option<i64>> {
    orders::table
        .filter(orders::create_key.eq(create_key))
        .select(orders::id)
        .first(conn)
        .optional()
}
