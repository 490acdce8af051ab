//! One of the customer's coupons with its usage history (rule K6): the entries of the coupon's
//! own ledger account — issued, used, recovered, expired — newest first.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use rust_decimal::Decimal;

use super::{COLUMNS, CouponLine, Row, line};
use crate::db::schema::{coupons, ledger_accounts, organizations};
use crate::domain::Caller;
use crate::ledger::query::entries_page;
use crate::services::coupons::kinds;
use crate::services::coupons::scope::{self, Service};
use crate::services::keyset::take_page;
use crate::services::{ServiceError, ServiceResult};

/// What happened to a coupon, from its ledger entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    Issued,
    Used,
    Recovered,
    Expired,
    Other,
}

impl Event {
    fn of(transfer_kind: &str) -> Event {
        match transfer_kind {
            kinds::ISSUE => Event::Issued,
            kinds::USE => Event::Used,
            kinds::RECOVERY => Event::Recovered,
            kinds::EXPIRY => Event::Expired,
            _ => Event::Other,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Event::Issued => "issued",
            Event::Used => "used",
            Event::Recovered => "recovered",
            Event::Expired => "expired",
            Event::Other => "other",
        }
    }
}

/// One entry of a coupon's account: positive when value came in.
#[derive(Debug, Clone)]
pub struct HistoryLine {
    pub event: Event,
    pub amount: Decimal,
    pub balance_after: Decimal,
    pub at: DateTime<Utc>,
}

pub struct CouponDetail {
    pub coupon: CouponLine,
    /// Newest first.
    pub history: Vec<HistoryLine>,
    /// The cursor of the history's next page, when there is one.
    pub next: Option<String>,
    pub services: Vec<Service>,
}

/// rule K6: one of the signed-in customer's coupons (either kind) with its usage history,
/// newest first, `before` an entry id for the history's later pages. Another customer's
/// coupon is not found. Three statements.
pub fn detail(
    conn: &mut PgConnection,
    caller: &Caller,
    id: i64,
    before: Option<i64>,
    size: i64,
) -> ServiceResult<CouponDetail> {
    let customer = caller.customer_id()?.get();
    let row: Row = coupons::table
        .inner_join(ledger_accounts::table)
        .inner_join(organizations::table)
        .filter(coupons::id.eq(id))
        .filter(coupons::customer_id.eq(customer))
        .select(COLUMNS)
        .first(conn)
        .optional()?
        .ok_or(ServiceError::NotFound)?;
    let (coupon, account) = line(row)?;
    let mut entries = entries_page(conn, account, before, size + 1)?;
    let next = take_page(&mut entries, size, |e| e.id.to_string());
    let history = entries
        .into_iter()
        .map(|e| HistoryLine {
            event: Event::of(&e.kind),
            amount: e.amount,
            balance_after: e.balance_after,
            at: e.at,
        })
        .collect();
    Ok(CouponDetail {
        coupon,
        history,
        next,
        services: scope::services(conn)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ledger_transfer_kinds_name_the_events() {
        assert_eq!(Event::of(kinds::USE), Event::Used);
        assert_eq!(Event::of(kinds::ISSUE), Event::Issued);
        assert_eq!(Event::of("opening"), Event::Other);
    }
}
