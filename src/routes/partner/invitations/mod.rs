//! `/partner/invitations`: the list, a new invitation with preview, resend, revoke, reveal,
//! the reminder switch, bulk CSV invitations and pre-registrations (rules C1, C3, C8).

mod bulk;
mod get;
mod manage;
mod post;
mod pre_registrations;

use actix_session::Session;
use actix_web::web;

use crate::routes::upload;
use crate::services::invitations;
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

/// The plain link of the invitation just sent, kept in the session until the list shows it once.
pub const NEW_LINK_KEY: &str = "invitation_link";

/// What sending needs from the settings: the link lifetime and the public address.
fn ttl_and_url(state: &AppState) -> (std::time::Duration, String) {
    (
        state.settings.invitation_ttl,
        state.settings.public_url.clone(),
    )
}

/// After a committed send: wakes the mail worker and keeps the plain link for the list.
fn mail_sent_with_link(state: &AppState, session: &Session, token: &str) {
    state.mail_wake.notify_one();
    let _ = session.insert(
        NEW_LINK_KEY,
        invitations::link(&state.settings.public_url, token),
    );
}
