//! Pre-registrations (rule C8): register a prospect's existing account for 15 days.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use chrono::Utc;
use serde::Deserialize;

use crate::auth::Member;
use crate::domain::{Email, mask};
use crate::error::AppError;
use crate::i18n::local_time;
use crate::services::invitations::pre_registrations::{self, MAX_OPEN};
use crate::services::{Refusal, ServiceError};
use crate::state::AppState;
use crate::views::invitations::{PreRegistrationRow, PreRegistrationsPage};
use crate::views::{Ctx, FormErrors, flash, redirect, render_with};

async fn page(
    ctx: Ctx,
    state: &AppState,
    member: &Member,
    email: String,
    errors: FormErrors,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let org = member.org_id;
    let rows = crate::routes::run(&state.pool, move |conn| {
        Ok(pre_registrations::list_open(conn, org)?)
    })
    .await?;
    let now = Utc::now();
    let open = rows.len().to_string();
    let count_text = ctx.tf(
        "prereg.count",
        &[("open", &open), ("limit", &MAX_OPEN.to_string())],
    );
    let rows = rows
        .into_iter()
        .map(|(email, created, expires)| PreRegistrationRow {
            email_masked: mask::email(&email),
            created: local_time(created),
            expires: local_time(expires),
            // Whole days left, counting a started day as one.
            days_left: ((expires - now).num_hours() + 23) / 24,
        })
        .collect();
    render_with(
        status,
        &PreRegistrationsPage {
            ctx,
            rows,
            count_text,
            email,
            errors,
        },
    )
}

pub async fn list_pre_registrations(
    ctx: Ctx,
    member: Member,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    page(
        ctx,
        &state,
        &member,
        String::new(),
        FormErrors::default(),
        StatusCode::OK,
    )
    .await
}

#[derive(Deserialize)]
pub struct PreRegistrationForm {
    #[serde(default)]
    email: String,
}

pub async fn create_pre_registration(
    ctx: Ctx,
    member: Member,
    session: Session,
    state: web::Data<AppState>,
    form: web::Form<PreRegistrationForm>,
) -> Result<HttpResponse, AppError> {
    let raw = form.into_inner().email;
    let email = match Email::parse(&raw) {
        Ok(e) => e,
        Err(e) => {
            let mut errors = FormErrors::default();
            errors.add("email", ctx.t(e.message_key()));
            return page(
                ctx,
                &state,
                &member,
                raw,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let (m, addr) = (member.clone(), email.as_str().to_string());
    let result = crate::db::transaction(&state.pool, move |conn| {
        pre_registrations::create(conn, &m.caller, &addr)
    })
    .await;
    match result {
        Ok(_) => {
            flash(
                &session,
                "success",
                ctx.tf("prereg.created_for", &[("email", email.as_str())]),
            );
            Ok(redirect("/partner/invitations/pre-registrations"))
        }
        Err(ServiceError::Refused(refusal @ Refusal::PreRegistration(_))) => {
            let mut errors = FormErrors::default();
            errors.add("email", ctx.t(refusal.key()));
            page(ctx, &state, &member, raw, errors, StatusCode::CONFLICT).await
        }
        Err(e) => Err(e.into()),
    }
}
