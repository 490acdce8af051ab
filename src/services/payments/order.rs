//! The order as payments read it: who it belongs to, its state and amount, and the service
//! and signing entity that decide which coupons fit and which revenue account receives it.

use diesel::prelude::*;
use rust_decimal::Decimal;

use crate::db::schema::{orders, products};
use crate::domain::{Caller, OrderState};
use crate::services::{ServiceError, ServiceResult};

#[derive(Debug, Clone, Queryable)]
pub(super) struct OrderRow {
    pub id: i64,
    pub customer_id: i64,
    pub state: String,
    pub amount: Decimal,
    pub term: String,
    pub signing_entity: String,
    pub pay_request: Option<String>,
    pub service_code: String,
}

type Columns = (
    orders::id,
    orders::customer_id,
    orders::state,
    orders::amount,
    orders::term,
    orders::signing_entity,
    orders::pay_request,
    products::service_code,
);

const COLUMNS: Columns = (
    orders::id,
    orders::customer_id,
    orders::state,
    orders::amount,
    orders::term,
    orders::signing_entity,
    orders::pay_request,
    products::service_code,
);

impl OrderRow {
    pub fn state(&self) -> ServiceResult<OrderState> {
        OrderState::parse(&self.state)
            .ok_or_else(|| ServiceError::internal(format!("order state {}", self.state)))
    }

    /// The signed-in customer's own order; any other id is not found.
    pub fn of_customer(
        conn: &mut PgConnection,
        caller: &Caller,
        order_id: i64,
    ) -> ServiceResult<OrderRow> {
        let customer_id = caller.customer_id()?.get();
        orders::table
            .inner_join(products::table)
            .filter(orders::id.eq(order_id))
            .filter(orders::customer_id.eq(customer_id))
            .select(COLUMNS)
            .first(conn)
            .optional()?
            .ok_or(ServiceError::NotFound)
    }

    /// The order, locked until the transaction ends: payments and refunds of one order queue
    /// here, so each sees what the one before did.
    pub fn lock(conn: &mut PgConnection, order_id: i64) -> ServiceResult<OrderRow> {
        orders::table
            .find(order_id)
            .select(orders::id)
            .for_update()
            .first::<i64>(conn)
            .optional()?
            .ok_or(ServiceError::NotFound)?;
        orders::table
            .inner_join(products::table)
            .filter(orders::id.eq(order_id))
            .select(COLUMNS)
            .first(conn)
            .map_err(Into::into)
    }
}
