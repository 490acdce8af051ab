//! Customer invitations (rules C1, C3): sending, resending, revoking and listing. Tokens are
//! shown once (in the mail and in the sender's flash) and stored only as SHA-256 hashes.

pub mod accept;
pub mod bulk;
pub mod list;
pub mod reminders;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde_json::json;

use crate::audit::{self, Actor, Entry};
use crate::auth::Member;
use crate::auth::tokens::PlainToken;
use crate::db::schema::{customers, invitation_retired_tokens, invitations, organizations, users};
use crate::domain::{Email, Role};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::mail::{MailTemplate, RenderedMail, outbox};
use crate::services::association::AssociationType;
use crate::views::invitations::InvitationEmail;
use crate::views::pages::local_time;

/// Stands in for the token in a preview: the real one exists only once the mail is sent.
pub const PREVIEW_TOKEN: &str = "preview-the-real-link-is-made-when-sending";

/// A checked invitation, ready to send.
#[derive(Clone, Debug)]
pub struct Draft {
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
) -> Result<RenderedMail, AppError> {
    Ok(InvitationEmail {
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

pub fn expires_from_now(ttl: std::time::Duration) -> DateTime<Utc> {
    Utc::now() + chrono::Duration::from_std(ttl).unwrap_or(chrono::Duration::days(7))
}

/// Why a single invitation is not sent: the address is already invited or already ours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SendRefusal {
    AlreadyInvited,
    AlreadyCustomer,
}

diesel::define_sql_function! {
    /// SQL `lower()`, for matching addresses the way the unique indexes do.
    fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text;
}

pub fn send_refusal(
    conn: &mut PgConnection,
    org_id: i64,
    email: &str,
) -> QueryResult<Option<SendRefusal>> {
    let pending: bool = diesel::select(diesel::dsl::exists(
        invitations::table
            .filter(invitations::partner_id.eq(org_id))
            .filter(invitations::state.eq("pending"))
            .filter(invitations::expires_at.gt(Utc::now()))
            .filter(lower(invitations::email).eq(email.to_lowercase())),
    ))
    .get_result(conn)?;
    if pending {
        return Ok(Some(SendRefusal::AlreadyInvited));
    }
    let ours: bool = diesel::select(diesel::dsl::exists(
        customers::table
            .filter(customers::partner_id.eq(org_id))
            .filter(lower(customers::email).eq(email.to_lowercase())),
    ))
    .get_result(conn)?;
    Ok(ours.then_some(SendRefusal::AlreadyCustomer))
}

pub fn org_name(conn: &mut PgConnection, org_id: i64) -> QueryResult<String> {
    organizations::table
        .find(org_id)
        .select(organizations::name)
        .first(conn)
}

/// rule C1: writes the invitation, its audit row and its mail in the caller's transaction.
/// Returns the new id and the plain token (shown once to the sender).
pub fn send(
    conn: &mut PgConnection,
    member: &Member,
    draft: &Draft,
    ttl: std::time::Duration,
    public_url: &str,
    actor: &Actor,
) -> Result<Result<(i64, PlainToken), SendRefusal>, AppError> {
    if let Some(r) = send_refusal(conn, member.org_id, draft.email.as_str())? {
        return Ok(Err(r));
    }
    let token = PlainToken::generate();
    let expires_at = expires_from_now(ttl);
    let partner = org_name(conn, member.org_id)?;
    let mail = render(
        draft,
        &partner,
        &member.who.name,
        expires_at,
        link(public_url, token.as_str()),
    )?;
    let id: i64 = diesel::insert_into(invitations::table)
        .values((
            invitations::partner_id.eq(member.org_id),
            invitations::inviter_id.eq(member.user_id),
            invitations::email.eq(draft.email.as_str()),
            invitations::company.eq(&draft.company),
            invitations::association_type.eq(draft.association_type.as_str()),
            invitations::language.eq(draft.lang.code()),
            invitations::token_hash.eq(token.hash()),
            invitations::expires_at.eq(expires_at),
        ))
        .returning(invitations::id)
        .get_result(conn)?;
    outbox::enqueue(conn, "invitation", draft.email.as_str(), &mail)?;
    audit::record(
        conn,
        actor,
        Entry::new("invitation.send", "invitation", id).after(json!({
            "email": draft.email.as_str(),
            "association_type": draft.association_type.as_str(),
            "expires_at": expires_at,
        })),
    )?;
    Ok(Ok((id, token)))
}

/// The invitation row a member may act on: their organisation's, and for a customer manager
/// only the ones they sent. Anything else is a 404.
pub fn find_for_member(
    conn: &mut PgConnection,
    member: &Member,
    id: i64,
) -> Result<InvitationRecord, AppError> {
    use diesel::IntoSql;
    let everyone = (member.role != Role::Manager).into_sql::<diesel::sql_types::Bool>();
    Ok(invitations::table
        .filter(invitations::id.eq(id))
        .filter(invitations::partner_id.eq(member.org_id))
        .filter(invitations::inviter_id.eq(member.user_id).or(everyone))
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
}

/// rule C3: a new token and expiry; the old token stops working at once.
pub fn resend(
    conn: &mut PgConnection,
    member: &Member,
    id: i64,
    ttl: std::time::Duration,
    public_url: &str,
    actor: &Actor,
) -> Result<PlainToken, AppError> {
    let inv = find_for_member(conn, member, id)?;
    if inv.state != "pending" {
        return Err(AppError::Conflict(
            "only pending invitations are resent".into(),
        ));
    }
    let token = PlainToken::generate();
    let expires_at = expires_from_now(ttl);
    let inviter: String = users::table
        .find(inv.inviter_id)
        .select(users::display_name)
        .first(conn)?;
    let draft = Draft {
        email: Email::parse(&inv.email).map_err(|_| AppError::internal("stored address"))?,
        company: inv.company.clone(),
        association_type: AssociationType::parse(&inv.association_type)
            .unwrap_or(AssociationType::Resale),
        lang: Lang::parse(&inv.language).unwrap_or(Lang::ZhCn),
    };
    let partner = org_name(conn, inv.partner_id)?;
    let mail = render(
        &draft,
        &partner,
        &inviter,
        expires_at,
        link(public_url, token.as_str()),
    )?;
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
        actor,
        Entry::new("invitation.resend", "invitation", inv.id)
            .before(json!({ "expires_at": inv.expires_at, "resent_count": inv.resent_count }))
            .after(json!({ "expires_at": expires_at, "resent_count": inv.resent_count + 1 })),
    )?;
    Ok(token)
}

/// rule C3: a revoked invitation's link shows "no longer valid".
pub fn revoke(
    conn: &mut PgConnection,
    member: &Member,
    id: i64,
    actor: &Actor,
) -> Result<bool, AppError> {
    let inv = find_for_member(conn, member, id)?;
    if inv.state != "pending" {
        return Ok(false);
    }
    diesel::update(invitations::table.find(inv.id))
        .set((
            invitations::state.eq("revoked"),
            invitations::revoked_at.eq(Some(Utc::now())),
        ))
        .execute(conn)?;
    audit::record(
        conn,
        actor,
        Entry::new("invitation.revoke", "invitation", inv.id)
            .before(json!({ "state": "pending" }))
            .after(json!({ "state": "revoked" })),
    )?;
    Ok(true)
}

/// Switches the reminder mails (one day before expiry) for the whole organisation.
pub fn set_reminders(
    conn: &mut PgConnection,
    member: &Member,
    on: bool,
    actor: &Actor,
) -> Result<(), AppError> {
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
        actor,
        Entry::new("invitation.reminders", "organization", member.org_id)
            .before(json!({ "on": before }))
            .after(json!({ "on": on })),
    )?;
    Ok(())
}
