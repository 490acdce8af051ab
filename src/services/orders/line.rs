//! An order as lists and detail pages read it: the order joined with its customer and its
//! product, one row per order (each join a primary-key probe), and how it was paid (rule K7).
//! The customer's e-mail is masked before a partner page sees it (rule A5).

use chrono::{DateTime, NaiveDate, Utc};
use diesel::pg::Pg;
use diesel::prelude::*;
use rust_decimal::Decimal;

use crate::db::constant_sql::planned_every_time;
use crate::db::page_limit::limited;
use crate::db::schema::{customers, order_payments, orders, products};
use crate::db::select_columns;
use crate::domain::{OrderState, PayRequest, mask};

/// One order as its own page reads it: what a list row shows (`listed`) and the payment's
/// amounts and times (`page`), read by one statement (`COLUMNS`) as the pair of both.
#[derive(Debug, Clone)]
pub struct OrderLine {
    pub listed: OrderListLine,
    pub page: OrderPageLine,
}

/// What only an order's own page shows of it.
#[derive(Queryable, Debug, Clone)]
pub struct OrderPageLine {
    pub partner_id: Option<i64>,
    pub price: Decimal,
    pub cut_off: Decimal,
    pub pay_requested_at: Option<DateTime<Utc>>,
    pub payer: Option<String>,
    pub paid_at: Option<DateTime<Utc>>,
    pub refunded: Decimal,
    pub unsubscribed_at: Option<DateTime<Utc>>,
}

impl From<(OrderListLine, OrderPageLine)> for OrderLine {
    fn from((listed, page): (OrderListLine, OrderPageLine)) -> OrderLine {
        OrderLine { listed, page }
    }
}

impl OrderLine {
    pub fn state(&self) -> Option<OrderState> {
        OrderState::parse(&self.listed.state)
    }

    pub fn pay_request(&self) -> Option<PayRequest> {
        self.listed
            .pay_request
            .as_deref()
            .and_then(PayRequest::parse)
    }

    /// The line with the customer's e-mail masked (rule A5), as partners read it.
    pub fn masked(mut self) -> OrderLine {
        self.listed = self.listed.masked();
        self
    }
}

// The columns of `OrderPageLine`, in its order (`PageColumns` is their type).
select_columns! {
    pub PageColumns, PAGE_COLUMNS:
    orders::partner_id,
    orders::price,
    orders::cut_off,
    orders::pay_requested_at,
    orders::payer,
    orders::paid_at,
    orders::refunded,
    orders::unsubscribed_at
}

/// The columns of `OrderLine`: a list row's and the page's, loaded as the pair.
pub type Columns = (ListColumns, PageColumns);
pub const COLUMNS: Columns = (LIST_COLUMNS, PAGE_COLUMNS);

/// An order as the order lists show it: the columns of `OrderLine` that a list row uses, so a
/// page of 20 orders decodes and formats neither the payment's times nor the amounts only an
/// order's own page shows.
#[derive(Queryable, Debug, Clone)]
pub struct OrderListLine {
    pub id: i64,
    pub customer_id: i64,
    pub company: String,
    /// Masked for partners and operators (`masked`).
    pub email: String,
    pub product_code: String,
    pub name_en: String,
    pub name_zh: String,
    pub term: String,
    pub amount: Decimal,
    pub state: String,
    pub pay_request: Option<String>,
    pub reason: String,
    pub term_start: Option<NaiveDate>,
    pub term_end: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
}

impl OrderListLine {
    /// The line with the customer's e-mail masked (rule A5), as partners and operators read it.
    pub fn masked(mut self) -> OrderListLine {
        self.email = mask::email(&self.email);
        self
    }
}

// The columns of `OrderListLine`, in its order (`ListColumns` is their type).
select_columns! {
    pub ListColumns, LIST_COLUMNS:
    orders::id,
    orders::customer_id,
    customers::company,
    customers::email,
    products::code,
    products::name_en,
    products::name_zh,
    orders::term,
    orders::amount,
    orders::state,
    orders::pay_request,
    orders::reason,
    orders::term_start,
    orders::term_end,
    orders::created_at
}

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

/// The first `limit` orders of `base` (scoped, narrowed and ordered newest first by the list)
/// that `q` matches: the customer's company (part of it) or whole e-mail (rule A5), or the
/// product's code or name. Customers and products are matched by two statements merged here
/// rather than one OR across tables, which PostgreSQL can only answer by reading every order
/// (measured at 1M orders: 1.5–2 s as one statement; each half reads its own index).
pub fn matching(
    conn: &mut PgConnection,
    base: &dyn Fn(&mut PgConnection) -> QueryResult<Joined<'static>>,
    q: &str,
    limit: i64,
) -> QueryResult<Vec<OrderListLine>> {
    if q.is_empty() {
        return limited(base(conn)?.select(LIST_COLUMNS), limit).load(conn);
    }
    // Planned with its values on every view: a rare company reads the customers' trigram
    // index, a common one walks the list's own index.
    let by_customer = base(conn)?
        .filter(
            customers::company
                .ilike(crate::db::like_pattern(q))
                .or(crate::db::whole_address(customers::email, q)),
        )
        .filter(planned_every_time());
    let mut rows: Vec<OrderListLine> =
        limited(by_customer.select(LIST_COLUMNS), limit).load(conn)?;
    let products = products_matching(conn, q)?;
    if !products.is_empty() {
        let by_product = base(conn)?
            .filter(orders::product_id.eq_any(products))
            .filter(planned_every_time());
        rows.extend(limited(by_product.select(LIST_COLUMNS), limit).load::<OrderListLine>(conn)?);
        rows.sort_by_key(|r| std::cmp::Reverse(r.id));
        rows.dedup_by_key(|r| r.id);
        rows.truncate(limit.max(0) as usize);
    }
    Ok(rows)
}
