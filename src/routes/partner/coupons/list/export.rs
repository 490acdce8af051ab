//! `/partner/coupons/export`: the CSV of the issued-coupons list with its filters (rules X3,
//! C10): admins only, customers' e-mails masked (rule A5).

use actix_web::{HttpResponse, web};

use super::{ListQuery, row};
use crate::auth::Member;
use crate::error::AppError;
use crate::routes::csv_export::{self, safe_cell};
use crate::services::coupons::list::export as svc;
use crate::state::AppState;
use crate::views::Ctx;

/// CSV of the filtered list, admins only; supervisors and customer managers get 403.
pub async fn export_coupons(
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
        "coupons.list.col.id",
        "coupons.list.col.kind",
        "coupons.list.col.customer",
        "coupons.list.col.email",
        "coupons.list.col.face_value",
        "coupons.list.col.balance",
        "coupons.list.col.valid_from",
        "coupons.list.col.valid_until",
        "coupons.list.col.state",
        "coupons.list.col.grant",
        "coupons.list.col.issued_at",
        "coupons.list.expiring_flag",
    ];
    let records = rows.into_iter().map(|r| {
        let l = row(&ctx, r);
        [
            l.id.to_string(),
            l.kind_label,
            safe_cell(&l.company),
            l.email_masked,
            l.face_value,
            l.balance,
            l.valid_from,
            l.valid_until,
            l.state_label,
            l.grant_id.to_string(),
            l.issued_at,
            if l.expiring_soon { "1" } else { "" }.to_string(),
        ]
    });
    csv_export::respond(&ctx, &head, records, "coupons.csv")
}
