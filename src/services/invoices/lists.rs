//! The invoices an issuer processes (rule B7, X3): `/partner/invoices` (the organisation's,
//! as issuer of its resale customers' invoices) and `/ops/invoices` (the platform's), newest
//! first, with a state filter, `?q=` (company, whole e-mail address or invoice number) and
//! keyset pages by id.
//!
//! **Scope.** An admin sees every invoice the organisation issues; a supervisor or manager
//! those of the customers `scope::visible_customer_condition` lets them see (read-only, SPEC §6
//! "Roles for money pages"). Operators see the platform's. A page is two statements (three for
//! a supervisor, whose team is read first): the page joined with its customers.

use crate::db::runtime_value::at_run_time;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use rust_decimal::Decimal;

use super::state::InvoiceState;
use crate::db::constant_sql::{id_is_one_of, planned_every_time, word_is};
use crate::db::schema::{customers, invoices as inv};
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

type Row = (
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

fn line(r: Row) -> Line {
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

/// The invoices the caller's issuer processes, joined with their customers: the caller's
/// organisation's (its customers' only, for supervisors and managers), or the platform's for
/// operators.
fn scoped<'a>(conn: &mut PgConnection, caller: &Caller) -> ServiceResult<Scoped<'a>> {
    let q = inv::table.inner_join(customers::table).into_boxed();
    Ok(match &caller.party {
        Party::Member(m) => {
            let q = q.filter(id_is_one_of("invoices", "issuer_org_id", m.org_id.get()));
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
    Ok(crate::db::scalar::count_of(crate::db::page_limit::limited(
        scoped(conn, caller)?
            .filter(word_is("invoices", "state", InvoiceState::Pending.as_str()))
            .select(inv::id),
        WAITING_SHOWN_UP_TO + 1,
    )))
}

/// The issuer's page of invoices: the caller's organisation's, or the platform's for operators.
pub fn page(
    conn: &mut PgConnection,
    caller: &Caller,
    filter: &Filter,
    after: Option<i64>,
    size: i64,
) -> ServiceResult<Page> {
    let mut q = scoped(conn, caller)?;
    if let Some(s) = filter.state {
        q = q.filter(word_is("invoices", "state", s.as_str()));
    }
    if !filter.q.is_empty() {
        q = q
            .filter(
                customers::company
                    .ilike(crate::db::like_pattern(&filter.q))
                    .or(crate::db::whole_address(customers::email, &filter.q))
                    .or(inv::number.eq(filter.q.trim())),
            )
            .filter(planned_every_time());
    }
    if let Some(a) = after {
        q = q.filter(inv::id.lt(at_run_time(a)));
    }
    let mut rows: Vec<Row> = crate::db::page_limit::limited(
        q.order(inv::id.desc()).select((
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
        )),
        size + 1,
    )
    .load(conn)?;
    let next = take_page(&mut rows, size, |r| r.0.to_string());
    Ok(Page {
        rows: rows.into_iter().map(line).collect(),
        next,
    })
}
