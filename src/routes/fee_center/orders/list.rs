//! `/fee-center/orders`: the customer's own orders, newest first, by state and `q` (product
//! code or name), with keyset pages (rule P1, SPEC §5 "Lists").

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::auth::CustomerUser;
use crate::domain::OrderState;
use crate::error::AppError;
use crate::routes::cursor_id;
use crate::services::keyset;
use crate::services::orders::customer_view::{self as svc, Filter};
use crate::state::AppState;
use crate::views::customers::Opt;
use crate::views::orders::OrderListRow;
use crate::views::orders::fee_center::CustomerOrdersPage;
use crate::views::{Ctx, Pager, render, url_encode};

#[derive(Deserialize, Default)]
pub struct ListQuery {
    q: Option<String>,
    state: Option<String>,
    after: Option<String>,
    size: Option<String>,
}

/// rule P1: the customer's orders.
pub async fn list_orders(
    ctx: Ctx,
    user: CustomerUser,
    state: web::Data<AppState>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let filter = Filter {
        state: query.state.as_deref().and_then(OrderState::parse),
        q: keyset::q(query.q.as_deref()),
    };
    let size = keyset::size_of(query.size.as_deref());
    let after = cursor_id(&query.after);
    let (caller, f) = (user.caller.clone(), filter.clone());
    let (rows, next) = crate::routes::run(&state.pool, move |conn| {
        Ok(svc::page(conn, &caller, &f, after, size)?)
    })
    .await?;
    let current = filter.state.map_or("", OrderState::as_str);
    let mut states = vec![Opt::new("", ctx.t("filter.all"), current)];
    states.extend(
        OrderState::ALL
            .iter()
            .map(|s| Opt::new(s.as_str(), ctx.tk("orders.state", s.as_str()), current)),
    );
    let base =
        crate::routes::with_size(format!("q={}&state={current}", url_encode(&filter.q)), size);
    let rows = rows
        .into_iter()
        .map(|r| OrderListRow::new(&ctx, r))
        .collect();
    render(&CustomerOrdersPage {
        rows,
        states,
        q: filter.q,
        pager: Pager::new(&base, "/fee-center/orders", after.is_none(), next),
        ctx,
    })
}
