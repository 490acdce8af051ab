//! The customer's own bills in the fee center (rule B2, SPEC §3 `/fee-center/bills`): every
//! issued bill, newest first, by month and state, keyset pages by bill id. One statement.

use crate::db::runtime_value::at_run_time;
use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use rust_decimal::Decimal;

use crate::db::constant_sql::word_is;
use crate::db::page_limit::limited;
use crate::db::schema::{bills, organizations};
use crate::domain::Caller;
use crate::services::ServiceResult;
use crate::services::keyset::take_page;

use super::list::Filter;

/// One of the customer's bills as its list shows it.
#[derive(Debug, Clone, Queryable)]
pub struct OwnBill {
    pub id: i64,
    pub period: NaiveDate,
    pub partner: Option<String>,
    pub amount: Decimal,
    pub cut_off: Decimal,
    pub unpaid: Decimal,
    pub due_on: Option<NaiveDate>,
    pub state: String,
    pub issued_at: Option<DateTime<Utc>>,
}

/// rule B2: a page of the caller's own bills (customers only) and the next cursor. Of the
/// filter, only the month and the state apply.
pub fn page(
    conn: &mut PgConnection,
    caller: &Caller,
    filter: &Filter,
    after: Option<i64>,
    size: i64,
) -> ServiceResult<(Vec<OwnBill>, Option<String>)> {
    let me = caller.customer_id()?.get();
    let size = size.max(1);
    let mut q = bills::table
        .filter(bills::customer_id.eq(me))
        .filter(bills::issued_at.is_not_null())
        .into_boxed();
    if let Some(m) = filter.month {
        q = q.filter(bills::period.eq(m.first_day()));
    }
    if let Some(s) = filter.state {
        q = q.filter(word_is("bills", "state", s.as_str()));
    }
    if let Some(a) = after {
        q = q.filter(bills::id.lt(at_run_time(a)));
    }
    // The partner's name is a lookup per listed bill: as a join, PostgreSQL hashed every
    // organisation on each view (a plan that looks cheaper than twelve probes once memoize is
    // off, `db::planner`), 0.45 ms where the page's bills take 0.04 ms.
    let partner = organizations::table
        .filter(organizations::id.nullable().eq(bills::partner_id))
        .select(organizations::name)
        .single_value();
    let q = q.order((bills::customer_id, bills::id.desc())).select((
        bills::id,
        bills::period,
        partner,
        bills::amount,
        bills::cut_off,
        bills::unpaid,
        bills::due_on,
        bills::state,
        bills::issued_at,
    ));
    let mut rows: Vec<OwnBill> = limited(q, size + 1).load(conn)?;
    let next = take_page(&mut rows, size, |r| r.id.to_string());
    Ok((rows, next))
}
