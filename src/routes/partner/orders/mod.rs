//! `/partner/orders…`: the customers' orders and their 代付 requests (rules P1, P2, C10): the
//! tabbed list (`list`) and one order with the admin's pay and reject forms (`detail`).
//! Supervisors and customer managers read their customers' orders; only admins act (403).

mod detail;
mod list;

use actix_web::web;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/partner/orders", web::get().to(list::list_orders))
        .route(
            "/partner/orders/{id:\\d+}",
            web::get().to(detail::show_order),
        )
        .route(
            "/partner/orders/{id:\\d+}/pay",
            web::post().to(detail::pay_order),
        )
        .route(
            "/partner/orders/{id:\\d+}/reject",
            web::post().to(detail::reject_request),
        );
}
