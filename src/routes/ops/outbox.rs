//! `/ops/outbox`: every message with its delivery state (rule X2), a retry button for failed
//! ones, and a test message to check the mail set-up.

use actix_session::Session;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::auth::Operator;
use crate::domain::OutboxState;
use crate::error::AppError;
use crate::i18n::local_time;
use crate::mail::{outbox, transport};
use crate::routes::cursor_id;
use crate::services::ops;
use crate::state::AppState;
use crate::views::pages::{OutboxMessagePage, OutboxPage, OutboxRow};
use crate::views::{Ctx, Pager, flash, redirect, render, take_page};

#[derive(Deserialize)]
pub struct OutboxQuery {
    state: Option<String>,
    after: Option<String>,
    size: Option<String>,
}

pub async fn list_outbox(
    ctx: Ctx,
    _op: Operator,
    state: web::Data<AppState>,
    q: web::Query<OutboxQuery>,
) -> Result<HttpResponse, AppError> {
    let filter = q.state.clone().filter(|s| OutboxState::parse(s).is_some());
    let before = cursor_id(&q.after);
    let size = crate::services::keyset::size_of(q.size.as_deref());
    let f = filter.clone();
    let mut rows = crate::routes::run(&state.pool, move |conn| {
        Ok(outbox::page(conn, f.as_deref(), before, size + 1)?)
    })
    .await?;
    let after = take_page(&mut rows, size, |m| m.id.to_string());
    let base = crate::routes::with_size(
        format!("q=&state={}", filter.clone().unwrap_or_default()),
        size,
    );
    let pager = Pager::new(&base, "/ops/outbox", before.is_none(), after);
    let rows = rows
        .into_iter()
        .map(|m| OutboxRow {
            id: m.id,
            created: local_time(m.created_at),
            kind: m.kind,
            to: m.to_addr,
            subject: m.subject,
            state: m.state,
            attempts: m.attempts,
        })
        .collect();
    render(&OutboxPage {
        ctx,
        transport: state.transport_name.clone(),
        state: filter.unwrap_or_default(),
        rows,
        pager,
    })
}

pub async fn show_message(
    ctx: Ctx,
    _op: Operator,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let mut msg = crate::routes::run(&state.pool, move |conn| Ok(outbox::find(conn, id)?)).await?;
    // Not delivered yet, the stored copy still holds the link: operators never see it.
    msg.text_body = crate::domain::url::redact_tokens(&msg.text_body);
    msg.html_body = crate::domain::url::redact_tokens(&msg.html_body);
    let file = state.settings.smtp_url.is_none().then(|| {
        format!(
            "{}/{}",
            state.settings.mail_dir,
            transport::file_name(msg.id)
        )
    });
    render(&OutboxMessagePage { ctx, msg, file })
}

pub async fn retry_message(
    ctx: Ctx,
    op: Operator,
    session: Session,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    crate::routes::transaction(&state.pool, move |conn| {
        Ok(ops::retry_message(conn, &op.caller, id)?)
    })
    .await?;
    state.mail_wake.notify_one();
    flash(&session, "success", ctx.t("ops.outbox.retry_queued"));
    Ok(redirect(&format!("/ops/outbox/{id}")))
}

pub async fn send_test_message(
    ctx: Ctx,
    op: Operator,
    session: Session,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let (lang, url) = (ctx.lang, state.settings.public_url.clone());
    crate::routes::transaction(&state.pool, move |conn| {
        Ok(ops::send_test_message(conn, &op.caller, lang, &url)?)
    })
    .await?;
    state.mail_wake.notify_one();
    flash(&session, "success", ctx.t("ops.outbox.test_queued"));
    Ok(redirect("/ops/outbox"))
}
