//! `/ops/catalog`: the product list (rule P1), by id, narrowed by code or name.

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::auth::Operator;
use crate::error::AppError;
use crate::routes::cursor_id;
use crate::services::keyset;
use crate::services::orders::catalog as svc;
use crate::state::AppState;
use crate::views::orders::catalog::{CatalogPage, ProductRow};
use crate::views::{Ctx, Pager, render, url_encode};

#[derive(Deserialize)]
pub struct ListQuery {
    q: Option<String>,
    after: Option<String>,
    size: Option<String>,
}

/// rule P1: the catalog by id, narrowed by code or name.
pub async fn list_products(
    ctx: Ctx,
    op: Operator,
    state: web::Data<AppState>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let q = keyset::q(query.q.as_deref());
    let size = keyset::size_of(query.size.as_deref());
    let after = cursor_id(&query.after);
    let (caller, text) = (op.caller.clone(), q.clone());
    let (rows, next) = crate::routes::run(&state.pool, move |conn| {
        Ok(svc::list(conn, &caller, &text, after, size)?)
    })
    .await?;
    let base = crate::routes::with_size(format!("q={}", url_encode(&q)), size);
    let rows = rows
        .into_iter()
        .map(|p| ProductRow::new(ctx.lang, p))
        .collect();
    render(&CatalogPage {
        pager: Pager::new(&base, "/ops/catalog", after.is_none(), next),
        rows,
        q,
        ctx,
    })
}
