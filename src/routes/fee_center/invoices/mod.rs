//! `/fee-center/invoices…` (rules B3–B7): the customer's invoice requests, the request form
//! and its match, the e-invoice downloads, and the customer's invoice titles
//! (`/fee-center/invoices/titles`, the shared handlers of `routes::invoicing::titles`).

mod form;
mod list;
mod pages;
mod request;

use actix_session::Session;
use actix_web::{HttpResponse, web};

use crate::auth::CustomerUser;
use crate::error::AppError;
use crate::routes::invoicing::titles::{self, FEE_CENTER};
use crate::state::AppState;
use crate::views::Ctx;

type Res = Result<HttpResponse, AppError>;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/fee-center/invoices", web::get().to(list::list_requests))
        .route(
            "/fee-center/invoices",
            web::post().to(request::submit_request),
        )
        .route(
            "/fee-center/invoices/new",
            web::get().to(request::request_form),
        )
        .route(
            "/fee-center/invoices/new",
            web::post().to(request::change_request),
        )
        .route(
            "/fee-center/invoices/preview",
            web::post().to(request::preview_request),
        )
        .route(
            "/fee-center/invoices/files/{id:\\d+}",
            web::get().to(list::download_invoice),
        )
        .route("/fee-center/invoices/titles", web::get().to(list_titles))
        .route("/fee-center/invoices/titles", web::post().to(create_title))
        .route("/fee-center/invoices/titles/new", web::get().to(new_title))
        .route(
            "/fee-center/invoices/titles/{id:\\d+}",
            web::get().to(edit_title),
        )
        .route(
            "/fee-center/invoices/titles/{id:\\d+}",
            web::post().to(update_title),
        )
        .route(
            "/fee-center/invoices/titles/{id:\\d+}/default",
            web::post().to(make_default_title),
        )
        .route(
            "/fee-center/invoices/{id:\\d+}",
            web::get().to(list::show_request),
        );
}

pub async fn list_titles(ctx: Ctx, u: CustomerUser, state: web::Data<AppState>) -> Res {
    titles::list(ctx, u.caller, state, FEE_CENTER).await
}

pub async fn new_title(ctx: Ctx, u: CustomerUser, state: web::Data<AppState>) -> Res {
    titles::new_form(ctx, u.caller, state, FEE_CENTER).await
}

pub async fn edit_title(
    ctx: Ctx,
    u: CustomerUser,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Res {
    titles::edit_form(ctx, u.caller, state, FEE_CENTER, id.into_inner()).await
}

pub async fn create_title(
    ctx: Ctx,
    u: CustomerUser,
    session: Session,
    state: web::Data<AppState>,
    form: web::Form<Vec<(String, String)>>,
) -> Res {
    let f = titles::fields(form.into_inner());
    titles::save(ctx, u.caller, session, state, FEE_CENTER, None, f).await
}

pub async fn update_title(
    ctx: Ctx,
    u: CustomerUser,
    session: Session,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    form: web::Form<Vec<(String, String)>>,
) -> Res {
    let f = titles::fields(form.into_inner());
    titles::save(
        ctx,
        u.caller,
        session,
        state,
        FEE_CENTER,
        Some(id.into_inner()),
        f,
    )
    .await
}

pub async fn make_default_title(
    ctx: Ctx,
    u: CustomerUser,
    session: Session,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Res {
    titles::make_default(ctx, u.caller, session, state, FEE_CENTER, id.into_inner()).await
}
