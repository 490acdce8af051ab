//! The partner dashboard's trends (rule C5): consumption (issued bills) and performance (paid
//! orders, 代付 included) for this month and the eleven before it, in total and per customer
//! manager. Both come from totals kept as bills are issued and orders paid
//! (`bill_month_totals`, `bill_manager_month_totals`, `order_month_totals`), so the page reads
//! a few dozen rows whatever the size of the book. An admin sees the organisation and every
//! manager; a supervisor the team (themselves included); a manager only their own figures.

use chrono::{Datelike, Months, NaiveDate, Utc};
use diesel::prelude::*;
use rust_decimal::Decimal;

use diesel::sql_types::{Array, BigInt, Date, Nullable, Numeric, Text};

use crate::db::schema::users;
use crate::domain::{Caller, MemberOf, Role};
use crate::services::ServiceResult;

pub const MONTHS: u32 = 12;

pub struct Month {
    pub period: NaiveDate,
    pub consumption: Decimal,
    pub performance: Decimal,
}

pub struct ManagerLine {
    pub manager_id: i64,
    /// Empty for "no manager".
    pub name: String,
    pub consumption: Decimal,
    pub performance: Decimal,
}

pub struct Trends {
    /// Oldest first, this month last.
    pub months: Vec<Month>,
    /// Over the twelve months, largest consumption first.
    pub managers: Vec<ManagerLine>,
}

/// The first day of the month `back` months before `today`'s.
fn month_start(today: NaiveDate, back: u32) -> NaiveDate {
    let first = today.with_day(1).expect("day 1 exists");
    first.checked_sub_months(Months::new(back)).unwrap_or(first)
}

/// Whose figures the member reads: `None` for the whole organisation (admins), otherwise the
/// manager ids (a supervisor's team and themselves; a manager alone).
fn managers_in_view(conn: &mut PgConnection, m: &MemberOf) -> QueryResult<Option<Vec<i64>>> {
    Ok(match m.role {
        Role::Admin => None,
        Role::Manager => Some(vec![m.user_id.get()]),
        Role::Supervisor => {
            let mut ids: Vec<i64> = users::table
                .filter(users::org_id.eq(m.org_id))
                .filter(users::supervisor_id.eq(m.user_id))
                .select(users::id)
                .load(conn)?;
            ids.push(m.user_id.get());
            Some(ids)
        }
    })
}

/// `$1` the organisation, `$2` the first month, `$3` the managers in view (`NULL`: all).
const TRENDS: &str = "\
    SELECT x.what, x.manager_id, x.period, x.amount, u.display_name AS name FROM ( \
      SELECT 'perf' AS what, manager_id, period, sum(amount) AS amount \
      FROM order_month_totals \
      WHERE partner_id = $1 AND period >= $2 AND ($3::bigint[] IS NULL OR manager_id = ANY($3)) \
      GROUP BY manager_id, period \
      UNION ALL \
      SELECT 'cons', manager_id, period, charged FROM bill_manager_month_totals \
      WHERE partner_id = $1 AND period >= $2 AND ($3::bigint[] IS NULL OR manager_id = ANY($3)) \
      UNION ALL \
      SELECT 'org', 0, period, amount FROM bill_month_totals \
      WHERE partner_id = $1 AND period >= $2 AND $3::bigint[] IS NULL \
    ) x LEFT JOIN users u ON u.id = x.manager_id";

#[derive(QueryableByName)]
struct TrendRow {
    #[diesel(sql_type = Text)]
    what: String,
    #[diesel(sql_type = BigInt)]
    manager_id: i64,
    #[diesel(sql_type = Date)]
    period: NaiveDate,
    #[diesel(sql_type = Numeric)]
    amount: Decimal,
    #[diesel(sql_type = Nullable<Text>)]
    name: Option<String>,
}

pub fn trends(conn: &mut PgConnection, caller: &Caller) -> ServiceResult<Trends> {
    let m = caller.member()?;
    let today = crate::i18n::local_date(Utc::now());
    let from = month_start(today, MONTHS - 1);
    let org = m.org_id.get();
    let scope = managers_in_view(conn, m)?;

    // One statement: performance per manager and month (its 64 shards summed), consumption
    // per manager and month, and for an admin the organisation's own consumption per month
    // (which also counts bills of customers without a manager exactly as issued), each line
    // with its manager's name.
    let rows: Vec<TrendRow> = crate::db::prepared::sql_query(TRENDS)
        .bind::<BigInt, _>(org)
        .bind::<Date, _>(from)
        .bind::<Nullable<Array<BigInt>>, _>(scope.as_deref())
        .load(conn)?;
    let of = |what: &'static str| rows.iter().filter(move |r| r.what == what);
    let perf: Vec<(i64, NaiveDate, Decimal)> = of("perf")
        .map(|r| (r.manager_id, r.period, r.amount))
        .collect();
    let cons: Vec<(i64, NaiveDate, Decimal)> = of("cons")
        .map(|r| (r.manager_id, r.period, r.amount))
        .collect();
    let org_cons: Option<Vec<(NaiveDate, Decimal)>> = scope
        .is_none()
        .then(|| of("org").map(|r| (r.period, r.amount)).collect());
    let months = (0..MONTHS)
        .rev()
        .map(|back| {
            let period = month_start(today, back);
            let performance = perf.iter().filter(|r| r.1 == period).map(|r| r.2).sum();
            let consumption = match &org_cons {
                Some(rows) => rows.iter().filter(|r| r.0 == period).map(|r| r.1).sum(),
                None => cons.iter().filter(|r| r.1 == period).map(|r| r.2).sum(),
            };
            Month {
                period,
                consumption,
                performance,
            }
        })
        .collect();

    let mut ids: Vec<i64> = perf
        .iter()
        .map(|r| r.0)
        .chain(cons.iter().map(|r| r.0))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let names: Vec<(i64, String)> = rows
        .iter()
        .filter_map(|r| r.name.clone().map(|n| (r.manager_id, n)))
        .collect();
    let mut managers: Vec<ManagerLine> = ids
        .into_iter()
        .map(|id| ManagerLine {
            manager_id: id,
            name: names
                .iter()
                .find(|(i, _)| *i == id)
                .map(|(_, n)| n.clone())
                .unwrap_or_default(),
            consumption: cons.iter().filter(|r| r.0 == id).map(|r| r.2).sum(),
            performance: perf.iter().filter(|r| r.0 == id).map(|r| r.2).sum(),
        })
        .collect();
    managers.sort_by(|a, b| b.consumption.cmp(&a.consumption).then(a.name.cmp(&b.name)));
    Ok(Trends { months, managers })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twelve_months_end_with_this_one() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(month_start(d(2026, 12, 6), 0), d(2026, 12, 1));
        assert_eq!(month_start(d(2026, 12, 6), 11), d(2026, 1, 1));
        assert_eq!(month_start(d(2026, 3, 31), 1), d(2026, 2, 1));
        assert_eq!(month_start(d(2026, 1, 15), 1), d(2025, 12, 1));
    }
}
