//! Coupons expiring soon (rule K2a): the flag on a list line and the bounded count the coupons
//! page and the dashboard show.

use chrono::NaiveDate;
use diesel::prelude::*;

use crate::db::constant_sql::word_is;
use crate::db::page_limit::limited;
use crate::db::scalar::{Scalar, count_of};
use crate::db::schema::{coupons, customers};
use crate::domain::{CouponState, MemberOf, Role};
use crate::services::coupons::{EXPIRING_SOON_DAYS, today};
use crate::services::scope;
use diesel::sql_types::BigInt;

/// The coupons page and the dashboard count coupons expiring soon up to this many and show
/// more as "100+" (the dashboard's invitation tile does the same).
pub const EXPIRING_SHOWN_UP_TO: i64 = 100;

/// Whether a coupon in `state` valid through `until` is flagged as expiring soon today.
pub fn expiring_soon(state: &str, until: NaiveDate, today: NaiveDate) -> bool {
    state == CouponState::Usable.as_str()
        && until >= today
        && until <= today + chrono::Duration::days(EXPIRING_SOON_DAYS)
}

/// Usable coupons the member sees whose validity ends within `EXPIRING_SOON_DAYS`, counted up
/// to `EXPIRING_SHOWN_UP_TO + 1`: one statement on the usable-until index, LIMITed, so its
/// cost does not grow with the book (SPEC §5). Shown on the coupons page and the dashboard.
pub fn expiring_soon_count(conn: &mut PgConnection, member: &MemberOf) -> QueryResult<i64> {
    diesel::select(expiring_soon_counted(conn, member)?).get_result(conn)
}

/// `expiring_soon_count` as a value of a larger statement (the dashboard's, `db::scalar`).
pub fn expiring_soon_counted(
    conn: &mut PgConnection,
    member: &MemberOf,
) -> QueryResult<Scalar<'static, BigInt>> {
    let today = today();
    let until = today + chrono::Duration::days(EXPIRING_SOON_DAYS);
    // The state as a constant, so the partial index's predicate is provable in the kept plan;
    // an admin's count reads that index alone (index-only), a supervisor's joins the customer
    // to apply the scope.
    use crate::db::runtime_value::date_at_run_time;
    let usable = word_is("coupons", "state", CouponState::Usable.as_str());
    Ok(if member.role == Role::Admin {
        let query = coupons::table
            .filter(coupons::partner_id.eq(member.org_id.get()))
            .filter(usable)
            .filter(coupons::valid_until.ge(date_at_run_time(today)))
            .filter(coupons::valid_until.le(date_at_run_time(until)))
            .select(coupons::id);
        count_of(limited(query, EXPIRING_SHOWN_UP_TO + 1))
    } else {
        let query = coupons::table
            .inner_join(customers::table)
            .filter(coupons::partner_id.eq(member.org_id.get()))
            .filter(usable)
            .filter(coupons::valid_until.ge(date_at_run_time(today)))
            .filter(coupons::valid_until.le(date_at_run_time(until)))
            .filter(scope::visible_customer_condition::<
                diesel::dsl::InnerJoinQuerySource<coupons::table, customers::table>,
            >(conn, member)?)
            .select(coupons::id);
        count_of(limited(query, EXPIRING_SHOWN_UP_TO + 1))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_usable_coupons_ending_within_the_window_are_flagged() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 6).unwrap();
        let day = |d: i64| today + chrono::Duration::days(d);
        assert!(expiring_soon("usable", today, today));
        assert!(expiring_soon("usable", day(EXPIRING_SOON_DAYS), today));
        assert!(!expiring_soon("usable", day(EXPIRING_SOON_DAYS + 1), today));
        assert!(!expiring_soon("usable", day(-1), today), "already past");
        assert!(!expiring_soon("used", day(1), today));
        assert!(!expiring_soon("recovered", day(1), today));
    }
}
