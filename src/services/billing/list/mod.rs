//! The partner's bills list (rules B2, C5, X3, A5; SPEC §6 "Roles for money pages"): the bills
//! of the months the organisation held each customer, newest first, filters, keyset pages by
//! bill id, counts from the kept monthly totals.
//!
//! **Scope.** A bill belongs to the partner of its month (`bills.partner_id`), so a former
//! partner sees no bill of a month after the customer left, and a later move rewrites nothing.
//! An admin sees all of them. A customer manager sees the bills of months they managed the
//! customer (a `bill_managers` row of theirs, C5), read from that table's own index, so the
//! page costs the same however large the organisation. A supervisor sees the bills where their
//! team, they themselves or nobody managed the customer (as `services::scope` lets them see
//! customers), walking the organisation's bills and probing each bill's managers.

pub mod export;
pub mod filter;

use crate::db::runtime_value::at_run_time;
use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Nullable, Numeric};
use rust_decimal::Decimal;

use crate::db::constant_sql::{id_is_one_of, planned_every_time, word_is};
use crate::db::page_limit::limited;
use crate::db::scalar::{Scalar, none, value};
use crate::db::schema::{bill_managers, bills, customers, users};
use crate::domain::{Caller, MemberOf, Role, mask};
use crate::services::ServiceResult;
use crate::services::keyset::take_page;

pub use filter::{Filter, Raw};

/// One bill as the list and the export show it; the e-mail is already masked (rule A5).
#[derive(Debug, Clone)]
pub struct BillLine {
    pub id: i64,
    pub customer_id: i64,
    pub company: String,
    pub email_masked: String,
    pub period: NaiveDate,
    pub association_type: Option<String>,
    pub signing_entity: String,
    pub subtotal: Decimal,
    pub discount: Decimal,
    pub cut_off: Decimal,
    pub amount: Decimal,
    pub unpaid: Decimal,
    pub state: String,
    pub issued_at: Option<DateTime<Utc>>,
}

type Row = (
    i64,
    i64,
    String,
    String,
    NaiveDate,
    Option<String>,
    String,
    (Decimal, Decimal, Decimal, Decimal, Decimal),
    String,
    Option<DateTime<Utc>>,
);

macro_rules! columns {
    () => {
        (
            bills::id,
            bills::customer_id,
            customers::company,
            customers::email,
            bills::period,
            bills::association_type,
            bills::signing_entity,
            (
                bills::subtotal,
                bills::discount,
                bills::cut_off,
                bills::amount,
                bills::unpaid,
            ),
            bills::state,
            bills::issued_at,
        )
    };
}

fn line(r: Row) -> BillLine {
    let (id, customer_id, company, email, period, kind, entity, money, state, issued_at) = r;
    let (subtotal, discount, cut_off, amount, unpaid) = money;
    BillLine {
        id,
        customer_id,
        company,
        email_masked: mask::email(&email),
        period,
        association_type: kind,
        signing_entity: entity,
        subtotal,
        discount,
        cut_off,
        amount,
        unpaid,
        state,
        issued_at,
    }
}

/// The filters every list shape shares; `$period` is the month column it reads.
macro_rules! narrowed {
    ($query:expr, $filter:expr, $period:expr) => {{
        let mut q = $query;
        if let Some(m) = $filter.month {
            q = q.filter($period.eq(m.first_day()));
        }
        if let Some(s) = $filter.state {
            q = q.filter(word_is("bills", "state", s.as_str()));
        }
        if let Some(c) = $filter.customer {
            q = q.filter(bills::customer_id.eq(c));
        }
        if !$filter.q.is_empty() {
            q = q.filter(
                customers::company
                    .ilike(crate::db::like_pattern(&$filter.q))
                    .or(crate::db::whole_address(customers::email, &$filter.q)),
            );
        }
        if $filter.narrows() {
            q = q.filter(planned_every_time());
        }
        q
    }};
}

/// The supervisor's team, themselves and 0 (no manager): whose bills they see.
pub(crate) fn team(conn: &mut PgConnection, member: &MemberOf) -> QueryResult<Vec<i64>> {
    let mut ids: Vec<i64> = users::table
        .filter(users::org_id.eq(member.org_id.get()))
        .filter(users::supervisor_id.eq(member.user_id.get()))
        .select(users::id)
        .load(conn)?;
    ids.extend([member.user_id.get(), 0]);
    Ok(ids)
}

/// Two values a page's statement carries on each of its rows, computed once for the
/// statement: the count and total of the bills the list holds (`totals_of`), or `no_totals()`.
pub(crate) type Carried = (
    Scalar<'static, Nullable<Numeric>>,
    Scalar<'static, Nullable<Numeric>>,
);

/// Nothing carried (the export, and readers not shown the totals).
pub(crate) fn no_totals() -> Carried {
    (none(), none())
}

