//! `/partner/invitations`: the list, a new invitation with preview, resend, revoke, reveal,
//! the reminder switch, bulk CSV invitations and pre-registrations (rules C1, C3, C8).

mod bulk;
pub(crate) mod get;
mod manage;
mod post;
mod pre_registrations;

use actix_web::web;

use crate::routes::upload;
use crate::state::AppState;

/// `/partner/invitations/bulk/preview`: one CSV file of at most 1,000 rows (512 KiB is enough
/// for long addresses and company names) and the language; the whole body, framing included,
/// stays under 2 MiB and holds at most 8 parts.
const BULK_UPLOAD: upload::Limits = upload::Limits {
    total_bytes: 2 * 1024 * 1024,
    max_fields: 8,
    field_bytes: 512 * 1024,
};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/partner/invitations", web::get().to(get::list_invitations))
        .route(
            "/partner/invitations",
            web::post().to(post::send_invitation),
        )
        .route(
            "/partner/invitations/new",
            web::get().to(get::new_invitation_form),
        )
        .route(
            "/partner/invitations/preview",
            web::post().to(post::preview_invitation),
        )
        .route(
            "/partner/invitations/settings",
            web::post().to(manage::update_reminders),
        )
        .route("/partner/invitations/bulk", web::get().to(bulk::bulk_form))
        .route(
            "/partner/invitations/bulk/preview",
            web::post().to(bulk::preview_bulk),
        )
        .route(
            "/partner/invitations/bulk/send",
            web::post().to(bulk::send_bulk),
        )
        .route(
            "/partner/invitations/pre-registrations",
            web::get().to(pre_registrations::list_pre_registrations),
        )
        .route(
            "/partner/invitations/pre-registrations",
            web::post().to(pre_registrations::create_pre_registration),
        )
        .route(
            "/partner/invitations/{id}/resend",
            web::post().to(manage::resend_invitation),
        )
        .route(
            "/partner/invitations/{id}/revoke",
            web::post().to(manage::revoke_invitation),
        )
        .route(
            "/partner/invitations/{id}/reveal",
            web::post().to(manage::reveal_email),
        );
}

/// What sending needs from the settings: the link lifetime and the public address.
fn ttl_and_url(state: &AppState) -> (std::time::Duration, String) {
    (
        state.settings.invitation_ttl,
        state.settings.public_url.clone(),
    )
}

/// After a committed send: wakes the mail worker. The plain link goes only to the invitee,
/// in the mail (rule C1): no page, session or log of the sender ever holds it.
fn mail_sent(state: &AppState) {
    state.mail_wake.notify_one();
}

/// rules C1, R1: the exact mail a draft would send, from the templates the real send uses, with
/// a stand-in link (the real token exists only once the mail is sent).
pub(crate) async fn preview_mail(
    state: &AppState,
    member: &crate::auth::Member,
    draft: &crate::services::invitations::Draft,
) -> Result<crate::mail::RenderedMail, crate::error::AppError> {
    use crate::services::invitations as inv;
    let org = member.org_id;
    let partner =
        crate::routes::run(&state.pool, move |conn| Ok(inv::org_name(conn, org)?)).await?;
    Ok(inv::render(
        draft,
        &partner,
        &member.who.name,
        inv::expires_from_now(state.settings.invitation_ttl),
        inv::link(&state.settings.public_url, inv::PREVIEW_TOKEN),
    )?)
}
