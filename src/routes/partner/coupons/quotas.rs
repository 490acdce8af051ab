//! `/partner/coupons/quotas…`: the organisation's quota grants (rules K1, K2a), one grant with
//! its entries and passed children, passing quota to resellers and reclaiming it (K1, K3, R3).
//! Admins and supervisors read; customer managers get 403; a distributor's admins pass.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::auth::Member;
use crate::domain::money::format_amount;
use crate::domain::{Money, OrgKind};
use crate::error::AppError;
use crate::routes::cursor_id;
use crate::services::ServiceError;
use crate::services::coupons::passing::{self, PassInput};
use crate::services::coupons::{CouponRefusal, PASS_RESELLERS_MAX, quotas as svc};
use crate::services::keyset;
use crate::state::AppState;
use crate::views::coupons::quotas::{
    GrantGroup, PartnerGrantPage, PartnerQuotasPage, PassFormPage, PassResultPage, PassResultRow,
    ResellerChoice,
};
use crate::views::{Ctx, FormErrors, Pager, flash, redirect, render, render_with};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/partner/coupons/quotas", web::get().to(list_quotas))
        .route("/partner/coupons/quotas/{id:\\d+}", web::get().to(show_quota))
        .route(
            "/partner/coupons/quotas/{id:\\d+}/pass",
            web::get().to(pass_quota_form),
        )
        .route(
            "/partner/coupons/quotas/{id:\\d+}/pass",
            web::post().to(pass_quota),
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
pub struct PassQuery {
    q: Option<String>,
}

/// The pass form as typed (`reseller_id` repeated).
#[derive(Default)]
struct PassForm {
    reseller_ids: Vec<i64>,
    amount: String,
    key: String,
}

async fn pass_page(
    ctx: Ctx,
    member: &Member,
    state: &AppState,
    (id, q): (i64, String),
    form: PassForm,
    errors: FormErrors,
) -> Result<HttpResponse, AppError> {
    let (caller, text) = (member.caller.clone(), q.clone());
    let choices = crate::routes::run(&state.pool, move |conn| {
        Ok(passing::choices(conn, &caller, id, &text)?)
    })
    .await?;
    let resellers = choices
        .resellers
        .into_iter()
        .map(|(rid, name)| ResellerChoice {
            checked: form.reseller_ids.contains(&rid),
            id: rid,
            name,
        })
        .collect();
    let (status, message) = if errors.is_empty() {
        (StatusCode::OK, String::new())
    } else {
        (StatusCode::UNPROCESSABLE_ENTITY, ctx.t("form.fix_errors"))
    };
    render_with(
        status,
        &PassFormPage {
            ctx,
            grant: choices.grant.into(),
            resellers,
            q,
            amount: form.amount,
            key: form.key,
            errors,
            message,
        },
    )
}

/// rule K1, R3: the pass form (up to 100 resellers shown, `?q=` narrows), with a fresh key.
pub async fn pass_quota_form(
    ctx: Ctx,
    member: Member,
    state: web::Data<AppState>,
    path: web::Path<i64>,
    query: web::Query<PassQuery>,
) -> Result<HttpResponse, AppError> {
    let q = keyset::q(query.q.as_deref());
    let form = PassForm {
        key: uuid::Uuid::new_v4().to_string(),
        ..PassForm::default()
    };
    let id = path.into_inner();
    pass_page(ctx, &member, &state, (id, q), form, FormErrors::default()).await
}

/// rule K1, R3: passes the amount to each chosen reseller; the answer lists each one's result.
pub async fn pass_quota(
    ctx: Ctx,
    member: Member,
    state: web::Data<AppState>,
    path: web::Path<i64>,
    fields: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let mut form = PassForm::default();
    for (name, value) in fields.into_inner() {
        match name.as_str() {
            "reseller_id" => form.reseller_ids.push(
                value
                    .trim()
                    .parse()
                    .map_err(|_| AppError::BadRequest("reseller_id".into()))?,
            ),
            "amount" => form.amount = value,
            "key" => form.key = value,
            _ => {}
        }
    }
    if !crate::services::customers::top_up::valid_key(&form.key) {
        return Err(AppError::BadRequest("form key".into()));
    }
    let mut errors = FormErrors::default();
    let amount = Money::parse_positive(&form.amount)
        .map_err(|e| errors.add("amount", ctx.t(e.message_key())))
        .ok();
    form.reseller_ids.dedup();
    if form.reseller_ids.is_empty() {
        errors.add("reseller_id", ctx.t("quotas.error.no_reseller"));
    } else if form.reseller_ids.len() > PASS_RESELLERS_MAX {
        errors.add("reseller_id", ctx.t(CouponRefusal::TooMany.key()));
    }
    let Some(amount) = amount.filter(|_| errors.is_empty()) else {
        // The form page reads through the same access check: a refused role still gets 403.
        return pass_page(ctx, &member, &state, (id, String::new()), form, errors).await;
    };
    let mut ids = form.reseller_ids.clone();
    ids.sort_unstable();
    ids.dedup();
    let input = PassInput {
        grant_id: id,
        reseller_ids: ids,
        amount,
        key: form.key,
    };
    let caller = member.caller.clone();
    let lines = crate::routes::transaction(&state.pool, move |conn| {
        Ok(passing::pass(conn, &caller, &input)?)
    })
    .await?;
    let rows: Vec<PassResultRow> = lines
        .into_iter()
        .map(|l| PassResultRow {
            reseller_id: l.reseller_id,
            name: l.name,
            passed: l.result.is_ok(),
            reason: l.result.err().map(|r| ctx.t(r.key())).unwrap_or_default(),
        })
        .collect();
    let passed = rows.iter().filter(|r| r.passed).count();
    render(&PassResultPage {
        grant_id: id,
        amount: format_amount(amount.amount()),
        refused: rows.len() - passed,
        passed,
        rows,
        ctx,
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
