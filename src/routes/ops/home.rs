//! `/ops`: the operator console's first page.

use actix_web::{HttpResponse, web};

use crate::auth::Operator;
use crate::error::AppError;
use crate::i18n::local_time;
use crate::services::homes;
use crate::state::AppState;
use crate::views::pages::OpsHomePage;
use crate::views::{Ctx, render};

pub async fn ops_home(
    ctx: Ctx,
    op: Operator,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let home = crate::routes::run(&state.pool, move |conn| {
        Ok(homes::ops_home(conn, &op.caller)?)
    })
    .await?;
    render(&OpsHomePage {
        ctx,
        partners: home.partners,
        customers: home.customers,
        mail_pending: home.mail_pending,
        mail_failed: home.mail_failed,
        last_verification: home.last_verification.map(|(ok, at)| (ok, local_time(at))),
        revenue: home
            .revenue
            .into_iter()
            .map(|(entity, total)| (entity, crate::domain::money::format_amount(total)))
            .collect(),
    })
}
