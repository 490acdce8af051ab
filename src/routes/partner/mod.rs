//! The partner area, `/partner/…`; each page family has its own module.

mod assignments;
mod customers;
mod home;

use actix_web::web;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/partner", web::get().to(home::dashboard));
    customers::configure(cfg);
    cfg.route(
        "/partner/assignments",
        web::get().to(assignments::list_assignments),
    )
    .route(
        "/partner/assignments",
        web::post().to(assignments::assign_customers),
    );
}
