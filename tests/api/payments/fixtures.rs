//! Orders, coupons and callers for the payment tests, written straight into a seeded database
//! (the orders area's pages are tested on their own); money enters only through the ledger.

use chrono::{Duration, NaiveDate, Utc};
use diesel::prelude::*;
use partner_center::db::schema::{coupons, ledger_accounts, orders, products, users};
use partner_center::domain::{Caller, CustomerId, MemberOf, OrgId, OrgKind, Party, Role, UserId};
use partner_center::ledger::{self, AccountKind, TransferRequest};
use rust_decimal::Decimal;

pub use crate::ledger::helpers::{LedgerDb, actor, dec, ledger_db, money};

pub fn today() -> NaiveDate {
    partner_center::i18n::local_date(Utc::now())
}

/// The customer signed in as `email`, as a caller.
pub fn customer(conn: &mut PgConnection, email: &str) -> Caller {
    let (user_id, customer_id): (i64, Option<i64>) = users::table
        .filter(users::email.eq(email))
        .select((users::id, users::customer_id))
        .first(conn)
        .expect("demo customer user");
    actor().as_party(
        Party::Customer {
            user_id: UserId(user_id),
            customer_id: CustomerId(customer_id.expect("a customer")),
        },
        email,
    )
}

/// The partner member signed in as `email`, as a caller.
pub fn member(conn: &mut PgConnection, email: &str) -> Caller {
    let (user_id, org_id, role): (i64, Option<i64>, Option<String>) = users::table
        .filter(users::email.eq(email))
        .select((users::id, users::org_id, users::role))
        .first(conn)
        .expect("demo member");
    let org_id = org_id.expect("an organisation");
    let kind: String = partner_center::db::schema::organizations::table
        .find(org_id)
        .select(partner_center::db::schema::organizations::kind)
        .first(conn)
        .unwrap();
    actor().as_party(
        Party::Member(MemberOf {
            user_id: UserId(user_id),
            org_id: OrgId(org_id),
            org_kind: OrgKind::parse(&kind).unwrap(),
            role: Role::parse(&role.unwrap()).unwrap(),
        }),
        email,
    )
}

pub fn customer_id(caller: &Caller) -> i64 {
    caller.customer_id().unwrap().get()
}

/// A product of service `ECS` priced `price` a month.
pub fn product(conn: &mut PgConnection, code: &str, price: &str) -> i64 {
    diesel::insert_into(products::table)
        .values((
            products::code.eq(code),
            products::name_en.eq(code),
            products::name_zh.eq(code),
            products::service_code.eq("ECS"),
            products::monthly_price.eq(Some(dec(price))),
            products::tax_rate.eq(6i16),
        ))
        .returning(products::id)
        .get_result(conn)
        .expect("product")
}

/// An order of `product` for the customer, pending payment, charging `amount`.
pub fn order(
    conn: &mut PgConnection,
    customer: i64,
    product: i64,
    price: &str,
    amount: &str,
) -> i64 {
    use partner_center::db::schema::customers;
    let (partner, assoc, entity): (Option<i64>, Option<String>, String) = customers::table
        .find(customer)
        .select((
            customers::partner_id,
            customers::association_type,
            customers::signing_entity,
        ))
        .first(conn)
        .unwrap();
    diesel::insert_into(orders::table)
        .values((
            orders::customer_id.eq(customer),
            orders::partner_id.eq(partner),
            orders::association_type.eq(assoc),
            orders::signing_entity.eq(entity),
            orders::product_id.eq(product),
            orders::term.eq("month"),
            orders::price.eq(dec(price)),
            orders::amount.eq(dec(amount)),
            orders::state.eq("pending_payment"),
            orders::create_key.eq(uuid::Uuid::new_v4().to_string()),
        ))
        .returning(orders::id)
        .get_result(conn)
        .expect("order")
}

pub fn set_order(conn: &mut PgConnection, id: i64, sql_set: &str) {
    diesel::sql_query(format!("UPDATE orders SET {sql_set} WHERE id = {id}"))
        .execute(conn)
        .expect("update order");
}

