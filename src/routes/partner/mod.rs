//! The partner area, `/partner/…`; each page family has its own module.

mod expansion;
mod home;
mod invitations;

use actix_web::web;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/partner", web::get().to(home::dashboard));
    invitations::configure(cfg);
    expansion::configure(cfg);
}
