//! Coupon distribution (rules K1–K7, C6, C10; SPEC §5 "Quota grants", §6 paths and roles).

mod bulk;
mod expiry;
mod fee_center;
mod issue;
mod list;
mod list_pages;
mod passing;
mod quotas;
mod quotas_partner;
mod recovery;

use diesel::prelude::*;
use partner_center::db::schema::{coupons, ledger_accounts, organizations, users};
use partner_center::domain::{
    Caller, CouponKind, MemberOf, Money, OrgId, OrgKind, Party, Role, UserId,
};
use partner_center::ledger::{self, AccountKind, TransferRequest};
use partner_center::services::coupons::grants::{self, NewGrant};
use partner_center::services::coupons::issue::{IssueInput, IssueOutcome, issue};
use partner_center::services::coupons::kinds;

use crate::support::TestApp;

pub fn org_id(app: &TestApp, name: &str) -> i64 {
    app.id_of(&format!(
        "SELECT id AS n FROM organizations WHERE name = '{name}'"
    ))
}

pub fn customer_id(app: &TestApp, email: &str) -> i64 {
    app.id_of(&format!(
        "SELECT id AS n FROM customers WHERE email = '{email}'"
    ))
}

/// A grant made by the platform (as the operator's page would), valid from `from_days` to
/// `until_days` days from today, with an optional scope; returns its id.
pub fn grant_with(
    app: &TestApp,
    org: i64,
    kind: CouponKind,
    amount: &str,
    (from_days, until_days): (i64, i64),
    scope: &[&str],
    invoice_restricted: bool,
) -> i64 {
    let today = partner_center::services::coupons::today();
    let new = NewGrant {
        partner_id: org,
        kind,
        amount: Money::parse_positive(amount).expect("amount"),
        valid_from: today + chrono::Duration::days(from_days),
        valid_until: today + chrono::Duration::days(until_days),
        scope: scope.iter().map(|s| s.to_string()).collect(),
        invoice_restricted,
        remark: "test grant".into(),
    };
    let mut conn = app.conn();
    grants::create(
        &mut conn,
        &Caller::system("test"),
        &new,
        &uuid::Uuid::new_v4().to_string(),
    )
    .expect("grant")
}

/// A voucher grant of `amount` valid for the next 90 days, for any service.
pub fn voucher_grant(app: &TestApp, org: i64, amount: &str) -> i64 {
    grant_with(app, org, CouponKind::Voucher, amount, (0, 90), &[], false)
}

/// A cash-coupon grant of `amount` valid for the next 90 days, for any service.
pub fn cash_grant(app: &TestApp, org: i64, amount: &str) -> i64 {
    grant_with(
        app,
        org,
        CouponKind::CashCoupon,
        amount,
        (0, 90),
        &[],
        false,
    )
}

/// What is left on a grant's account, in cents.
pub fn grant_cents(app: &TestApp, grant: i64) -> i64 {
    app.count(&format!(
        "SELECT (a.balance * 100)::bigint AS n FROM quota_grants g \
         JOIN ledger_accounts a ON a.id = g.account_id WHERE g.id = {grant}"
    ))
}

/// A coupon's balance in cents.
pub fn coupon_cents(app: &TestApp, coupon: i64) -> i64 {
    app.count(&format!(
        "SELECT (a.balance * 100)::bigint AS n FROM coupons c \
         JOIN ledger_accounts a ON a.id = c.account_id WHERE c.id = {coupon}"
    ))
}

/// `partner-center ledger verify` finds nothing wrong.
pub fn assert_ledger_verifies(app: &TestApp) {
    let mut conn = app.conn();
    let report = partner_center::ledger::verify::run(&mut conn).expect("verify runs");
    assert!(report.ok(), "{}: {:?}", report.summary(), report.problems);
}

/// Northwind's admin, who issues the coupons most tests need.
pub const NW_ADMIN: &str = "admin@northwind.test";

/// The member signed in as `email`, as a service caller (what the web edge builds from the
/// session).
pub fn member(app: &TestApp, email: &str) -> Caller {
    let mut conn = app.conn();
    let (user, org, role, kind): (i64, i64, Option<String>, String) = users::table
        .inner_join(organizations::table.on(organizations::id.nullable().eq(users::org_id)))
        .filter(users::email.eq(email))
        .select((
            users::id,
            organizations::id,
            users::role,
            organizations::kind,
        ))
        .first(&mut conn)
        .expect("member");
    Caller::system("t").as_party(
        Party::Member(MemberOf {
            user_id: UserId(user),
            org_id: OrgId(org),
            org_kind: OrgKind::parse(&kind).expect("org kind"),
            role: role.as_deref().and_then(Role::parse).expect("role"),
        }),
        email,
    )
}

/// What the issue form sends for one customer: `face` from `grant`, valid as long as the
/// grant, for any service the grant allows, under a fresh key.
pub fn issue_input(grant: i64, customer: i64, face: &str) -> IssueInput {
    IssueInput {
        grant_id: grant,
        customer_ids: vec![customer],
        face_value: Money::parse_positive(face).expect("face value"),
        valid_until: None,
        scope: vec![],
        remark: String::new(),
        key: uuid::Uuid::new_v4().to_string(),
    }
}

