//! The partner area, `/partner/…`; each page family has its own module.

mod audit;
mod expansion;
mod home;
mod invitations;

use actix_web::web;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/partner", web::get().to(home::dashboard))
        .route("/partner/audit", web::get().to(audit::list_org_audit));
    invitations::configure(cfg);
    expansion::configure(cfg);
}
