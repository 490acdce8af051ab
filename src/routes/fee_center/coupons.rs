//! `/fee-center/coupons` and `/fee-center/cash-coupons`: the customer's own coupons (rule K6),
//! and `/fee-center/coupons/{id}`, one of them with its history. Customers only: partner
//! members and operators get 403 from the `CustomerUser` guard.

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::auth::CustomerUser;
use crate::domain::{CouponKind, CouponState};
use crate::error::AppError;
use crate::routes::cursor_id;
use crate::services::coupons::customer_view::{self as svc, StateFilter};
use crate::services::keyset;
use crate::state::AppState;
use crate::views::coupons::fee_center::{
    CouponRow, CustomerCouponPage, CustomerCouponsPage, HistoryRow,
};
use crate::views::{Ctx, Pager, render};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/fee-center/coupons", web::get().to(list_vouchers))
        .route("/fee-center/cash-coupons", web::get().to(list_cash_coupons))
        .route("/fee-center/coupons/{id:\\d+}", web::get().to(show_coupon));
}

const VOUCHERS: &str = "/fee-center/coupons";
const CASH_COUPONS: &str = "/fee-center/cash-coupons";

#[derive(Deserialize)]
pub struct ListQuery {
    state: Option<String>,
    after: Option<String>,
    size: Option<String>,
}

/// rule K6: fee center › discounts › coupons (vouchers).
pub async fn list_vouchers(
    ctx: Ctx,
    user: CustomerUser,
    state: web::Data<AppState>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    list_coupons(ctx, user, state, query.into_inner(), CouponKind::Voucher).await
}

/// rule K6: fee center › discounts › cash coupons.
pub async fn list_cash_coupons(
    ctx: Ctx,
    user: CustomerUser,
    state: web::Data<AppState>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    list_coupons(ctx, user, state, query.into_inner(), CouponKind::CashCoupon).await
}

async fn list_coupons(
    ctx: Ctx,
    user: CustomerUser,
    state: web::Data<AppState>,
    query: ListQuery,
    kind: CouponKind,
) -> Result<HttpResponse, AppError> {
    let filter = StateFilter::parse(query.state.as_deref());
    let size = keyset::size_of(query.size.as_deref());
    let after = cursor_id(&query.after);
    let caller = user.caller.clone();
    let page = crate::routes::run(&state.pool, move |conn| {
        Ok(svc::page(conn, &caller, kind, filter, after, size)?)
    })
    .await?;
    let path = match kind {
        CouponKind::Voucher => VOUCHERS,
        CouponKind::CashCoupon => CASH_COUPONS,
    };
    let base = crate::routes::with_size(format!("state={}", filter.as_str()), size);
    let pager = Pager::new(&base, path, after.is_none(), page.next);
    let rows = page
        .rows
        .into_iter()
        .map(|c| CouponRow::new(&ctx, c, &page.services))
        .collect();
    let mut states: Vec<&'static str> = CouponState::ALL.iter().map(|s| s.as_str()).collect();
    states.push(StateFilter::All.as_str());
    render(&CustomerCouponsPage {
        ctx,
        kind: kind.as_str().to_string(),
        path: path.to_string(),
        state: filter.as_str().to_string(),
        states,
        rows,
        pager,
    })
}

#[derive(Deserialize)]
pub struct HistoryQuery {
    after: Option<String>,
}

/// rule K6: one of the customer's coupons with its usage history, newest first; another
/// customer's coupon is 404.
pub async fn show_coupon(
    ctx: Ctx,
    user: CustomerUser,
    state: web::Data<AppState>,
    path: web::Path<i64>,
    query: web::Query<HistoryQuery>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let before = cursor_id(&query.after);
    let caller = user.caller.clone();
    let detail = crate::routes::run(&state.pool, move |conn| {
        Ok(svc::detail(conn, &caller, id, before, keyset::LOG_SIZE)?)
    })
    .await?;
    let back = match detail.coupon.kind {
        CouponKind::Voucher => VOUCHERS,
        CouponKind::CashCoupon => CASH_COUPONS,
    };
    let pager = Pager::new(
        "",
        &format!("{VOUCHERS}/{id}"),
        before.is_none(),
        detail.next,
    );
    let coupon = CouponRow::new(&ctx, detail.coupon, &detail.services);
    render(&CustomerCouponPage {
        ctx,
        coupon,
        back: back.to_string(),
        history: detail.history.into_iter().map(HistoryRow::from).collect(),
        pager,
    })
}
