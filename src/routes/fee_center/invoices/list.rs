//! `/fee-center/invoices` (the customer's requests, newest first, keyset pages) and
//! `/fee-center/invoices/{id}` (one request, its invoices, their items and files): the
//! requester follows each invoice's state (rule B7). Another customer's id is 404.

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::auth::CustomerUser;
use crate::error::AppError;
use crate::services::invoices::{customer as svc, files};
use crate::services::keyset;
use crate::state::AppState;
use crate::views::invoices::fee_center::{OwnInvoicesPage, OwnRequestPage, RequestRow};
use crate::views::{Ctx, Pager, render};

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    after: String,
    #[serde(default)]
    size: String,
}

pub async fn list_requests(
    ctx: Ctx,
    user: CustomerUser,
    state: web::Data<AppState>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let size = keyset::size(query.size.parse().ok());
    let after = keyset::cursor_id(&Some(query.after.clone()));
    let caller = user.caller.clone();
    let page = crate::routes::run(&state.pool, move |conn| {
        Ok(svc::page(conn, &caller, after, size)?)
    })
    .await?;
    let base = crate::routes::with_size(String::new(), size);
    let pager = Pager::new(&base, "/fee-center/invoices", after.is_none(), page.next);
    let rows = page
        .rows
        .into_iter()
        .map(|r| RequestRow::new(&ctx, r, &[]).0)
        .collect();
    render(&OwnInvoicesPage { rows, pager, ctx })
}

pub async fn show_request(
    ctx: Ctx,
    user: CustomerUser,
    state: web::Data<AppState>,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let (id, caller) = (path.into_inner(), user.caller.clone());
    let (request, lines) = crate::routes::run(&state.pool, move |conn| {
        Ok(svc::request(conn, &caller, id)?)
    })
    .await?;
    let (r, title) = RequestRow::new(&ctx, request, &lines);
    render(&OwnRequestPage { r, title, ctx })
}

/// rule B7: an e-invoice of the customer's own, as a download.
pub async fn download_invoice(
    user: CustomerUser,
    state: web::Data<AppState>,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let (id, caller) = (path.into_inner(), user.caller.clone());
    let file = crate::routes::run(&state.pool, move |conn| {
        Ok(files::download(conn, &caller, id)?)
    })
    .await?;
    Ok(crate::routes::invoicing::download(file))
}
