//! The customer CSV export (rule C4, admins): every customer the list would show, in the
//! list's order, read in keyset chunks.

use diesel::prelude::*;

use super::filter::Filter;
use super::list::{ListRow, org_managers, page};
use crate::domain::MemberOf;

/// Every matching customer for the CSV export, read in keyset chunks (three queries each).
pub fn export_rows(
    conn: &mut PgConnection,
    member: &MemberOf,
    filter: &Filter,
) -> QueryResult<Vec<ListRow>> {
    let managers = org_managers(conn, member.org_id)?;
    let mut out = Vec::new();
    let mut after = None;
    loop {
        let page = page(conn, member, filter, after, 1000, &managers)?;
        out.extend(page.rows);
        match page.next {
            Some(c) => after = Some(c),
            None => return Ok(out),
        }
    }
}
