//! `/ops/audit`: the whole audit log, newest first, searchable (rule X1). Partner admins get the
//! same list for their own organisation at `/partner/audit`, masked (rule A5); which one a
//! caller gets is the service's decision.

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::audit;
use crate::auth::Operator;
use crate::db::Pool;
use crate::domain::Caller;
use crate::error::AppError;
use crate::i18n::local_time;
use crate::routes::cursor_id;
use crate::state::AppState;
use crate::views::pages::{AuditLine, AuditPage};
use crate::views::{Ctx, Pager, render, take_page, url_encode};

#[derive(Deserialize)]
pub struct AuditQuery {
    #[serde(default)]
    q: String,
    after: Option<String>,
    size: Option<String>,
}

/// One page of the log the caller may read (all of it for an operator, their organisation's
/// for a partner admin), its search text and pager.
pub async fn load_audit(
    pool: &Pool,
    caller: Caller,
    query: &AuditQuery,
    path: &str,
) -> Result<(String, Vec<AuditLine>, Pager), AppError> {
    let q: String = query.q.trim().chars().take(200).collect();
    let before = cursor_id(&query.after);
    let size = crate::services::keyset::size_of(query.size.as_deref());
    let text = q.clone();
    let mut rows = crate::routes::run(pool, move |conn| {
        Ok(crate::services::audit_log::page(
            conn,
            &caller,
            &text,
            before,
            size + 1,
        )?)
    })
    .await?;
    let after = take_page(&mut rows, size, |r| r.id.to_string());
    let pager = Pager::new(
        &crate::routes::with_size(format!("q={}", url_encode(&q)), size),
        path,
        before.is_none(),
        after,
    );
    Ok((q, rows.into_iter().map(audit_line).collect(), pager))
}

pub async fn list_audit(
    ctx: Ctx,
    op: Operator,
    state: web::Data<AppState>,
    query: web::Query<AuditQuery>,
) -> Result<HttpResponse, AppError> {
    let (q, rows, pager) = load_audit(&state.pool, op.caller, &query, "/ops/audit").await?;
    render(&AuditPage {
        ctx,
        q,
        rows,
        pager,
    })
}

pub fn audit_line(r: audit::AuditRow) -> AuditLine {
    let details = match (&r.before, &r.after) {
        (Some(b), Some(a)) => format!("{b} → {a}"),
        (None, Some(a)) => a.to_string(),
        (Some(b), None) => b.to_string(),
        (None, None) => String::new(),
    };
    AuditLine {
        at: local_time(r.at),
        actor: if r.actor_email.is_empty() {
            "—".into()
        } else {
            r.actor_email
        },
        action: r.action,
        subject: format!("{} {}", r.subject_type, r.subject_id),
        details: details.chars().take(300).collect(),
        client_ip: r.client_ip,
    }
}
