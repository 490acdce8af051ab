//! Payment requests and incentive invoices as lists and detail pages show them, each with the
//! periods and kinds it covers (read for a whole page in one more statement, never per row).

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use rust_decimal::Decimal;

use crate::db::schema::{
    incentive_invoice_items, incentive_invoices, incentive_payout_items, incentive_payouts,
    incentives, organizations,
};

/// One period and kind a request or invoice covers.
#[derive(Clone, Debug)]
pub struct Covered {
    pub incentive_id: i64,
    pub period: NaiveDate,
    pub kind: String,
    pub amount: Decimal,
}

#[derive(Queryable, Clone, Debug)]
pub struct PayoutRow {
    pub id: i64,
    pub partner_id: i64,
    pub partner: String,
    pub batch: bool,
    pub amount: Decimal,
    pub state: String,
    pub reason: String,
    pub created_at: DateTime<Utc>,
    pub approved_at: Option<DateTime<Utc>>,
    pub paid_at: Option<DateTime<Utc>>,
    pub rejected_at: Option<DateTime<Utc>>,
}

pub struct PayoutLine {
    pub row: PayoutRow,
    pub covered: Vec<Covered>,
}

#[derive(Queryable, Clone, Debug)]
pub struct InvoiceRow {
    pub id: i64,
    pub partner_id: i64,
    pub partner: String,
    pub payout_id: i64,
    pub number: String,
    pub issued_on: NaiveDate,
    pub tax_rate: i16,
    pub amount: Decimal,
    pub file_type: Option<String>,
    pub state: String,
    pub reason: String,
    pub created_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
}

pub struct InvoiceLine {
    pub row: InvoiceRow,
    pub covered: Vec<Covered>,
}

pub type Payouts<'a> = diesel::dsl::IntoBoxed<
    'a,
    diesel::dsl::InnerJoin<incentive_payouts::table, organizations::table>,
    diesel::pg::Pg,
>;

pub type Invoices<'a> = diesel::dsl::IntoBoxed<
    'a,
    diesel::dsl::InnerJoin<incentive_invoices::table, organizations::table>,
    diesel::pg::Pg,
>;

pub fn payouts<'a>() -> Payouts<'a> {
    incentive_payouts::table
        .inner_join(organizations::table)
        .into_boxed()
}

pub fn invoices<'a>() -> Invoices<'a> {
    incentive_invoices::table
        .inner_join(organizations::table)
        .into_boxed()
}

/// The filtered requests, newest first, with what each covers.
pub fn load_payouts(
    conn: &mut PgConnection,
    q: Payouts<'_>,
    limit: i64,
) -> QueryResult<Vec<PayoutLine>> {
    let rows: Vec<PayoutRow> = crate::db::page_limit::limited(
        q.order(incentive_payouts::id.desc()).select((
            incentive_payouts::id,
            incentive_payouts::partner_id,
            organizations::name,
            incentive_payouts::batch,
            incentive_payouts::amount,
            incentive_payouts::state,
            incentive_payouts::reason,
            incentive_payouts::created_at,
            incentive_payouts::approved_at,
            incentive_payouts::paid_at,
            incentive_payouts::rejected_at,
        )),
        limit,
    )
    .load(conn)?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let items: Vec<(i64, i64, NaiveDate, String, Decimal)> = incentive_payout_items::table
        .inner_join(incentives::table)
        .filter(incentive_payout_items::payout_id.eq_any(&ids))
        .order((incentives::period, incentives::kind))
        .select((
            incentive_payout_items::payout_id,
            incentives::id,
            incentives::period,
            incentives::kind,
            incentives::amount,
        ))
        .load(conn)?;
    let mut by = group(items);
    Ok(rows
        .into_iter()
        .map(|row| PayoutLine {
            covered: by.remove(&row.id).unwrap_or_default(),
            row,
        })
        .collect())
}

/// The filtered invoices, newest first, with what each covers.
pub fn load_invoices(
    conn: &mut PgConnection,
    q: Invoices<'_>,
    limit: i64,
) -> QueryResult<Vec<InvoiceLine>> {
    let rows: Vec<InvoiceRow> = crate::db::page_limit::limited(
        q.order(incentive_invoices::id.desc()).select((
            incentive_invoices::id,
            incentive_invoices::partner_id,
            organizations::name,
            incentive_invoices::payout_id,
            incentive_invoices::number,
            incentive_invoices::issued_on,
            incentive_invoices::tax_rate,
            incentive_invoices::amount,
            incentive_invoices::file_type,
            incentive_invoices::state,
            incentive_invoices::reason,
            incentive_invoices::created_at,
            incentive_invoices::decided_at,
        )),
        limit,
    )
    .load(conn)?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let items: Vec<(i64, i64, NaiveDate, String, Decimal)> = incentive_invoice_items::table
        .inner_join(incentives::table)
        .filter(incentive_invoice_items::invoice_id.eq_any(&ids))
        .order((incentives::period, incentives::kind))
        .select((
            incentive_invoice_items::invoice_id,
            incentives::id,
            incentives::period,
            incentives::kind,
            incentives::amount,
        ))
        .load(conn)?;
    let mut by = group(items);
    Ok(rows
        .into_iter()
        .map(|row| InvoiceLine {
            covered: by.remove(&row.id).unwrap_or_default(),
            row,
        })
        .collect())
}

fn group(items: Vec<(i64, i64, NaiveDate, String, Decimal)>) -> HashMap<i64, Vec<Covered>> {
    let mut by: HashMap<i64, Vec<Covered>> = HashMap::new();
    for (owner, incentive_id, period, kind, amount) in items {
        by.entry(owner).or_default().push(Covered {
            incentive_id,
            period,
            kind,
            amount,
        });
    }
    by
}
