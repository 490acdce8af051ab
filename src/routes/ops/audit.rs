//! `/ops/audit`: the whole audit log, newest first, searchable (rule X1).

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::audit;
use crate::auth::Operator;
use crate::error::AppError;
use crate::routes::cursor_id;
use crate::startup::AppState;
use crate::views::pages::{AuditLine, AuditPage, local_time};
use crate::views::{Ctx, Pager, render, url_encode};

const PAGE: i64 = 50;

#[derive(Deserialize)]
pub struct AuditQuery {
    #[serde(default)]
    q: String,
    after: Option<String>,
}

pub async fn list_audit(
    ctx: Ctx,
    _op: Operator,
    state: web::Data<AppState>,
    query: web::Query<AuditQuery>,
) -> Result<HttpResponse, AppError> {
    let q: String = query.q.trim().chars().take(200).collect();
    let before = cursor_id(&query.after);
    let text = q.clone();
    let mut rows = crate::db::run(&state.pool, move |conn| {
        Ok(audit::page(conn, None, &text, before, PAGE + 1)?)
    })
    .await?;
    let more = rows.len() as i64 > PAGE;
    rows.truncate(PAGE as usize);
    let after = more
        .then(|| rows.last().map(|r| r.id.to_string()))
        .flatten();
    let pager = Pager::new(
        &format!("q={}", url_encode(&q)),
        "/ops/audit",
        before.is_none(),
        after,
    );
    let rows = rows.into_iter().map(audit_line).collect();
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
