//! What billing one chunk of customers for a month reads, each in one statement for the whole
//! chunk: the customers still to bill, their usage grouped by product and unit price, their
//! signing entity and discount, the partner that held each in the month and the managers'
//! assignments overlapping it (C5).

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Date, Nullable, Numeric, Text, Timestamptz};
use rust_decimal::Decimal;

use crate::db::schema::{bills, customers, usage_lines};

/// The next `limit` customers after `after` with usage in the month, by id.
pub fn next_customers(
    conn: &mut PgConnection,
    period: NaiveDate,
    after: i64,
    limit: i64,
) -> QueryResult<Vec<i64>> {
    usage_lines::table
        .filter(usage_lines::period.eq(period))
        .filter(usage_lines::customer_id.gt(after))
        .select(usage_lines::customer_id)
        .distinct()
        .order(usage_lines::customer_id)
        .limit(limit)
        .load(conn)
}

/// Those of `ids` that already have an issued bill for the month.
pub fn already_billed(
    conn: &mut PgConnection,
    period: NaiveDate,
    ids: &[i64],
) -> QueryResult<Vec<i64>> {
    bills::table
        .filter(bills::period.eq(period))
        .filter(bills::customer_id.eq_any(ids))
        .filter(bills::issued_at.is_not_null())
        .select(bills::customer_id)
        .load(conn)
}

/// A customer's usage of one product at one unit price in the month.
#[derive(Debug, Clone, QueryableByName)]
pub struct UsageGroup {
    #[diesel(sql_type = BigInt)]
    pub customer_id: i64,
    #[diesel(sql_type = BigInt)]
    pub product_id: i64,
    #[diesel(sql_type = Text)]
    pub service_code: String,
    #[diesel(sql_type = Numeric)]
    pub unit_price: Decimal,
    #[diesel(sql_type = Numeric)]
    pub quantity: Decimal,
    /// The sum of the lines' rated amounts (8 decimals, B1).
    #[diesel(sql_type = Numeric)]
    pub list_amount: Decimal,
}

pub fn usage(
    conn: &mut PgConnection,
    period: NaiveDate,
    ids: &[i64],
) -> QueryResult<Vec<UsageGroup>> {
    diesel::sql_query(
        "SELECT u.customer_id, u.product_id, p.service_code, u.unit_price,
                sum(u.quantity) AS quantity, sum(u.amount) AS list_amount
         FROM usage_lines u JOIN products p ON p.id = u.product_id
         WHERE u.period = $1 AND u.customer_id = ANY($2)
         GROUP BY u.customer_id, u.product_id, p.service_code, u.unit_price
         ORDER BY u.customer_id, u.product_id, u.unit_price",
    )
    .bind::<Date, _>(period)
    .bind::<Array<BigInt>, _>(ids)
    .load(conn)
}

/// A customer's signing entity and discount as they are when the bill is issued.
pub fn customers(conn: &mut PgConnection, ids: &[i64]) -> QueryResult<Vec<(i64, String, Decimal)>> {
    customers::table
        .filter(customers::id.eq_any(ids))
        .select((
            customers::id,
            customers::signing_entity,
            customers::discount,
        ))
        .load(conn)
}

/// The partner of the month for each customer that had one: the association that lasted
/// longest into the month (the one open at its end, else the last to end in it).
#[derive(Debug, Clone, QueryableByName)]
pub struct MonthPartner {
    #[diesel(sql_type = BigInt)]
    pub customer_id: i64,
    #[diesel(sql_type = BigInt)]
    pub partner_id: i64,
    #[diesel(sql_type = Text)]
    pub association_type: String,
}

pub fn partners(
    conn: &mut PgConnection,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    ids: &[i64],
) -> QueryResult<Vec<MonthPartner>> {
    diesel::sql_query(
        "SELECT DISTINCT ON (customer_id) customer_id, partner_id, association_type
         FROM associations
         WHERE customer_id = ANY($1) AND started_at < $3
           AND (ended_at IS NULL OR ended_at > $2)
         ORDER BY customer_id, coalesce(ended_at, 'infinity') DESC, started_at DESC, id DESC",
    )
    .bind::<Array<BigInt>, _>(ids)
    .bind::<Timestamptz, _>(start)
    .bind::<Timestamptz, _>(end)
    .load(conn)
}

/// A manager assignment overlapping the month (C5).
#[derive(Debug, Clone, QueryableByName)]
pub struct Assignment {
    #[diesel(sql_type = BigInt)]
    pub customer_id: i64,
    #[diesel(sql_type = BigInt)]
    pub partner_id: i64,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub manager_id: Option<i64>,
    #[diesel(sql_type = Timestamptz)]
    pub from_at: DateTime<Utc>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub to_at: Option<DateTime<Utc>>,
}

pub fn assignments(
    conn: &mut PgConnection,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    ids: &[i64],
) -> QueryResult<Vec<Assignment>> {
    diesel::sql_query(
        "SELECT customer_id, partner_id, manager_id, from_at, to_at
         FROM manager_assignments
         WHERE customer_id = ANY($1) AND from_at < $3 AND (to_at IS NULL OR to_at > $2)
         ORDER BY customer_id, from_at, id",
    )
    .bind::<Array<BigInt>, _>(ids)
    .bind::<Timestamptz, _>(start)
    .bind::<Timestamptz, _>(end)
    .load(conn)
}
