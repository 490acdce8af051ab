//! The payments benchmark's data: one partner, customers with a funded balance, one product,
//! and per order a cash coupon of 1.00 (the order costs 10.00, so each payment moves 1.00
//! from the coupon and 9.00 from the balance). Rows are written set-based; money enters only
//! through the ledger (fan-outs of at most 1,000 legs).

use diesel::prelude::*;
use partner_center::domain::{Caller, Money};
use partner_center::ledger::{self, AccountKind, Leg};

const SQL: &str = "
INSERT INTO organizations (name, kind, signing_entity)
    VALUES ('Bench partner', 'solution_provider', 'Bench entity');
INSERT INTO customers (company, email, signing_entity, partner_id, association_type)
    SELECT 'Bench customer ' || g, 'c' || g || '@bench.test', 'Bench entity',
           (SELECT min(id) FROM organizations), 'resale'
    FROM generate_series(1, :customers) g;
INSERT INTO users (email, audience, password_hash, display_name, customer_id)
    SELECT email, 'customer', 'not-a-hash', company, id FROM customers;
INSERT INTO products (code, name_en, name_zh, service_code, monthly_price, tax_rate)
    VALUES ('bench-ecs', 'Bench ECS', 'Bench ECS', 'ECS', 10, 6);
INSERT INTO orders (customer_id, partner_id, association_type, signing_entity, product_id,
                    term, price, amount, state, create_key)
    SELECT c.id, c.partner_id, 'resale', 'Bench entity', (SELECT min(id) FROM products),
           'month', 10, 10, 'pending_payment', 'bench-order-' || g
    FROM generate_series(1, :orders) g
    JOIN customers c ON c.id = (SELECT min(id) FROM customers) + g % :customers";

#[derive(QueryableByName)]
struct Id {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    id: i64,
}

#[derive(QueryableByName)]
struct OrderToPay {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    order_id: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    customer_id: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    user_id: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    coupon_id: i64,
}

/// (order, customer, customer's user, coupon) per order, shuffled so workers spread.
pub fn run(
    conn: &mut PgConnection,
    customers: i64,
    orders: i64,
) -> anyhow::Result<Vec<(i64, i64, i64, i64)>> {
    let sql = SQL
        .replace(":customers", &customers.to_string())
        .replace(":orders", &orders.to_string());
    for statement in sql.split(";\n") {
        diesel::sql_query(statement).execute(conn)?;
    }
    let actor = Caller::system("bench");
    let customer_ids: Vec<i64> = ids(conn, "SELECT id FROM customers ORDER BY id")?;
    let per_customer = Money::from_decimal((orders / customers + 1).max(1).into())
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let mut balances = Vec::with_capacity(customer_ids.len());
    for c in &customer_ids {
        balances.push(ledger::accounts::for_customer(conn, *c, AccountKind::CustomerBalance)?.id);
    }
    let external = ledger::accounts::platform(conn, AccountKind::External)?.id;
    fan_out(
        conn,
        external,
        &balances,
        per_customer.amount() * rust_decimal::Decimal::from(9),
        "bench-fund",
        &actor,
    )?;

    // One grant (for the coupons' foreign key) and a coupon account per order.
    let partner: i64 = ids(conn, "SELECT min(id) AS id FROM organizations")?[0];
    let grant_account =
        ledger::accounts::open_own(conn, AccountKind::CashCouponQuota, Some(partner), None, "")?.id;
    let grant = ids(
        conn,
        &format!(
            "INSERT INTO quota_grants (partner_id, kind, account_id, amount, valid_from, valid_until)
             VALUES ({partner}, 'cash_coupon', {grant_account}, {orders}, current_date - 1, current_date + 365)
             RETURNING id"
        ),
    )?[0];
    let order_rows: Vec<(i64, i64)> =
        diesel::sql_query("SELECT id, customer_id AS n FROM orders ORDER BY id")
            .load::<IdAndCustomer>(conn)?
            .into_iter()
            .map(|r| (r.id, r.n))
            .collect();
    let owners: Vec<(Option<i64>, Option<i64>)> =
        order_rows.iter().map(|(_, c)| (None, Some(*c))).collect();
    let mut accounts = Vec::with_capacity(owners.len());
    for chunk in owners.chunks(5_000) {
        accounts.extend(ledger::accounts::open_own_many(
            conn,
            AccountKind::Coupon,
            chunk,
        )?);
    }
    for (chunk_orders, chunk_accounts) in order_rows.chunks(5_000).zip(accounts.chunks(5_000)) {
        let values: Vec<String> = chunk_orders
            .iter()
            .zip(chunk_accounts)
            .map(|((o, c), a)| {
                format!(
                    "('cash_coupon', {c}, {partner}, {grant}, {a}, 1, current_date - 1, current_date + 30, 'bench-{o}')"
                )
            })
            .collect();
        diesel::sql_query(format!(
            "INSERT INTO coupons (kind, customer_id, partner_id, grant_id, account_id, face_value,
                                  valid_from, valid_until, issue_key) VALUES {}",
            values.join(",")
        ))
        .execute(conn)?;
    }
    let platform = ledger::accounts::platform(conn, AccountKind::Platform)?.id;
    fan_out(
        conn,
        platform,
        &accounts,
        rust_decimal::Decimal::ONE,
        "bench-coupon",
        &actor,
    )?;
    diesel::sql_query("VACUUM ANALYZE").execute(conn)?;

    #[allow(clippy::type_complexity)]
    let rows: Vec<OrderToPay> = diesel::sql_query(
        "SELECT o.id AS order_id, o.customer_id, u.id AS user_id, c.id AS coupon_id
         FROM orders o JOIN users u ON u.customer_id = o.customer_id
         JOIN coupons c ON c.issue_key = 'bench-' || o.id
         ORDER BY md5(o.id::text)",
    )
    .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|r| (r.order_id, r.customer_id, r.user_id, r.coupon_id))
        .collect())
}

#[derive(QueryableByName)]
struct IdAndCustomer {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    id: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

fn ids(conn: &mut PgConnection, sql: &str) -> anyhow::Result<Vec<i64>> {
    Ok(diesel::sql_query(sql)
        .load::<Id>(conn)?
        .into_iter()
        .map(|r| r.id)
        .collect())
}

/// `amount` from `from` to each of `to`, 1,000 legs per fan-out.
fn fan_out(
    conn: &mut PgConnection,
    from: i64,
    to: &[i64],
    amount: rust_decimal::Decimal,
    prefix: &str,
    actor: &Caller,
) -> anyhow::Result<()> {
    let amount = Money::from_decimal(amount).map_err(|e| anyhow::anyhow!("{e:?}"))?;
    for (n, chunk) in to.chunks(1_000).enumerate() {
        let keys: Vec<String> = (0..chunk.len())
            .map(|i| format!("{prefix}-{n}-{i}"))
            .collect();
        let legs: Vec<Leg<'_>> = chunk
            .iter()
            .zip(&keys)
            .map(|(to, key)| Leg {
                to: *to,
                amount,
                idempotency_key: key,
                memo: "",
            })
            .collect();
        ledger::transfer_fan_out(conn, from, &legs, "opening", actor)?;
    }
    Ok(())
}
