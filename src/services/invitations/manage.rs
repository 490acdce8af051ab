//! Acting on sent invitations (rule C3): resend with a new token, revoke, and the
//! organisation's reminder switch. Every action is scoped like the list: another
//! organisation's invitation, or one outside a manager's or supervisor's scope, is a 404.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde_json::json;

use super::{Draft, mail_with_new_token, org_name};
use crate::audit::{self, Entry};
use crate::db::schema::{invitation_retired_tokens, invitations, organizations, users};
use crate::domain::{Caller, MemberOf};
use crate::domain::{Email, OrgId};
use crate::domain::{InvitationKind, InvitationState};
use crate::i18n::Lang;
use crate::mail::outbox;
use crate::services::customers::association::AssociationType;
use crate::services::{ServiceError, ServiceResult};

/// The invitation row a member may act on, scoped like the list (`scope::visible_invitations`):
/// anything else is a 404.
pub fn find_for_member(
    conn: &mut PgConnection,
    member: &MemberOf,
    id: i64,
) -> ServiceResult<InvitationRecord> {
    let scope = crate::services::scope::visible_invitations(conn, member)?;
    Ok(invitations::table
        .filter(invitations::id.eq(id))
        .filter(scope)
        .select(InvitationRecord::as_select())
        .for_update()
        .first(conn)?)
}

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = invitations)]
pub struct InvitationRecord {
    pub id: i64,
    pub partner_id: i64,
    pub inviter_id: i64,
    pub email: String,
    pub company: String,
    pub association_type: String,
    pub language: String,
    pub token_hash: String,
    pub state: String,
    pub expires_at: DateTime<Utc>,
    pub sent_at: DateTime<Utc>,
    pub resent_count: i32,
    pub kind: String,
}

/// rule C3: a new token and expiry, mailed to the invitee; the old token stops working at
/// once. The plain token exists only in the mail.
pub fn resend(
    conn: &mut PgConnection,
    caller: &Caller,
    id: i64,
    ttl: std::time::Duration,
    public_url: &str,
) -> ServiceResult<()> {
    let member = caller.member()?;
    let inv = find_for_member(conn, member, id)?;
    if InvitationState::parse(&inv.state) != Some(InvitationState::Pending) {
        return Err(ServiceError::Refused(crate::services::Refusal::NotPending));
    }
    let expires_at = super::expires_from_now(ttl);
    let inviter: String = users::table
        .find(inv.inviter_id)
        .select(users::display_name)
        .first(conn)?;
    let draft = Draft {
        kind: InvitationKind::parse(&inv.kind).unwrap_or(InvitationKind::Customer),
        email: Email::parse(&inv.email).map_err(|_| ServiceError::internal("stored address"))?,
        company: inv.company.clone(),
        association_type: AssociationType::parse(&inv.association_type)
            .unwrap_or(AssociationType::Resale),
        lang: Lang::parse(&inv.language).unwrap_or(Lang::ZhCn),
    };
    let partner = org_name(conn, OrgId(inv.partner_id))?;
    let (token, mail) = mail_with_new_token(&draft, &partner, &inviter, expires_at, public_url)?;
    diesel::insert_into(invitation_retired_tokens::table)
        .values((
            invitation_retired_tokens::token_hash.eq(&inv.token_hash),
            invitation_retired_tokens::invitation_id.eq(inv.id),
        ))
        .on_conflict_do_nothing()
        .execute(conn)?;
    let now = Utc::now();
    diesel::update(invitations::table.find(inv.id))
        .set((
            invitations::token_hash.eq(token.hash()),
            invitations::expires_at.eq(expires_at),
            invitations::sent_at.eq(now),
            invitations::resent_count.eq(inv.resent_count + 1),
            invitations::reminder_sent_at.eq(None::<DateTime<Utc>>),
        ))
        .execute(conn)?;
    outbox::enqueue(conn, "invitation", &inv.email, &mail)?;
    audit::record(
        conn,
        caller,
        Entry::new("invitation.resend", "invitation", inv.id)
            .before(json!({ "expires_at": inv.expires_at, "resent_count": inv.resent_count }))
            .after(json!({ "expires_at": expires_at, "resent_count": inv.resent_count + 1 })),
    )?;
    Ok(())
}

/// rule C3: a revoked invitation's link shows "no longer valid".
pub fn revoke(conn: &mut PgConnection, caller: &Caller, id: i64) -> ServiceResult<bool> {
    let member = caller.member()?;
    let inv = find_for_member(conn, member, id)?;
    if InvitationState::parse(&inv.state) != Some(InvitationState::Pending) {
        return Ok(false);
    }
    diesel::update(invitations::table.find(inv.id))
        .set((
            invitations::state.eq(InvitationState::Revoked.as_str()),
            invitations::revoked_at.eq(Some(Utc::now())),
        ))
        .execute(conn)?;
    audit::record(
        conn,
        caller,
        Entry::new("invitation.revoke", "invitation", inv.id)
            .before(json!({ "state": "pending" }))
            .after(json!({ "state": "revoked" })),
    )?;
    Ok(true)
}

/// Switches the reminder mails (one day before expiry) for the whole organisation.
pub fn set_reminders(conn: &mut PgConnection, caller: &Caller, on: bool) -> ServiceResult<()> {
    let member = caller.member()?;
    member.require_admin()?;
    let before: bool = organizations::table
        .find(member.org_id)
        .select(organizations::invitation_reminders)
        .first(conn)?;
    diesel::update(organizations::table.find(member.org_id))
        .set(organizations::invitation_reminders.eq(on))
        .execute(conn)?;
    audit::record(
        conn,
        caller,
        Entry::new("invitation.reminders", "organization", member.org_id)
            .before(json!({ "on": before }))
            .after(json!({ "on": on })),
    )?;
    Ok(())
}

/// rule A5: one invitation's masked address, revealed through the one audited reveal.
pub fn reveal_email(
    conn: &mut PgConnection,
    caller: &Caller,
    id: i64,
    limit_per_hour: i64,
) -> ServiceResult<String> {
    let subject = crate::services::reveal::Subject {
        action: "invitation.reveal",
        subject_type: "invitation",
        subject_id: id,
        field: "email".into(),
    };
    crate::services::reveal::reveal(conn, caller, limit_per_hour, subject, |conn, member| {
        Ok(find_for_member(conn, member, id)?.email)
    })
}
