//! The invoices an issuer processes (rule B7, X3): `/partner/invoices` (the organisation's,
//! as issuer of its resale customers' invoices) and `/ops/invoices` (the platform's), newest
//! first, with a state filter, `?q=` (company, whole e-mail address or invoice number) and
//! keyset pages by id.
//!
//! **Scope.** An admin sees every invoice the organisation issues; a supervisor or manager
//! those of the customers `scope::visible_customer_condition` lets them see (read-only, SPEC §6
//! "Roles for money pages"). Operators see the platform's. A page is one statement (two for a
//! supervisor, whose team is read first): the page joined with its customers. A text search
//! reads the newest invoices first and the whole list only when they do not answer it
//! (`recent_matches`, `every_match`).

use crate::db::runtime_value::at_run_time;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use rust_decimal::Decimal;

use super::state::InvoiceState;
use crate::db::constant_sql::{id_is_one_of, planned_every_time, word_is};
use crate::db::schema::{customers, invoices as inv};
use crate::db::select_columns;
use crate::domain::{Caller, Party, Role};
use crate::services::keyset::take_page;
use crate::services::{ServiceError, ServiceResult, scope};

/// The list's filters as the page reads them.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub q: String,
    pub state: Option<InvoiceState>,
}

#[derive(Debug, Clone)]
pub struct Line {
    pub id: i64,
    pub request_id: i64,
    pub customer_id: i64,
    pub company: String,
    pub signing_entity: String,
    pub tax_rate: i16,
    pub medium: String,
    pub amount: Decimal,
    pub state: String,
    pub number: Option<String>,
    pub created_at: DateTime<Utc>,
}

pub struct Page {
    pub rows: Vec<Line>,
    pub next: Option<String>,
}

/// A list line as `COLUMNS` reads it.
pub(super) type Row = (
    i64,
    i64,
    i64,
    String,
    String,
    i16,
    String,
    Decimal,
    String,
    Option<String>,
    DateTime<Utc>,
);

pub(super) fn line(r: Row) -> Line {
    Line {
        id: r.0,
        request_id: r.1,
        customer_id: r.2,
        company: r.3,
        signing_entity: r.4,
        tax_rate: r.5,
        medium: r.6,
        amount: r.7,
        state: r.8,
        number: r.9,
        created_at: r.10,
    }
}

type Scoped<'a> = diesel::dsl::IntoBoxed<
    'a,
    diesel::dsl::InnerJoin<inv::table, customers::table>,
    diesel::pg::Pg,
>;

/// The invoices an organisation issues, with the organisation written into the statement (each
/// keeps a plan sized for its own invoices, `db::constant_sql`).
fn issued_by(org: i64) -> crate::db::constant_sql::ConstantSql<diesel::sql_types::Bool> {
    id_is_one_of("invoices", "issuer_org_id", org)
}

/// The invoices the caller's issuer processes, joined with their customers: the caller's
/// organisation's (its customers' only, for supervisors and managers), or the platform's for
/// operators.
fn scoped<'a>(conn: &mut PgConnection, caller: &Caller) -> ServiceResult<Scoped<'a>> {
    let q = inv::table.inner_join(customers::table).into_boxed();
    Ok(match &caller.party {
        Party::Member(m) => {
            let q = q.filter(issued_by(m.org_id.get()));
            if m.role == Role::Admin {
                q
            } else {
                q.filter(scope::visible_customer_condition(conn, m)?)
            }
        }
        Party::Operator { .. } => q.filter(inv::issuer_org_id.is_null()),
        _ => return Err(ServiceError::Forbidden),
    })
}

/// The most pending invoices `waiting` counts; beyond it a page says "100+".
pub const WAITING_SHOWN_UP_TO: i64 = 100;

/// Pending invoices the caller's issuer has to process (the dashboard's pending actions), read
/// from the issuer-and-state index, at most `WAITING_SHOWN_UP_TO + 1` of them.
pub fn waiting(conn: &mut PgConnection, caller: &Caller) -> ServiceResult<i64> {
    let counted = waiting_counted(conn, caller)?;
    Ok(diesel::select(counted).get_result(conn)?)
}

/// `waiting` as a value of a larger statement (the dashboard's, `db::scalar`).
pub fn waiting_counted<'a>(
    conn: &mut PgConnection,
    caller: &Caller,
) -> ServiceResult<crate::db::scalar::Scalar<'a, diesel::sql_types::BigInt>> {
    use crate::db::{page_limit::limited, scalar::count_of};
    let pending = word_is("invoices", "state", InvoiceState::Pending.as_str());
    // An admin's count needs no customer (every invoice has one): the issuer-and-state index
    // alone, not a probe of the customers per pending invoice.
    if let Party::Member(m) = &caller.party
        && m.role == Role::Admin
    {
        return Ok(count_of(limited(
            inv::table
                .filter(issued_by(m.org_id.get()))
                .filter(pending)
                .select(inv::id),
            WAITING_SHOWN_UP_TO + 1,
        )));
    }
    Ok(count_of(limited(
        scoped(conn, caller)?.filter(pending).select(inv::id),
        WAITING_SHOWN_UP_TO + 1,
    )))
}

/// How many of the issuer's newest invoices (in the state asked for, before the cursor) a text
/// search reads first (`recent_matches`).
pub const RECENT_WINDOW: i64 = 500;

