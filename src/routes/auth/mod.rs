//! `/login`, `/logout`, `/language` and `/`.

mod get;
mod post;

use actix_web::web;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(get::root))
        .route("/login", web::get().to(get::login_form))
        .route("/login", web::post().to(post::login))
        .route("/logout", web::post().to(post::logout))
        .route("/language", web::post().to(post::switch_language));
}
