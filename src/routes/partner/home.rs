//! `/partner`: the dashboard of a member's organisation.

use actix_web::{HttpResponse, web};

use crate::auth::Member;
use crate::domain::money::format_amount;
use crate::error::AppError;
use crate::services::homes;
use crate::state::AppState;
use crate::views::pages::PartnerHomePage;
use crate::views::{Ctx, render};

pub async fn dashboard(
    ctx: Ctx,
    member: Member,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let caller = member.caller.clone();
    let (home, trends) = crate::routes::run(&state.pool, move |conn| {
        Ok((
            homes::partner_dashboard(conn, &caller)?,
            crate::services::dashboard::trends(conn, &caller)?,
        ))
    })
    .await?;
    let trends = crate::views::dashboard::TrendsPanel::new(&ctx, &trends);
    let org_name = member.who.org_name.clone().unwrap_or_default();
    let org_kind_key = format!("org_kind.{}", member.org_kind.as_str());
    render(&PartnerHomePage {
        ctx,
        org_name,
        org_kind_key,
        customers: home.customers,
        pending_invitations: bounded(home.pending_invitations),
        pay_requests: home.pay_requests.map(bounded),
        invoices_waiting: bounded(home.invoices_waiting),
        cash: home.cash.map(format_amount),
        distributor: home.distributor,
        expiring_coupons: home
            .expiring_coupons
            .map(crate::views::coupons::list::bounded),
        trends,
    })
}

/// A count read up to `PENDING_SHOWN_UP_TO + 1`, shown as "100+" above the bound.
fn bounded(n: i64) -> String {
    if n > homes::PENDING_SHOWN_UP_TO {
        format!("{}+", homes::PENDING_SHOWN_UP_TO)
    } else {
        n.to_string()
    }
}
