//! An order as lists and detail pages read it: the order joined with its customer and its
//! product, one row per order (each join a primary-key probe), and how it was paid (rule K7).
//! The customer's e-mail is masked before a partner page sees it (rule A5).

use chrono::{DateTime, NaiveDate, Utc};
use diesel::pg::Pg;
use diesel::prelude::*;
use rust_decimal::Decimal;

use crate::db::schema::{customers, order_payments, orders, products};
use crate::domain::{OrderState, PayRequest, mask};

/// One order with what its pages show beside it.
#[derive(Queryable, Debug, Clone)]
pub struct OrderLine {
    pub id: i64,
    pub customer_id: i64,
    pub company: String,
    /// Masked for partners (`masked`); customers see only their own orders.
    pub email: String,
    pub partner_id: Option<i64>,
    pub product_code: String,
    pub name_en: String,
    pub name_zh: String,
    pub term: String,
    pub price: Decimal,
    pub amount: Decimal,
    pub cut_off: Decimal,
    pub state: String,
    pub pay_request: Option<String>,
    pub pay_requested_at: Option<DateTime<Utc>>,
    pub payer: Option<String>,
    pub paid_at: Option<DateTime<Utc>>,
    pub term_start: Option<NaiveDate>,
    pub term_end: Option<NaiveDate>,
    pub reason: String,
    pub refunded: Decimal,
    pub unsubscribed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl OrderLine {
    pub fn state(&self) -> Option<OrderState> {
        OrderState::parse(&self.state)
    }

    pub fn pay_request(&self) -> Option<PayRequest> {
        self.pay_request.as_deref().and_then(PayRequest::parse)
    }

    /// The line with the customer's e-mail masked (rule A5), as partners read it.
    pub fn masked(mut self) -> OrderLine {
        self.email = mask::email(&self.email);
        self
    }
}

pub type Columns = (
    orders::id,
    orders::customer_id,
    customers::company,
    customers::email,
    orders::partner_id,
    products::code,
    products::name_en,
    products::name_zh,
    orders::term,
    orders::price,
    orders::amount,
    orders::cut_off,
    orders::state,
    orders::pay_request,
    orders::pay_requested_at,
    orders::payer,
    orders::paid_at,
    orders::term_start,
    orders::term_end,
    orders::reason,
    orders::refunded,
    orders::unsubscribed_at,
    orders::created_at,
);

/// The columns of `OrderLine`, in its order.
pub const COLUMNS: Columns = (
    orders::id,
    orders::customer_id,
    customers::company,
    customers::email,
    orders::partner_id,
    products::code,
    products::name_en,
    products::name_zh,
    orders::term,
    orders::price,
    orders::amount,
    orders::cut_off,
    orders::state,
    orders::pay_request,
    orders::pay_requested_at,
    orders::payer,
    orders::paid_at,
    orders::term_start,
    orders::term_end,
    orders::reason,
    orders::refunded,
    orders::unsubscribed_at,
    orders::created_at,
);

type Source = diesel::dsl::InnerJoin<
    diesel::dsl::InnerJoin<orders::table, customers::table>,
    products::table,
>;
/// Orders joined with their customer and product, for a list or a page to narrow.
pub type Joined<'a> = diesel::dsl::IntoBoxed<'a, Source, Pg>;

pub fn joined<'a>() -> Joined<'a> {
    orders::table
        .inner_join(customers::table)
        .inner_join(products::table)
        .into_boxed()
}

/// One part of how an order was paid (rule K7), and what went back on unsubscribing (P3).
#[derive(Queryable, Debug, Clone)]
pub struct PaymentLine {
    pub source: String,
    pub coupon_id: Option<i64>,
    pub amount: Decimal,
    pub refunded: Decimal,
    pub forfeited: Decimal,
}

/// How the order was paid, in the order the parts were taken.
pub fn payments(conn: &mut PgConnection, order_id: i64) -> QueryResult<Vec<PaymentLine>> {
    order_payments::table
        .filter(order_payments::order_id.eq(order_id))
        .order(order_payments::id)
        .select((
            order_payments::source,
            order_payments::coupon_id,
            order_payments::amount,
            order_payments::refunded,
            order_payments::forfeited,
        ))
        .load(conn)
}

/// Product ids whose code or name matches the `q` text (a small table; at most 100 ids), so a
/// list narrows its orders by id instead of joining on text.
pub fn products_matching(conn: &mut PgConnection, q: &str) -> QueryResult<Vec<i64>> {
    let pattern = crate::db::like_pattern(q);
    crate::db::page_limit::limited(
        products::table
            .filter(
                products::code
                    .ilike(pattern.clone())
                    .or(products::name_en.ilike(pattern.clone()))
                    .or(products::name_zh.ilike(pattern)),
            )
            .order(products::id)
            .select(products::id),
        100,
    )
    .load(conn)
}
