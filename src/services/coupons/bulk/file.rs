//! The bulk file itself (SPEC §6 "CSV files"): reading the upload into rows as typed, and the
//! rejected-row report (the file's columns plus `error`).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::Checked;

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
