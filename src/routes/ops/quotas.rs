//! `/ops/quotas`: operators grant, adjust, freeze and withdraw partners' quota (rules K1,
//! K2a): the list of every grant here, the grant form (`grant`), one grant with its adjustments
//! and entries (`detail`).

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::auth::Operator;
use crate::domain::{CouponKind, GrantState};
use crate::error::AppError;
use crate::routes::cursor_id;
use crate::services::coupons::ops_quotas::{self as reads, OpsFilter};
use crate::services::keyset;
use crate::state::AppState;
use crate::views::coupons::quotas::OpsQuotasPage;
use crate::views::{Ctx, Pager, render, url_encode};

mod detail;
mod grant;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/ops/quotas", web::get().to(list_quotas))
        .route("/ops/quotas", web::post().to(grant::grant_quota))
        .route("/ops/quotas/new", web::get().to(grant::grant_quota_form))
        .route("/ops/quotas/{id:\\d+}", web::get().to(detail::show_quota))
        .route(
            "/ops/quotas/{id:\\d+}/adjust",
            web::post().to(detail::propose_adjustment),
        )
        .route(
            "/ops/quotas/adjustments/{id:\\d+}/{decision:approve|reject}",
            web::post().to(detail::decide_adjustment),
        )
        .route(
            "/ops/quotas/{id:\\d+}/{action:freeze|unfreeze|withdraw}",
            web::post().to(detail::change_quota_state),
        );
}

#[derive(Deserialize)]
pub struct ListQuery {
    q: Option<String>,
    kind: Option<String>,
    state: Option<String>,
    after: Option<String>,
    size: Option<String>,
}

/// rule K1, K2a: every partner's grants, newest first, filtered by partner, kind and state.
pub async fn list_quotas(
    ctx: Ctx,
    op: Operator,
    state: web::Data<AppState>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let filter = OpsFilter {
        q: keyset::q(query.q.as_deref()),
        kind: query.kind.as_deref().and_then(CouponKind::parse),
        state: query.state.as_deref().and_then(GrantState::parse),
    };
    let size = keyset::size_of(query.size.as_deref());
    let after = cursor_id(&query.after);
    let f = filter.clone();
    let page = crate::routes::run(&state.pool, move |conn| {
        Ok(reads::list(conn, &op.caller, &f, after, size)?)
    })
    .await?;
    let kind = filter.kind.map_or("", CouponKind::as_str).to_string();
    let grant_state = filter.state.map_or("", GrantState::as_str).to_string();
    let base = crate::routes::with_size(
        format!(
            "q={}&kind={kind}&state={grant_state}",
            url_encode(&filter.q)
        ),
        size,
    );
    render(&OpsQuotasPage {
        ctx,
        rows: page.rows.into_iter().map(Into::into).collect(),
        q: filter.q,
        kind,
        state: grant_state,
        kinds: CouponKind::ALL.iter().map(|k| k.as_str()).collect(),
        states: GrantState::ALL.iter().map(|s| s.as_str()).collect(),
        pager: Pager::new(&base, "/ops/quotas", after.is_none(), page.next),
    })
}
