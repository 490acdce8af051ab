//! The customer's own orders in the fee center (rule P1): the list, newest first with keyset
//! pages on `orders_customer_idx`, narrowed by state and by `q` (product code or name), and one
//! order's page with how it was paid (K7) and what the customer may do with it now. Another
//! customer's order is not found.

use crate::db::runtime_value::at_run_time;
use diesel::prelude::*;

use super::line::{
    COLUMNS, LIST_COLUMNS, OrderLine, OrderListLine, OrderPageLine, PaymentLine, joined, payments,
    products_matching,
};
use crate::db::constant_sql::{id_is_one_of, word_is};
use crate::db::page_limit::limited;
use crate::db::schema::{customers, orders};
use crate::domain::{Caller, OrderState};
use crate::services::keyset::take_page;
use crate::services::{ServiceError, ServiceResult};

/// What the list was asked for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub state: Option<OrderState>,
    /// Product code or name (part of it).
    pub q: String,
}

/// One page of the customer's orders after the order id `after`, and the next page's cursor.
pub fn page(
    conn: &mut PgConnection,
    caller: &Caller,
    filter: &Filter,
    after: Option<i64>,
    size: i64,
) -> ServiceResult<(Vec<OrderListLine>, Option<String>)> {
    let customer_id = caller.customer_id()?.get();
    let size = size.max(1);
    // As in the coupon list: the customer as a constant one-element array and the order
    // `(customer_id, id DESC)`, so only `orders_customer_idx` gives the order and the statement
    // keeps its prepared plan.
    let mut query = joined().filter(id_is_one_of("orders", "customer_id", customer_id));
    if let Some(s) = filter.state {
        query = query.filter(word_is("orders", "state", s.as_str()));
    }
    if !filter.q.is_empty() {
        let ids = products_matching(conn, &filter.q)?;
        query = query
            .filter(orders::product_id.eq_any(ids))
            .filter(crate::db::constant_sql::planned_every_time());
    }
    if let Some(a) = after {
        query = query.filter(orders::id.lt(at_run_time(a)));
    }
    let query = query
        .order((orders::customer_id, orders::id.desc()))
        .select(LIST_COLUMNS);
    let mut rows: Vec<OrderListLine> = limited(query, size + 1).load(conn)?;
    let next = take_page(&mut rows, size, |r| r.id.to_string());
    Ok((rows, next))
}

/// One of the customer's orders with how it was paid.
pub struct CustomerOrder {
    pub line: OrderLine,
    pub payments: Vec<PaymentLine>,
    /// Whether the customer has a partner to ask to pay (rule P2).
    pub has_partner: bool,
}

/// The customer's own order; any other id is not found.
pub fn detail(conn: &mut PgConnection, caller: &Caller, id: i64) -> ServiceResult<CustomerOrder> {
    let customer_id = caller.customer_id()?.get();
    let line = joined()
        .filter(orders::id.eq(id))
        .filter(orders::customer_id.eq(customer_id))
        .select(COLUMNS)
        .first::<(OrderListLine, OrderPageLine)>(conn)
        .optional()?
        .map(OrderLine::from)
        .ok_or(ServiceError::NotFound)?;
    let payments = payments(conn, id)?;
    let partner: Option<i64> = customers::table
        .find(customer_id)
        .select(customers::partner_id)
        .first(conn)?;
    Ok(CustomerOrder {
        line,
        payments,
        has_partner: partner.is_some(),
    })
}
