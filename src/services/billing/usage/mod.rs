//! Usage import (rule B2; SPEC §6 "CSV files"): operators upload CSV files of rated usage
//! lines at `/ops/usage`, or run `partner-center usage import FILE`. An import is a row of
//! `usage_imports` that a runner fills while it reads the file: streamed in batches through a
//! staging table (`stage`), each batch checked and inserted set-based (`check`), progress
//! written after every batch so the page can show it, rejected rows kept for the report.
//! Idempotent per record id: importing a file again creates no duplicates.

pub mod check;
mod report;
pub mod runner;
pub mod stage;
mod status;

use std::io::Read;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde_json::json;

use crate::audit::{self, Entry};
use crate::db::schema::usage_imports;
use crate::domain::{Caller, Party, UsageImportState};
use crate::services::{ServiceError, ServiceResult};

pub use check::BatchCounts;
pub use report::{RejectedRow, rejected_csv, rejected_rows};
pub use stage::{COLUMNS, FileProblem};
pub use status::{recent, status};

/// Rows copied and checked per batch: large enough that a batch's statement costs little per
/// row, small enough that the page sees progress every second or two.
pub const BATCH_ROWS: usize = 50_000;

/// One import as its page shows it.
#[derive(Debug, Clone, Queryable)]
pub struct ImportStatus {
    pub id: i64,
    pub state: String,
    pub file_name: String,
    pub bytes_total: i64,
    pub bytes_read: i64,
    pub rows_read: i64,
    pub rows_imported: i64,
    pub rows_already: i64,
    pub rows_rejected: i64,
    pub problem: String,
    pub problem_line: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    pub by: Option<String>,
}

impl ImportStatus {
    pub fn state(&self) -> Option<UsageImportState> {
        UsageImportState::parse(&self.state)
    }

    pub fn running(&self) -> bool {
        matches!(
            self.state(),
            Some(UsageImportState::Queued | UsageImportState::Running)
        )
    }

    /// How far the runner has read the file, 0–100.
    pub fn percent(&self) -> i64 {
        if !self.running() {
            return 100;
        }
        (self.bytes_read.saturating_mul(100) / self.bytes_total.max(1)).clamp(0, 99)
    }
}

/// Imports are operators' work (SPEC §3 `/ops/usage`), or the command line's.
pub(crate) fn operator(caller: &Caller) -> ServiceResult<Option<i64>> {
    match caller.party {
        Party::Operator { user_id } => Ok(Some(user_id.get())),
        Party::System => Ok(None),
        _ => Err(ServiceError::Forbidden),
    }
}

/// rule B2: records a new import of `file_name` (`bytes_total` long, 0 when unknown), queued
/// for a runner; returns its id.
pub fn create(
    conn: &mut PgConnection,
    caller: &Caller,
    file_name: &str,
    bytes_total: i64,
) -> ServiceResult<i64> {
    let by = operator(caller)?;
    let name: String = file_name.chars().take(255).collect();
    conn.transaction(|conn| {
        let id: i64 = diesel::insert_into(usage_imports::table)
            .values((
                usage_imports::file_name.eq(&name),
                usage_imports::bytes_total.eq(bytes_total.max(0)),
                usage_imports::created_by.eq(by),
            ))
            .returning(usage_imports::id)
            .get_result(conn)?;
        audit::record(
            conn,
            caller,
            Entry::new("usage.import_started", "usage_import", id)
                .after(json!({ "file": name, "bytes": bytes_total })),
        )?;
        Ok(id)
    })
}

