//! Public pages reached from outside: invitation links (`/invitations/{token}`) and the
//! offline-expansion registration page (`/join/{code}`).

mod invitation;
mod join;

use actix_web::web;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/invitations/{token}",
        web::get().to(invitation::open_invitation),
    )
    .route(
        "/invitations/{token}/register",
        web::post().to(invitation::register_from_invitation),
    )
    .route(
        "/invitations/{token}/confirm",
        web::post().to(invitation::confirm_invitation),
    )
    .route("/join/{code}", web::get().to(join::join_form))
    .route("/join/{code}", web::post().to(join::join));
}