/// One page of the member's bills (at most `size`) after bill id `after`, the next cursor,
/// and the values `carried` held (`None` when the page is empty).
pub(crate) fn lines(
    conn: &mut PgConnection,
    member: &MemberOf,
    filter: &Filter,
    after: Option<i64>,
    size: i64,
    carried: Carried,
) -> QueryResult<(Vec<BillLine>, Option<String>, Option<Sums>)> {
    let size = size.max(1);
    let (org, me) = (member.org_id.get(), member.user_id.get());
    let mut rows: Vec<(Row, Sums)> = if member.role == Role::Manager {
        let mut q = bill_managers::table
            .inner_join(bills::table.inner_join(customers::table))
            .filter(id_is_one_of("bill_managers", "partner_id", org))
            // A second `= ANY` would be a filter, not an index condition: a plain `=` here,
            // so the walk reads only this manager's rows (270 ms → 2 ms at 1.2M bills).
            .filter(bill_managers::manager_id.eq(me))
            .into_boxed();
        if let Some(a) = after {
            q = q.filter(bill_managers::bill_id.lt(at_run_time(a)));
        }
        let q = narrowed!(q, filter, bill_managers::period).order((
            bill_managers::partner_id,
            bill_managers::manager_id,
            bill_managers::bill_id.desc(),
        ));
        limited(q.select((columns!(), carried)), size + 1).load(conn)?
    } else {
        let mut q = bills::table
            .inner_join(customers::table)
            .filter(id_is_one_of("bills", "partner_id", org))
            .into_boxed();
        if member.role == Role::Supervisor {
            let seen = team(conn, member)?;
            q = q.filter(diesel::dsl::exists(
                bill_managers::table
                    .filter(bill_managers::bill_id.eq(bills::id))
                    .filter(bill_managers::manager_id.eq_any(seen)),
            ));
        }
        if let Some(a) = after {
            q = q.filter(bills::id.lt(at_run_time(a)));
        }
        let q = narrowed!(q, filter, bills::period).order((bills::partner_id, bills::id.desc()));
        limited(q.select((columns!(), carried)), size + 1).load(conn)?
    };
    let sums = rows.first().map(|r| r.1);
    let next = take_page(&mut rows, size, |(r, _)| r.0.to_string());
    Ok((rows.into_iter().map(|(r, _)| line(r)).collect(), next, sums))
}

/// One page of bills and, when only a month (or nothing) narrows it, the count and total of
/// the bills the whole list holds, from the kept monthly totals.
pub struct BillPage {
    pub rows: Vec<BillLine>,
    pub next: Option<String>,
    pub totals: Option<(i64, Decimal)>,
}

/// rule B2: the bills the caller sees (every role of a partner; SPEC §6: read-only for
/// supervisors and managers).
pub fn page(
    conn: &mut PgConnection,
    caller: &Caller,
    filter: &Filter,
    after: Option<i64>,
    size: i64,
) -> ServiceResult<BillPage> {
    let member = caller.member()?;
    let plain = filter.customer.is_none() && filter.state.is_none() && filter.q.is_empty();
    let shown = plain && member.role != Role::Supervisor;
    // The totals ride on the page's statement; an empty page carries none: read them apart.
    let carried = if shown {
        totals_of(member, filter)
    } else {
        no_totals()
    };
    let (rows, next, sums) = lines(conn, member, filter, after, size, carried)?;
    let totals = match (shown, sums) {
        (false, _) => None,
        (true, Some(sums)) => Some(counted(sums)),
        (true, None) => Some(counted(
            diesel::select(totals_of(member, filter)).get_result(conn)?,
        )),
    };
    Ok(BillPage { rows, next, totals })
}

/// The count and the sum of the member's bills, as read from the kept totals.
type Sums = (Option<Decimal>, Option<Decimal>);

fn counted((bills, amount): Sums) -> (i64, Decimal) {
    let count = bills.and_then(|c| i64::try_from(c).ok()).unwrap_or(0);
    (count, amount.unwrap_or_default())
}

/// Bills and consumption of the member's scope, from the kept totals (a few rows a month), as
/// two values of a statement.
fn totals_of(member: &MemberOf, filter: &Filter) -> Carried {
    use crate::db::schema::{bill_manager_month_totals as mt, bill_month_totals as t};
    let org = member.org_id.get();
    let month = filter.month.map(|m| m.first_day());
    if member.role == Role::Manager {
        let me = member.user_id.get();
        let rows = || {
            let mut q = mt::table
                .filter(mt::partner_id.eq(org))
                .filter(mt::manager_id.eq(me))
                .into_boxed();
            if let Some(m) = month {
                q = q.filter(mt::period.eq(m));
            }
            q
        };
        (
            value(rows().select(diesel::dsl::sum(mt::bills))),
            value(rows().select(diesel::dsl::sum(mt::charged))),
        )
    } else {
        let rows = || {
            let mut q = t::table.filter(t::partner_id.eq(org)).into_boxed();
            if let Some(m) = month {
                q = q.filter(t::period.eq(m));
            }
            q
        };
        (
            value(rows().select(diesel::dsl::sum(t::bills))),
            value(rows().select(diesel::dsl::sum(t::amount))),
        )
    }
}
