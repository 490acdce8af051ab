//! `/partner/coupons/issue`: an admin issues vouchers or cash coupons from one grant to up to
//! 10 chosen customers, all or none (rules K2, K2a, K5). The customer chooser is a search that
//! posts the whole form back (`action=search`), so typed values and ticked customers stay.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

use super::grant_select::{grant_options, selected};
use super::issue_input::{Fields, field_of, fields, input_of};
use crate::auth::Member;
use crate::error::AppError;
use crate::services::coupons::CouponRefusal;
use crate::services::coupons::issue::{self as svc, IssueOutcome};
use crate::services::coupons::issue_form::{self, Choice};
use crate::services::customers::top_up::valid_key;
use crate::services::{Refusal, ServiceError};
use crate::state::AppState;
use crate::views::coupons::issue::{CustomerOption, IssueFormPage, ReasonRow, ServiceOption};
use crate::views::{Ctx, FormErrors, flash, redirect, render_with};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/partner/coupons/issue", web::get().to(issue_coupons_form))
        .route("/partner/coupons/issue", web::post().to(issue_coupons));
}

fn option(c: Choice, checked: bool) -> CustomerOption {
    CustomerOption {
        id: c.id,
        company: c.company,
        email_masked: c.email_masked,
        checked,
    }
}

/// Renders the form with what was typed; `fill` puts the grant's end into an empty validity.
async fn page(
    ctx: Ctx,
    member: &Member,
    state: &AppState,
    mut f: Fields,
    errors: FormErrors,
    (message, reasons): (String, Vec<(i64, Option<CouponRefusal>)>),
    fill: bool,
) -> Result<IssueFormPage, AppError> {
    let (caller, q, ids) = (member.caller.clone(), f.q.clone(), f.customer_ids.clone());
    let facts = crate::routes::run(&state.pool, move |conn| {
        Ok(issue_form::context(conn, &caller, &q, &ids)?)
    })
    .await?;
    let grant = selected(&facts.grants, &f.grant_id);
    if fill && f.valid_until.is_empty() {
        f.valid_until = grant
            .map(|g| g.row.valid_until.to_string())
            .unwrap_or_default();
    }
    let ticked: Vec<String> = f.scope.iter().map(|s| s.trim().to_uppercase()).collect();
    let services = facts
        .services
        .iter()
        .filter(|s| grant.is_none_or(|g| g.row.scope.is_empty() || g.row.scope.contains(&s.code)))
        .map(|s| ServiceOption {
            checked: ticked.contains(&s.code),
            name: if ctx.lang.code() == "en" {
                s.name_en.clone()
            } else {
                s.name_zh.clone()
            },
            code: s.code.clone(),
        })
        .collect();
    let scope_note = match grant {
        Some(g) if !g.row.scope.is_empty() => ctx.tf(
            "coupons_issue.scope_note_limited",
            &[("services", &g.row.scope.join(", "))],
        ),
        _ => ctx.t("coupons_issue.scope_note_all"),
    };
    let reasons = reasons
        .into_iter()
        .map(|(id, reason)| {
            let known = facts.chosen.iter().find(|c| c.id == id);
            ReasonRow {
                customer: known.map_or_else(
                    || ctx.tf("coupons_issue.customer_n", &[("id", &id.to_string())]),
                    |c| c.company.clone(),
                ),
                email_masked: known.map(|c| c.email_masked.clone()).unwrap_or_default(),
                reason: reason.map(|r| ctx.t(r.key())).unwrap_or_default(),
            }
        })
        .collect();
    Ok(IssueFormPage {
        grants: grant_options(&ctx, &facts.grants, grant.map(|g| g.row.id)),
        services,
        scope_note,
        chosen: facts.chosen.into_iter().map(|c| option(c, true)).collect(),
        matches: facts
            .matches
            .into_iter()
            .map(|c| option(c, false))
            .collect(),
        q: f.q,
        face_value: f.face_value,
        valid_until: f.valid_until,
        remark: f.remark,
        key: f.key,
        errors,
        message,
        reasons,
        ctx,
    })
}

/// rule K2: the blank form (`?grant_id=`, `?customer_id=` and `?q=` preselect), with a fresh
/// key so a double submit issues once.
pub async fn issue_coupons_form(
    ctx: Ctx,
    member: Member,
    state: web::Data<AppState>,
    query: web::Query<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let mut f = fields(query.into_inner()).unwrap_or_default();
    f.key = uuid::Uuid::new_v4().to_string();
    let none = (String::new(), Vec::new());
    let page = page(ctx, &member, &state, f, FormErrors::default(), none, true).await?;
    render_with(StatusCode::OK, &page)
}

/// rule K2: issues to every chosen customer or to none; a refusal keeps the typed values,
/// puts batch-wide reasons beside their fields and lists each customer's reason.
pub async fn issue_coupons(
    ctx: Ctx,
    member: Member,
    session: Session,
    state: web::Data<AppState>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let f = fields(form.into_inner())?;
    if !valid_key(&f.key) {
        return Err(AppError::BadRequest("form key".into()));
    }
    let mut errors = FormErrors::default();
    if f.search {
        let none = (String::new(), Vec::new());
        let page = page(ctx, &member, &state, f, errors, none, true).await?;
        return render_with(StatusCode::OK, &page);
    }
    let mut reasons = Vec::new();
    if let Some(input) = input_of(&ctx, &f, &mut errors) {
        let caller = member.caller.clone();
        let outcome = crate::routes::transaction(&state.pool, move |conn| {
            match svc::issue(conn, &caller, &input) {
                Err(ServiceError::Refused(Refusal::Coupon(r))) => Ok(Err(r)),
                other => Ok(Ok(other?)),
            }
        })
        .await?;
        match outcome {
            Ok(IssueOutcome::Issued(ids)) => {
                let n = ids.len().to_string();
                flash(
                    &session,
                    "success",
                    ctx.tf("coupons_issue.issued_n", &[("n", &n)]),
                );
                return Ok(redirect("/partner/coupons"));
            }
            Ok(IssueOutcome::Refused(list)) => reasons = list,
            Err(r) => reasons = f.customer_ids.iter().map(|&c| (c, Some(r))).collect(),
        }
        for (_, reason) in &reasons {
            if let Some((field, r)) = reason.and_then(|r| field_of(r).map(|f| (f, r))) {
                if !errors.has(field) {
                    errors.add(field, ctx.t(r.key()));
                }
            }
        }
    }
    let message = if reasons.is_empty() {
        ctx.t("form.fix_errors")
    } else {
        ctx.t("coupons_issue.nothing_issued")
    };
    let page = page(ctx, &member, &state, f, errors, (message, reasons), false).await?;
    render_with(StatusCode::UNPROCESSABLE_ENTITY, &page)
}
