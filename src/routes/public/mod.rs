//! Public pages reached from outside: invitation links (`/invitations/{token}`), the
//! offline-expansion registration page (`/join/{code}`) and its confirmation link, and
//! password reset (`/password/forgot`, `/password/reset/{token}`).

mod invitation;
mod join;
mod password;

use actix_web::web;

use crate::auth::password as hashing;
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
    .route("/join/verify/{token}", web::get().to(join::verify_form))
    .route("/join/verify/{token}", web::post().to(join::verify))
    .route("/join/{code}", web::get().to(join::join_form))
    .route("/join/{code}", web::post().to(join::join))
    .route("/password/forgot", web::get().to(password::forgot_form))
    .route("/password/forgot", web::post().to(password::forgot))
    .route(
        "/password/reset/{token}",
        web::get().to(password::reset_form),
    )
    .route("/password/reset/{token}", web::post().to(password::reset));
}

/// A new account's password hash, computed on the hashing threads.
async fn hash_password(plain: &str) -> Result<String, AppError> {
    hashing::hash_off_thread(plain.to_string())
        .await
        .ok_or_else(|| AppError::internal("password hashing stopped"))
}
