//! Reading a usage file into the staging table (rule B2; SPEC §6 "CSV files"): the CSV is read
//! record by record from any reader and copied in batches (`COPY … FROM STDIN`) into a
//! temporary table of text cells, so a file of any size is never held in memory. Each batch is
//! then checked and inserted in one statement (`check.rs`).

use std::cell::RefCell;
use std::io::Read;

use diesel::connection::SimpleConnection;
use diesel::pg::{CopyFormat, PgConnection};
use diesel::prelude::*;

/// The columns, in the order the report writes them.
pub const COLUMNS: [&str; 6] = [
    "record_id",
    "customer",
    "product",
    "period",
    "quantity",
    "unit_price",
];
/// A longer cell is cut to this many characters (it is rejected anyway, and the report
/// stays small).
const CELL_MAX: usize = 320;

diesel::table! {
    /// One batch of the file as typed; `pre_error` is a reason found while reading (empty: none).
    usage_staging (line) {
        line -> Int8,
        record_id -> Text,
        customer -> Text,
        product -> Text,
        period -> Text,
        quantity -> Text,
        unit_price -> Text,
        pre_error -> Text,
    }
}

/// Why a file cannot be read at all (an i18n key under `usage.file.*`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileProblem {
    Empty,
    MissingColumn(&'static str),
    /// The CSV is malformed at this line.
    Unreadable(u64),
}

impl FileProblem {
    pub fn key(&self) -> &'static str {
        match self {
            FileProblem::Empty => "usage.file.empty",
            FileProblem::MissingColumn(_) => "usage.file.missing_column",
            FileProblem::Unreadable(_) => "usage.file.unreadable",
        }
    }

    /// The column or line the message names, as stored beside the key.
    pub fn detail(&self) -> (String, Option<i64>) {
        match self {
            FileProblem::MissingColumn(c) => (c.to_string(), None),
            FileProblem::Unreadable(line) => (String::new(), i64::try_from(*line).ok()),
            FileProblem::Empty => (String::new(), None),
        }
    }
}

/// Creates (or empties) this connection's staging table. The batches' statements are planned
/// afresh each time and sort a batch's record ids: no JIT compilation (it cost more than the
/// statement) and room to sort in memory, for this connection until `finish`.
pub fn prepare(conn: &mut PgConnection) -> QueryResult<()> {
    conn.batch_execute(
        "SET jit = off; SET work_mem = '64MB';
         CREATE TEMP TABLE IF NOT EXISTS usage_staging (
             line BIGINT NOT NULL, record_id TEXT NOT NULL, customer TEXT NOT NULL,
             product TEXT NOT NULL, period TEXT NOT NULL, quantity TEXT NOT NULL,
             unit_price TEXT NOT NULL, pre_error TEXT NOT NULL);
         TRUNCATE usage_staging;",
    )
}

/// Drops the staging table, so a pooled connection goes back clean.
pub fn finish(conn: &mut PgConnection) -> QueryResult<()> {
    conn.batch_execute("DROP TABLE IF EXISTS pg_temp.usage_staging; RESET jit; RESET work_mem;")
}

/// A row as staged: its line, its six cells, a reason found while reading (or "").
type StagedRow = (u64, [String; 6], &'static str);

/// A usage file being read: the CSV reader and where each column is.
pub struct Source<R: Read> {
    reader: csv::Reader<R>,
    at: [usize; 6],
    record: csv::ByteRecord,
    done: bool,
}

impl<R: Read> Source<R> {
    /// Reads the header row: UTF-8 names (a BOM tolerated) in any order, other columns
    /// ignored, case-insensitive.
    pub fn open(input: R) -> Result<Source<R>, FileProblem> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(input);
        let headers = reader
            .byte_headers()
            .map_err(|e| FileProblem::Unreadable(e.position().map_or(1, |p| p.line())))?
            .clone();
        let names: Vec<String> = headers
            .iter()
            .map(|h| {
                String::from_utf8_lossy(h)
                    .trim_start_matches('\u{feff}')
                    .trim()
                    .to_ascii_lowercase()
            })
            .collect();
        if names.iter().all(String::is_empty) {
            return Err(FileProblem::Empty);
        }
        let mut at = [0usize; 6];
        for (i, name) in COLUMNS.iter().enumerate() {
            at[i] = names
                .iter()
                .position(|h| h == name)
                .ok_or(FileProblem::MissingColumn(name))?;
        }
        Ok(Source {
            reader,
            at,
            record: csv::ByteRecord::new(),
            done: false,
        })
    }

    pub fn done(&self) -> bool {
        self.done
    }

    /// The next non-blank row as staged cells: its line, its six cells and a reason found while
    /// reading (a cell that is not UTF-8).
    fn next_row(&mut self) -> Result<Option<StagedRow>, FileProblem> {
        loop {
            let more = self
                .reader
                .read_byte_record(&mut self.record)
                .map_err(|e| FileProblem::Unreadable(e.position().map_or(0, |p| p.line())))?;
            if !more {
                self.done = true;
                return Ok(None);
            }
            if self.record.iter().all(<[u8]>::is_empty) {
                continue;
            }
            let line = self.record.position().map_or(0, |p| p.line());
            let mut pre_error = "";
            let cells = self.at.map(|i| {
                let raw = self.record.get(i).unwrap_or(b"");
                match std::str::from_utf8(raw) {
                    Ok(text) => text.chars().take(CELL_MAX).collect(),
                    Err(_) => {
                        pre_error = "not_utf8";
                        String::from_utf8_lossy(raw)
                            .chars()
                            .take(CELL_MAX)
                            .collect()
                    }
                }
            });
            return Ok(Some((line, cells, pre_error)));
        }
    }
}

/// Copies up to `rows` rows of the file into the (empty) staging table; returns how many.
pub fn copy_batch<R: Read>(
    conn: &mut PgConnection,
    source: &mut Source<R>,
    rows: usize,
) -> Result<usize, CopyProblem> {
    let source = RefCell::new(source);
    let copied = RefCell::new(0usize);
    let problem = RefCell::new(None);
    diesel::copy_from(usage_staging::table)
        .from_raw_data(usage_staging::table, |out: &mut dyn std::io::Write| {
            let mut source = source.borrow_mut();
            let mut writer = csv::WriterBuilder::new()
                .quote_style(csv::QuoteStyle::Always)
                .from_writer(out);
            let io = |e: csv::Error| diesel::result::Error::SerializationError(Box::new(e));
            while *copied.borrow() < rows {
                match source.next_row() {
                    Ok(Some((line, cells, pre_error))) => {
                        writer
                            .write_record(
                                std::iter::once(line.to_string())
                                    .chain(cells)
                                    .chain(std::iter::once(pre_error.to_string())),
                            )
                            .map_err(io)?;
                        *copied.borrow_mut() += 1;
                    }
                    Ok(None) => break,
                    Err(p) => {
                        *problem.borrow_mut() = Some(p);
                        break;
                    }
                }
            }
            writer
                .flush()
                .map_err(|e| diesel::result::Error::SerializationError(Box::new(e)))
        })
        .with_format(CopyFormat::Csv)
        .execute(conn)
        .map_err(CopyProblem::Db)?;
    if let Some(p) = problem.into_inner() {
        return Err(CopyProblem::File(p, copied.into_inner()));
    }
    Ok(copied.into_inner())
}

/// Why a batch could not be copied: the database, or the file (after this many good rows of
/// the batch, which were copied).
#[derive(Debug)]
pub enum CopyProblem {
    Db(diesel::result::Error),
    File(FileProblem, usize),
}
