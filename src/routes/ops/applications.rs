//! `/ops/applications`: operators decide cooperation applications first (rule R2).

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::auth::Operator;
use crate::domain::ApplicationState;
use crate::error::AppError;
use crate::routes::cursor_id;
use crate::routes::partner::reseller_applications::{
    DecideForm, after_decision, decision_of, rows_and_pager,
};
use crate::services::keyset;
use crate::services::resellers::applications as svc;
use crate::state::AppState;
use crate::views::resellers::OpsApplicationsPage;
use crate::views::{Ctx, render_with};

#[derive(Deserialize)]
pub struct ListQuery {
    state: Option<String>,
    after: Option<String>,
}

async fn page(
    ctx: Ctx,
    operator: &Operator,
    state: &AppState,
    query: &ListQuery,
    message: String,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    // Waiting for an operator unless another state (or `all`) is asked for.
    let filter = match query.state.as_deref() {
        Some("all") => None,
        Some(s) => Some(ApplicationState::parse(s).unwrap_or(ApplicationState::AwaitingOperator)),
        None => Some(ApplicationState::AwaitingOperator),
    };
    let before = cursor_id(&query.after);
    let caller = operator.caller.clone();
    let found = crate::routes::run(&state.pool, move |conn| {
        Ok(svc::for_operator(
            conn,
            &caller,
            filter,
            before,
            keyset::DEFAULT_SIZE,
        )?)
    })
    .await?;
    let shown = filter.map_or("all", ApplicationState::as_str).to_string();
    let (rows, pager) = rows_and_pager(found, "/ops/applications", &shown, before.is_none());
    render_with(
        status,
        &OpsApplicationsPage {
            ctx,
            state: shown,
            rows,
            pager,
            message,
        },
    )
}

pub async fn list_applications(
    ctx: Ctx,
    operator: Operator,
    state: web::Data<AppState>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    page(
        ctx,
        &operator,
        &state,
        &query,
        String::new(),
        StatusCode::OK,
    )
    .await
}

/// rule R2: approve (on to the distributor) or reject with a reason; the applicant is mailed.
pub async fn decide_application(
    ctx: Ctx,
    operator: Operator,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<i64>,
    form: web::Form<DecideForm>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let (decision, reason) = decision_of(&form)?;
    let (caller, url) = (operator.caller.clone(), state.settings.public_url.clone());
    let done = crate::db::transaction(&state.pool, move |conn| {
        svc::operator_decide(conn, &caller, id, decision, &reason, &url)
    })
    .await;
    match after_decision(&ctx, &session, &state, done, "/ops/applications")? {
        Ok(shown) => Ok(shown),
        Err(message) => {
            let query = ListQuery {
                state: None,
                after: None,
            };
            page(
                ctx,
                &operator,
                &state,
                &query,
                message,
                StatusCode::CONFLICT,
            )
            .await
        }
    }
}
