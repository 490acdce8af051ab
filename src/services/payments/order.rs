//! The order as payments read it: who it belongs to, its state and amount, and the service
//! and signing entity that decide which coupons fit and which revenue account receives it.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Numeric, Text};
use rust_decimal::Decimal;

use crate::db::schema::{orders, products};
use crate::domain::{Caller, OrderState};
use crate::services::{ServiceError, ServiceResult};

#[derive(Debug, Clone, Queryable, QueryableByName)]
#[diesel(check_for_backend(diesel::pg::Pg))]
pub(super) struct OrderRow {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = BigInt)]
    pub customer_id: i64,
    #[diesel(sql_type = Text)]
    pub state: String,
    #[diesel(sql_type = Numeric)]
    pub amount: Decimal,
    #[diesel(sql_type = Text)]
    pub term: String,
    #[diesel(sql_type = Text)]
    pub signing_entity: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub pay_request: Option<String>,
    #[diesel(sql_type = Text)]
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

    /// The order, locked until the transaction ends (`customer`: only if it is that
    /// customer's; otherwise not found): payments and refunds of one order queue here, so
    /// each sees what the one before did. Only the order row is locked, not its product.
    pub fn lock(
        conn: &mut PgConnection,
        order_id: i64,
        customer: Option<i64>,
    ) -> ServiceResult<OrderRow> {
        crate::db::prepared::sql_query(
            "SELECT o.id, o.customer_id, o.state, o.amount, o.term, o.signing_entity, \
                    o.pay_request, p.service_code \
             FROM orders o JOIN products p ON p.id = o.product_id \
             WHERE o.id = $1 AND ($2::bigint IS NULL OR o.customer_id = $2) \
             FOR UPDATE OF o",
        )
        .bind::<BigInt, _>(order_id)
        .bind::<Nullable<BigInt>, _>(customer)
        .get_result::<OrderRow>(conn)
        .optional()?
        .ok_or(ServiceError::NotFound)
    }
}
