//! `/partner/incentives` (rules B8, P4), admins only (supervisors and managers get 403, to
//! read too: incentives are the organisation's own money, like `/partner/account`): the
//! incentives with where each stands, the apply form — one by one (each row's button) or a
//! batch of the checked ones (one payment request) —, the payment requests (`payouts`) and the
//! incentive invoices with their form (`invoices`).

mod invoice_form;
mod invoices;
mod payouts;

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

pub use invoices::file_response;

use crate::auth::Member;
use crate::error::AppError;
use crate::routes::cursor_id;
use crate::services::customers::top_up::valid_key;
use crate::services::incentives::lines::Stage;
use crate::services::incentives::{apply as svc, partner_lists as reads};
use crate::services::{Refusal, ServiceError, keyset};
use crate::state::AppState;
use crate::views::incentives::partner::PartnerIncentivesPage;
use crate::views::incentives::{IncentiveRow, choices};
use crate::views::{Ctx, Pager, flash, redirect, render_with, url_encode};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/partner/incentives", web::get().to(list_incentives))
        .route("/partner/incentives/apply", web::post().to(apply_batch))
        .route(
            "/partner/incentives/{id:\\d+}/apply",
            web::post().to(apply_one),
        );
    payouts::configure(cfg);
    invoices::configure(cfg);
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    q: Option<String>,
    stage: Option<String>,
    after: Option<String>,
    size: Option<String>,
}

/// The list page, with the apply form as the admin left it.
async fn list_page(
    ctx: Ctx,
    member: &Member,
    state: &AppState,
    query: &ListQuery,
    checked: Vec<i64>,
    message: String,
) -> Result<HttpResponse, AppError> {
    member.require_admin()?;
    let q = keyset::q(query.q.as_deref());
    let stage = query.stage.as_deref().and_then(Stage::parse);
    let size = keyset::size_of(query.size.as_deref());
    let before = cursor_id(&query.after);
    let (caller, q2) = (member.caller.clone(), q.clone());
    let page = crate::routes::run(&state.pool, move |conn| {
        Ok(reads::incentives(conn, &caller, &q2, stage, before, size)?)
    })
    .await?;
    let stage = stage.map_or("", Stage::as_str).to_string();
    let base = crate::routes::with_size(format!("q={}&stage={stage}", url_encode(&q)), size);
    let status = if message.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let stages: Vec<&'static str> = Stage::ALL.iter().map(|s| s.as_str()).collect();
    render_with(
        status,
        &PartnerIncentivesPage {
            rows: page
                .rows
                .into_iter()
                .map(|r| IncentiveRow::new(&ctx, r))
                .collect(),
            pager: Pager::new(&base, "/partner/incentives", before.is_none(), page.next),
            stages: choices(&ctx, "incentives.stage", &stages),
            q,
            stage,
            key: uuid::Uuid::new_v4().to_string(),
            checked,
            message,
            ctx,
        },
    )
}

pub async fn list_incentives(
    ctx: Ctx,
    member: Member,
    state: web::Data<AppState>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    list_page(ctx, &member, &state, &query, Vec::new(), String::new()).await
}

/// The apply form's fields: the checked `incentive_id`s and the `key`.
fn read_apply(fields: Vec<(String, String)>) -> Result<(Vec<i64>, String), AppError> {
    let (mut ids, mut key) = (Vec::new(), String::new());
    for (name, value) in fields {
        match name.as_str() {
            "incentive_id" => ids.push(
                value
                    .trim()
                    .parse::<i64>()
                    .map_err(|_| AppError::BadRequest("incentive_id".into()))?,
            ),
            "key" => key = value,
            _ => {}
        }
    }
    if !valid_key(&key) {
        return Err(AppError::BadRequest("form key".into()));
    }
    Ok((ids, key))
}

async fn applied(
    ctx: Ctx,
    member: Member,
    session: Session,
    state: &AppState,
    ids: Vec<i64>,
    outcome: Result<svc::Applied, ServiceError>,
) -> Result<HttpResponse, AppError> {
    match outcome {
        Ok(_) => {
            flash(&session, "success", ctx.t("incentives.partner.applied"));
            Ok(redirect("/partner/incentives/payouts"))
        }
        Err(ServiceError::Refused(r @ Refusal::Incentive(_))) => {
            let message = ctx.t(r.key());
            list_page(ctx, &member, state, &ListQuery::default(), ids, message).await
        }
        Err(e) => Err(e.into()),
    }
}

/// rule B8: the checked incentives in one payment request.
pub async fn apply_batch(
    ctx: Ctx,
    member: Member,
    session: Session,
    state: web::Data<AppState>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    member.require_admin()?;
    let (ids, key) = read_apply(form.into_inner())?;
    let (caller, chosen) = (member.caller.clone(), ids.clone());
    let outcome = crate::routes::transaction(&state.pool, move |conn| {
        Ok(svc::apply_batch(conn, &caller, &chosen, &key))
    })
    .await?;
    applied(ctx, member, session, &state, ids, outcome).await
}

/// rule B8: one incentive in a payment request of its own.
pub async fn apply_one(
    ctx: Ctx,
    member: Member,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<i64>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    member.require_admin()?;
    let id = path.into_inner();
    let (ids, key) = read_apply(form.into_inner())?;
    let caller = member.caller.clone();
    let outcome = crate::routes::transaction(&state.pool, move |conn| {
        Ok(svc::apply_one(conn, &caller, id, &key))
    })
    .await?;
    applied(ctx, member, session, &state, ids, outcome).await
}
