//! The customers' fee center, `/fee-center/…`.

mod home;

use actix_web::web;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/fee-center", web::get().to(home::fee_center_home));
}
