//! `/partner/bills/export`: the CSV of the bills list with its filters (rules X3, C10): admins
//! only, customers' e-mails masked (rule A5).

use actix_web::{HttpResponse, web};

use super::{ListQuery, row};
use crate::auth::Member;
use crate::error::AppError;
use crate::routes::csv_export::{self, safe_cell};
use crate::services::billing::list::export as svc;
use crate::state::AppState;
use crate::views::Ctx;

/// CSV of the filtered list, admins only; supervisors and customer managers get 403.
pub async fn export_bills(
    ctx: Ctx,
    member: Member,
    state: web::Data<AppState>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    member.require_admin()?;
    let filter = query.filter();
    let caller = member.caller.clone();
    let rows = crate::routes::run(&state.pool, move |conn| {
        Ok(svc::export_rows(conn, &caller, &filter)?)
    })
    .await?;
    let head = [
        "bills.col.id",
        "bills.col.month",
        "bills.col.customer",
        "bills.col.email",
        "bills.col.type",
        "bills.col.signing_entity",
        "bills.col.subtotal",
        "bills.col.discount",
        "bills.col.cut_off",
        "bills.col.total",
        "bills.col.unpaid",
        "bills.col.state",
        "bills.col.issued_at",
    ];
    let records = rows.into_iter().map(|r| {
        let (subtotal, discount, entity) = (r.subtotal, r.discount, r.signing_entity.clone());
        let l = row(&ctx, r);
        [
            l.id.to_string(),
            l.month,
            safe_cell(&l.company),
            l.email_masked,
            l.kind_label,
            safe_cell(&entity),
            subtotal.to_string(),
            discount.to_string(),
            l.cut_off.replace(',', ""),
            l.amount.replace(',', ""),
            l.unpaid.replace(',', ""),
            l.state_label,
            l.issued_at,
        ]
    });
    csv_export::respond(&ctx, &head, records, "bills.csv")
}
