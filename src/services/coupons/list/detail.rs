//! One issued coupon (rules K2, K3, K5, C10): its facts and its history, which is the entries
//! of its own ledger account (issue, uses, recovery, expiry) newest first. Readers are admins
//! and supervisors; a coupon of another organisation, or of a customer outside a supervisor's
//! scope, is not found. A page costs three statements whatever the history's length: the
//! coupon with its customer, account, grant and issuer; the services catalogue (the names of
//! its scope); one page of its history.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use rust_decimal::Decimal;

use super::super::scope::{self as services_scope, Service};
use crate::db::page_limit::limited;
use crate::db::schema::{coupons, customers, ledger_accounts, ledger_entries, ledger_transfers};
use crate::db::schema::{quota_grants, users};
use crate::domain::{Caller, Role, mask};
use crate::services::keyset::take_page;
use crate::services::{ServiceError, ServiceResult};

/// What the coupon page shows about the coupon itself.
#[derive(Debug, Clone)]
pub struct CouponFacts {
    pub id: i64,
    pub kind: String,
    pub customer_id: i64,
    pub company: String,
    pub email_masked: String,
    pub face_value: Decimal,
    pub balance: Decimal,
    pub valid_from: NaiveDate,
    pub valid_until: NaiveDate,
    /// Service codes; empty means every service (rule K2).
    pub scope: Vec<String>,
    /// rule K5: the invoice goes only to the coupon's user.
    pub invoice_restricted: bool,
    pub state: String,
    pub grant_id: i64,
    /// Whether the grant was passed from a distributor (rule K1).
    pub grant_passed: bool,
    pub issued_by: Option<String>,
    pub issued_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
    pub remark: String,
    pub expiring_soon: bool,
}

/// One entry of the coupon's account.
#[derive(Debug, Clone)]
pub struct HistoryLine {
    pub entry_id: i64,
    /// The transfer kind as stored (`coupons::kinds`).
    pub kind: String,
    /// Signed: what came in (issue) is positive, what went out (use, recovery, expiry)
    /// negative.
    pub amount: Decimal,
    pub balance_after: Decimal,
    pub memo: String,
    /// Who moved it; `None` for the system (the expiry job).
    pub by: Option<String>,
    pub at: DateTime<Utc>,
}

pub struct CouponDetail {
    pub facts: CouponFacts,
    /// The services of its scope with their names, in the scope's order.
    pub services: Vec<Service>,
    pub history: Vec<HistoryLine>,
    /// The cursor of the next page of history, when there is one.
    pub next: Option<String>,
}

type FactsRow = (
    (i64, String, i64, String, String, Decimal, Decimal),
    (NaiveDate, NaiveDate, Vec<String>, bool, String, i64),
    (
        Option<i64>,
        Option<String>,
        DateTime<Utc>,
        Option<DateTime<Utc>>,
        String,
    ),
    i64,
);

/// rules K2, C10: one coupon the caller sees, with a page of its history (newest first, the
/// entries before entry id `before`).
pub fn detail(
    conn: &mut PgConnection,
    caller: &Caller,
    id: i64,
    before: Option<i64>,
    size: i64,
) -> ServiceResult<CouponDetail> {
    let member = super::super::reader(caller)?;
    let mut query = coupons::table
        .inner_join(customers::table)
        .inner_join(ledger_accounts::table.on(ledger_accounts::id.eq(coupons::account_id)))
        .inner_join(quota_grants::table.on(quota_grants::id.eq(coupons::grant_id)))
        .left_join(users::table.on(users::id.nullable().eq(coupons::issued_by)))
        .filter(coupons::id.eq(id))
        .filter(coupons::partner_id.eq(member.org_id.get()))
        .into_boxed();
    // The list's scope (`super::scoped`; a supervisor's team is read first): admins the organisation's, others their customers'.
    if member.role != Role::Admin {
        query = query.filter(crate::services::scope::visible_customer_condition(
            conn, member,
        )?);
    }
    let (head, validity, tail, account_id): FactsRow = query
        .select((
            (
                coupons::id,
                coupons::kind,
                coupons::customer_id,
                customers::company,
                customers::email,
                coupons::face_value,
                ledger_accounts::balance,
            ),
            (
                coupons::valid_from,
                coupons::valid_until,
                coupons::scope,
                coupons::invoice_restricted,
                coupons::state,
                coupons::grant_id,
            ),
            (
                quota_grants::parent_id,
                users::display_name.nullable(),
                coupons::created_at,
                coupons::ended_at,
                coupons::remark,
            ),
            coupons::account_id,
        ))
        .first(conn)
        .optional()?
        .ok_or(ServiceError::NotFound)?;
    let (id, kind, customer_id, company, email, face_value, balance) = head;
    let (valid_from, valid_until, scope, invoice_restricted, state, grant_id) = validity;
    let (parent, issued_by, issued_at, ended_at, remark) = tail;
    let catalogue = services_scope::services(conn)?;
    let services = scope
        .iter()
        .filter_map(|code| catalogue.iter().find(|s| &s.code == code).cloned())
        .collect();
    let (history, next) = history(conn, account_id, before, size)?;
    let today = super::super::today();
    Ok(CouponDetail {
        facts: CouponFacts {
            expiring_soon: super::expiring_soon(&state, valid_until, today),
            id,
            kind,
            customer_id,
            company,
            email_masked: mask::email(&email),
            face_value,
            balance,
            valid_from,
            valid_until,
            scope,
            invoice_restricted,
            state,
            grant_id,
            grant_passed: parent.is_some(),
            issued_by,
            issued_at,
            ended_at,
            remark,
        },
        services,
        history,
        next,
    })
}

type EntryRow = (
    i64,
    String,
    Decimal,
    Decimal,
    String,
    Option<String>,
    DateTime<Utc>,
);

/// The coupon account's entries, newest first, with their transfer's kind, memo and actor.
fn history(
    conn: &mut PgConnection,
    account_id: i64,
    before: Option<i64>,
    size: i64,
) -> QueryResult<(Vec<HistoryLine>, Option<String>)> {
    let mut query = ledger_entries::table
        .inner_join(ledger_transfers::table)
        .left_join(users::table.on(users::id.nullable().eq(ledger_transfers::actor_user_id)))
        .filter(ledger_entries::account_id.eq(account_id))
        .into_boxed();
    if let Some(b) = before {
        query = query.filter(ledger_entries::id.lt(b));
    }
    let query = query.order(ledger_entries::id.desc()).select((
        ledger_entries::id,
        ledger_transfers::kind,
        ledger_entries::amount,
        ledger_entries::balance_after,
        ledger_transfers::memo,
        users::display_name.nullable(),
        ledger_entries::created_at,
    ));
    let mut rows: Vec<EntryRow> = limited(query, size.max(1) + 1).load(conn)?;
    let next = take_page(&mut rows, size.max(1), |r| r.0.to_string());
    Ok((
        rows.into_iter()
            .map(
                |(entry_id, kind, amount, balance_after, memo, by, at)| HistoryLine {
                    entry_id,
                    kind,
                    amount,
                    balance_after,
                    memo,
                    by,
                    at,
                },
            )
            .collect(),
        next,
    ))
}
