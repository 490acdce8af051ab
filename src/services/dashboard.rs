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

/// The trends statement, written once for both scopes: `$1` the organisation, `$2` the first
/// month; `$managers` narrows the two per-manager parts, `$org` adds the organisation's own
/// consumption. The kept rows are returned as they are and summed here: performance per
/// manager and month (its shard rows, folded every minute into one), consumption per manager
/// and month, then the name of every member of the organisation (a manager in these totals was
/// one of its members, and members never move to another organisation). Grouping, a
/// materialised CTE and a `DISTINCT` over it to find the managers seen took half of the
/// statement's time in PostgreSQL (README, "Where the time goes").
macro_rules! trends_sql {
    ($managers:literal, $org:literal) => {
        concat!(
            "SELECT 'perf' AS what, manager_id, period, amount, NULL::text AS name \
             FROM order_month_totals WHERE partner_id = $1 AND period >= $2",
            $managers,
            " UNION ALL \
             SELECT 'cons', manager_id, period, charged, NULL FROM bill_manager_month_totals \
             WHERE partner_id = $1 AND period >= $2",
            $managers,
            $org,
            " UNION ALL \
             SELECT 'name', u.id, $2, 0, u.display_name FROM users u WHERE u.org_id = $1"
        )
    };
}

/// Admins: the whole organisation, with its own consumption per month (which also counts bills
/// of customers without a manager exactly as issued). A statement per scope, so each keeps one
/// generic plan: a "no managers given" parameter made PostgreSQL plan one shared statement
/// again on every view.
const TRENDS_ORG: &str = trends_sql!(
    "",
    " UNION ALL SELECT 'org', 0, period, amount, NULL FROM bill_month_totals \
      WHERE partner_id = $1 AND period >= $2"
);

/// A supervisor's team or a manager alone: `$3` their ids.
const TRENDS_MANAGERS: &str = trends_sql!(" AND manager_id = ANY($3)", "");

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

    // One statement for the scope (see `TRENDS_ORG`).
    let rows: Vec<TrendRow> = match scope.as_deref() {
        None => crate::db::prepared::sql_query(TRENDS_ORG)
            .bind::<BigInt, _>(org)
            .bind::<Date, _>(from)
            .load(conn)?,
        Some(ids) => crate::db::prepared::sql_query(TRENDS_MANAGERS)
            .bind::<BigInt, _>(org)
            .bind::<Date, _>(from)
            .bind::<Array<BigInt>, _>(ids)
            .load(conn)?,
    };
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
    let names: Vec<(i64, String)> = of("name")
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

/// Folds the performance totals into shard 0, one row per partner, manager and month. The 64
/// shards keep concurrent payments off one row while they commit; once committed, a shard row
/// is only a part of a sum the dashboard adds up on every view. Folded each housekeeping round
/// (a minute), a closed month reads one row per manager and this month one plus the shards
/// written since (up to 64 when payments keep coming). Sums are unchanged: the rows removed are
/// the rows added, in one statement. A payment or refund racing it waits on the row lock; if
/// its shard row was folded meanwhile, it writes the shard again, to be folded next time.
/// Returns the rows folded.
pub fn fold_shards(conn: &mut PgConnection) -> QueryResult<usize> {
    diesel::sql_query(FOLD).execute(conn)
}

const FOLD: &str = "\
    WITH moved AS ( \
      DELETE FROM order_month_totals WHERE shard <> 0 \
      RETURNING partner_id, manager_id, period, orders, amount, on_behalf) \
    INSERT INTO order_month_totals AS t \
      (partner_id, manager_id, period, shard, orders, amount, on_behalf) \
    SELECT partner_id, manager_id, period, 0, sum(orders), sum(amount), sum(on_behalf) \
    FROM moved GROUP BY partner_id, manager_id, period \
    ORDER BY partner_id, manager_id, period \
    ON CONFLICT (partner_id, manager_id, period, shard) DO UPDATE \
      SET orders = t.orders + EXCLUDED.orders, \
          amount = t.amount + EXCLUDED.amount, \
          on_behalf = t.on_behalf + EXCLUDED.on_behalf";

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
