//! One invoice as its issuer (or, read-only, a supervisor or manager of the customer) sees it
//! (rule B7): the request's title as it was, the items it holds or held, its file, its
//! state's facts. Also the lines of several invoices at once, for the requester's page. A
//! fixed number of statements whatever the invoice holds.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use rust_decimal::Decimal;

use super::lists::{self, Line};
use super::process::access;
use super::titles::Title;
use crate::db::schema::{
    customers, invoice_files as f, invoice_items as it, invoice_lines as l, invoice_requests as r,
    invoices as inv, organizations,
};
use crate::domain::{Caller, Party};
use crate::services::{ServiceError, ServiceResult};

/// One item an invoice holds (or held).
#[derive(Debug, Clone)]
pub struct ItemLine {
    pub invoice_id: i64,
    pub item_id: i64,
    pub kind: String,
    pub period: Option<NaiveDate>,
    pub bill_id: Option<i64>,
    pub order_id: Option<i64>,
    pub amount: Decimal,
}

pub struct InvoiceView {
    pub line: Line,
    pub invoice_kind: String,
    pub issued_on: Option<NaiveDate>,
    pub tracking_number: Option<String>,
    pub reason: String,
    pub issued_at: Option<DateTime<Utc>>,
    /// Empty for the platform.
    pub issuer_name: String,
    pub title: Title,
    /// The file's name, when there is one.
    pub file: Option<String>,
    pub items: Vec<ItemLine>,
    /// Whether the caller may process it (admins of the issuer, operators for the platform).
    pub can_act: bool,
}

/// The lines of these invoices, in invoice then item order.
pub fn lines_of(conn: &mut PgConnection, ids: &[i64]) -> QueryResult<Vec<ItemLine>> {
    type Row = (
        i64,
        i64,
        String,
        Option<NaiveDate>,
        Option<i64>,
        Option<i64>,
        Decimal,
    );
    let rows: Vec<Row> = l::table
        .inner_join(it::table)
        .filter(l::invoice_id.eq_any(ids))
        .order((l::invoice_id, it::rank, it::occurred_at, it::id))
        .select((
            l::invoice_id,
            l::item_id,
            it::kind,
            it::period,
            it::bill_id,
            it::order_id,
            l::amount,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|r| ItemLine {
            invoice_id: r.0,
            item_id: r.1,
            kind: r.2,
            period: r.3,
            bill_id: r.4,
            order_id: r.5,
            amount: r.6,
        })
        .collect())
}

/// The title a request kept.
pub fn title_of(value: serde_json::Value) -> ServiceResult<Title> {
    serde_json::from_value(value).map_err(|e| ServiceError::internal(format!("invoice title: {e}")))
}

type Row = (
    lists::Row,
    (String, Option<NaiveDate>, Option<String>, String),
    (Option<DateTime<Utc>>, Option<i64>, serde_json::Value),
);

/// One invoice for whoever may read it (404 otherwise).
pub fn invoice(conn: &mut PgConnection, caller: &Caller, id: i64) -> ServiceResult<InvoiceView> {
    let (a, b, c): Row = inv::table
        .inner_join(customers::table)
        .inner_join(r::table)
        .filter(inv::id.eq(id))
        .select((
            lists::COLUMNS,
            (
                inv::invoice_kind,
                inv::issued_on,
                inv::tracking_number,
                inv::reason,
            ),
            (inv::issued_at, inv::issuer_org_id, r::title),
        ))
        .first(conn)?;
    let (issuer, customer) = (c.1, a.2);
    access(conn, caller, issuer, customer, false)?;
    let can_act = !matches!(caller.party, Party::Customer { .. })
        && access(conn, caller, issuer, customer, true).is_ok();
    let issuer_name = match issuer {
        Some(o) => organizations::table
            .find(o)
            .select(organizations::name)
            .first(conn)?,
        None => String::new(),
    };
    let file = f::table
        .find(id)
        .select(f::file_name)
        .first(conn)
        .optional()?;
    Ok(InvoiceView {
        line: lists::line(a),
        invoice_kind: b.0,
        issued_on: b.1,
        tracking_number: b.2,
        reason: b.3,
        issued_at: c.0,
        issuer_name,
        title: title_of(c.2)?,
        file,
        items: lines_of(conn, &[id])?,
        can_act,
    })
}
