//! The customer's own vouchers and cash coupons in the fee center (rule K6): the list of one
//! kind (fee center › discounts › coupons, › cash coupons) with balance, face value, validity,
//! issuer, usage scope and state; one coupon with its usage history (the entries of its ledger
//! account); and the usable totals the fee center's home shows. Only customers open these
//! pages (partner members and operators are refused); another customer's coupon is not found.
//! Reads only, each in a fixed number of statements whatever the page size.

mod detail;

pub use detail::{CouponDetail, Event, HistoryLine, detail};

use crate::db::runtime_value::at_run_time;
use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use rust_decimal::Decimal;

use super::scope::{self, Service};
use crate::db::page_limit::limited;
use crate::db::schema::{coupons, ledger_accounts, organizations};
use crate::domain::{Caller, CouponKind, CouponState};
use crate::services::keyset::take_page;
use crate::services::{ServiceError, ServiceResult};

/// One coupon as the customer sees it.
#[derive(Debug, Clone)]
pub struct CouponLine {
    pub id: i64,
    pub kind: CouponKind,
    pub state: CouponState,
    /// What is left: the balance of the coupon's own ledger account.
    pub balance: Decimal,
    pub face_value: Decimal,
    pub valid_from: NaiveDate,
    pub valid_until: NaiveDate,
    /// The issuing partner organisation's name.
    pub issuer: String,
    /// Service codes; empty means every service.
    pub scope: Vec<String>,
    pub issued_at: DateTime<Utc>,
}

/// Which of the customer's coupons a list shows: one state, or all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StateFilter {
    One(CouponState),
    All,
}

impl StateFilter {
    /// `?state=`: a coupon state or `all`; anything else (or nothing) is usable, the default.
    pub fn parse(raw: Option<&str>) -> StateFilter {
        match raw.map(str::trim) {
            Some("all") => StateFilter::All,
            Some(s) => CouponState::parse(s).map_or(StateFilter::One(CouponState::Usable), |s| {
                StateFilter::One(s)
            }),
            None => StateFilter::One(CouponState::Usable),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            StateFilter::One(s) => s.as_str(),
            StateFilter::All => "all",
        }
    }
}

pub struct CouponPage {
    pub rows: Vec<CouponLine>,
    /// The cursor of the next page, when there is one.
    pub next: Option<String>,
    /// The services catalogue, to name the scopes.
    pub services: Vec<Service>,
}

type Row = (
    i64,
    String,
    String,
    Decimal,
    Decimal,
    NaiveDate,
    NaiveDate,
    String,
    Vec<String>,
    DateTime<Utc>,
    i64,
);

type Columns = (
    coupons::id,
    coupons::kind,
    coupons::state,
    ledger_accounts::balance,
    coupons::face_value,
    coupons::valid_from,
    coupons::valid_until,
    organizations::name,
    coupons::scope,
    coupons::created_at,
    coupons::account_id,
);

const COLUMNS: Columns = (
    coupons::id,
    coupons::kind,
    coupons::state,
    ledger_accounts::balance,
    coupons::face_value,
    coupons::valid_from,
    coupons::valid_until,
    organizations::name,
    coupons::scope,
    coupons::created_at,
    coupons::account_id,
);

fn line(r: Row) -> ServiceResult<(CouponLine, i64)> {
    let kind = CouponKind::parse(&r.1)
        .ok_or_else(|| ServiceError::internal(format!("coupon kind {}", r.1)))?;
    let state = CouponState::parse(&r.2)
        .ok_or_else(|| ServiceError::internal(format!("coupon state {}", r.2)))?;
    Ok((
        CouponLine {
            id: r.0,
            kind,
            state,
            balance: r.3,
            face_value: r.4,
            valid_from: r.5,
            valid_until: r.6,
            issuer: r.7,
            scope: r.8,
            issued_at: r.9,
        },
        r.10,
    ))
}

/// rule K6: one page of the signed-in customer's coupons of one kind, newest first; `after`
/// is the last id of the page before. Two statements: the page, the services catalogue.
pub fn page(
    conn: &mut PgConnection,
    caller: &Caller,
    kind: CouponKind,
    state: StateFilter,
    after: Option<i64>,
    size: i64,
) -> ServiceResult<CouponPage> {
    let customer = caller.customer_id()?.get();
    let mut query = coupons::table
        .inner_join(ledger_accounts::table)
        .inner_join(organizations::table)
        .filter(coupons::customer_id.eq(customer))
        .filter(coupons::kind.eq(kind.as_str()))
        .into_boxed();
    if let StateFilter::One(s) = state {
        query = query.filter(coupons::state.eq(s.as_str()));
    }
    if let Some(after) = after {
        query = query.filter(coupons::id.lt(at_run_time(after)));
    }
    let query = query.order(coupons::id.desc()).select(COLUMNS);
    let mut rows: Vec<Row> = limited(query, size + 1).load(conn)?;
    let next = take_page(&mut rows, size, |r| r.0.to_string());
    let rows = rows
        .into_iter()
        .map(|r| line(r).map(|l| l.0))
        .collect::<ServiceResult<Vec<_>>>()?;
    Ok(CouponPage {
        rows,
        next,
        services: scope::services(conn)?,
    })
}

/// What the customer's usable coupons hold, per kind.
#[derive(Debug, Clone, Default)]
pub struct UsableTotals {
    pub vouchers: Decimal,
    pub cash_coupons: Decimal,
}

/// What one customer's usable coupons of `kind` hold, as a value of the fee center home's one
/// statement (`db::scalar`): `NULL` when it has none. Its cost follows the customer's own
/// coupons, not any partner's book.
pub fn usable_total<'a>(
    customer_id: i64,
    kind: CouponKind,
) -> crate::db::scalar::Scalar<'a, diesel::sql_types::Nullable<diesel::sql_types::Numeric>> {
    crate::db::scalar::value(
        coupons::table
            .inner_join(ledger_accounts::table)
            .filter(coupons::customer_id.eq(customer_id))
            .filter(coupons::state.eq(CouponState::Usable.as_str()))
            .filter(coupons::kind.eq(kind.as_str()))
            .select(diesel::dsl::sum(ledger_accounts::balance)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_state_filter_defaults_to_usable() {
        assert_eq!(
            StateFilter::parse(None),
            StateFilter::One(CouponState::Usable)
        );
        assert_eq!(
            StateFilter::parse(Some("bogus")),
            StateFilter::One(CouponState::Usable)
        );
        assert_eq!(StateFilter::parse(Some("all")), StateFilter::All);
        assert_eq!(
            StateFilter::parse(Some("expired")),
            StateFilter::One(CouponState::Expired)
        );
    }
}
