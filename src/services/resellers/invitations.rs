//! Reseller invitations (rule R1): a distributor's admins invite a reseller organisation by
//! e-mail and name. They are invitations like a customer's (`services::invitations`: the same
//! table with `kind = reseller`, the same token rules, link page, resend and revoke); this
//! module adds the distributor-admin check and keeps the two kinds apart.

use diesel::prelude::*;

use crate::db::schema::invitations;
use crate::domain::{Caller, InvitationKind, InvitationShown};
use crate::services::invitations::{self as inv, Draft, list::InvitationList};
use crate::services::{ServiceError, ServiceResult};

/// rule R1: sends the invitation mail (token, audit and outbox in the caller's transaction).
pub fn send(
    conn: &mut PgConnection,
    caller: &Caller,
    draft: &Draft,
    ttl: std::time::Duration,
    public_url: &str,
) -> ServiceResult<i64> {
    super::distributor_admin(caller)?;
    if draft.kind != InvitationKind::Reseller {
        return Err(ServiceError::Malformed("invitation kind"));
    }
    inv::send(conn, caller, draft, ttl, public_url)
}

/// The distributor's reseller invitations, newest first.
pub fn list(
    conn: &mut PgConnection,
    caller: &Caller,
    state: Option<InvitationShown>,
    q: &str,
    before: Option<i64>,
    size: i64,
) -> ServiceResult<InvitationList> {
    super::distributor_admin(caller)?;
    inv::list::list(
        conn,
        caller,
        InvitationKind::Reseller,
        state,
        q,
        before,
        size,
    )
}

/// A reseller invitation of the member's organisation; anything else is not found.
fn own(conn: &mut PgConnection, caller: &Caller, id: i64) -> ServiceResult<()> {
    let member = super::distributor_admin(caller)?;
    let found: Option<i64> = invitations::table
        .filter(invitations::id.eq(id))
        .filter(invitations::partner_id.eq(member.org_id))
        .filter(invitations::kind.eq(InvitationKind::Reseller.as_str()))
        .select(invitations::id)
        .first(conn)
        .optional()?;
    found.map(|_| ()).ok_or(ServiceError::NotFound)
}

/// rule C3 for resellers: a new token and expiry, the old link stops working.
pub fn resend(
    conn: &mut PgConnection,
    caller: &Caller,
    id: i64,
    ttl: std::time::Duration,
    public_url: &str,
) -> ServiceResult<()> {
    own(conn, caller, id)?;
    inv::resend(conn, caller, id, ttl, public_url)
}

/// rule C3 for resellers: the link stops working; `false` when it was no longer pending.
pub fn revoke(conn: &mut PgConnection, caller: &Caller, id: i64) -> ServiceResult<bool> {
    own(conn, caller, id)?;
    inv::revoke(conn, caller, id)
}
