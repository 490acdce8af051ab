//! The issued-coupons list (rules K2a, K3, X3, A5, C10): the organisation's vouchers and cash
//! coupons newest first, with their customer (e-mail masked), face value, balance, validity,
//! state and grant, filters, keyset pages by id, and the "expiring within 7 days" count.
//! Submodules: the filter, the expiring-soon flag and count, one coupon's page, the CSV export,
//! bulk recovery.
//!
//! **Scope.** An admin sees every coupon the organisation issued. A supervisor sees the
//! coupons of the customers `services::scope` lets them see (their team's, their own and
//! unassigned customers; `scope::visible_customer_condition` on the joined customer), the
//! same rule as the customer list, so a coupon page never shows a customer the supervisor
//! cannot open, and a coupon outside it is a 404. Chosen over "the organisation's coupons"
//! because it stays fast enough; measured with EXPLAIN ANALYZE on 1M coupons across 500
//! organisations (100k customers, one organisation holding 100k coupons on 200 customers):
//! - admin, first or deep page, plain or by state: 0.2–2 ms (`coupons_partner_idx`,
//!   `coupons_partner_state_idx`, 21 rows read), also with PostgreSQL's generic plan;
//! - customer, grant, expiring-within-N, `q` filters: 0.1–36 ms (each reads its own index and
//!   sorts what it finds; `q` goes through the customers' trigram index);
//! - supervisor on an organisation of ordinary size (~1,800 coupons): ~11 ms; on the skewed
//!   one above (500 coupons per customer) 140–330 ms, because PostgreSQL then reads the
//!   visible customers' coupons and sorts them instead of walking the organisation's index.
//!   That case is the known limit of this choice; forcing the walk (a LATERAL customer probe)
//!   is the next step if real books look like it.
//!
//! **Cost.** A page runs one statement whatever its size (three for a supervisor, whose team
//! is read first): the page's coupons joined with their customer and their own ledger account
//! (the balance, one primary-key probe per row), each row also carrying the bounded count of
//! coupons expiring soon (at most `EXPIRING_SHOWN_UP_TO + 1` ids read from the usable-until
//! index, computed once for the statement). A page with no rows reads the count apart.

pub mod detail;
mod expiring;
pub mod export;
pub mod filter;
pub mod recovery;

use crate::db::runtime_value::{at_run_time, date_at_run_time};
use chrono::{DateTime, NaiveDate, Utc};
use diesel::pg::Pg;
use diesel::prelude::*;
use rust_decimal::Decimal;

use crate::db::constant_sql::{id_is_one_of, word_is};
use crate::db::page_limit::limited;
use crate::db::scalar::Scalar;
use crate::db::schema::{coupons, customers, ledger_accounts};
use crate::domain::{Caller, CouponState, MemberOf, Role, mask};
use crate::services::ServiceResult;
use crate::services::keyset::take_page;
use crate::services::scope;
use diesel::sql_types::{BigInt, Nullable};

pub use expiring::{
    EXPIRING_SHOWN_UP_TO, expiring_soon, expiring_soon_count, expiring_soon_counted,
};
pub use filter::{Filter, Raw};

/// One line of the list or the export; the e-mail is already masked (rule A5).
#[derive(Debug, Clone)]
pub struct CouponLine {
    pub id: i64,
    pub kind: String,
    pub customer_id: i64,
    pub company: String,
    pub email_masked: String,
    pub face_value: Decimal,
    pub balance: Decimal,
    pub valid_from: NaiveDate,
    pub valid_until: NaiveDate,
    pub state: String,
    pub grant_id: i64,
    pub issued_at: DateTime<Utc>,
    /// Usable and its validity ends within `EXPIRING_SOON_DAYS`.
    pub expiring_soon: bool,
}

pub struct CouponPage {
    pub rows: Vec<CouponLine>,
    /// The cursor of the next page, when there is one.
    pub next: Option<String>,
    /// Usable coupons expiring within `EXPIRING_SOON_DAYS`, counted up to
    /// `EXPIRING_SHOWN_UP_TO + 1`.
    pub expiring_soon: i64,
}

type Source = diesel::dsl::InnerJoinOn<
    diesel::dsl::InnerJoin<coupons::table, customers::table>,
    ledger_accounts::table,
    diesel::dsl::Eq<ledger_accounts::id, coupons::account_id>,
