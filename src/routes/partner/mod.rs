//! The partner area, `/partner/…`; each page family has its own module.

mod account;
mod assignments;
mod audit;
pub(crate) mod bills;
mod coupons;
mod customers;
mod expansion;
mod home;
mod incentives;
pub(crate) use incentives::file_response as incentive_file_response;
pub(crate) mod invitations;
mod invoices;
mod orders;
pub mod reseller_applications;
mod reseller_invitations;
mod resellers;
mod withdrawals;

use actix_web::web;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/partner", web::get().to(home::dashboard))
        .route("/partner/account", web::get().to(account::show_account))
        .route(
            "/partner/account/{id}",
            web::get().to(account::show_account_entries),
        )
        .route(
            "/partner/account/{id}/export",
            web::get().to(account::export_account_entries),
        )
        .route(
            "/partner/account/withdrawals",
            web::post().to(withdrawals::request_withdrawal),
        )
        .route(
            "/partner/account/withdrawals/{id:\\d+}/cancel",
            web::post().to(withdrawals::cancel_withdrawal),
        )
        .route("/partner/audit", web::get().to(audit::list_org_audit))
        .route(
            "/partner/assignments",
            web::get().to(assignments::list_assignments),
        )
        .route(
            "/partner/assignments",
            web::post().to(assignments::assign_customers),
        );
    bills::configure(cfg);
    coupons::configure(cfg);
    customers::configure(cfg);
    invoices::configure(cfg);
    invitations::configure(cfg);
    reseller_invitations::configure(cfg);
    reseller_applications::configure(cfg);
    resellers::configure(cfg);
    expansion::configure(cfg);
    orders::configure(cfg);
    incentives::configure(cfg);
}
