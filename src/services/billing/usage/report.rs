//! The rejected-row report of a usage import (rule B2; SPEC §6 "CSV files": the file's columns
//! plus `error`), read in line order a chunk at a time so a large report is streamed.

use diesel::prelude::*;

use crate::db::schema::{usage_import_rejects as r, usage_imports};
use crate::domain::Caller;
use crate::services::ServiceResult;

/// One rejected row as the file had it; `error` is an i18n key (`usage.error.*`).
#[derive(Debug, Clone, Queryable)]
pub struct RejectedRow {
    pub line: i64,
    pub record_id: String,
    pub customer: String,
    pub product: String,
    pub period: String,
    pub quantity: String,
    pub unit_price: String,
    pub error: String,
}

impl RejectedRow {
    /// The six cells in the file's column order.
    pub fn cells(&self) -> [&str; 6] {
        [
            &self.record_id,
            &self.customer,
            &self.product,
            &self.period,
            &self.quantity,
            &self.unit_price,
        ]
    }
}

/// Up to `limit` rejected rows of import `id` after line `after` (operators; an unknown import
/// is not found).
pub fn rejected_rows(
    conn: &mut PgConnection,
    caller: &Caller,
    id: i64,
    after: i64,
    limit: i64,
) -> ServiceResult<Vec<RejectedRow>> {
    super::operator(caller)?;
    usage_imports::table
        .find(id)
        .select(usage_imports::id)
        .first::<i64>(conn)?;
    Ok(r::table
        .filter(r::import_id.eq(id))
        .filter(r::line.gt(after))
        .order(r::line)
        .limit(limit)
        .select((
            r::line,
            r::record_id,
            r::customer,
            r::product,
            r::period,
            r::quantity,
            r::unit_price,
            r::error,
        ))
        .load(conn)?)
}

/// Rejected rows as CSV (the file's columns plus `error`, its text given by `t`), with the
/// header row when `header`: the report is written a chunk at a time. A cell a spreadsheet
/// would run as a formula gets a leading apostrophe; a plain number keeps its sign so the row
/// can be fixed and imported again.
pub fn rejected_csv(rows: &[RejectedRow], t: impl Fn(&str) -> String, header: bool) -> Vec<u8> {
    let mut out = csv::Writer::from_writer(Vec::new());
    if header {
        let _ = out.write_record(super::COLUMNS.iter().chain(&["error"]));
    }
    for r in rows {
        let error = t(&format!("usage.error.{}", r.error));
        let cells = r.cells().map(safe);
        let _ = out.write_record(
            cells
                .iter()
                .map(String::as_str)
                .chain([safe(&error).as_str()]),
        );
    }
    out.into_inner().unwrap_or_default()
}

fn safe(text: &str) -> String {
    let number = text.parse::<rust_decimal::Decimal>().is_ok();
    match text.chars().next() {
        Some('-') if number => text.to_string(),
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_string(),
    }
}
