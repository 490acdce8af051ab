//! Public pages reached from outside: invitation links (`/invitations/{token}`) and the
//! offline-expansion registration page (`/join/{code}`).

mod invitation;
mod join;

use actix_web::web;

use crate::auth::password;
use crate::error::AppError;

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

/// A new account's password hash, computed off the request threads.
async fn hash_password(plain: &str) -> Result<String, AppError> {
    let plain = plain.to_string();
    web::block(move || password::hash(&plain))
        .await
        .map_err(|e| AppError::internal(e.to_string()))
}
