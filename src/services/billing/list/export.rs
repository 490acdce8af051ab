//! The CSV export of the bills list (rules X3, C10, A5): admins only, every bill the list would
//! show with the same filters, newest first, e-mails masked, read in keyset chunks.

use diesel::prelude::*;

use super::{BillLine, Filter, lines, no_totals};
use crate::domain::Caller;
use crate::services::ServiceResult;

/// How many bills one chunk of the export reads.
const CHUNK: i64 = 1000;

/// rule C10: only admins export; supervisors and customer managers are refused.
pub fn export_rows(
    conn: &mut PgConnection,
    caller: &Caller,
    filter: &Filter,
) -> ServiceResult<Vec<BillLine>> {
    let member = caller.member()?;
    member.require_admin()?;
    let mut out = Vec::new();
    let mut after = None;
    loop {
        let (rows, next, _) = lines(conn, member, filter, after, CHUNK, no_totals())?;
        out.extend(rows);
        match next.and_then(|c| c.parse().ok()) {
            Some(c) => after = Some(c),
            None => return Ok(out),
        }
    }
}
