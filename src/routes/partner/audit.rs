//! `/partner/audit`: an admin searches their own organisation's audit log (rule X1), with
//! personal data masked (rule A5).

use actix_web::{HttpResponse, web};

use crate::auth::Member;
use crate::error::AppError;
use crate::routes::ops::{AuditQuery, load_audit};
use crate::state::AppState;
use crate::views::pages::PartnerAuditPage;
use crate::views::{Ctx, render};

pub async fn list_org_audit(
    ctx: Ctx,
    member: Member,
    state: web::Data<AppState>,
    query: web::Query<AuditQuery>,
) -> Result<HttpResponse, AppError> {
    member.require_admin()?;
    let (q, rows, pager) =
        load_audit(&state.pool, member.caller.clone(), &query, "/partner/audit").await?;
    render(&PartnerAuditPage {
        ctx,
        q,
        rows,
        pager,
    })
}
