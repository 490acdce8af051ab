//! `/ops/incentives` (rule B8): operators list every partner's incentives (filters: partner
//! name `q`, `period`, `kind`, `stage`; keyset pages) and record new ones (`record`); the
//! payment requests (`payouts`) and incentive invoices (`invoices`) have their own pages.

mod invoices;
mod payouts;
mod queue;
mod record;

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::auth::Operator;
use crate::domain::incentives::{IncentiveKind, Period};
use crate::error::AppError;
use crate::routes::cursor_id;
use crate::services::incentives::lines::Stage;
use crate::services::incentives::ops_lists::{self as reads, OpsFilter};
use crate::services::keyset;
use crate::state::AppState;
use crate::views::incentives::ops::OpsIncentivesPage;
use crate::views::incentives::{IncentiveRow, choices};
use crate::views::{Ctx, Pager, render, url_encode};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/ops/incentives", web::get().to(list_incentives))
        .route("/ops/incentives", web::post().to(record::record_incentive))
        .route(
            "/ops/incentives/new",
            web::get().to(record::record_incentive_form),
        );
    payouts::configure(cfg);
    invoices::configure(cfg);
}

#[derive(Deserialize)]
pub struct ListQuery {
    q: Option<String>,
    period: Option<String>,
    kind: Option<String>,
    stage: Option<String>,
    after: Option<String>,
    size: Option<String>,
}

pub fn kind_values() -> Vec<&'static str> {
    IncentiveKind::ALL.iter().map(|k| k.as_str()).collect()
}

pub fn stage_values() -> Vec<&'static str> {
    Stage::ALL.iter().map(|s| s.as_str()).collect()
}

pub async fn list_incentives(
    ctx: Ctx,
    op: Operator,
    state: web::Data<AppState>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let filter = OpsFilter {
        q: keyset::q(query.q.as_deref()),
        period: query.period.as_deref().and_then(Period::parse),
        kind: query.kind.as_deref().and_then(IncentiveKind::parse),
        stage: query.stage.as_deref().and_then(Stage::parse),
    };
    let size = keyset::size_of(query.size.as_deref());
    let before = cursor_id(&query.after);
    let f = filter.clone();
    let page = crate::routes::run(&state.pool, move |conn| {
        Ok(reads::list(conn, &op.caller, &f, before, size)?)
    })
    .await?;
    let period = filter.period.map(Period::label).unwrap_or_default();
    let kind = filter.kind.map_or("", IncentiveKind::as_str).to_string();
    let stage = filter.stage.map_or("", Stage::as_str).to_string();
    let base = crate::routes::with_size(
        format!(
            "q={}&period={period}&kind={kind}&stage={stage}",
            url_encode(&filter.q)
        ),
        size,
    );
    render(&OpsIncentivesPage {
        rows: page
            .rows
            .into_iter()
            .map(|r| IncentiveRow::new(&ctx, r))
            .collect(),
        pager: Pager::new(&base, "/ops/incentives", before.is_none(), page.next),
        kinds: choices(&ctx, "incentives.kind", &kind_values()),
        stages: choices(&ctx, "incentives.stage", &stage_values()),
        q: filter.q,
        period,
        kind,
        stage,
        ctx,
    })
}
