//! `/fee-center/bills` and `/fee-center/bills/{id}`: the customer's own monthly bills (rules
//! B1, B2): every month's bill, with or without a partner, its lines, cut-off, discount,
//! coupons and settlement. Customers only; another customer's id is 404.

use actix_web::{HttpResponse, web};

use crate::auth::CustomerUser;
use crate::domain::money::format_amount;
use crate::error::AppError;
use crate::i18n::local_time;
use crate::routes::partner::bills::{ListQuery, state_options};
use crate::services::billing::{Month, detail, fee_center as svc};
use crate::services::keyset;
use crate::state::AppState;
use crate::views::bills::{OwnBillPage, OwnBillRow, OwnBillsPage, bill_view, format_rated};
use crate::views::{Ctx, Pager, render};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/fee-center/bills", web::get().to(list_own_bills))
        .route("/fee-center/bills/{id:\\d+}", web::get().to(show_own_bill));
}

/// rule B2: the customer's bills, newest first, by month and state, keyset pages.
pub async fn list_own_bills(
    ctx: Ctx,
    user: CustomerUser,
    state: web::Data<AppState>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let filter = query.filter();
    let size = keyset::size(query.size().parse().ok());
    let after = keyset::cursor_id(&Some(query.after().to_string()));
    let (caller, f) = (user.caller.clone(), filter.clone());
    let (rows, next) = crate::routes::run(&state.pool, move |conn| {
        Ok(svc::page(conn, &caller, &f, after, size)?)
    })
    .await?;
    let base = crate::routes::with_size(filter.query_string(), size);
    let pager = Pager::new(&base, "/fee-center/bills", after.is_none(), next);
    let rows = rows
        .into_iter()
        .map(|r| OwnBillRow {
            id: r.id,
            month: Month::of(r.period).label(),
            partner: r.partner.unwrap_or_else(|| ctx.t("bills.no_partner")),
            amount: format_amount(r.amount),
            cut_off: format_rated(r.cut_off),
            unpaid: format_amount(r.unpaid),
            due_on: r.due_on.map(|d| d.to_string()).unwrap_or_default(),
            state_label: ctx.tk("bills.state", &r.state),
            state: r.state,
            issued_at: r.issued_at.map(local_time).unwrap_or_default(),
        })
        .collect();
    render(&OwnBillsPage {
        rows,
        month: filter.month.map(|m| m.label()).unwrap_or_default(),
        states: state_options(&ctx, filter.state),
        pager,
        ctx,
    })
}

/// rules B1, B2: one of the customer's own bills, with its lines.
pub async fn show_own_bill(
    ctx: Ctx,
    user: CustomerUser,
    state: web::Data<AppState>,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let (id, caller) = (path.into_inner(), user.caller.clone());
    let bill = crate::routes::run(&state.pool, move |conn| {
        Ok(detail::for_customer(conn, &caller, id)?)
    })
    .await?;
    let bill = bill_view(&ctx, bill);
    render(&OwnBillPage { bill, ctx })
}
