//! Credit lines, arrears (rule C2, seed 003 IS_DEBT and IS_CREDIT_ACCOUNT), top-ups repaying
//! the oldest debt first, the fee center's money page, the withdrawable amount (rule P4) and
//! withdrawals (SPEC §6 "Settlement").
#![allow(dead_code)]

mod arrears;
mod association;
mod fee_center;
mod limit;
mod race;
mod top_up;
mod withdrawable;
mod withdrawals;

use chrono::{Duration, NaiveDate, Utc};
use partner_center::domain::{
    Caller, DebtKind, MemberOf, Money, OrgId, OrgKind, Party, RequestMeta, Role, UserId,
};
use partner_center::ledger::{self, AccountKind, TransferRequest};
use partner_center::services::credit::debts::{self, DebtSource};
use rust_decimal::Decimal;

use crate::support::http::form_key;
use crate::support::{Client, TestApp};

pub fn customer(app: &TestApp, company: &str) -> i64 {
    app.id_of(&format!(
        "SELECT id AS n FROM customers WHERE company = '{}'",
        company.replace('\'', "''")
    ))
}

pub fn org(app: &TestApp, name: &str) -> i64 {
    app.id_of(&format!(
        "SELECT id AS n FROM organizations WHERE name = '{name}'"
    ))
}

pub fn northwind(app: &TestApp) -> i64 {
    org(app, "Northwind Distribution")
}

pub fn user(app: &TestApp, email: &str) -> i64 {
    app.id_of(&format!(
        "SELECT id AS n FROM users WHERE email = '{email}'"
    ))
}

pub fn dec(s: &str) -> Decimal {
    s.parse().expect("decimal")
}

/// An amount as the pages show it (`1,234.50`).
pub fn shown(d: Decimal) -> String {
    partner_center::domain::money::format_amount(d)
}

/// The balance of an owner's account of `kind` (`org` or `customer` is the owner column), or
/// 0.00 when not opened.
pub fn balance(app: &TestApp, owner: &str, id: i64, kind: &str) -> Decimal {
    Decimal::new(
        app.count(&format!(
            "SELECT COALESCE((SELECT (balance * 100)::bigint FROM ledger_accounts \
             WHERE kind = '{kind}' AND owner_{owner}_id = {id}), 0) AS n"
        )),
        2,
    )
}

pub fn cash(app: &TestApp, org: i64) -> Decimal {
    balance(app, "org", org, "partner_cash")
}

pub fn held(app: &TestApp, org: i64) -> Decimal {
    balance(app, "org", org, "partner_hold")
}

pub fn caller() -> Caller {
    Caller {
        meta: RequestMeta {
            request_id: "credit-test".into(),
            client_ip: "127.0.0.1".into(),
        },
        ..Caller::system("credit-test")
    }
}

/// The admin of `org` (a distributor unless said otherwise) as a service caller.
pub fn admin_caller(app: &TestApp, org: i64, email: &str, kind: OrgKind) -> Caller {
    caller().as_party(
        Party::Member(MemberOf {
            user_id: UserId(user(app, email)),
            org_id: OrgId(org),
            org_kind: kind,
            role: Role::Admin,
        }),
        email,
    )
}

pub fn set_limit(app: &TestApp, customer: i64, limit: &str) {
    let mut conn = app.conn();
    let account =
        ledger::accounts::for_customer(&mut conn, customer, AccountKind::CustomerCredit).unwrap();
    app.count(&format!(
        "WITH u AS (UPDATE ledger_accounts SET credit_limit = {limit} WHERE id = {} RETURNING 1) \
         SELECT count(*) AS n FROM u",
        account.id
    ));
}

fn bill(app: &TestApp, customer: i64, amount: &str, paid: bool) -> i64 {
    app.id_of(&format!(
        "INSERT INTO bills (customer_id, period, amount, paid_at) \
         VALUES ({customer}, date_trunc('month', now())::date - interval '3 months', {amount}, {}) \
         RETURNING id AS n",
        if paid { "now()" } else { "NULL" }
    ))
}

