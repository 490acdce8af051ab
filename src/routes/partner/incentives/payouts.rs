//! `/partner/incentives/payouts` (rules B8, P4): the partner's payment requests with what each
//! covers and where it stands; `q` is a period (`YYYY-MM`) a request covers. Admins only.

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::auth::Member;
use crate::error::AppError;
use crate::routes::cursor_id;
use crate::services::incentives::partner_lists as reads;
use crate::services::keyset;
use crate::state::AppState;
use crate::views::incentives::PayoutRow;
use crate::views::incentives::partner::PartnerPayoutsPage;
use crate::views::{Ctx, Pager, render, url_encode};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/partner/incentives/payouts", web::get().to(list_payouts));
}

#[derive(Deserialize)]
pub struct ListQuery {
    q: Option<String>,
    after: Option<String>,
    size: Option<String>,
}

pub async fn list_payouts(
    ctx: Ctx,
    member: Member,
    state: web::Data<AppState>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    member.require_admin()?;
    let q = keyset::q(query.q.as_deref());
    let size = keyset::size_of(query.size.as_deref());
    let before = cursor_id(&query.after);
    let q2 = q.clone();
    let page = crate::routes::run(&state.pool, move |conn| {
        Ok(reads::payouts(conn, &member.caller, &q2, before, size)?)
    })
    .await?;
    let base = crate::routes::with_size(format!("q={}", url_encode(&q)), size);
    render(&PartnerPayoutsPage {
        rows: page
            .rows
            .into_iter()
            .map(|r| PayoutRow::new(&ctx, r))
            .collect(),
        pager: Pager::new(
            &base,
            "/partner/incentives/payouts",
            before.is_none(),
            page.next,
        ),
        q,
        ctx,
    })
}
