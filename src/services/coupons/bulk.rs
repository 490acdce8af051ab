//! Bulk issue from a CSV file (rule K2; SPEC §6 "CSV files"): columns `customer` (id or full
//! e-mail), `face_value`, `valid_until`. The file is kept between its dry-run preview and its
//! issue (`coupon_uploads`); every showing and the issue resolve its customers in one
//! statement and check each row with `issue::Batch::check`. A file issues all rows or none.

use std::collections::HashMap;

use chrono::NaiveDate;
use diesel::prelude::*;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::CouponRefusal;
use super::grants::Grant;
use super::issue::{Batch, CustomerFacts, Line};
use crate::db::schema::customers;
use crate::domain::money::MoneyError;
use crate::domain::{MemberOf, Money};

pub mod store;

pub use store::{BulkOutcome, Shown, issue, preview, show};

/// SPEC K2: larger batches go through CSV, up to this many rows per file.
pub const MAX_ROWS: usize = 10_000;
/// The columns, in the order a report writes them.
pub const COLUMNS: [&str; 3] = ["customer", "face_value", "valid_until"];
const CELL_MAX: usize = 320;

/// One row as typed in the file (`line` counts the header as line 1).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct RawRow {
    pub line: u32,
    pub customer: String,
    pub face_value: String,
    pub valid_until: String,
}

/// Why a file cannot be read at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileProblem {
    NotUtf8,
    Empty,
    MissingColumn(&'static str),
    TooManyRows,
    /// The CSV is malformed at this line.
    Unreadable(u64),
}

impl FileProblem {
    pub fn key(&self) -> &'static str {
        match self {
            FileProblem::NotUtf8 => "coupon_bulk.file.not_utf8",
            FileProblem::Empty => "coupon_bulk.file.empty",
            FileProblem::MissingColumn(_) => "coupon_bulk.file.missing_column",
            FileProblem::TooManyRows => "coupon_bulk.file.too_many_rows",
            FileProblem::Unreadable(_) => "coupon_bulk.file.unreadable",
        }
    }
}

/// Why one row cannot be issued.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowProblem {
    NoCustomer,
    FaceValue(MoneyError),
    BadDate,
    Refused(CouponRefusal),
}

impl RowProblem {
    pub fn key(self) -> &'static str {
        match self {
            RowProblem::NoCustomer => "coupon_bulk.row.no_customer",
            RowProblem::FaceValue(e) => e.message_key(),
            RowProblem::BadDate => "coupon_bulk.row.bad_date",
            RowProblem::Refused(r) => r.key(),
        }
    }
}

/// Reads the file: UTF-8 (a BOM tolerated), a header row naming the three columns in any
/// order (other columns are ignored), every row as wide as the header, at most `MAX_ROWS`
/// rows; blank lines are skipped.
pub fn parse(bytes: &[u8]) -> Result<Vec<RawRow>, FileProblem> {
    let text = std::str::from_utf8(bytes).map_err(|_| FileProblem::NotUtf8)?;
    let text = text.trim_start_matches('\u{feff}');
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| FileProblem::Unreadable(e.position().map_or(1, |p| p.line())))?
        .clone();
    if headers.iter().all(str::is_empty) {
        return Err(FileProblem::Empty);
    }
    let mut at = [0usize; 3];
    for (i, name) in COLUMNS.iter().enumerate() {
        at[i] = headers
            .iter()
            .position(|h| h.eq_ignore_ascii_case(name))
            .ok_or(FileProblem::MissingColumn(name))?;
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let record =
            record.map_err(|e| FileProblem::Unreadable(e.position().map_or(0, |p| p.line())))?;
        if record.iter().all(str::is_empty) {
            continue;
        }
        if rows.len() == MAX_ROWS {
            return Err(FileProblem::TooManyRows);
        }
        let cell = |i: usize| -> String {
            record
                .get(at[i])
                .unwrap_or("")
                .chars()
                .take(CELL_MAX)
                .collect()
        };
        rows.push(RawRow {
            line: record.position().map_or(0, |p| p.line()) as u32,
            customer: cell(0),
            face_value: cell(1),
            valid_until: cell(2),
        });
    }
    if rows.is_empty() {
        return Err(FileProblem::Empty);
    }
    Ok(rows)
}

/// One row with its customer (when found) and its result.
#[derive(Debug, Clone)]
pub struct CheckedRow {
    pub raw: RawRow,
    pub company: Option<String>,
    /// What would be issued, when the row is fine.
    pub line: Option<Line>,
    pub problem: Option<RowProblem>,
}

/// Every row checked against one grant.
pub struct Checked {
    pub grant: Grant,
    pub rows: Vec<CheckedRow>,
    /// The face values of the rows that parse: the quota the file needs.
    pub total: Decimal,
    pub rejected: usize,
}

impl Checked {
    /// Whether the grant covers the whole file.
    pub fn covered(&self) -> bool {
        self.total <= self.grant.available
    }

    /// rule K2: a file issues only when every row is fine and the grant covers all of them.
    pub fn issuable(&self) -> bool {
        self.rejected == 0 && self.covered() && self.grant.can_issue(super::today()).is_ok()
    }
}

