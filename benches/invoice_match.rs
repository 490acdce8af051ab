//! The specified-amount match (rule B6; issue 23: "over 10k bills the match takes under
//! 100 ms"): one customer with 10,000 monthly bills at two tax rates (20,000 invoiceable
//! items) among 90,000 bills of other customers, a refund and an adjustment, matched for an
//! amount that takes every item — the worst case — through the real `request::preview` (the
//! title, one index walk of `invoice_items_open_idx`, the walk in memory, the B5 plan).
//! Prints the plan of the item query, the median and slowest of 20 runs, and PASS/FAIL on the
//! median. Works in its own database (`PC_BENCH_DATABASE_URL`, default `pc_bench_invoices`),
//! dropped and recreated.

use std::time::{Duration, Instant};

use diesel::prelude::*;
use partner_center::db;
use partner_center::domain::{Caller, CustomerId, Party, UserId};
use partner_center::services::invoices::Medium;
use partner_center::services::invoices::request::{self, Mode, RequestInput};
use rust_decimal::Decimal;

const TARGET: Duration = Duration::from_millis(100);
const RUNS: usize = 20;

/// 10 customers with 10,000 monthly bills each (back from 2025-12), two lines per bill at 6%
/// and 13%: the bill-lines trigger of migration 000400 makes two items per bill.
const SQL: &str = "
INSERT INTO organizations (name, kind, signing_entity) VALUES ('Bench partner', 'distributor', 'Bench entity');
INSERT INTO customers (company, email, signing_entity, partner_id, association_type)
    SELECT 'Bench customer ' || g, 'c' || g || '@bench.test', 'Bench entity',
           (SELECT min(id) FROM organizations), 'resale'
    FROM generate_series(1, 10) g;
INSERT INTO users (email, audience, password_hash, display_name, customer_id)
    SELECT email, 'customer', 'not-a-hash', company, id FROM customers;
INSERT INTO products (code, name_en, name_zh, service_code, monthly_price, tax_rate)
    VALUES ('bench-six', 'Bench 6', 'Bench 6', 'ECS', 1, 6),
           ('bench-thirteen', 'Bench 13', 'Bench 13', 'ECS', 1, 13);
INSERT INTO invoice_titles (customer_id, title_type, invoice_kind, name, is_default)
    SELECT id, 'enterprise', 'vat_normal', company, TRUE FROM customers;
INSERT INTO bills (customer_id, period, amount, partner_id, association_type, signing_entity,
                   subtotal, voucher_deduction, from_balance, issued_at, paid_at)
    SELECT c.id, date '2025-12-01' - make_interval(months => m), 30.00, c.partner_id, 'resale',
           'Bench entity', 30.00, 1.00, 29.00, now(), now()
    FROM customers c, generate_series(0, 9999) m;
INSERT INTO bill_lines (bill_id, product_id, quantity, unit_price, list_amount, amount, charged,
                        cut_off)
    SELECT b.id, p.id, 1, x.a, x.a, x.a, x.a, 0
    FROM bills b
    CROSS JOIN (VALUES ('bench-six', 10.00), ('bench-thirteen', 20.00)) x(code, a)
    JOIN products p ON p.code = x.code;
INSERT INTO invoice_items (customer_id, kind, issuer_org_id, signing_entity, tax_rate, rank,
                           occurred_at, amount, note)
    SELECT min(id), 'adjustment', (SELECT min(id) FROM organizations), 'Bench entity', 6, 0,
           now(), -5.00, 'bench' FROM customers;
VACUUM ANALYZE invoice_items";

