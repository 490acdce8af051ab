//! Customer invitations (rules C1, C3): sending, resending, revoking and listing. Tokens are
//! shown once (in the mail and in the sender's flash) and stored only as SHA-256 hashes.

pub mod accept;
pub mod bulk;
pub mod list;
pub mod manage;
pub mod pre_registrations;
pub mod reminders;
pub mod stop;

pub use manage::{InvitationRecord, find_for_member, resend, reveal_email, revoke, set_reminders};

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde_json::json;

use crate::audit::{self, Entry};
use crate::auth::tokens::PlainToken;
use crate::db::schema::{customers, invitations, organizations};
use crate::domain::Email;
use crate::domain::OrgId;
use crate::domain::{Caller, MemberOf};
use crate::domain::{InvitationKind, InvitationState};
use crate::i18n::Lang;
use crate::i18n::local_time;
use crate::mail::invitation::InvitationEmail;
use crate::mail::{MailTemplate, RenderedMail, outbox};
use crate::services::ServiceResult;
use crate::services::customers::association::AssociationType;

/// Stands in for the token in a preview: the real one exists only once the mail is sent.
pub const PREVIEW_TOKEN: &str = "preview-the-real-link-is-made-when-sending";

/// A checked invitation, ready to send.
#[derive(Clone, Debug)]
pub struct Draft {
    pub kind: InvitationKind,
    pub email: Email,
    pub company: String,
    pub association_type: AssociationType,
    pub lang: Lang,
}

pub fn link(public_url: &str, token: &str) -> String {
    format!("{public_url}/invitations/{token}")
}

/// The expiry shown in pages and mail, in the platform's time zone.
pub fn expiry_text(at: DateTime<Utc>) -> String {
    format!("{} (UTC+8)", local_time(at))
}

/// Renders the mail for a draft; the preview and the real send both come through here.
pub fn render(
    draft: &Draft,
    partner: &str,
    inviter: &str,
    expires_at: DateTime<Utc>,
    link: String,
) -> ServiceResult<RenderedMail> {
    Ok(InvitationEmail {
        kind: draft.kind,
        lang: draft.lang,
        partner: partner.to_string(),
        inviter: inviter.to_string(),
        company: draft.company.clone(),
        association_type: draft.association_type.as_str().to_string(),
        expires: expiry_text(expires_at),
        link,
    }
    .render_mail()?)
}

/// A fresh token and the mail that carries its link (send, resend and bulk send alike).
pub fn mail_with_new_token(
    draft: &Draft,
    partner: &str,
    inviter: &str,
    expires_at: DateTime<Utc>,
    public_url: &str,
) -> ServiceResult<(PlainToken, RenderedMail)> {
    let token = PlainToken::generate();
    let mail = render(
        draft,
        partner,
        inviter,
        expires_at,
        link(public_url, token.as_str()),
    )?;
    Ok((token, mail))
}

/// A new pending invitation row sent by `member`.
#[derive(Insertable)]
#[diesel(table_name = invitations)]
pub struct NewInvitation {
    kind: &'static str,
    partner_id: i64,
    inviter_id: i64,
    email: String,
    company: String,
    association_type: &'static str,
    language: &'static str,
    token_hash: String,
    expires_at: DateTime<Utc>,
}

impl NewInvitation {
    pub fn new(
        member: &MemberOf,
        draft: &Draft,
        token: &PlainToken,
        expires_at: DateTime<Utc>,
    ) -> NewInvitation {
        NewInvitation {
            kind: draft.kind.as_str(),
            partner_id: member.org_id.get(),
            inviter_id: member.user_id.get(),
            email: draft.email.as_str().to_string(),
            company: draft.company.clone(),
            association_type: draft.association_type.as_str(),
            language: draft.lang.code(),
            token_hash: token.hash(),
            expires_at,
        }
    }
}

pub fn expires_from_now(ttl: std::time::Duration) -> DateTime<Utc> {
    Utc::now() + chrono::Duration::from_std(ttl).unwrap_or(chrono::Duration::days(7))
}

/// Why a single invitation is not sent: the address is already invited or already ours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SendRefusal {
    AlreadyInvited,
    AlreadyCustomer,
    /// A reseller invitation for the address of partner staff or an operator (rule R1).
    PartnerStaff,
}

