//! Checking and inserting one staged batch of usage lines in one statement (rule B2): every row
//! is validated set-based — record id, customer (id or full e-mail), product code, period,
//! quantity and unit price with at most 8 decimals, duplicates — valid rows are inserted with
//! `ON CONFLICT (record_id) DO NOTHING` and rated (`rating::rate`, here as SQL), rejected rows
//! are kept with their reason for the report. A record id already imported with the same values
//! is skipped, not rejected: importing a file again creates nothing twice.
//!
//! The reasons are i18n keys under `usage.error.*`, in the order they are checked.
//!
//! Earlier imports are probed by record id one row at a time (a LATERAL lookup), never joined
//! whole: with millions of lines stored a hash join would read them all for every batch.

use chrono::NaiveDate;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date};

/// What one batch did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct BatchCounts {
    pub imported: i64,
    pub already: i64,
    pub rejected: i64,
}

#[derive(QueryableByName)]
struct Row {
    #[diesel(sql_type = BigInt)]
    imported: i64,
    #[diesel(sql_type = BigInt)]
    valid: i64,
    #[diesel(sql_type = BigInt)]
    already: i64,
    #[diesel(sql_type = BigInt)]
    rejected: i64,
}

/// A cell of digits with at most 12 before and 8 after the point (B1).
const NUMBER: &str = r"'^[0-9]{1,12}(\.[0-9]{1,8})?$'";

fn statement() -> String {
    format!(
        r"
WITH s AS (
    SELECT st.line, st.record_id, st.customer, st.product, st.period, st.quantity,
           st.unit_price, st.pre_error,
           coalesce(ci.id, ce.id) AS customer_id,
           p.id AS product_id,
           CASE WHEN st.period ~ '^[0-9]{{4}}-(0[1-9]|1[0-2])$'
                THEN to_date(st.period, 'YYYY-MM') END AS month,
           CASE WHEN st.quantity ~ {NUMBER} THEN st.quantity::numeric END AS qty,
           CASE WHEN st.unit_price ~ {NUMBER} THEN st.unit_price::numeric END AS price,
           row_number() OVER (PARTITION BY st.record_id ORDER BY st.line) AS nth,
           u.id AS had_id, u.import_id AS had_import, u.customer_id AS had_customer,
           u.product_id AS had_product, u.period AS had_period, u.quantity AS had_qty,
           u.unit_price AS had_price
    FROM pg_temp.usage_staging st
    LEFT JOIN customers ci
           ON ci.id = CASE WHEN st.customer ~ '^[0-9]{{1,18}}$' THEN st.customer::bigint END
    LEFT JOIN customers ce
           ON st.customer LIKE '%@%' AND lower(ce.email) = lower(st.customer)
    LEFT JOIN products p ON p.code = st.product
    LEFT JOIN LATERAL (SELECT * FROM usage_lines x WHERE x.record_id = st.record_id LIMIT 1) u
           ON TRUE
), c AS (
    SELECT s.*, CASE
        WHEN pre_error <> '' THEN pre_error
        WHEN record_id = '' OR char_length(record_id) > 64 THEN 'record_id'
        WHEN nth > 1 OR had_import = $1 THEN 'duplicate_in_file'
        WHEN customer_id IS NULL THEN 'unknown_customer'
        WHEN product_id IS NULL THEN 'unknown_product'
        WHEN month IS NULL THEN 'bad_period'
        WHEN month > $2 THEN 'future_period'
        WHEN qty IS NULL OR qty = 0 THEN 'bad_quantity'
        WHEN price IS NULL THEN 'bad_price'
        WHEN qty * price >= 1000000000000 THEN 'amount_too_large'
        WHEN had_id IS NOT NULL AND had_customer = customer_id AND had_product = product_id
             AND had_period = month AND had_qty = qty AND had_price = price THEN 'already'
        WHEN had_id IS NOT NULL THEN 'record_id_conflict'
        WHEN EXISTS (SELECT 1 FROM bills b WHERE b.customer_id = s.customer_id
                     AND b.period = s.month AND b.issued_at IS NOT NULL) THEN 'month_billed'
    END AS error
    FROM s
), ins AS (
    INSERT INTO usage_lines (record_id, customer_id, product_id, period, quantity, unit_price,
                             amount, import_id)
    SELECT record_id, customer_id, product_id, month, qty, price, trunc(qty * price, 8), $1
    FROM c WHERE error IS NULL
    ON CONFLICT (record_id) DO NOTHING
    RETURNING 1
), rej AS (
    INSERT INTO usage_import_rejects (import_id, line, record_id, customer, product, period,
                                      quantity, unit_price, error)
    SELECT $1, line, record_id, customer, product, period, quantity, unit_price, error
    FROM c WHERE error IS NOT NULL AND error <> 'already'
    ON CONFLICT (import_id, line) DO NOTHING
    RETURNING 1
)
SELECT (SELECT count(*) FROM ins) AS imported,
       (SELECT count(*) FROM c WHERE error IS NULL) AS valid,
       (SELECT count(*) FROM c WHERE error = 'already') AS already,
       (SELECT count(*) FROM rej) AS rejected"
    )
}

/// Checks and inserts the staged batch for import `import_id`; usage may be for months up to
/// `latest` (the current month), not after it. Empties the staging table.
pub fn insert_batch(
    conn: &mut PgConnection,
    import_id: i64,
    latest: NaiveDate,
) -> QueryResult<BatchCounts> {
    let row: Row = diesel::sql_query(statement())
        .bind::<BigInt, _>(import_id)
        .bind::<Date, _>(latest)
        .get_result(conn)?;
    conn.batch_execute("TRUNCATE pg_temp.usage_staging")?;
    // A valid row that lost the race to a concurrent import of the same record is there now.
    Ok(BatchCounts {
        imported: row.imported,
        already: row.already + (row.valid - row.imported),
        rejected: row.rejected,
    })
}