/// Uses `amount` of the customer's credit as settling a bill does (a transfer credit line →
/// revenue) and records the credit debt, arisen `days_ago`; returns the debt's id.
pub fn use_credit(app: &TestApp, customer: i64, amount: &str, days_ago: i64) -> i64 {
    let mut conn = app.conn();
    let credit =
        ledger::accounts::for_customer(&mut conn, customer, AccountKind::CustomerCredit).unwrap();
    let entity = app_entity(app, customer);
    let revenue = ledger::revenue::account_for(&mut conn, &entity, customer).unwrap();
    let bill = bill(app, customer, amount, true);
    ledger::transfer(
        &mut conn,
        &TransferRequest {
            from: credit.id,
            to: revenue,
            amount: Money::parse_positive(amount).unwrap(),
            kind: "bill_credit",
            idempotency_key: &format!("test-credit-{bill}"),
            memo: "",
            reverses: None,
        },
        &caller(),
    )
    .expect("credit within the limit");
    debt(app, customer, DebtKind::Credit, bill, amount, days_ago)
}

/// The unpaid rest of a bill, arisen `days_ago` (nothing moved in the ledger yet).
pub fn unpaid_debt(app: &TestApp, customer: i64, amount: &str, days_ago: i64) -> i64 {
    let bill = bill(app, customer, amount, false);
    debt(app, customer, DebtKind::Unpaid, bill, amount, days_ago)
}

fn debt(
    app: &TestApp,
    customer: i64,
    kind: DebtKind,
    bill: i64,
    amount: &str,
    days_ago: i64,
) -> i64 {
    let arose: NaiveDate = (Utc::now() - Duration::days(days_ago)).date_naive();
    let id = debts::record(
        &mut app.conn(),
        customer,
        kind,
        DebtSource::Bill(bill),
        dec(amount),
        arose,
    )
    .unwrap();
    app.count(&format!(
        "WITH u AS (UPDATE debts SET created_at = now() - interval '{days_ago} days' \
         WHERE id = {id} RETURNING 1) SELECT count(*) AS n FROM u"
    ));
    id
}

fn app_entity(app: &TestApp, customer: i64) -> String {
    use diesel::prelude::*;
    use partner_center::db::schema::customers;
    customers::table
        .find(customer)
        .select(customers::signing_entity)
        .first(&mut app.conn())
        .unwrap()
}

/// Moves a debt's due day (`days` from today, negative for the past).
pub fn due_in(app: &TestApp, debt: i64, days: i64) {
    app.count(&format!(
        "WITH u AS (UPDATE debts SET due_on = current_date + {days} WHERE id = {debt} RETURNING 1) \
         SELECT count(*) AS n FROM u"
    ));
}

pub fn ledger_ok(app: &TestApp) {
    let report = ledger::verify::run(&mut app.conn()).unwrap();
    assert!(report.ok(), "{:?}", report.problems);
}

pub fn audits(app: &TestApp, action: &str) -> i64 {
    app.count(&format!(
        "SELECT count(*) AS n FROM audit_log WHERE action = '{action}'"
    ))
}

/// The withdrawable amount the page shows.
pub fn withdrawable_on(body: &str) -> String {
    let marker = "id=\"withdrawable\"><strong>¥";
    let start = body.find(marker).expect("the amount") + marker.len();
    body[start..].split('<').next().unwrap().to_string()
}

/// A term of the withdrawable amount as the page shows it.
pub fn term<'a>(body: &'a str, id: &str) -> &'a str {
    let marker = format!("id=\"{id}\">¥");
    let start = body.find(&marker).expect(id) + marker.len();
    body[start..].split('<').next().unwrap()
}

/// Submits the withdrawal form of `/partner/account` with a fresh key.
pub async fn request(c: &Client, amount: &str) -> crate::support::http::Page {
    let key = form_key(&c.get("/partner/account").await.body);
    c.submit(
        "/partner/account",
        "/partner/account/withdrawals",
        &[("amount", amount), ("key", &key)],
    )
    .await
}
