//! `/partner/incentives/invoices` (rule B8), admins only: the partner's incentive invoices
//! (`q`: the number) and each invoice's file; the invoice form is `invoice_form`.

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::invoice_form::{invoice_form, submit_invoice};
use crate::auth::Member;
use crate::error::AppError;
use crate::routes::cursor_id;
use crate::services::incentives::file::InvoiceFile;
use crate::services::incentives::invoices as svc;
use crate::services::incentives::partner_lists as reads;
use crate::services::keyset;
use crate::state::AppState;
use crate::views::incentives::InvoiceRow;
use crate::views::incentives::partner::PartnerInvoicesPage;
use crate::views::{Ctx, Pager, render, url_encode};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/partner/incentives/invoices", web::get().to(list_invoices))
        .route(
            "/partner/incentives/invoices",
            web::post().to(submit_invoice),
        )
        .route(
            "/partner/incentives/invoices/new",
            web::get().to(invoice_form),
        )
        .route(
            "/partner/incentives/invoices/{id:\\d+}/file",
            web::get().to(invoice_file),
        );
}

#[derive(Deserialize)]
pub struct ListQuery {
    q: Option<String>,
    after: Option<String>,
    size: Option<String>,
}

pub async fn list_invoices(
    ctx: Ctx,
    member: Member,
    state: web::Data<AppState>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    member.require_admin()?;
    let q = keyset::q(query.q.as_deref());
    let size = keyset::size_of(query.size.as_deref());
    let before = cursor_id(&query.after);
    let q2 = q.clone();
    let page = crate::routes::run(&state.pool, move |conn| {
        Ok(reads::invoices(conn, &member.caller, &q2, before, size)?)
    })
    .await?;
    let base = crate::routes::with_size(format!("q={}", url_encode(&q)), size);
    render(&PartnerInvoicesPage {
        rows: page
            .rows
            .into_iter()
            .map(|r| InvoiceRow::new(&ctx, r))
            .collect(),
        pager: Pager::new(
            &base,
            "/partner/incentives/invoices",
            before.is_none(),
            page.next,
        ),
        q,
        ctx,
    })
}

pub async fn invoice_file(
    member: Member,
    state: web::Data<AppState>,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    member.require_admin()?;
    let id = path.into_inner();
    let file = crate::routes::run(&state.pool, move |conn| {
        Ok(svc::file_of(conn, &member.caller, id)?)
    })
    .await?;
    file_response(id, file)
}

/// An invoice's file as a download; an invoice without one is 404.
pub fn file_response(id: i64, file: Option<InvoiceFile>) -> Result<HttpResponse, AppError> {
    let f = file.ok_or(AppError::NotFound)?;
    Ok(HttpResponse::Ok()
        .content_type(f.kind.content_type())
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!(
                "attachment; filename=\"incentive-invoice-{id}.{}\"",
                f.kind.as_str()
            ),
        ))
        .body(f.data))
}