/// A coupon of `kind` for the customer holding `amount`, valid until `until`, for `scope`
/// (empty: every service). Its value comes from the platform account through the ledger.
pub fn coupon(
    conn: &mut PgConnection,
    customer: i64,
    kind: &str,
    amount: &str,
    until: NaiveDate,
    scope: &[&str],
) -> i64 {
    use partner_center::db::schema::{customers, quota_grants};
    let partner: i64 = customers::table
        .find(customer)
        .select(customers::partner_id)
        .first::<Option<i64>>(conn)
        .unwrap()
        .expect("an associated customer");
    let grant: i64 = quota_grants::table
        .filter(quota_grants::partner_id.eq(partner))
        .filter(quota_grants::kind.eq(kind))
        .select(quota_grants::id)
        .first(conn)
        .expect("a demo grant of this kind");
    let account = ledger::accounts::open_own(conn, AccountKind::Coupon, None, Some(customer), "")
        .unwrap()
        .id;
    let platform = ledger::accounts::platform(conn, AccountKind::Platform).unwrap();
    let key = format!("test-coupon-{account}");
    ledger::transfer(
        conn,
        &TransferRequest {
            from: platform.id,
            to: account,
            amount: money(amount),
            kind: "test",
            idempotency_key: &key,
            memo: "",
            reverses: None,
        },
        &actor(),
    )
    .unwrap();
    diesel::insert_into(coupons::table)
        .values((
            coupons::kind.eq(kind),
            coupons::customer_id.eq(customer),
            coupons::partner_id.eq(partner),
            coupons::grant_id.eq(grant),
            coupons::account_id.eq(account),
            coupons::face_value.eq(dec(amount)),
            coupons::valid_from.eq(today() - Duration::days(30)),
            coupons::valid_until.eq(until),
            coupons::scope.eq(scope.iter().map(|s| s.to_string()).collect::<Vec<_>>()),
            coupons::issue_key.eq(format!("test-{account}")),
        ))
        .returning(coupons::id)
        .get_result(conn)
        .unwrap()
}

pub fn coupon_balance(conn: &mut PgConnection, coupon: i64) -> Decimal {
    coupons::table
        .inner_join(ledger_accounts::table)
        .filter(coupons::id.eq(coupon))
        .select(ledger_accounts::balance)
        .first(conn)
        .unwrap()
}

/// Moves the customer's balance to exactly `amount` (money in from, or out to, the outside).
pub fn set_balance(conn: &mut PgConnection, customer: i64, amount: &str) {
    let account =
        ledger::accounts::for_customer(conn, customer, AccountKind::CustomerBalance).unwrap();
    let external = ledger::accounts::platform(conn, AccountKind::External).unwrap();
    let delta = dec(amount) - account.balance;
    if delta == Decimal::ZERO {
        return;
    }
    let (from, to) = if delta > Decimal::ZERO {
        (external.id, account.id)
    } else {
        (account.id, external.id)
    };
    let key = format!("test-balance-{}", uuid::Uuid::new_v4());
    ledger::transfer(
        conn,
        &TransferRequest {
            from,
            to,
            amount: money(&delta.abs().to_string()),
            kind: "test",
            idempotency_key: &key,
            memo: "",
            reverses: None,
        },
        &actor(),
    )
    .unwrap();
}

pub fn set_credit_limit(conn: &mut PgConnection, customer: i64, limit: &str) {
    let account =
        ledger::accounts::for_customer(conn, customer, AccountKind::CustomerCredit).unwrap();
    diesel::update(ledger_accounts::table.find(account.id))
        .set(ledger_accounts::credit_limit.eq(Some(dec(limit))))
        .execute(conn)
        .unwrap();
}

pub fn account_balance(conn: &mut PgConnection, customer: i64, kind: AccountKind) -> Decimal {
    ledger::accounts::find_for_customer(conn, customer, kind)
        .unwrap()
        .map_or(Decimal::ZERO, |a| a.balance)
}

pub fn partner_cash(conn: &mut PgConnection, org: i64) -> Decimal {
    ledger::accounts::find_for_org(conn, org, AccountKind::PartnerCash)
        .unwrap()
        .map_or(Decimal::ZERO, |a| a.balance)
}

pub fn assert_ledger_verifies(conn: &mut PgConnection) {
    let report = ledger::verify::run(conn).expect("verify runs");
    assert!(report.ok(), "ledger verify: {:?}", report.problems);
}
