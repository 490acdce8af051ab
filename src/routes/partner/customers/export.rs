//! The CSV export of the customer list: admins only (SPEC §5), personal data masked (C10).

use actix_web::http::header;
use actix_web::{HttpResponse, web};

use super::list::{ListQuery, line};
use crate::auth::Member;
use crate::error::AppError;
use crate::services::customers::export as svc;
use crate::state::AppState;
use crate::views::Ctx;

/// CSV of the filtered list, admins only (SPEC §5), personal data masked (rule C10).
pub async fn export_customers(
    ctx: Ctx,
    member: Member,
    state: web::Data<AppState>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    member.require_admin()?;
    let filter = query.filter();
    let m = member.clone();
    let rows = crate::routes::run(&state.pool, move |conn| {
        Ok(svc::export_rows(conn, &m, &filter)?)
    })
    .await?;
    let mut out = csv::Writer::from_writer(Vec::new());
    let head = [
        "customers.col.id",
        "customers.col.company",
        "customers.col.contact",
        "customers.col.email",
        "customers.col.phone",
        "customers.col.verification",
        "customers.col.type",
        "customers.col.entity",
        "customers.col.balance",
        "customers.col.credit",
        "customers.col.discount",
        "customers.col.manager",
        "customers.col.since",
    ];
    let csv_err = |e: csv::Error| AppError::internal(format!("csv: {e}"));
    out.write_record(head.iter().map(|k| ctx.t(k)))
        .map_err(csv_err)?;
    for r in rows {
        let l = line(&ctx, r);
        out.write_record([
            l.id.to_string(),
            safe_cell(&l.company),
            safe_cell(&l.contact_name),
            l.email_masked,
            l.phone_masked,
            l.verification,
            l.association_type,
            l.signing_entity,
            l.balance,
            l.credit,
            l.discount,
            safe_cell(&l.manager),
            l.since,
        ])
        .map_err(csv_err)?;
    }
    let body = out
        .into_inner()
        .map_err(|e| AppError::internal(format!("csv: {e}")))?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/csv; charset=utf-8"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"customers.csv\"",
        ))
        .body(body))
}

/// Text that a spreadsheet would run as a formula gets a leading quote.
fn safe_cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}
