//! `/ops/usage/imports/{id}/rejected.csv`: the rejected rows of an import with their reasons
//! (SPEC §6 "CSV files": the file's columns plus `error`), streamed a chunk at a time.

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use futures_util::{StreamExt, stream};

use crate::auth::Operator;
use crate::error::AppError;
use crate::services::billing::usage;
use crate::state::AppState;
use crate::views::Ctx;

/// Rejected rows read per chunk of the download.
const CHUNK: i64 = 10_000;

/// The report as CSV; an unknown import is 404 before anything is sent.
pub async fn rejected_report(
    ctx: Ctx,
    op: Operator,
    state: web::Data<AppState>,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let (pool, caller, lang) = (state.pool.clone(), op.caller.clone(), ctx.lang);
    let first = {
        let caller = caller.clone();
        crate::routes::run(&pool, move |conn| {
            Ok(usage::rejected_rows(conn, &caller, id, 0, CHUNK)?)
        })
        .await?
    };
    let head = usage::rejected_csv(&first, |k| lang.t(k), true);
    let after = first.last().map(|r| r.line);
    let more = stream::unfold(after, move |after| {
        let (pool, caller) = (pool.clone(), caller.clone());
        async move {
            let from = after?;
            let rows = crate::routes::run(&pool, move |conn| {
                Ok(usage::rejected_rows(conn, &caller, id, from, CHUNK)?)
            })
            .await
            .ok()?;
            let next = rows.last().map(|r| r.line);
            next?;
            let bytes = usage::rejected_csv(&rows, |k| lang.t(k), false);
            Some((Ok::<_, AppError>(web::Bytes::from(bytes)), next))
        }
    });
    let body = stream::once(async move { Ok::<_, AppError>(web::Bytes::from(head)) }).chain(more);
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/csv; charset=utf-8"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"usage-{id}-rejected.csv\""),
        ))
        .streaming(body))
}
