//! The requester's side (rule B7): `/fee-center/invoices` lists the customer's requests newest
//! first (keyset pages by id), each with its invoices and their states; a request's page shows
//! the title it used, each invoice with its items, number, tracking number or reason, and
//! file. Another customer's request is 404. Two statements a page, four a request.

use crate::db::runtime_value::at_run_time;
use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use rust_decimal::Decimal;

use super::detail::{ItemLine, lines_of, title_of};
use super::titles::Title;
use crate::db::schema::{
    invoice_files as f, invoice_requests as r, invoices as inv, organizations,
};
use crate::domain::Caller;
use crate::services::ServiceResult;
use crate::services::keyset::take_page;

/// One invoice of a request.
#[derive(Debug, Clone)]
pub struct Invoice {
    pub id: i64,
    pub request_id: i64,
    pub signing_entity: String,
    pub tax_rate: i16,
    pub amount: Decimal,
    pub state: String,
    pub number: Option<String>,
    pub issued_on: Option<NaiveDate>,
    pub tracking_number: Option<String>,
    pub reason: String,
    pub has_file: bool,
}

#[derive(Debug, Clone)]
pub struct Request {
    pub id: i64,
    pub created_at: DateTime<Utc>,
    pub amount: Decimal,
    pub asked: Option<Decimal>,
    pub medium: String,
    /// Empty: the platform.
    pub issuer_name: String,
    pub title: Title,
    pub invoices: Vec<Invoice>,
}

pub struct Page {
    pub rows: Vec<Request>,
    pub next: Option<String>,
}

type RequestRow = (
    i64,
    DateTime<Utc>,
    Decimal,
    Option<Decimal>,
    String,
    Option<String>,
    serde_json::Value,
);

fn requests(
    conn: &mut PgConnection,
    customer: i64,
    only: Option<i64>,
    after: Option<i64>,
    size: i64,
) -> ServiceResult<(Vec<Request>, Option<String>)> {
    let mut q = r::table
        .left_join(organizations::table.on(organizations::id.nullable().eq(r::issuer_org_id)))
        .filter(r::customer_id.eq(customer))
        .into_boxed();
    if let Some(id) = only {
        q = q.filter(r::id.eq(id));
    }
    if let Some(a) = after {
        q = q.filter(r::id.lt(at_run_time(a)));
    }
    let mut rows: Vec<RequestRow> = crate::db::page_limit::limited(
        q.order(r::id.desc()).select((
            r::id,
            r::created_at,
            r::amount,
            r::asked,
            r::medium,
            organizations::name.nullable(),
            r::title,
        )),
        size + 1,
    )
    .load(conn)?;
    let next = take_page(&mut rows, size, |r| r.0.to_string());
    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    let mut invoices = invoices_of(conn, &ids)?;
    let mut out = Vec::with_capacity(rows.len());
    for (id, created_at, amount, asked, medium, issuer, title) in rows {
        let mine: Vec<Invoice> = invoices
            .iter()
            .filter(|i| i.request_id == id)
            .cloned()
            .collect();
        invoices.retain(|i| i.request_id != id);
        out.push(Request {
            id,
            created_at,
            amount,
            asked,
            medium,
            issuer_name: issuer.unwrap_or_default(),
            title: title_of(title)?,
            invoices: mine,
        });
    }
    Ok((out, next))
}

fn invoices_of(conn: &mut PgConnection, ids: &[i64]) -> QueryResult<Vec<Invoice>> {
    type Row = (
        (i64, i64, String, i16, Decimal, String),
        (
            Option<String>,
            Option<NaiveDate>,
            Option<String>,
            String,
            Option<i64>,
        ),
    );
    let rows: Vec<Row> = inv::table
        .left_join(f::table)
        .filter(inv::request_id.eq_any(ids))
        .order(inv::id)
        .select((
            (
                inv::id,
                inv::request_id,
                inv::signing_entity,
                inv::tax_rate,
                inv::amount,
                inv::state,
            ),
            (
                inv::number,
                inv::issued_on,
                inv::tracking_number,
                inv::reason,
                f::invoice_id.nullable(),
            ),
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(a, b)| Invoice {
            id: a.0,
            request_id: a.1,
            signing_entity: a.2,
            tax_rate: a.3,
            amount: a.4,
            state: a.5,
            number: b.0,
            issued_on: b.1,
            tracking_number: b.2,
            reason: b.3,
            has_file: b.4.is_some(),
        })
        .collect())
}

/// The customer's requests, newest first.
pub fn page(
    conn: &mut PgConnection,
    caller: &Caller,
    after: Option<i64>,
    size: i64,
) -> ServiceResult<Page> {
    let customer = caller.customer_id()?.get();
    let (rows, next) = requests(conn, customer, None, after, size)?;
    Ok(Page { rows, next })
}

/// One of the customer's requests with each invoice's items.
pub fn request(
    conn: &mut PgConnection,
    caller: &Caller,
    id: i64,
) -> ServiceResult<(Request, Vec<ItemLine>)> {
    let customer = caller.customer_id()?.get();
    let (mut rows, _) = requests(conn, customer, Some(id), None, 1)?;
    let found = rows.pop().ok_or(crate::services::ServiceError::NotFound)?;
    let ids: Vec<i64> = found.invoices.iter().map(|i| i.id).collect();
    let lines = lines_of(conn, &ids)?;
    Ok((found, lines))
}
