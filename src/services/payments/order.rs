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
    ///
    /// The same statement reads the revenue account its customer's payments go to (NULL until
    /// opened: `ledger::revenue::account_for` opens it) and plans the rest of the transaction's
    /// prepared statements once per connection (generic plans; `set_config(…, true)` is
    /// `SET LOCAL`, which ends with the transaction). PostgreSQL otherwise re-plans on every
    /// execution a statement whose array parameters it cannot size ("custom plans"): for the
    /// ledger's batch of a payment that planning cost more than running it. A payment's and a
    /// refund's statements are short and their plans do not depend on the values; lists keep
    /// the default. One statement instead of three: round trips count at 1,000 payments/s.
    pub fn lock(
        conn: &mut PgConnection,
        order_id: i64,
        customer: Option<i64>,
    ) -> ServiceResult<Locked> {
        crate::db::prepared::sql_query(
            "SELECT o.id, o.customer_id, o.state, o.amount, o.term, o.signing_entity, \
                    o.pay_request, p.service_code, \
                    (SELECT r.account_id FROM revenue_accounts r \
                     WHERE r.signing_entity = o.signing_entity \
                       AND r.shard = o.customer_id % $3) AS revenue_account, \
                    set_config('plan_cache_mode', 'force_generic_plan', true) AS plan_cache_mode \
             FROM orders o JOIN products p ON p.id = o.product_id \
             WHERE o.id = $1 AND ($2::bigint IS NULL OR o.customer_id = $2) \
             FOR UPDATE OF o",
        )
        .bind::<BigInt, _>(order_id)
        .bind::<Nullable<BigInt>, _>(customer)
        .bind::<BigInt, _>(crate::ledger::revenue::SHARDS)
        .get_result::<Locked>(conn)
        .optional()?
        .ok_or(ServiceError::NotFound)
    }
}

/// A locked order and the revenue account of its customer's payments, if opened yet.
#[derive(Debug, QueryableByName)]
pub(super) struct Locked {
    #[diesel(embed)]
    pub order: OrderRow,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub revenue_account: Option<i64>,
}