/// The organisation's customers the file names, by id and by lower-cased e-mail, in one
/// statement (the e-mail index is on `lower(email)`).
fn resolve(
    conn: &mut PgConnection,
    member: &MemberOf,
    rows: &[RawRow],
) -> QueryResult<(HashMap<i64, CustomerFacts>, HashMap<String, i64>)> {
    let mut ids = Vec::new();
    let mut emails = Vec::new();
    for r in rows {
        if let Ok(id) = r.customer.parse::<i64>() {
            ids.push(id);
        } else if r.customer.contains('@') {
            emails.push(r.customer.to_lowercase());
        }
    }
    ids.sort_unstable();
    ids.dedup();
    emails.sort_unstable();
    emails.dedup();
    let found: Vec<CustomerFacts> = customers::table
        .filter(customers::partner_id.eq(member.org_id.get()))
        .filter(
            customers::id
                .eq_any(&ids)
                .or(crate::db::lower(customers::email).eq_any(&emails)),
        )
        .select((
            customers::id,
            customers::company,
            customers::email,
            customers::partner_id,
            customers::association_type,
            customers::signing_entity,
        ))
        .load(conn)?;
    let by_email = found
        .iter()
        .map(|c| (c.email.to_lowercase(), c.id))
        .collect();
    Ok((found.into_iter().map(|c| (c.id, c)).collect(), by_email))
}

/// rules K2, K5: each row's result against `grant` (whose scope every coupon of a file takes).
pub fn check(
    conn: &mut PgConnection,
    member: &MemberOf,
    grant: Grant,
    rows: Vec<RawRow>,
) -> QueryResult<Checked> {
    let (facts, by_email) = resolve(conn, member, &rows)?;
    let entity = super::issue::signing_entity_of(conn, member)?;
    let batch = Batch {
        member,
        grant: &grant,
        scope: &grant.row.scope,
        partner_signing_entity: &entity,
        today: super::today(),
    };
    let mut total = Decimal::ZERO;
    let mut checked = Vec::with_capacity(rows.len());
    for raw in rows {
        let customer = match raw.customer.parse::<i64>() {
            Ok(id) => facts.get(&id),
            Err(_) => by_email
                .get(&raw.customer.to_lowercase())
                .and_then(|id| facts.get(id)),
        };
        let face = Money::parse_positive(&raw.face_value);
        if let Ok(f) = face {
            total += f.amount();
        }
        let date = match raw.valid_until.as_str() {
            "" => Ok(grant.row.valid_until),
            d => NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|_| RowProblem::BadDate),
        };
        let outcome = (|| {
            if raw.customer.is_empty() {
                return Err(RowProblem::NoCustomer);
            }
            let line = Line {
                customer_id: customer.map_or(0, |c| c.id),
                face_value: face.map_err(RowProblem::FaceValue)?,
                valid_until: date?,
            };
            batch.check(&line, customer).map_err(RowProblem::Refused)?;
            Ok(line)
        })();
        checked.push(CheckedRow {
            company: customer.map(|c| c.company.clone()),
            line: outcome.as_ref().ok().cloned(),
            problem: outcome.err(),
            raw,
        });
    }
    let rejected = checked.iter().filter(|r| r.problem.is_some()).count();
    Ok(Checked {
        grant,
        rows: checked,
        total,
        rejected,
    })
}

/// The rejected rows as CSV (SPEC §6: the file's columns plus `error`), messages given by `t`.
pub fn errors_csv(checked: &Checked, t: impl Fn(&str) -> String) -> Vec<u8> {
    let mut out = csv::Writer::from_writer(Vec::new());
    let _ = out.write_record(COLUMNS.iter().chain(&["error"]));
    for r in checked.rows.iter().filter(|r| r.problem.is_some()) {
        let error = r.problem.map(|p| t(p.key())).unwrap_or_default();
        let _ = out.write_record([
            safe(&r.raw.customer),
            safe(&r.raw.face_value),
            safe(&r.raw.valid_until),
            safe(&error),
        ]);
    }
    out.into_inner().unwrap_or_default()
}

/// A cell a spreadsheet would run as a formula gets a leading apostrophe; a plain negative
/// number (`-1`, as typed) stays as it is, so the report can be fixed and uploaded again.
fn safe(text: &str) -> String {
    let number = text.parse::<Decimal>().is_ok();
    match text.chars().next() {
        Some('-') if number => text.to_string(),
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_names_its_columns_in_any_order_and_tolerates_a_bom() {
        let rows = parse(
            "\u{feff}valid_until,Customer,face_value\n2030-01-01,it@acme.test,10\n\n".as_bytes(),
        )
        .unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].customer, "it@acme.test");
        assert_eq!(rows[0].face_value, "10");
        assert_eq!(rows[0].valid_until, "2030-01-01");
        assert_eq!(rows[0].line, 2);
    }

    #[test]
    fn a_missing_column_or_an_empty_file_is_named() {
        assert_eq!(
            parse(b"customer,face_value\n1,2\n"),
            Err(FileProblem::MissingColumn("valid_until"))
        );
        assert_eq!(parse(b""), Err(FileProblem::Empty));
        assert_eq!(
            parse(b"customer,face_value,valid_until\n"),
            Err(FileProblem::Empty)
        );
        assert_eq!(parse(&[0xff, 0xfe, 0x00]), Err(FileProblem::NotUtf8));
    }

    #[test]
    fn formula_like_cells_are_defused_but_numbers_kept() {
        assert_eq!(safe("-1"), "-1");
        assert_eq!(safe("=1+2"), "'=1+2");
        assert_eq!(safe("-1+2"), "'-1+2");
        assert_eq!(safe("@x"), "'@x");
    }
}
