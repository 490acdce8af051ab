//! Reading imports back: one import's progress and counts, and the latest imports (rule B2).

use diesel::prelude::*;

use super::ImportStatus;
use crate::db::schema::{usage_imports, users};
use crate::domain::Caller;
use crate::services::ServiceResult;

pub(super) fn load(conn: &mut PgConnection, id: i64) -> QueryResult<ImportStatus> {
    usage_imports::table
        .left_join(users::table.on(users::id.nullable().eq(usage_imports::created_by)))
        .filter(usage_imports::id.eq(id))
        .select(status_columns())
        .first(conn)
}

#[allow(clippy::type_complexity)]
fn status_columns() -> (
    usage_imports::id,
    usage_imports::state,
    usage_imports::file_name,
    usage_imports::bytes_total,
    usage_imports::bytes_read,
    usage_imports::rows_read,
    usage_imports::rows_imported,
    usage_imports::rows_already,
    usage_imports::rows_rejected,
    usage_imports::problem,
    usage_imports::problem_line,
    usage_imports::created_at,
    usage_imports::finished_at,
    diesel::dsl::Nullable<users::email>,
) {
    (
        usage_imports::id,
        usage_imports::state,
        usage_imports::file_name,
        usage_imports::bytes_total,
        usage_imports::bytes_read,
        usage_imports::rows_read,
        usage_imports::rows_imported,
        usage_imports::rows_already,
        usage_imports::rows_rejected,
        usage_imports::problem,
        usage_imports::problem_line,
        usage_imports::created_at,
        usage_imports::finished_at,
        users::email.nullable(),
    )
}

/// One import's progress and counts (operators).
pub fn status(conn: &mut PgConnection, caller: &Caller, id: i64) -> ServiceResult<ImportStatus> {
    caller.require_operator()?;
    Ok(load(conn, id)?)
}

/// The latest imports, newest first (operators).
pub fn recent(
    conn: &mut PgConnection,
    caller: &Caller,
    limit: i64,
) -> ServiceResult<Vec<ImportStatus>> {
    caller.require_operator()?;
    Ok(usage_imports::table
        .left_join(users::table.on(users::id.nullable().eq(usage_imports::created_by)))
        .order(usage_imports::id.desc())
        .limit(limit)
        .select(status_columns())
        .load(conn)?)
}
