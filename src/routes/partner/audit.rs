//! `/partner/audit`: an admin searches their own organisation's audit log (rule X1).

use actix_web::{HttpResponse, web};

use crate::audit;
use crate::auth::Member;
use crate::error::AppError;
use crate::routes::cursor_id;
use crate::routes::ops::audit_line;
use crate::startup::AppState;
use crate::views::pages::PartnerAuditPage;
use crate::views::{Ctx, Pager, render, url_encode};

const PAGE: i64 = 50;

#[derive(serde::Deserialize)]
pub struct AuditQuery {
    #[serde(default)]
    q: String,
    after: Option<String>,
}

pub async fn list_org_audit(
    ctx: Ctx,
    member: Member,
    state: web::Data<AppState>,
    query: web::Query<AuditQuery>,
) -> Result<HttpResponse, AppError> {
    member.require_admin()?;
    let q: String = query.q.trim().chars().take(200).collect();
    let before = cursor_id(&query.after);
    let (text, org) = (q.clone(), member.org_id);
    let mut rows = crate::db::run(&state.pool, move |conn| {
        Ok(audit::page(conn, Some(org), &text, before, PAGE + 1)?)
    })
    .await?;
    let more = rows.len() as i64 > PAGE;
    rows.truncate(PAGE as usize);
    let after = more
        .then(|| rows.last().map(|r| r.id.to_string()))
        .flatten();
    let pager = Pager::new(
        &format!("q={}", url_encode(&q)),
        "/partner/audit",
        before.is_none(),
        after,
    );
    render(&PartnerAuditPage {
        ctx,
        q,
        rows: rows.into_iter().map(audit_line).collect(),
        pager,
    })
}