/// rule B2: runs import `id` over `input` (any reader: an uploaded file, a command's file):
/// batches of `BATCH_ROWS` rows, progress after each, the import `done` or `failed` at the end.
/// `bytes_read` reports how far the reader got, for the progress bar.
pub fn run<R: Read>(
    conn: &mut PgConnection,
    caller: &Caller,
    id: i64,
    input: R,
    bytes_read: impl Fn() -> i64,
) -> ServiceResult<ImportStatus> {
    operator(caller)?;
    diesel::update(usage_imports::table.find(id))
        .set((
            usage_imports::state.eq(UsageImportState::Running.as_str()),
            usage_imports::started_at.eq(Utc::now()),
        ))
        .execute(conn)?;
    stage::prepare(conn)?;
    let outcome = read_all(conn, id, input, &bytes_read);
    stage::finish(conn)?;
    let (state, problem) = match outcome {
        Ok(()) => (UsageImportState::Done, None),
        Err(Stop::File(p)) => (UsageImportState::Failed, Some(p)),
        Err(Stop::Db(e)) => {
            mark_failed(conn, id, "usage.file.failed", None)?;
            return Err(e.into());
        }
    };
    let (key, line) = problem
        .as_ref()
        .map(|p| (p.key(), p.detail().1))
        .unwrap_or(("", None));
    conn.transaction(|conn| {
        diesel::update(usage_imports::table.find(id))
            .set((
                usage_imports::state.eq(state.as_str()),
                usage_imports::problem.eq(key),
                usage_imports::problem_line.eq(line),
                usage_imports::bytes_read.eq(bytes_read()),
                usage_imports::finished_at.eq(Utc::now()),
            ))
            .execute(conn)?;
        let done = status::load(conn, id)?;
        audit::record(
            conn,
            caller,
            Entry::new("usage.imported", "usage_import", id).after(json!({
                "state": done.state, "rows": done.rows_read, "imported": done.rows_imported,
                "already": done.rows_already, "rejected": done.rows_rejected, "problem": key,
            })),
        )?;
        Ok(done)
    })
}

enum Stop {
    File(FileProblem),
    Db(diesel::result::Error),
}

impl From<diesel::result::Error> for Stop {
    fn from(e: diesel::result::Error) -> Self {
        Stop::Db(e)
    }
}

fn read_all<R: Read>(
    conn: &mut PgConnection,
    id: i64,
    input: R,
    bytes_read: &impl Fn() -> i64,
) -> Result<(), Stop> {
    let mut source = stage::Source::open(input).map_err(Stop::File)?;
    let latest = crate::services::billing::month::Month::at(Utc::now()).first_day();
    while !source.done() {
        let (copied, problem) = match stage::copy_batch(conn, &mut source, BATCH_ROWS) {
            Ok(n) => (n, None),
            Err(stage::CopyProblem::File(p, n)) => (n, Some(p)),
            Err(stage::CopyProblem::Db(e)) => return Err(Stop::Db(e)),
        };
        let counts = check::insert_batch(conn, id, latest)?;
        diesel::update(usage_imports::table.find(id))
            .set((
                usage_imports::rows_read.eq(usage_imports::rows_read + copied as i64),
                usage_imports::rows_imported.eq(usage_imports::rows_imported + counts.imported),
                usage_imports::rows_already.eq(usage_imports::rows_already + counts.already),
                usage_imports::rows_rejected.eq(usage_imports::rows_rejected + counts.rejected),
                usage_imports::bytes_read.eq(bytes_read()),
            ))
            .execute(conn)?;
        if let Some(p) = problem {
            return Err(Stop::File(p));
        }
    }
    Ok(())
}

fn mark_failed(
    conn: &mut PgConnection,
    id: i64,
    key: &str,
    line: Option<i64>,
) -> QueryResult<usize> {
    diesel::update(usage_imports::table.find(id))
        .set((
            usage_imports::state.eq(UsageImportState::Failed.as_str()),
            usage_imports::problem.eq(key),
            usage_imports::problem_line.eq(line),
            usage_imports::finished_at.eq(Utc::now()),
        ))
        .execute(conn)
}

/// An import that could not be started (its file could not be kept): failed at once.
pub fn fail(conn: &mut PgConnection, caller: &Caller, id: i64) -> ServiceResult<()> {
    operator(caller)?;
    mark_failed(conn, id, "usage.file.failed", None)?;
    Ok(())
}
