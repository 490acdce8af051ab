//! Reading the audit log (rule X1): operators search all of it in full; a partner's admins
//! search their own organisation's, with personal data masked (rule A5) — e-mail addresses and
//! phone numbers in the recorded before/after values, and the address of any actor who is not
//! a member of their organisation (an operator, a customer).

use std::collections::HashSet;

use diesel::prelude::*;

use crate::audit::{self, ActorSearch, AuditRow};
use crate::db::schema::users;
use crate::domain::{Caller, mask};
use crate::services::ServiceResult;

/// One keyset page of the log the caller may read, newest first: the whole log for an
/// operator, the organisation's for a partner admin (masked); anyone else is refused.
pub fn page(
    conn: &mut PgConnection,
    caller: &Caller,
    q: &str,
    before_id: Option<i64>,
    limit: i64,
) -> ServiceResult<Vec<AuditRow>> {
    let member = match caller.member() {
        Ok(member) => member,
        Err(_) => {
            caller.require_operator()?;
            let rows = audit::page(conn, None, q, ActorSearch::Substring, before_id, limit)?;
            return Ok(rows);
        }
    };
    member.require_admin()?;
    let org = member.org_id.get();
    let mut rows = audit::page(
        conn,
        Some(org),
        q,
        ActorSearch::MembersOf(org),
        before_id,
        limit,
    )?;
    let actors: Vec<i64> = rows.iter().filter_map(|r| r.actor_user_id).collect();
    let colleagues: HashSet<i64> = users::table
        .filter(users::id.eq_any(&actors))
        .filter(users::org_id.eq(org))
        .select(users::id)
        .load::<i64>(conn)?
        .into_iter()
        .collect();
    for row in &mut rows {
        if !row.actor_user_id.is_some_and(|id| colleagues.contains(&id)) {
            row.actor_email = mask::emails_in(&row.actor_email);
        }
        row.subject_id = mask::emails_in(&row.subject_id);
        row.before = row.before.as_ref().map(mask::json);
        row.after = row.after.as_ref().map(mask::json);
    }
    Ok(rows)
}
