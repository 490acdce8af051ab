//! Actions on sent invitations: resend, revoke, reveal an address, and the reminder switch.

use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use crate::auth::Member;
use crate::error::AppError;
use crate::services::invitations;
use crate::state::AppState;
use crate::views::{Ctx, flash, redirect};

/// rule C3: a new token and expiry; the old link stops working.
pub async fn resend_invitation(
    ctx: Ctx,
    member: Member,
    session: Session,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let (ttl, url) = super::ttl_and_url(&state);
    let resent = crate::routes::transaction(&state.pool, move |conn| {
        Ok(invitations::resend(conn, &member.caller, id, ttl, &url)?)
    })
    .await;
    match resent {
        Ok(()) => {
            super::mail_sent(&state);
            flash(&session, "success", ctx.t("invite.resent_done"));
        }
        Err(AppError::Conflict(_)) => flash(&session, "error", ctx.t("invite.error.not_pending")),
        Err(e) => return Err(e),
    }
    Ok(redirect("/partner/invitations"))
}

pub async fn revoke_invitation(
    ctx: Ctx,
    member: Member,
    session: Session,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let done = crate::routes::transaction(&state.pool, move |conn| {
        Ok(invitations::revoke(conn, &member.caller, id)?)
    })
    .await?;
    if done {
        flash(&session, "success", ctx.t("invite.revoked_done"));
    } else {
        flash(&session, "error", ctx.t("invite.error.not_pending"));
    }
    Ok(redirect("/partner/invitations"))
}

#[derive(Deserialize)]
pub struct RemindersForm {
    reminders: String,
}

pub async fn update_reminders(
    ctx: Ctx,
    member: Member,
    session: Session,
    state: web::Data<AppState>,
    form: web::Form<RemindersForm>,
) -> Result<HttpResponse, AppError> {
    member.require_admin()?;
    let on = form.reminders == "on";
    crate::routes::transaction(&state.pool, move |conn| {
        Ok(invitations::set_reminders(conn, &member.caller, on)?)
    })
    .await?;
    flash(&session, "success", ctx.t("invite.reminders.saved"));
    Ok(redirect("/partner/invitations"))
}

/// rule A5: one masked address revealed, audited and counted against the reveal limit.
pub async fn reveal_email(
    ctx: Ctx,
    req: HttpRequest,
    member: Member,
    session: Session,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let limit = state.settings.reveal_limit;
    let value = crate::routes::transaction(&state.pool, move |conn| {
        Ok(invitations::reveal_email(conn, &member.caller, id, limit)?)
    })
    .await?;
    if crate::views::wants_json(&req) {
        return Ok(HttpResponse::Ok().json(serde_json::json!({ "value": value })));
    }
    flash(
        &session,
        "info",
        format!("{}: {value}", ctx.t("invite.email")),
    );
    Ok(redirect("/partner/invitations"))
}