fn main() -> anyhow::Result<()> {
    let url = std::env::var("PC_BENCH_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/pc_bench_invoices".into());
    recreate(&url)?;
    let mut conn = PgConnection::establish(&url)?;
    let clock = Instant::now();
    // Autovacuum's work, done at once: the match's index-only scan reads no heap page.
    for statement in SQL.split(";\n") {
        diesel::sql_query(statement).execute(&mut conn)?;
    }
    let (customer, user, title, issuer): (i64, i64, i64, i64) = diesel::sql_query(
        "SELECT c.id AS customer, u.id AS user, t.id AS title, c.partner_id AS issuer
         FROM customers c JOIN users u ON u.customer_id = c.id
         JOIN invoice_titles t ON t.customer_id = c.id ORDER BY c.id LIMIT 1",
    )
    .get_result::<Ids>(&mut conn)
    .map(|r| (r.customer, r.user, r.title, r.issuer))?;
    let total: Decimal = diesel::sql_query(format!(
        "SELECT COALESCE(sum(amount), 0) AS total FROM invoice_items
         WHERE customer_id = {customer} AND invoice_id IS NULL"
    ))
    .get_result::<Total>(&mut conn)?
    .total;
    let items: i64 = diesel::sql_query("SELECT count(*) AS n FROM invoice_items")
        .get_result::<Count>(&mut conn)?
        .n;
    println!(
        "invoice match bench: {items} items of 100,000 bills written in {:.1}s; the customer's \
         invoiceable total {total}",
        clock.elapsed().as_secs_f64()
    );
    for line in explain(&mut conn, customer, issuer)? {
        println!("  plan: {line}");
    }
    let caller = Caller::system("bench").as_party(
        Party::Customer {
            user_id: UserId(user),
            customer_id: CustomerId(customer),
        },
        "bench@bench.test",
    );
    let input = RequestInput {
        issuer: Some(Some(issuer)),
        title_id: title,
        medium: Medium::Electronic,
        mode: Mode::Amount(total),
    };
    let mut times = Vec::with_capacity(RUNS);
    let mut picked = 0;
    for _ in 0..RUNS {
        let start = Instant::now();
        let preview = request::preview(&mut conn, &caller, &input)
            .map_err(|e| anyhow::anyhow!("preview: {e}"))?;
        times.push(start.elapsed());
        picked = preview.picks.len();
        assert_eq!(preview.total, total);
    }
    times.sort();
    let (median, worst) = (times[RUNS / 2], times[RUNS - 1]);
    println!(
        "match of {picked} items over 10,000 bills: median {:.1} ms, slowest {:.1} ms ({RUNS} runs)",
        median.as_secs_f64() * 1e3,
        worst.as_secs_f64() * 1e3
    );
    verdict(
        "invoice match over 10k bills",
        median < TARGET,
        &format!(
            "median {:.1} ms, target < {} ms",
            median.as_secs_f64() * 1e3,
            TARGET.as_millis()
        ),
    );
    Ok(())
}

#[derive(QueryableByName)]
struct Ids {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    customer: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    user: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    title: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    issuer: i64,
}

#[derive(QueryableByName)]
struct Total {
    #[diesel(sql_type = diesel::sql_types::Numeric)]
    total: Decimal,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

#[derive(QueryableByName)]
struct Plan {
    #[diesel(sql_type = diesel::sql_types::Text, column_name = "QUERY PLAN")]
    line: String,
}

/// The plan of the match's item query, as `items::free` writes it.
fn explain(conn: &mut PgConnection, customer: i64, issuer: i64) -> anyhow::Result<Vec<String>> {
    let rows: Vec<Plan> = diesel::sql_query(format!(
        "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON)
         SELECT id, kind, bill_id, order_id, signing_entity, tax_rate, period, occurred_at,
                amount, voucher_excluded
         FROM invoice_items
         WHERE customer_id = {customer} AND invoice_id IS NULL AND issuer_org_id = {issuer}
           AND (period IS NULL OR period <= date '2025-12-01')
         ORDER BY rank, occurred_at, id"
    ))
    .load(conn)?;
    Ok(rows.into_iter().map(|r| r.line).collect())
}

/// The PASS/FAIL line every benchmark prints (see scripts/bench.d/common.sh).
fn verdict(name: &str, pass: bool, detail: &str) {
    println!("{} {name} ({detail})", if pass { "PASS" } else { "FAIL" });
}

fn recreate(url: &str) -> anyhow::Result<()> {
    let (admin, name) = db::split_database_url(url)?;
    let mut conn = PgConnection::establish(&admin)?;
    diesel::sql_query(format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
        .execute(&mut conn)?;
    db::create_database_if_missing(url)?;
    db::run_migrations(&mut PgConnection::establish(url)?)?;
    Ok(())
}
