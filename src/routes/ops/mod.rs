//! The operator console, `/ops/…`.

mod applications;
mod audit;
mod catalog;
pub use audit::{AuditQuery, audit_line, load_audit};
mod home;
mod incentives;
mod invoices;
mod ledger;
mod moves;
mod orders;
mod outbox;
mod quotas;
mod usage;
mod withdrawals;

use actix_web::web;

pub fn configure(cfg: &mut web::ServiceConfig) {
    quotas::configure(cfg);
    catalog::configure(cfg);
    orders::configure(cfg);
    invoices::configure(cfg);
    withdrawals::configure(cfg);
    incentives::configure(cfg);
    usage::configure(cfg);
    cfg.route("/ops", web::get().to(home::ops_home))
        .route("/ops/moves", web::get().to(moves::choose))
        .route("/ops/moves", web::post().to(moves::execute))
        .route("/ops/moves/preview", web::post().to(moves::preview))
        .route(
            "/ops/applications",
            web::get().to(applications::list_applications),
        )
        .route(
            "/ops/applications/{id:\\d+}/decide",
            web::post().to(applications::decide_application),
        )
        .route("/ops/outbox", web::get().to(outbox::list_outbox))
        .route(
            "/ops/outbox/test",
            web::post().to(outbox::send_test_message),
        )
        .route("/ops/outbox/{id}", web::get().to(outbox::show_message))
        .route(
            "/ops/outbox/{id}/retry",
            web::post().to(outbox::retry_message),
        )
        .route("/ops/audit", web::get().to(audit::list_audit))
        .route("/ops/ledger", web::get().to(ledger::list_ledger_accounts))
        .route("/ops/ledger/verify", web::post().to(ledger::verify_ledger))
        .route(
            "/ops/ledger/accounts/{id}",
            web::get().to(ledger::show_ledger_account),
        )
        .route(
            "/ops/ledger/accounts/{id}/export",
            web::get().to(ledger::export_ledger_account),
        );
}
