//! The partner area, `/partner/…`; each page family has its own module.

mod home;

use actix_web::web;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/partner", web::get().to(home::dashboard));
}
