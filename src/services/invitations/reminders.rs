//! Invitation reminders (SPEC §5): one mail 24 hours before a pending invitation expires, only
//! for lifetimes over 48 hours and only where the partner has them switched on. Rows are
//! claimed with `FOR UPDATE SKIP LOCKED`, so several instances never send one twice.

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;

use crate::db::schema::{invitations, organizations};
use crate::domain::InvitationState;
use crate::i18n::Lang;
use crate::i18n::local_time;
use crate::mail::invitation::{InvitationEmail, InvitationReminderEmail};
use crate::mail::{MailTemplate, outbox};
use crate::services::customers::association::AssociationType;

const BATCH: i64 = 200;

type Due = (
    i64,
    i64,
    String,
    String,
    String,
    DateTime<Utc>,
    DateTime<Utc>,
);

pub fn send_due(conn: &mut PgConnection) -> anyhow::Result<()> {
    conn.transaction(|conn| -> anyhow::Result<()> {
        let now = Utc::now();
        let due: Vec<Due> = invitations::table
            .filter(invitations::state.eq(InvitationState::Pending.as_str()))
            .filter(invitations::reminder_sent_at.is_null())
            // The reminder speaks of becoming a customer (rule C3).
            .filter(invitations::kind.eq(crate::domain::InvitationKind::Customer.as_str()))
            .filter(invitations::expires_at.gt(now))
            .filter(invitations::expires_at.le(now + Duration::hours(24)))
            .filter(
                invitations::partner_id.eq_any(
                    organizations::table
                        .filter(organizations::invitation_reminders.eq(true))
                        .select(organizations::id),
                ),
            )
            // Short lifetimes get no reminder.
            .filter(diesel::dsl::sql::<diesel::sql_types::Bool>(
                "invitations.expires_at - invitations.sent_at > interval '48 hours'",
            ))
            .select((
                invitations::id,
                invitations::partner_id,
                invitations::email,
                invitations::language,
                invitations::association_type,
                invitations::sent_at,
                invitations::expires_at,
            ))
            .order(invitations::expires_at)
            .limit(BATCH)
            .for_update()
            .skip_locked()
            .load(conn)?;
        let org_ids: Vec<i64> = due.iter().map(|d| d.1).collect();
        let names: std::collections::HashMap<i64, String> = organizations::table
            .filter(organizations::id.eq_any(&org_ids))
            .select((organizations::id, organizations::name))
            .load::<(i64, String)>(conn)?
            .into_iter()
            .collect();
        for (id, org_id, email, lang, kind, sent_at, expires_at) in due {
            let partner = names.get(&org_id).cloned().unwrap_or_default();
            let lang = Lang::parse(&lang).unwrap_or(Lang::ZhCn);
            let original_subject = InvitationEmail {
                kind: crate::domain::InvitationKind::Customer,
                lang,
                partner: partner.clone(),
                inviter: String::new(),
                company: String::new(),
                association_type: AssociationType::parse(&kind)
                    .unwrap_or(AssociationType::Resale)
                    .as_str()
                    .to_string(),
                expires: String::new(),
                link: String::new(),
            }
            .subject();
            let mail = InvitationReminderEmail {
                lang,
                partner,
                original_subject,
                sent: local_time(sent_at),
                expires: super::expiry_text(expires_at),
            }
            .render_mail()?;
            outbox::enqueue(conn, "invitation_reminder", &email, &mail)?;
            diesel::update(invitations::table.find(id))
                .set(invitations::reminder_sent_at.eq(Some(now)))
                .execute(conn)?;
        }
        Ok(())
    })
}