diesel::define_sql_function! {
    /// SQL `lower()`, for matching addresses the way the unique indexes do.
    fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text;
}

pub fn send_refusal(
    conn: &mut PgConnection,
    org_id: OrgId,
    kind: InvitationKind,
    email: &str,
) -> QueryResult<Option<SendRefusal>> {
    let pending: bool = diesel::select(diesel::dsl::exists(
        pending_invitations(org_id, kind)
            .filter(lower(invitations::email).eq(crate::domain::email::normalize(email))),
    ))
    .get_result(conn)?;
    if pending {
        return Ok(Some(SendRefusal::AlreadyInvited));
    }
    if kind == InvitationKind::Reseller {
        // A customer account may become a reseller's admin; staff and operators may not.
        let staff: bool = diesel::select(diesel::dsl::exists(
            crate::db::schema::users::table
                .filter(
                    lower(crate::db::schema::users::email)
                        .eq(crate::domain::email::normalize(email)),
                )
                .filter(
                    crate::db::schema::users::audience
                        .ne(crate::domain::Audience::Customer.as_str()),
                ),
        ))
        .get_result(conn)?;
        return Ok(staff.then_some(SendRefusal::PartnerStaff));
    }
    let ours: bool = diesel::select(diesel::dsl::exists(
        customers::table
            .filter(customers::partner_id.eq(org_id))
            .filter(lower(customers::email).eq(crate::domain::email::normalize(email))),
    ))
    .get_result(conn)?;
    Ok(ours.then_some(SendRefusal::AlreadyCustomer))
}

/// Serialises the sends of one organisation for the rest of the transaction, so a double
/// submit or two members inviting one address at once send one invitation, not two.
pub fn lock_sends(conn: &mut PgConnection, org_id: OrgId) -> QueryResult<()> {
    const NAMESPACE: i32 = 5_001;
    diesel::sql_query("SELECT pg_advisory_xact_lock($1, $2)")
        .bind::<diesel::sql_types::Integer, _>(NAMESPACE)
        .bind::<diesel::sql_types::Integer, _>(org_id.get() as i32)
        .execute(conn)?;
    Ok(())
}

pub fn org_name(conn: &mut PgConnection, org_id: OrgId) -> QueryResult<String> {
    organizations::table
        .find(org_id)
        .select(organizations::name)
        .first(conn)
}

/// rule C1: writes the invitation, its audit row and its mail in the caller's transaction.
/// Returns the new id; the plain token exists only in the mail to the invitee.
pub fn send(
    conn: &mut PgConnection,
    caller: &Caller,
    draft: &Draft,
    ttl: std::time::Duration,
    public_url: &str,
) -> ServiceResult<i64> {
    let member = caller.member()?;
    lock_sends(conn, member.org_id)?;
    if let Some(r) = send_refusal(conn, member.org_id, draft.kind, draft.email.as_str())? {
        return Err(r.into());
    }
    let expires_at = expires_from_now(ttl);
    let partner = org_name(conn, member.org_id)?;
    let (token, mail) = mail_with_new_token(draft, &partner, &caller.name, expires_at, public_url)?;
    let id: i64 = diesel::insert_into(invitations::table)
        .values(NewInvitation::new(member, draft, &token, expires_at))
        .returning(invitations::id)
        .get_result(conn)?;
    outbox::enqueue(conn, "invitation", draft.email.as_str(), &mail)?;
    audit::record(
        conn,
        caller,
        Entry::new("invitation.send", "invitation", id).after(json!({
            "kind": draft.kind.as_str(),
            "email": draft.email.as_str(),
            "association_type": draft.association_type.as_str(),
            "expires_at": expires_at,
        })),
    )?;
    Ok(id)
}

/// The organisation's invitations of one kind that can still be accepted: pending and not yet
/// expired (rule C3). The one place that says what "open" means.
pub fn pending_invitations(
    org_id: OrgId,
    kind: InvitationKind,
) -> invitations::BoxedQuery<'static, diesel::pg::Pg> {
    invitations::table
        .filter(invitations::partner_id.eq(org_id))
        .filter(crate::db::constant_sql::word_is(
            "invitations",
            "kind",
            kind.as_str(),
        ))
        .filter(invitations::state.eq(InvitationState::Pending.as_str()))
        .filter(invitations::expires_at.gt(Utc::now()))
        .into_boxed()
}
