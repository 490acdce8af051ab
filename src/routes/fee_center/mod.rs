//! The customers' fee center, `/fee-center/…`.

mod account;
mod bills;
mod coupons;
mod home;
mod invoices;
mod orders;
mod reseller_application;

use actix_web::web;

pub fn configure(cfg: &mut web::ServiceConfig) {
    bills::configure(cfg);
    coupons::configure(cfg);
    orders::configure(cfg);
    invoices::configure(cfg);
    cfg.route("/fee-center", web::get().to(home::fee_center_home))
        .route(
            "/fee-center/account",
            web::get().to(account::show_fee_account),
        )
        .route(
            "/fee-center/reseller-application",
            web::get().to(reseller_application::show_application),
        )
        .route(
            "/fee-center/reseller-application",
            web::post().to(reseller_application::apply),
        );
}
