//! The CSV export of the customer list: admins only (SPEC §5), personal data masked (C10).

use actix_web::{HttpResponse, web};

use super::list::{ListQuery, line};
use crate::auth::Member;
use crate::error::AppError;
use crate::routes::csv_export::{self, safe_cell};
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
    let records = rows.into_iter().map(|r| {
        let l = line(&ctx, r);
        [
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
        ]
    });
    csv_export::respond(&ctx, &head, records, "customers.csv")
}
