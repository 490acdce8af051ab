//! `/partner/customers…`: the customer list, the resellers' customers, the CSV export, one
//! customer's page and its actions (rules C4–C6, C9, C10, A5, R4).

mod actions;
mod contacts;
mod credit_limit;
mod detail;
mod export;
mod list;
mod resellers;

use actix_web::web;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/partner/customers", web::get().to(list::list_customers))
        .route(
            "/partner/customers/resellers",
            web::get().to(resellers::list_reseller_customers),
        )
        .route(
            "/partner/customers/export",
            web::get().to(export::export_customers),
        )
        .route(
            "/partner/customers/{id:\\d+}",
            web::get().to(detail::show_customer),
        )
        .route(
            "/partner/customers/{id:\\d+}/reveal",
            web::post().to(detail::reveal_value),
        )
        .route(
            "/partner/customers/{id:\\d+}/contacts/new",
            web::get().to(contacts::new_contact_form),
        )
        .route(
            "/partner/customers/{id:\\d+}/contacts",
            web::post().to(contacts::add_contact),
        )
        .route(
            "/partner/customers/{id:\\d+}/contacts/{cid:\\d+}/edit",
            web::get().to(contacts::edit_contact_form),
        )
        .route(
            "/partner/customers/{id:\\d+}/contacts/{cid:\\d+}",
            web::post().to(contacts::update_contact),
        )
        .route(
            "/partner/customers/{id:\\d+}/contacts/{cid:\\d+}/delete",
            web::post().to(contacts::remove_contact),
        )
        .route(
            "/partner/customers/{id:\\d+}/top-up",
            web::get().to(actions::top_up_form),
        )
        .route(
            "/partner/customers/{id:\\d+}/top-up",
            web::post().to(actions::top_up_customer),
        )
        // The R4 form's first path, kept for bookmarks: 308 keeps a POST a POST.
        .route(
            "/partner/customers/{id:\\d+}/credit",
            web::route().to(actions::moved_to_top_up),
        )
        .route(
            "/partner/customers/{id:\\d+}/credit-limit",
            web::get().to(credit_limit::credit_limit_form),
        )
        .route(
            "/partner/customers/{id:\\d+}/credit-limit",
            web::post().to(credit_limit::set_credit_limit),
        )
        .route(
            "/partner/customers/{id:\\d+}/unassociate",
            web::get().to(actions::unassociate_form),
        )
        .route(
            "/partner/customers/{id:\\d+}/unassociate",
            web::post().to(actions::unassociate_customer),
        );
}
