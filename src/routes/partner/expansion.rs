//! `/partner/expansion` (rule C7, admin only): the partner's QR code and public join link.

use actix_session::Session;
use actix_web::http::header;
use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use serde::Deserialize;

use crate::auth::Member;
use crate::error::AppError;
use crate::i18n::local_time;
use crate::services::expansion;
use crate::state::AppState;
use crate::views::invitations::ExpansionPage;
use crate::views::{Ctx, flash, redirect, render};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/partner/expansion", web::get().to(show_expansion))
        .route(
            "/partner/expansion/regenerate",
            web::post().to(regenerate_code),
        )
        .route("/partner/expansion/qr.png", web::get().to(qr_png))
        .route("/partner/expansion/qr.svg", web::get().to(qr_svg));
}

pub async fn show_expansion(
    ctx: Ctx,
    member: Member,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let (link, created) = match active_code(&member, &state).await? {
        Some((code, at)) => (
            Some(expansion::join_link(&state.settings.public_url, &code)),
            local_time(at),
        ),
        None => (None, String::new()),
    };
    render(&ExpansionPage { ctx, link, created })
}

pub async fn regenerate_code(
    ctx: Ctx,
    member: Member,
    session: Session,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    member.require_admin()?;
    crate::routes::transaction(&state.pool, move |conn| {
        Ok(expansion::regenerate(conn, &member.caller)?)
    })
    .await?;
    flash(&session, "success", ctx.t("expansion.regenerated"));
    Ok(redirect("/partner/expansion"))
}

#[derive(Deserialize)]
pub struct DownloadQuery {
    download: Option<String>,
}

/// The organisation's active code and when it was made; admins only (rule C7).
async fn active_code(
    member: &Member,
    state: &AppState,
) -> Result<Option<(String, DateTime<Utc>)>, AppError> {
    member.require_admin()?;
    let org = member.org_id;
    crate::routes::run(&state.pool, move |conn| Ok(expansion::active(conn, org)?)).await
}

async fn active_link(member: &Member, state: &AppState) -> Result<String, AppError> {
    let (code, _) = active_code(member, state)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(expansion::join_link(&state.settings.public_url, &code))
}

fn image(body: Vec<u8>, mime: &str, name: &str, download: bool) -> HttpResponse {
    let mut res = HttpResponse::Ok();
    res.content_type(mime);
    if download {
        res.insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}\""),
        ));
    }
    res.body(body)
}

pub async fn qr_png(
    member: Member,
    state: web::Data<AppState>,
    query: web::Query<DownloadQuery>,
) -> Result<HttpResponse, AppError> {
    let link = active_link(&member, &state).await?;
    let png = web::block(move || expansion::qr_png(&link))
        .await
        .map_err(|e| AppError::internal(e.to_string()))??;
    Ok(image(
        png,
        "image/png",
        "partner-qr.png",
        query.download.is_some(),
    ))
}

pub async fn qr_svg(
    member: Member,
    state: web::Data<AppState>,
    query: web::Query<DownloadQuery>,
) -> Result<HttpResponse, AppError> {
    let link = active_link(&member, &state).await?;
    let svg = expansion::qr_svg(&link)?;
    Ok(image(
        svg.into_bytes(),
        "image/svg+xml",
        "partner-qr.svg",
        query.download.is_some(),
    ))
}
