//! One issued coupon (rules K2, K3, K5, C10): its facts and its history, which is the entries
//! of its own ledger account (issue, uses, recovery, expiry) newest first. Readers are admins
//! and supervisors; a coupon of another organisation, or of a customer outside a supervisor's
//! scope, is not found. A page costs three statements whatever the history's length: the
//! coupon with its customer, account, grant and issuer; the services catalogue (the names of
//! its scope); one page of its history.

use crate::db::runtime_value::at_run_time;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use rust_decimal::Decimal;

use super::super::scope::{self as services_scope, Service};
use super::CouponLine;
use crate::db::page_limit::limited;
use crate::db::schema::{coupons, customers, ledger_accounts, ledger_entries, ledger_transfers};
use crate::db::schema::{quota_grants, users};
use crate::domain::{Caller, Role};
use crate::services::keyset::take_page;
use crate::services::{ServiceError, ServiceResult};

/// What the coupon page shows about the coupon itself: its list line and the rest.
#[derive(Debug, Clone)]
pub struct CouponFacts {
    /// What the list shows of it (the e-mail masked, rule A5; the expiring-soon flag).
    pub line: CouponLine,
    /// Service codes; empty means every service (rule K2).
    pub scope: Vec<String>,
    /// rule K5: the invoice goes only to the coupon's user.
    pub invoice_restricted: bool,
    /// Whether the grant was passed from a distributor (rule K1).
    pub grant_passed: bool,
    pub issued_by: Option<String>,
    pub ended_at: Option<DateTime<Utc>>,
    pub remark: String,
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
    super::Row,
    (
        Vec<String>,
        bool,
        Option<i64>,
        Option<String>,
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
    let (columns, rest, account_id): FactsRow = query
        .select((
            super::COLUMNS,
            (
                coupons::scope,
                coupons::invoice_restricted,
                quota_grants::parent_id,
                users::display_name.nullable(),
                coupons::ended_at,
                coupons::remark,
            ),
            coupons::account_id,
        ))
        .first(conn)
        .optional()?
        .ok_or(ServiceError::NotFound)?;
    let (scope, invoice_restricted, parent, issued_by, ended_at, remark) = rest;
    let catalogue = services_scope::services(conn)?;
    let services = scope
        .iter()
        .filter_map(|code| catalogue.iter().find(|s| &s.code == code).cloned())
        .collect();
    let (history, next) = history(conn, account_id, before, size)?;
    Ok(CouponDetail {
        facts: CouponFacts {
            line: super::line(columns, super::super::today()),
            scope,
            invoice_restricted,
            grant_passed: parent.is_some(),
            issued_by,
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
        query = query.filter(ledger_entries::id.lt(at_run_time(b)));
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
