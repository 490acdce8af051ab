//! The invitation list (rule C3): scoped like every invitation action (`scope::
//! visible_invitations`); filtered by state and text; keyset pages, newest first.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use crate::db::page_limit::limited;

use crate::db::schema::{invitations, users};
use crate::domain::MemberOf;
use crate::domain::{InvitationKind, InvitationShown, InvitationState};

pub struct Listed {
    pub id: i64,
    pub email: String,
    pub company: String,
    pub association_type: String,
    pub state: String,
    pub sent_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub resent_count: i32,
    pub inviter: String,
}

/// `expired` is not stored: it is a pending invitation past its expiry.
pub fn shown_state(state: &str, expires_at: DateTime<Utc>, now: DateTime<Utc>) -> &str {
    match InvitationState::parse(state) {
        Some(s) => InvitationShown::of(s, expires_at, now).as_str(),
        None => state,
    }
}

use crate::db::like_pattern;

type ListRow = (
    i64,
    String,
    String,
    String,
    String,
    DateTime<Utc>,
    DateTime<Utc>,
    i32,
    String,
);

/// The invitations page (rule C3): one keyset page, newest first, and whether reminders are on.
pub struct InvitationList {
    pub rows: Vec<Listed>,
    /// The cursor of the next page, when there is one.
    pub next: Option<String>,
    pub reminders: bool,
}

/// Managers see the invitations they sent, supervisors their team's and their own, admins the
/// organisation's.
pub fn list(
    conn: &mut PgConnection,
    caller: &crate::domain::Caller,
    kind: InvitationKind,
    state: Option<InvitationShown>,
    q: &str,
    before: Option<i64>,
    size: i64,
) -> crate::services::ServiceResult<InvitationList> {
    let member = caller.member()?;
    let mut rows = page(conn, member, kind, state, q, before, size + 1)?;
    let next = crate::services::keyset::take_page(&mut rows, size, |r| r.id.to_string());
    let reminders = reminders_on(conn, member.org_id)?;
    Ok(InvitationList {
        rows,
        next,
        reminders,
    })
}

/// Whether the organisation sends invitation reminders (rule C3), shown beside the list.
pub fn reminders_on(conn: &mut PgConnection, org_id: crate::domain::OrgId) -> QueryResult<bool> {
    crate::db::schema::organizations::table
        .find(org_id.get())
        .select(crate::db::schema::organizations::invitation_reminders)
        .first(conn)
}

/// One page: rows with `id < before`, at most `limit` (one query, and one for a supervisor's
/// team).
pub fn page(
    conn: &mut PgConnection,
    member: &MemberOf,
    kind: InvitationKind,
    state: Option<InvitationShown>,
    q: &str,
    before: Option<i64>,
    limit: i64,
) -> QueryResult<Vec<Listed>> {
    let now = Utc::now();
    let scope = crate::services::scope::visible_invitations(conn, member)?;
    let mut query = invitations::table
        .inner_join(users::table.on(users::id.eq(invitations::inviter_id)))
        .filter(scope)
        // A constant: the rare kind (resellers) is then planned as rare (`db::constant_sql`).
        .filter(crate::db::constant_sql::word_is(
            "invitations",
            "kind",
            kind.as_str(),
        ))
        .into_boxed();
    let pending = InvitationState::Pending.as_str();
    query = match state {
        Some(InvitationShown::Pending) => query
            .filter(invitations::state.eq(pending))
            .filter(invitations::expires_at.gt(now)),
        Some(InvitationShown::Expired) => query
            .filter(invitations::state.eq(pending))
            .filter(invitations::expires_at.le(now)),
        Some(InvitationShown::Accepted) => {
            query.filter(invitations::state.eq(InvitationState::Accepted.as_str()))
        }
        Some(InvitationShown::Revoked) => {
            query.filter(invitations::state.eq(InvitationState::Revoked.as_str()))
        }
        None => query,
    };
    // SPEC §5 "Lists": names and companies by substring, an address only whole (rule A5).
    let q = q.trim();
    if !q.is_empty() {
        let pattern = like_pattern(q);
        query = query.filter(
            invitations::company
                .ilike(pattern.clone())
                .or(users::display_name.ilike(pattern))
                .or(crate::db::whole_address(invitations::email, q)),
        );
    }
    if let Some(id) = before {
        query = query.filter(invitations::id.lt(id));
    }
    let query = query.order(invitations::id.desc()).select((
        invitations::id,
        invitations::email,
        invitations::company,
        invitations::association_type,
        invitations::state,
        invitations::sent_at,
        invitations::expires_at,
        invitations::resent_count,
        users::display_name,
    ));
    let rows: Vec<ListRow> = limited(query, limit).load(conn)?;
    Ok(rows
        .into_iter()
        .map(|r| Listed {
            id: r.0,
            email: r.1,
            company: r.2,
            association_type: r.3,
            state: shown_state(&r.4, r.6, now).to_string(),
            sent_at: r.5,
            expires_at: r.6,
            resent_count: r.7,
            inviter: r.8,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pending_invitation_past_its_expiry_shows_as_expired() {
        let now = Utc::now();
        let past = now - chrono::Duration::seconds(1);
        assert_eq!(shown_state("pending", past, now), "expired");
        assert_eq!(
            shown_state("pending", now + chrono::Duration::hours(1), now),
            "pending"
        );
        assert_eq!(shown_state("accepted", past, now), "accepted");
        assert_eq!(shown_state("revoked", past, now), "revoked");
    }
}
