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

use partner_center::domain::{Caller, CouponKind, Money};
use partner_center::services::coupons::grants::{self, NewGrant};

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
