//! Orders (rules P1, P2, P3, K7, B1, C10; issue 22; SPEC §6 paths, fields and roles): the
//! catalog, ordering, review, the customer's and the partner's pages, 代付 and the jobs.

mod catalog;
mod demo;
mod jobs;
mod on_behalf;
mod on_behalf_access;
mod ordering;
mod pages;
mod review;
mod self_pay;
mod transitions;

use diesel::prelude::*;
use partner_center::domain::{Caller, Money};
use partner_center::ledger::{self, AccountKind, TransferRequest};

use crate::support::{Client, TestApp, http::form_key};

pub fn customer_id(app: &TestApp, email: &str) -> i64 {
    app.id_of(&format!(
        "SELECT id AS n FROM customers WHERE email = '{email}'"
    ))
}

pub fn org_id(app: &TestApp, name: &str) -> i64 {
    app.id_of(&format!(
        "SELECT id AS n FROM organizations WHERE name = '{name}'"
    ))
}

/// One text value of a query (`SELECT … AS t`).
pub fn text(app: &TestApp, sql: &str) -> String {
    #[derive(QueryableByName)]
    struct T {
        #[diesel(sql_type = diesel::sql_types::Text)]
        t: String,
    }
    let t: T = diesel::sql_query(sql)
        .get_result(&mut app.conn())
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    t.t
}

pub fn state_of(app: &TestApp, order: i64) -> String {
    text(
        app,
        &format!("SELECT state AS t FROM orders WHERE id = {order}"),
    )
}

pub fn pay_request_of(app: &TestApp, order: i64) -> String {
    text(
        app,
        &format!("SELECT coalesce(pay_request, '') AS t FROM orders WHERE id = {order}"),
    )
}

/// A product on sale, straight into the catalog (the catalog pages are tested on their own).
pub fn product(
    app: &TestApp,
    code: &str,
    monthly: Option<&str>,
    yearly: Option<&str>,
    review: bool,
) {
    let price = |p: Option<&str>| p.map_or("NULL".to_string(), |p| p.to_string());
    app.count(&format!(
        "WITH p AS (INSERT INTO products (code, name_en, name_zh, service_code, monthly_price, \
         yearly_price, tax_rate, needs_review) VALUES ('{code}', 'Test {code}', '测试 {code}', \
         'ECS', {}, {}, 6, {review}) RETURNING 1) SELECT count(*) AS n FROM p",
        price(monthly),
        price(yearly)
    ));
}

/// Places an order through the form as the signed-in customer; the new order's id.
pub async fn place(client: &Client, code: &str, term: &str) -> i64 {
    let form = client.get("/fee-center/orders/new").await;
    assert_eq!(form.status, 200);
    let key = form_key(&form.body);
    let res = client
        .submit(
            "/fee-center/orders/new",
            "/fee-center/orders/new",
            &[("product", code), ("term", term), ("key", &key)],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    order_in(res.location.as_deref().expect("location"))
}

/// The order id at the end of `/fee-center/orders/{id}` or `/partner/orders/{id}`.
pub fn order_in(location: &str) -> i64 {
    location
        .rsplit('/')
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no order id in {location}"))
}

/// Moves the customer's balance up by `amount` from outside the platform.
pub fn deposit(app: &TestApp, customer: i64, amount: &str) {
    let mut conn = app.conn();
    let external = ledger::accounts::platform(&mut conn, AccountKind::External).unwrap();
    let to =
        ledger::accounts::for_customer(&mut conn, customer, AccountKind::CustomerBalance).unwrap();
    let key = format!("test-deposit-{}", uuid::Uuid::new_v4());
    ledger::transfer(
        &mut conn,
        &TransferRequest {
            from: external.id,
            to: to.id,
            amount: Money::parse_positive(amount).unwrap(),
            kind: "test",
            idempotency_key: &key,
            memo: "",
            reverses: None,
        },
        &Caller::system("test"),
    )
    .unwrap();
}

/// Empties the customer's balance to the outside.
pub fn drain(app: &TestApp, customer: i64) {
    let mut conn = app.conn();
    let account =
        ledger::accounts::for_customer(&mut conn, customer, AccountKind::CustomerBalance).unwrap();
    if account.balance.is_zero() {
        return;
    }
    let external = ledger::accounts::platform(&mut conn, AccountKind::External).unwrap();
    let key = format!("test-drain-{}", uuid::Uuid::new_v4());
    ledger::transfer(
        &mut conn,
        &TransferRequest {
            from: account.id,
            to: external.id,
            amount: Money::from_decimal(account.balance).unwrap(),
            kind: "test",
            idempotency_key: &key,
            memo: "",
            reverses: None,
        },
        &Caller::system("test"),
    )
    .unwrap();
}

pub fn balance_cents(app: &TestApp, customer: i64) -> i64 {
    app.count(&format!(
        "SELECT coalesce((SELECT (balance * 100)::bigint FROM ledger_accounts \
         WHERE kind = 'customer_balance' AND owner_customer_id = {customer}), 0) AS n"
    ))
}

pub fn cash_cents(app: &TestApp, org: i64) -> i64 {
    app.count(&format!(
        "SELECT (balance * 100)::bigint AS n FROM ledger_accounts \
         WHERE kind = 'partner_cash' AND owner_org_id = {org}"
    ))
}

/// Waits until the order reaches `state` (the provisioning loop runs every 2 seconds).
pub async fn wait_for_state(app: &TestApp, order: i64, state: &str, secs: u64) {
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(secs);
    while state_of(app, order) != state {
        assert!(
            tokio::time::Instant::now() < deadline,
            "order {order} did not become {state}: {}",
            state_of(app, order)
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// `partner-center ledger verify` finds nothing wrong.
pub fn assert_ledger_verifies(app: &TestApp) {
    let mut conn = app.conn();
    let report = partner_center::ledger::verify::run(&mut conn).expect("verify runs");
    assert!(report.ok(), "{}: {:?}", report.summary(), report.problems);
}
