//! `/partner/coupons/quotas…`: the organisation's quota grants (rules K1, K2a), one grant with
//! its entries and passed children, passing quota to resellers and reclaiming it (K1, K3, R3).
//! Admins and supervisors read; customer managers get 403; a distributor's admins pass.

use actix_session::Session;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::auth::Member;
use crate::domain::OrgKind;
use crate::domain::money::format_amount;
use crate::error::AppError;
use crate::routes::cursor_id;
use crate::services::ServiceError;
use crate::services::coupons::passing;
use crate::services::coupons::quotas as svc;
use crate::state::AppState;
use crate::views::coupons::quotas::{GrantGroup, PartnerGrantPage, PartnerQuotasPage};
use crate::views::{Ctx, Pager, flash, redirect, render};

mod pass;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/partner/coupons/quotas", web::get().to(list_quotas))
        .route(
            "/partner/coupons/quotas/{id:\\d+}",
            web::get().to(show_quota),
        )
        .route(
            "/partner/coupons/quotas/{id:\\d+}/pass",
            web::get().to(pass::pass_quota_form),
        )
        .route(
            "/partner/coupons/quotas/{id:\\d+}/pass",
            web::post().to(pass::pass_quota),
        )
        .route(
            "/partner/coupons/quotas/{id:\\d+}/reclaim",
            web::post().to(reclaim_quota),
        );
}

/// rule K1, K2a: the organisation's grants with used and available, and what it passed.
pub async fn list_quotas(
    ctx: Ctx,
    member: Member,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let caller = member.caller.clone();
    let groups = crate::routes::run(&state.pool, move |conn| {
        Ok(svc::partner_view(conn, &caller)?)
    })
    .await?;
    let groups = groups
        .into_iter()
        .map(|g| GrantGroup {
            grant: g.grant.into(),
            children: g.children.into_iter().map(Into::into).collect(),
        })
        .collect();
    render(&PartnerQuotasPage { ctx, groups })
}

#[derive(Deserialize)]
pub struct EntriesQuery {
    after: Option<String>,
}

/// rule K1, K3: one grant with its entries and the grants passed from it.
pub async fn show_quota(
    ctx: Ctx,
    member: Member,
    state: web::Data<AppState>,
    path: web::Path<i64>,
    query: web::Query<EntriesQuery>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let before = cursor_id(&query.after);
    let caller = member.caller.clone();
    let detail = crate::routes::run(&state.pool, move |conn| {
        Ok(svc::partner_grant(conn, &caller, id, before)?)
    })
    .await?;
    let path = format!("/partner/coupons/quotas/{id}");
    render(&PartnerGrantPage {
        ctx,
        grant: detail.grant.grant.into(),
        children: detail.grant.children.into_iter().map(Into::into).collect(),
        entries: detail.entries.into_iter().map(Into::into).collect(),
        pager: Pager::new("", &path, before.is_none(), detail.next),
        can_pass: member.is_admin() && member.org_kind == OrgKind::Distributor,
        show_counterparty: false,
    })
}

#[derive(Deserialize)]
pub struct ReclaimForm {
    #[serde(default)]
    remark: String,
}

/// rule K3: reclaims what is left of a passed grant (its id) back to its parent grant.
pub async fn reclaim_quota(
    ctx: Ctx,
    member: Member,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<i64>,
    form: web::Form<ReclaimForm>,
) -> Result<HttpResponse, AppError> {
    let child = path.into_inner();
    let remark = form.into_inner().remark.trim().to_string();
    let caller = member.caller.clone();
    let (parent, outcome) = crate::routes::transaction(&state.pool, move |conn| {
        Ok(passing::reclaim(conn, &caller, child, &remark)?)
    })
    .await?;
    match outcome {
        Ok(amount) => {
            let amount = ctx.money(&format_amount(amount));
            flash(
                &session,
                "success",
                ctx.tf("quotas.reclaimed", &[("amount", &amount)]),
            );
        }
        Err(ServiceError::Refused(r)) => flash(&session, "error", ctx.t(r.key())),
        Err(ServiceError::Malformed(_)) => {
            let max = crate::services::coupons::REMARK_MAX.to_string();
            flash(
                &session,
                "error",
                ctx.tf("form.too_long_n", &[("max", &max)]),
            )
        }
        Err(e) => return Err(e.into()),
    }
    Ok(redirect(&format!("/partner/coupons/quotas/{parent}")))
}