/// The issuer's page of invoices: the caller's organisation's, or the platform's for operators.
/// With `?q=`, the newest `RECENT_WINDOW` invoices are searched first; only a search they do not
/// fill a page from reads the whole list (`every_match`).
pub fn page(
    conn: &mut PgConnection,
    caller: &Caller,
    filter: &Filter,
    after: Option<i64>,
    size: i64,
) -> ServiceResult<Page> {
    if filter.q.is_empty() {
        let q = narrowed(conn, caller, filter, after)?;
        let rows = load(conn, q, size)?;
        return Ok(paged(rows, size));
    }
    if let Some(page) = recent_matches(conn, caller, filter, after, size)? {
        return Ok(page);
    }
    every_match(conn, caller, filter, after, size)
}

/// The list with its state filter, its text filter and its cursor.
fn narrowed<'a>(
    conn: &mut PgConnection,
    caller: &Caller,
    filter: &Filter,
    after: Option<i64>,
) -> ServiceResult<Scoped<'a>> {
    let mut q = scoped(conn, caller)?;
    if let Some(s) = filter.state {
        q = q.filter(word_is("invoices", "state", s.as_str()));
    }
    if !filter.q.is_empty() {
        q = q.filter(
            customers::company
                .ilike(crate::db::like_pattern(&filter.q))
                .or(crate::db::whole_address(customers::email, &filter.q))
                .or(inv::number.eq(filter.q.trim().to_string())),
        );
    }
    if let Some(a) = after {
        q = q.filter(inv::id.lt(at_run_time(a)));
    }
    Ok(q)
}

diesel::define_sql_function!(fn coalesce(x: diesel::sql_types::Nullable<diesel::sql_types::BigInt>, y: diesel::sql_types::BigInt) -> diesel::sql_types::BigInt);

/// A text search over the issuer's newest `RECENT_WINDOW` invoices (in the state asked for,
/// before the cursor), in a statement whose plan is kept: it walks those invoices newest first
/// and probes each one's customer. `floor` is the oldest id of that window, or none when the
/// list holds no more than the window. The page is the search's answer when the window is the
/// whole list, or when it gave a full page: every invoice outside it is older than every one
/// inside. Otherwise (a rare text in a large book) `None`.
fn recent_matches(
    conn: &mut PgConnection,
    caller: &Caller,
    filter: &Filter,
    after: Option<i64>,
    size: i64,
) -> ServiceResult<Option<Page>> {
    let issuer = match &caller.party {
        Party::Member(m) => Some(m.org_id.get()),
        Party::Operator { .. } => None,
        _ => return Err(ServiceError::Forbidden),
    };
    let recent = diesel::alias!(inv as recent);
    let id = recent.field(inv::id);
    let floor = || {
        let mut window = match issuer {
            Some(org) => recent
                .filter(id_is_one_of("recent", "issuer_org_id", org))
                .into_boxed(),
            None => recent
                .filter(recent.field(inv::issuer_org_id).is_null())
                .into_boxed(),
        };
        if let Some(s) = filter.state {
            window = window.filter(word_is("recent", "state", s.as_str()));
        }
        if let Some(a) = after {
            window = window.filter(id.lt(at_run_time(a)));
        }
        window
            .select(id)
            .order(id.desc())
            .offset(RECENT_WINDOW - 1)
            .limit(1)
            .single_value()
    };
    let q = narrowed(conn, caller, filter, after)?;
    let rows: Vec<(Row, Option<i64>)> = crate::db::page_limit::limited(
        q.filter(inv::id.ge(coalesce(floor(), 0)))
            .order(inv::id.desc())
            .select((COLUMNS, floor())),
        size + 1,
    )
    .load(conn)?;
    let whole_list = rows.first().is_some_and(|(_, floor)| floor.is_none());
    if !whole_list && (rows.len() as i64) <= size {
        return Ok(None);
    }
    Ok(Some(paged(
        rows.into_iter().map(|(r, _)| r).collect(),
        size,
    )))
}

/// Every invoice the text matches, planned on every view with the text's values: the plan
/// walks the list or starts from the customers' trigram index, whichever the text makes
/// cheaper.
fn every_match(
    conn: &mut PgConnection,
    caller: &Caller,
    filter: &Filter,
    after: Option<i64>,
    size: i64,
) -> ServiceResult<Page> {
    let q = narrowed(conn, caller, filter, after)?.filter(planned_every_time());
    let rows = load(conn, q, size)?;
    Ok(paged(rows, size))
}

select_columns! {
    pub(super) Columns, COLUMNS:
    inv::id,
    inv::request_id,
    inv::customer_id,
    customers::company,
    inv::signing_entity,
    inv::tax_rate,
    inv::medium,
    inv::amount,
    inv::state,
    inv::number,
    inv::created_at,
}

/// Up to `size + 1` rows of the list, newest first.
fn load(conn: &mut PgConnection, q: Scoped<'_>, size: i64) -> ServiceResult<Vec<Row>> {
    Ok(
        crate::db::page_limit::limited(q.order(inv::id.desc()).select(COLUMNS), size + 1)
            .load(conn)?,
    )
}

/// The page of `size` rows and the cursor of the next, from up to `size + 1` rows.
fn paged(mut rows: Vec<Row>, size: i64) -> Page {
    let next = take_page(&mut rows, size, |r| r.0.to_string());
    Page {
        rows: rows.into_iter().map(line).collect(),
        next,
    }
}
