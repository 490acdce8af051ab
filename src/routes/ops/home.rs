use actix_web::{HttpResponse, web};
use diesel::prelude::*;

use crate::auth::Operator;
use crate::db::schema::{customers, ledger_verifications, organizations, outbox};
use crate::error::AppError;
use crate::i18n::local_time;
use crate::state::AppState;
use crate::views::pages::OpsHomePage;
use crate::views::{Ctx, render};

pub async fn ops_home(
    ctx: Ctx,
    _op: Operator,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let (partners, customers, pending, failed, last) = crate::routes::run(&state.pool, |conn| {
        let partners: i64 = organizations::table.count().get_result(conn)?;
        let customers: i64 = customers::table.count().get_result(conn)?;
        let pending: i64 = outbox::table
            .filter(outbox::state.eq("pending"))
            .count()
            .get_result(conn)?;
        let failed: i64 = outbox::table
            .filter(outbox::state.eq("failed"))
            .count()
            .get_result(conn)?;
        let last: Option<(bool, chrono::DateTime<chrono::Utc>)> = ledger_verifications::table
            .order(ledger_verifications::id.desc())
            .select((ledger_verifications::ok, ledger_verifications::finished_at))
            .first(conn)
            .optional()?;
        Ok((partners, customers, pending, failed, last))
    })
    .await?;
    render(&OpsHomePage {
        ctx,
        partners,
        customers,
        mail_pending: pending,
        mail_failed: failed,
        last_verification: last.map(|(ok, at)| (ok, local_time(at))),
    })
}
