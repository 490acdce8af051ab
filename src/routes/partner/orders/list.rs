//! `/partner/orders`: the tabs to pay, paid, rejected and all (`tab=`), newest first with
//! keyset pages and the `q` filter kept in every link (rules P2, X3, SPEC §5 "Lists").

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::auth::Member;
use crate::error::AppError;
use crate::routes::cursor_id;
use crate::services::keyset;
use crate::services::orders::partner_view::{self as svc, Filter, Tab};
use crate::state::AppState;
use crate::views::customers::Opt;
use crate::views::orders::OrderListRow;
use crate::views::orders::partner::{PartnerOrdersPage, TabLink};
use crate::views::{Ctx, Pager, render, url_encode};

#[derive(Deserialize, Default)]
pub struct ListQuery {
    tab: Option<String>,
    q: Option<String>,
    after: Option<String>,
    size: Option<String>,
}

/// rule P2: one tab of the partner's orders.
pub async fn list_orders(
    ctx: Ctx,
    member: Member,
    state: web::Data<AppState>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let filter = Filter {
        tab: query
            .tab
            .as_deref()
            .and_then(Tab::parse)
            .unwrap_or_default(),
        q: keyset::q(query.q.as_deref()),
    };
    let size = keyset::size_of(query.size.as_deref());
    let after = cursor_id(&query.after);
    let (caller, f) = (member.caller.clone(), filter.clone());
    let (rows, next) = crate::routes::run(&state.pool, move |conn| {
        Ok(svc::page(conn, &caller, &f, after, size)?)
    })
    .await?;
    let q = url_encode(&filter.q);
    let tabs = Tab::ALL
        .iter()
        .map(|t| TabLink {
            tab: t.as_str(),
            href: format!("/partner/orders?q={q}&tab={}", t.as_str()),
            label: ctx.tk("orders.partner.tab", t.as_str()),
            current: *t == filter.tab,
        })
        .collect();
    let base = crate::routes::with_size(format!("q={q}&tab={}", filter.tab.as_str()), size);
    let sizes = keyset::SIZES
        .iter()
        .map(|s| Opt::new(s.to_string(), s.to_string(), &size.to_string()))
        .collect();
    let rows = rows
        .into_iter()
        .map(|r| OrderListRow::new(&ctx, r))
        .collect();
    render(&PartnerOrdersPage {
        tab: filter.tab.as_str().to_string(),
        tabs,
        rows,
        q: filter.q,
        sizes,
        pager: Pager::new(&base, "/partner/orders", after.is_none(), next),
        ctx,
    })
}
