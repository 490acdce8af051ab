//! `/fee-center/reseller-application`: a customer applies to join a distributor's reseller
//! programme and follows its application (rule R2).

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::auth::CustomerUser;
use crate::domain::ApplicationState;
use crate::error::AppError;
use crate::routes::partner::reseller_applications::row;
use crate::services::ServiceError;
use crate::services::resellers::applications as svc;
use crate::state::AppState;
use crate::views::resellers::ApplyPage;
use crate::views::{Ctx, FormErrors, flash, redirect, render_with};

#[derive(Deserialize, Default)]
pub struct ApplyForm {
    #[serde(default)]
    distributor_id: String,
    #[serde(default)]
    message: String,
}

async fn page(
    ctx: Ctx,
    customer: &CustomerUser,
    state: &AppState,
    form: ApplyForm,
    errors: FormErrors,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let caller = customer.caller.clone();
    let (distributors, applications) = crate::routes::run(&state.pool, move |conn| {
        Ok((svc::distributors(conn)?, svc::mine(conn, &caller)?))
    })
    .await?;
    let open = applications.iter().any(|a| {
        matches!(
            ApplicationState::parse(&a.state),
            Some(ApplicationState::AwaitingOperator | ApplicationState::AwaitingDistributor)
        )
    });
    render_with(
        status,
        &ApplyPage {
            ctx,
            distributors,
            distributor_id: form.distributor_id,
            message: form.message,
            errors,
            open,
            applications: applications.into_iter().map(row).collect(),
        },
    )
}

pub async fn show_application(
    ctx: Ctx,
    customer: CustomerUser,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    page(
        ctx,
        &customer,
        &state,
        ApplyForm::default(),
        FormErrors::default(),
        StatusCode::OK,
    )
    .await
}

/// rule R2: the application goes to an operator first; the applicant is mailed.
pub async fn apply(
    ctx: Ctx,
    customer: CustomerUser,
    session: Session,
    state: web::Data<AppState>,
    form: web::Form<ApplyForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let mut errors = FormErrors::default();
    let distributor = form
        .distributor_id
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|d| *d > 0);
    if distributor.is_none() {
        errors.add("distributor_id", ctx.t("applications.error.choose"));
    }
    if form.message.trim().chars().count() > svc::TEXT_MAX {
        errors.add(
            "message",
            ctx.tf("form.too_long_n", &[("max", &svc::TEXT_MAX.to_string())]),
        );
    }
    let Some(distributor) = distributor.filter(|_| errors.is_empty()) else {
        return page(
            ctx,
            &customer,
            &state,
            form,
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let (caller, message, url) = (
        customer.caller.clone(),
        form.message.clone(),
        state.settings.public_url.clone(),
    );
    let done = crate::db::transaction(&state.pool, move |conn| {
        svc::apply(conn, &caller, distributor, &message, &url)
    })
    .await;
    match done {
        Ok(_) => {
            state.mail_wake.notify_one();
            flash(&session, "success", ctx.t("applications.apply.sent"));
            Ok(redirect("/fee-center/reseller-application"))
        }
        Err(ServiceError::Refused(r)) => {
            errors.add("distributor_id", ctx.t(r.key()));
            page(ctx, &customer, &state, form, errors, StatusCode::CONFLICT).await
        }
        Err(e) => Err(e.into()),
    }
}
