//! `/fee-center/orders…`: the customer's orders (rules P1–P3, K7): the list, the order form,
//! one order's page (`detail`) with paying (`pay`: choose, preview, confirm) and the steps
//! without money (`steps`: ask the partner to pay, cancel) or with a refund (unsubscribe).
//! Customers only: the `CustomerUser` guard answers everyone else 403.

mod detail;
mod list;
mod new;
mod pay;
mod steps;

use actix_web::web;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/fee-center/orders", web::get().to(list::list_orders))
        .route("/fee-center/orders", web::post().to(new::place_order))
        .route("/fee-center/orders/new", web::get().to(new::new_order_form))
        .route("/fee-center/orders/new", web::post().to(new::place_order))
        .route(
            "/fee-center/orders/{id:\\d+}",
            web::get().to(detail::show_order),
        )
        .route(
            "/fee-center/orders/{id:\\d+}/pay/preview",
            web::post().to(pay::preview_payment),
        )
        .route(
            "/fee-center/orders/{id:\\d+}/pay",
            web::post().to(pay::pay_order),
        )
        .route(
            "/fee-center/orders/{id:\\d+}/pay-request",
            web::post().to(steps::request_partner_payment),
        )
        .route(
            "/fee-center/orders/{id:\\d+}/cancel",
            web::post().to(steps::cancel_order),
        )
        .route(
            "/fee-center/orders/{id:\\d+}/unsubscribe",
            web::post().to(steps::unsubscribe_order),
        );
}
