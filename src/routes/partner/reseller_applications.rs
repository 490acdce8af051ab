//! `/partner/resellers/applications`: the cooperation applications an operator passed on to
//! this distributor, approved or rejected here with a reason (rule R2).

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::auth::Member;
use crate::domain::ApplicationState;
use crate::error::AppError;
use crate::i18n::local_time;
use crate::routes::cursor_id;
use crate::services::resellers::applications::{
    self as svc, Application, ApplicationPage, Decision,
};
use crate::services::{ServiceError, keyset};
use crate::state::AppState;
use crate::views::resellers::{ApplicationRow, DistributorApplicationsPage, StepRow};
use crate::views::{Ctx, Pager, flash, redirect, render_with};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/partner/resellers/applications",
        web::get().to(list_applications),
    )
    .route(
        "/partner/resellers/applications/{id:\\d+}/decide",
        web::post().to(decide_application),
    );
}

/// An application as every list shows it.
pub fn row(a: Application) -> ApplicationRow {
    ApplicationRow {
        id: a.id,
        company: a.company,
        applicant: a.applicant_email,
        distributor: a.distributor,
        message: a.message,
        state: a.state,
        created: local_time(a.created_at),
        steps: a
            .steps
            .into_iter()
            .map(|s| StepRow {
                step: s.step,
                by: s.by.unwrap_or_default(),
                reason: s.reason,
                at: local_time(s.at),
            })
            .collect(),
    }
}

/// The page's rows and pager.
pub fn rows_and_pager(
    page: ApplicationPage,
    path: &str,
    state: &str,
    first: bool,
) -> (Vec<ApplicationRow>, Pager) {
    let pager = Pager::new(&format!("state={state}"), path, first, page.next);
    (page.rows.into_iter().map(row).collect(), pager)
}

#[derive(Deserialize)]
pub struct ListQuery {
    state: Option<String>,
    after: Option<String>,
}

/// The decide form of both deciding sides (R2): `decision` (approve or reject) and `reason`.
#[derive(Deserialize)]
pub struct DecideForm {
    #[serde(default)]
    decision: String,
    #[serde(default)]
    reason: String,
}

async fn page(
    ctx: Ctx,
    member: &Member,
    state: &AppState,
    query: &ListQuery,
    message: String,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let filter = query.state.as_deref().and_then(ApplicationState::parse);
    let before = cursor_id(&query.after);
    let caller = member.caller.clone();
    let found = crate::routes::run(&state.pool, move |conn| {
        Ok(svc::for_distributor(
            conn,
            &caller,
            filter,
            before,
            keyset::DEFAULT_SIZE,
        )?)
    })
    .await?;
    let shown = filter.map_or("", ApplicationState::as_str).to_string();
    let (rows, pager) = rows_and_pager(
        found,
        "/partner/resellers/applications",
        &shown,
        before.is_none(),
    );
    render_with(
        status,
        &DistributorApplicationsPage {
            ctx,
            state: shown,
            rows,
            pager,
            message,
        },
    )
}

/// rule R2: what the operator passed on, and what was decided here.
pub async fn list_applications(
    ctx: Ctx,
    member: Member,
    state: web::Data<AppState>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    page(ctx, &member, &state, &query, String::new(), StatusCode::OK).await
}

/// A decision as posted: the decision and its reason, or a 400 for a forged decision.
pub fn decision_of(form: &DecideForm) -> Result<(Decision, String), AppError> {
    let decision =
        Decision::parse(&form.decision).ok_or_else(|| AppError::BadRequest("decision".into()))?;
    Ok((decision, form.reason.clone()))
}

/// After a decision ran: on success the mail worker is woken and the list is shown again with
/// a flash (`Ok`); a refusal gives its message for the list page (`Err`).
pub fn after_decision(
    ctx: &Ctx,
    session: &Session,
    state: &AppState,
    done: Result<(), ServiceError>,
    back: &str,
) -> Result<Result<HttpResponse, String>, AppError> {
    match done {
        Ok(()) => {
            state.mail_wake.notify_one();
            flash(session, "success", ctx.t("applications.decided"));
            Ok(Ok(redirect(back)))
        }
        Err(ServiceError::Refused(r)) => Ok(Err(ctx.t(r.key()))),
        Err(e) => Err(e.into()),
    }
}

/// rule R2: approve (the applicant becomes the new reseller's admin) or reject with a reason.
pub async fn decide_application(
    ctx: Ctx,
    member: Member,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<i64>,
    form: web::Form<DecideForm>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let (decision, reason) = decision_of(&form)?;
    let (caller, url) = (member.caller.clone(), state.settings.public_url.clone());
    let done = crate::db::transaction(&state.pool, move |conn| {
        svc::distributor_decide(conn, &caller, id, decision, &reason, &url)
    })
    .await;
    match after_decision(
        &ctx,
        &session,
        &state,
        done,
        "/partner/resellers/applications",
    )? {
        Ok(shown) => Ok(shown),
        Err(message) => {
            let query = ListQuery {
                state: None,
                after: None,
            };
            page(ctx, &member, &state, &query, message, StatusCode::CONFLICT).await
        }
    }
}
