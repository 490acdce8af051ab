//! Incentives and their invoices (rules B8, P4): operators record incentives, partners apply
//! for payout one by one or in a batch, operators approve, pay and reject, partners invoice the
//! platform at 3% or 6% (a batch's periods share an invoice, single ones do not), and the
//! withdrawable amount's 欠票 and 未入账 terms follow.
#![allow(dead_code)]

mod access;
mod flow;
mod input;
mod invoices;
mod race;
mod rejections;
mod withdrawable;

use chrono::Months;
use partner_center::domain::incentives::{IncentiveKind, Period};
use partner_center::domain::{Caller, Money, Party, UserId};
use partner_center::services::incentives::{payouts, record};
use rust_decimal::Decimal;

use crate::support::TestApp;
use crate::support::http::{Client, Page, form_key};

pub use crate::coupons::{assert_ledger_verifies, member};
pub use crate::credit::{term, withdrawable_on};

pub const NW_ADMIN: &str = "admin@northwind.test";
pub const OPS: &str = "ops@demo.test";

pub fn org(app: &TestApp, name: &str) -> i64 {
    app.id_of(&format!(
        "SELECT id AS n FROM organizations WHERE name = '{name}'"
    ))
}

pub fn northwind(app: &TestApp) -> i64 {
    org(app, "Northwind Distribution")
}

pub fn dec(s: &str) -> Decimal {
    s.parse().expect("decimal")
}

/// A money query's value (`SELECT … AS n` in cents).
pub fn cents(app: &TestApp, sql: &str) -> Decimal {
    Decimal::new(app.count(sql), 2)
}

pub fn cash(app: &TestApp, org: i64) -> Decimal {
    cents(
        app,
        &format!(
            "SELECT COALESCE((SELECT (balance * 100)::bigint FROM ledger_accounts \
             WHERE kind = 'partner_cash' AND owner_org_id = {org}), 0) AS n"
        ),
    )
}

/// An amount as pages show it (`1,234.50`).
pub fn shown(d: Decimal) -> String {
    partner_center::domain::money::format_amount(d)
}

/// The demo operator as a service caller.
pub fn operator(app: &TestApp) -> Caller {
    let id = app.id_of(&format!("SELECT id AS n FROM users WHERE email = '{OPS}'"));
    Caller::system("t").as_party(
        Party::Operator {
            user_id: UserId(id),
        },
        OPS,
    )
}

pub fn period(months_back: u32) -> Period {
    let today = partner_center::services::credit::line::today();
    Period::of(today.checked_sub_months(Months::new(months_back)).unwrap())
}

/// Records an incentive through the service, as the operator's form does. The demo uses
/// sales and development incentives of the last twelve months: tests use other kinds.
pub fn incentive(
    app: &TestApp,
    org: i64,
    months_back: u32,
    kind: IncentiveKind,
    amount: &str,
) -> i64 {
    let new = record::NewIncentive {
        partner_id: org,
        period: period(months_back),
        kind,
        amount: Money::parse_positive(amount).unwrap(),
        remark: String::new(),
    };
    let key = uuid::Uuid::new_v4().to_string();
    record::record(&mut app.conn(), &operator(app), &new, &key).expect("record")
}

/// `n` staff incentives of Northwind, one a month from `first_back` months back.
pub fn staff_incentives(app: &TestApp, first_back: u32, amounts: &[&str]) -> Vec<i64> {
    let nw = northwind(app);
    amounts
        .iter()
        .enumerate()
        .map(|(i, a)| incentive(app, nw, first_back + i as u32, IncentiveKind::Staff, a))
        .collect()
}

pub fn payout_of(app: &TestApp, incentive: i64) -> i64 {
    app.id_of(&format!(
        "SELECT payout_id AS n FROM incentives WHERE id = {incentive}"
    ))
}

/// Applies for one incentive from the list page's row button.
pub async fn apply_one(c: &Client, id: i64) -> Page {
    let page = c.get("/partner/incentives").await;
    let key = form_key(&page.body);
    c.submit(
        "/partner/incentives",
        &format!("/partner/incentives/{id}/apply"),
        &[("key", &key)],
    )
    .await
}

/// Applies for the checked incentives in one batch.
pub async fn apply_batch(c: &Client, ids: &[i64]) -> Page {
    let page = c.get("/partner/incentives").await;
    let key = form_key(&page.body);
    let ids: Vec<String> = ids.iter().map(i64::to_string).collect();
    let mut fields: Vec<(&str, &str)> = ids.iter().map(|i| ("incentive_id", i.as_str())).collect();
    fields.push(("key", &key));
    c.submit("/partner/incentives", "/partner/incentives/apply", &fields)
        .await
}

/// Approves and pays the request through the services.
pub fn approve_and_pay(app: &TestApp, payout: i64) {
    let ops = operator(app);
    payouts::approve(&mut app.conn(), &ops, payout, "http://t").expect("approve");
    assert!(payouts::pay(&mut app.conn(), &ops, payout, "http://t").expect("pay"));
}

const BOUNDARY: &str = "----pc-incentive-boundary";

/// Posts the invoice form as a browser does (multipart): `fields` then an optional file.
pub async fn invoice(c: &Client, fields: &[(&str, &str)], file: Option<&[u8]>) -> Page {
    let page = c.get("/partner/incentives/invoices/new").await;
    let (token, key) = (page.csrf(), form_key(&page.body));
    invoice_with(c, &token, &key, fields, file).await
}

pub async fn invoice_with(
    c: &Client,
    token: &str,
    key: &str,
    fields: &[(&str, &str)],
    file: Option<&[u8]>,
) -> Page {
    let mut body = Vec::new();
    for (name, value) in fields.iter().chain(std::iter::once(&("key", key))) {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"i.pdf\"\r\n\
             Content-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(file.unwrap_or_default());
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    let res = c
        .http
        .post(format!(
            "{}/partner/incentives/invoices?csrf_token={token}",
            c.base
        ))
        .header(
            "Content-Type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(body)
        .send()
        .await
        .expect("invoice upload");
    Client::page(res).await
}

/// Invoice fields for these incentives at `rate`, numbered `number`, dated today.
pub fn invoice_fields<'a>(
    ids: &'a [String],
    rate: &'a str,
    number: &'a str,
    date: &'a str,
) -> Vec<(&'a str, &'a str)> {
    let mut f: Vec<(&str, &str)> = ids.iter().map(|i| ("incentive_id", i.as_str())).collect();
    f.extend([("tax_rate", rate), ("number", number), ("issued_on", date)]);
    f
}

pub fn today_text() -> String {
    partner_center::services::credit::line::today()
        .format("%Y-%m-%d")
        .to_string()
}

pub fn strings(ids: &[i64]) -> Vec<String> {
    ids.iter().map(i64::to_string).collect()
}