>;
pub(crate) type Scoped<'a> = diesel::dsl::IntoBoxed<'a, Source, Pg>;

/// The coupons the member sees, each joined with its customer and its own ledger account.
/// A supervisor's team is read first (one statement of a few ids).
pub(crate) fn scoped<'a>(conn: &mut PgConnection, member: &MemberOf) -> QueryResult<Scoped<'a>> {
    // `= ANY('{org}')` with the order `(partner_id, id DESC)` (see `lines`): PostgreSQL does
    // not treat the organisation as a constant of the ordering, so only the organisation's own
    // indexes give that order and the primary key is never walked backwards for it. Written as
    // a constant, the statement keeps its prepared plan: as a parameter (`= ANY($1)`) it was
    // planned again on every view (pg_prepared_statements: 0 generic plans).
    let query = coupons::table
        .inner_join(customers::table)
        .inner_join(ledger_accounts::table.on(ledger_accounts::id.eq(coupons::account_id)))
        .filter(id_is_one_of("coupons", "partner_id", member.org_id.get()))
        .into_boxed();
    Ok(match member.role {
        Role::Admin => query,
        _ => query.filter(scope::visible_customer_condition(conn, member)?),
    })
}

type Row = (
    i64,
    String,
    i64,
    String,
    String,
    Decimal,
    Decimal,
    NaiveDate,
    NaiveDate,
    String,
    i64,
    DateTime<Utc>,
);

type Columns = (
    coupons::id,
    coupons::kind,
    coupons::customer_id,
    customers::company,
    customers::email,
    coupons::face_value,
    ledger_accounts::balance,
    coupons::valid_from,
    coupons::valid_until,
    coupons::state,
    coupons::grant_id,
    coupons::created_at,
);

const COLUMNS: Columns = (
    coupons::id,
    coupons::kind,
    coupons::customer_id,
    customers::company,
    customers::email,
    coupons::face_value,
    ledger_accounts::balance,
    coupons::valid_from,
    coupons::valid_until,
    coupons::state,
    coupons::grant_id,
    coupons::created_at,
);

fn line(r: Row, today: NaiveDate) -> CouponLine {
    let (id, kind, customer_id, company, email, face_value, balance, from, until, state, grant, at) =
        r;
    CouponLine {
        expiring_soon: expiring_soon(&state, until, today),
        id,
        kind,
        customer_id,
        company,
        email_masked: mask::email(&email),
        face_value,
        balance,
        valid_from: from,
        valid_until: until,
        state,
        grant_id: grant,
        issued_at: at,
    }
}

/// The member's coupons as `filter` narrows them, newest first, after the coupon id `after`.
fn filtered<'a>(
    conn: &mut PgConnection,
    member: &MemberOf,
    filter: &Filter,
    today: NaiveDate,
) -> QueryResult<Scoped<'a>> {
    let mut query = scoped(conn, member)?;
    // Closed-set words as constants: the partial usable-until index is provable and the
    // statement keeps one prepared plan per word (`db::constant_sql`).
    if let Some(s) = filter.state {
        query = query.filter(word_is("coupons", "state", s.as_str()));
    }
    if let Some(k) = filter.kind {
        query = query.filter(word_is("coupons", "kind", k.as_str()));
    }
    if let Some(c) = filter.customer {
        query = query.filter(coupons::customer_id.eq(c));
    }
    if let Some(g) = filter.grant {
        query = query.filter(coupons::grant_id.eq(g));
    }
    if let Some(by) = filter.expiring_by(today) {
        // The usable-until index's own predicate and range (rule K2a: only usable coupons
        // expire).
        query = query
            .filter(word_is("coupons", "state", CouponState::Usable.as_str()))
            .filter(coupons::valid_until.ge(date_at_run_time(today)))
            .filter(coupons::valid_until.le(date_at_run_time(by)));
    }
    if !filter.q.is_empty() {
        query = query.filter(
            customers::company
                .ilike(crate::db::like_pattern(&filter.q))
                .or(crate::db::whole_address(customers::email, &filter.q)),
        );
    }
    // A customer, grant or text filter is planned with its values on every view (the raw
    // `TRUE` keeps diesel from preparing it), so a rare one reads its own index instead of
    // walking the organisation's; state, kind and expiry lists keep their prepared plans.
    if filter.planned_on_every_view() {
        query = query.filter(crate::db::constant_sql::planned_every_time());
    }
    Ok(query)
}