/// Runs the issue service as the member `email`: the coupon ids or the reasons.
pub fn issue_outcome(app: &TestApp, email: &str, input: &IssueInput) -> IssueOutcome {
    issue(&mut app.conn(), &member(app, email), input).expect("issue runs")
}

/// Issues `input` as the member `email`; the first coupon's id (a refusal fails the test).
pub fn issue_input_as(app: &TestApp, email: &str, input: &IssueInput) -> i64 {
    match issue_outcome(app, email, input) {
        IssueOutcome::Issued(ids) => ids[0],
        IssueOutcome::Refused(r) => panic!("issue refused: {r:?}"),
    }
}

/// Issues one coupon of `face` from `grant` to the customer, as `admin`; its id.
pub fn issue_as(app: &TestApp, admin: &str, grant: i64, customer: i64, face: &str) -> i64 {
    issue_input_as(app, admin, &issue_input(grant, customer, face))
}

/// Issues one Northwind coupon.
pub fn issue_one(app: &TestApp, grant: i64, customer: i64, face: &str) -> i64 {
    issue_as(app, NW_ADMIN, grant, customer, face)
}

/// Issues `face` to Acme from the grant as Northwind's admin: the coupon ids or the reasons.
pub fn issue_to_acme(app: &TestApp, grant: i64, face: &str) -> IssueOutcome {
    let input = issue_input(grant, customer_id(app, "it@acme.test"), face);
    issue_outcome(app, NW_ADMIN, &input)
}

/// Pays `amount` with the coupon as an order payment does (rule K7): a `coupon_use` transfer
/// to the platform.
pub fn pay_with(app: &TestApp, coupon: i64, amount: &str) {
    let amount = Money::parse_positive(amount).expect("amount");
    spend(app, coupon, amount, &uuid::Uuid::new_v4().to_string());
}

/// Spends the coupon's whole balance as an order would and marks it used.
pub fn use_up(app: &TestApp, coupon: i64) {
    let balance: rust_decimal::Decimal = coupons::table
        .inner_join(ledger_accounts::table.on(ledger_accounts::id.eq(coupons::account_id)))
        .filter(coupons::id.eq(coupon))
        .select(ledger_accounts::balance)
        .first(&mut app.conn())
        .expect("coupon");
    let balance = Money::from_decimal(balance).expect("amount");
    spend(app, coupon, balance, &format!("test-use:{coupon}"));
    diesel::update(coupons::table.find(coupon))
        .set(coupons::state.eq("used"))
        .execute(&mut app.conn())
        .expect("used");
}

/// A `coupon_use` transfer of `amount` from the coupon's account to the platform.
fn spend(app: &TestApp, coupon: i64, amount: Money, key: &str) {
    let mut conn = app.conn();
    let account = app.id_of(&format!(
        "SELECT account_id AS n FROM coupons WHERE id = {coupon}"
    ));
    let platform = ledger::accounts::platform(&mut conn, AccountKind::Platform).expect("platform");
    ledger::transfer(
        &mut conn,
        &TransferRequest {
            from: account,
            to: platform.id,
            amount,
            kind: kinds::USE,
            idempotency_key: key,
            memo: "order",
            reverses: None,
        },
        &Caller::system("t"),
    )
    .expect("use");
}

/// Moves the coupon's validity into the past (ended yesterday).
pub fn make_past(app: &TestApp, coupon: i64) {
    app.count(&format!(
        "WITH u AS (UPDATE coupons SET valid_from = current_date - 10, \
         valid_until = current_date - 1 WHERE id = {coupon} RETURNING 1) \
         SELECT count(*) AS n FROM u"
    ));
}

/// Sets the coupon's last day of validity `days` from today (China time, as the app counts).
pub fn ends_in(app: &TestApp, coupon: i64, days: i64) {
    let today = partner_center::services::coupons::today();
    let until = today + chrono::Duration::days(days);
    app.count(&format!(
        "WITH u AS (UPDATE coupons SET valid_from = LEAST(valid_from, '{until}'), \
         valid_until = '{until}' WHERE id = {coupon} RETURNING 1) SELECT count(*) AS n FROM u"
    ));
}

/// The platform's own account balance, in cents.
pub fn platform_cents(app: &TestApp) -> i64 {
    app.count("SELECT (balance * 100)::bigint AS n FROM ledger_accounts WHERE kind = 'platform'")
}

/// The coupon ids a partner list page links to, in page order.
pub fn ids_on(body: &str) -> Vec<i64> {
    let mut out = Vec::new();
    for part in body.split("href=\"/partner/coupons/").skip(1) {
        let digits: String = part.chars().take_while(char::is_ascii_digit).collect();
        if let Ok(id) = digits.parse::<i64>()
            && part[digits.len()..].starts_with('"')
            && !out.contains(&id)
        {
            out.push(id);
        }
    }
    out
}

pub use crate::support::http::unescaped;
