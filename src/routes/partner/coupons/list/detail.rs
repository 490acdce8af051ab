//! `/partner/coupons/{id}`: one coupon's facts and history, with the recover form for admins
//! (rules K2, K3, K5, C10).

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::row;
use crate::auth::Member;
use crate::domain::money::format_amount;
use crate::domain::{CouponKind, CouponState};
use crate::error::AppError;
use crate::i18n::local_time;
use crate::services::coupons::list::detail::{self as svc, CouponDetail};
use crate::services::keyset;
use crate::state::AppState;
use crate::views::coupons::list::{CouponDetailPage, HistoryRow};
use crate::views::{Ctx, FormErrors, Pager, render_with};

#[derive(Deserialize)]
pub struct HistoryQuery {
    after: Option<String>,
}

/// What the page shows beside the facts: the form's typed remark, errors and a refusal.
#[derive(Default)]
pub struct FormState {
    pub remark: String,
    pub errors: FormErrors,
    pub message: String,
}

/// The coupon page, rendered with `status` (200, or a refusal's 409/422 with the form).
pub async fn coupon_page(
    ctx: Ctx,
    member: &Member,
    state: &AppState,
    id: i64,
    before: Option<i64>,
    form: FormState,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let caller = member.caller.clone();
    let detail = crate::routes::run(&state.pool, move |conn| {
        Ok(svc::detail(conn, &caller, id, before, keyset::LOG_SIZE)?)
    })
    .await?;
    let CouponDetail {
        facts,
        services,
        history,
        next,
    } = detail;
    let pager = Pager::new(
        "",
        &format!("/partner/coupons/{id}"),
        before.is_none(),
        next,
    );
    let history = history
        .into_iter()
        .map(|h| HistoryRow {
            kind_label: ctx.tk("coupons.list.history.kind", &h.kind),
            kind: h.kind,
            amount: format_amount(h.amount),
            balance_after: format_amount(h.balance_after),
            memo: h.memo,
            by: h.by.unwrap_or_else(|| ctx.t("coupons.list.history.system")),
            at: local_time(h.at),
        })
        .collect();
    let services = services
        .into_iter()
        .map(|s| ctx.lang.pick(s.name_zh, s.name_en))
        .collect();
    let usable = facts.line.state == CouponState::Usable.as_str();
    let is_cash_coupon = facts.line.kind == CouponKind::CashCoupon.as_str();
    let page = CouponDetailPage {
        coupon: row(&ctx, facts.line),
        services,
        invoice_restricted: facts.invoice_restricted,
        is_cash_coupon,
        grant_passed: facts.grant_passed,
        issued_by: facts
            .issued_by
            .unwrap_or_else(|| ctx.t("coupons.list.history.system")),
        ended_at: facts.ended_at.map(local_time).unwrap_or_default(),
        remark: facts.remark,
        history,
        pager,
        can_recover: usable && member.is_admin(),
        recover_remark: form.remark,
        errors: form.errors,
        message: form.message,
        ctx,
    };
    render_with(status, &page)
}

/// rules K2, C10: one coupon with its history (admins and supervisors; 404 outside scope).
pub async fn show_coupon(
    ctx: Ctx,
    member: Member,
    state: web::Data<AppState>,
    path: web::Path<i64>,
    query: web::Query<HistoryQuery>,
) -> Result<HttpResponse, AppError> {
    let before = keyset::cursor_id(&query.after);
    coupon_page(
        ctx,
        &member,
        &state,
        path.into_inner(),
        before,
        FormState::default(),
        StatusCode::OK,
    )
    .await
}