/// Where the next page starts: after a coupon id (newest first), or, for the "expiring within
/// N days" list, which shows the soonest to end first, after a (last day, id) pair.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cursor {
    Id(i64),
    Until(NaiveDate, i64),
}

impl Cursor {
    /// The opaque `after` of a pager link; anything else reads as no cursor.
    pub fn parse(raw: &str) -> Option<Cursor> {
        match raw.trim().split_once('.') {
            Some((day, id)) => Some(Cursor::Until(
                NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()?,
                id.parse().ok().filter(|i: &i64| *i > 0)?,
            )),
            None => crate::services::keyset::cursor_id(&Some(raw.to_string())).map(Cursor::Id),
        }
    }

    fn encode(self) -> String {
        match self {
            Cursor::Id(id) => id.to_string(),
            Cursor::Until(day, id) => format!("{}.{id}", day.format("%Y-%m-%d")),
        }
    }
}

/// One page of lines (at most `size`), the cursor of the next page, and the value of `extra`
/// (a value computed once for the statement, such as the expiring-soon count, or `none()`),
/// read from the first line: `None` when the page is empty.
pub(crate) fn lines(
    conn: &mut PgConnection,
    member: &MemberOf,
    filter: &Filter,
    after: Option<Cursor>,
    size: i64,
    extra: Scalar<'static, Nullable<BigInt>>,
) -> QueryResult<(Vec<CouponLine>, Option<String>, Option<i64>)> {
    let today = super::today();
    let size = size.max(1);
    let mut query = filtered(conn, member, filter, today)?;
    let by_until = filter.expiring.is_some();
    match after {
        Some(Cursor::Id(a)) if !by_until => query = query.filter(coupons::id.lt(at_run_time(a))),
        Some(Cursor::Until(day, a)) if by_until => {
            query = query.filter(
                coupons::valid_until
                    .gt(date_at_run_time(day))
                    .or(coupons::valid_until
                        .eq(date_at_run_time(day))
                        .and(coupons::id.gt(at_run_time(a)))),
            )
        }
        _ => {}
    }
    // Newest first within the organisation. With `partner_id = 1` the planner would take the
    // organisation as a constant and may walk the primary key backwards, filtering out every
    // other organisation's newer coupons: measured on 1M coupons, 430 ms for an organisation
    // whose coupons are all old, against 0.2 ms on `coupons_partner_idx`. Ordered by
    // `(partner_id, id DESC)` against `= ANY('{org}')`, only the organisation's indexes
    // (`coupons_partner_idx`, `coupons_partner_state_idx`) give the order; a customer, grant
    // or text filter reads its own index and sorts the few rows it finds. The expiring list
    // walks `coupons_usable_until_idx` in its own order, soonest first: ordered by id it read
    // and sorted every expiring coupon of the organisation (4,447 at 1M coupons, 142 ms).
    let query = if by_until {
        query.order((coupons::partner_id, coupons::valid_until, coupons::id))
    } else {
        query.order((coupons::partner_id, coupons::id.desc()))
    };
    let mut rows: Vec<(Row, Option<i64>)> =
        limited(query.select((COLUMNS, extra)), size + 1).load(conn)?;
    let extra = rows.first().and_then(|r| r.1);
    let next = take_page(&mut rows, size, |(r, _)| {
        if by_until {
            Cursor::Until(r.8, r.0).encode()
        } else {
            Cursor::Id(r.0).encode()
        }
    });
    Ok((
        rows.into_iter().map(|(r, _)| line(r, today)).collect(),
        next,
        extra,
    ))
}

/// rules K2a, X3, C10: one page of the coupons the caller sees (admins and supervisors;
/// customer managers are refused), with the expiring-soon count.
pub fn page(
    conn: &mut PgConnection,
    caller: &Caller,
    filter: &Filter,
    after: Option<Cursor>,
    size: i64,
) -> ServiceResult<CouponPage> {
    let member = super::reader(caller)?;
    let counted = expiring_soon_counted(conn, member)?.nullable();
    let (rows, next, counted) = lines(conn, member, filter, after, size, counted)?;
    // An empty page carries no count: read it apart.
    let expiring_soon = match counted {
        Some(n) => n,
        None => expiring_soon_count(conn, member)?,
    };
    Ok(CouponPage {
        rows,
        next,
        expiring_soon,
    })
}
