//! A distributor's resellers' customers (rule C4): basic fields only, no detail pages.

use actix_web::{HttpResponse, web};

use super::list::ListQuery;
use crate::auth::Member;
use crate::error::AppError;
use crate::i18n::local_time;
use crate::services::customers::list::{Cursor, Filter, Sort};
use crate::services::customers::resellers;
use crate::services::scope;
use crate::state::AppState;
use crate::views::customers::{ResellerCustomerLine, ResellerCustomersPage};
use crate::views::{Ctx, Pager, render, url_encode};

/// A distributor's view of its resellers' customers: basic fields, no detail pages.
pub async fn list_reseller_customers(
    ctx: Ctx,
    member: Member,
    state: web::Data<AppState>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    if !scope::sees_reseller_customers(&member) {
        return Err(AppError::Forbidden);
    }
    let filter = Filter::parse(&query.q, "", "", "", "company");
    let after = Cursor::parse(&query.after, Sort::CompanyAsc);
    let first_page = after.is_none();
    let size = query.size();
    let (caller, f) = (member.caller.clone(), filter.clone());
    let page = crate::routes::run(&state.pool, move |conn| {
        Ok(resellers::page(conn, &caller, &f, after, size)?)
    })
    .await?;
    let (names, next) = (page.names, page.next);
    let pager = Pager::new(
        &format!("q={}", url_encode(&filter.q)),
        "/partner/customers/resellers",
        first_page,
        next,
    );
    let rows = page
        .rows
        .into_iter()
        .map(
            |(_, company, partner, kind, verification, since)| ResellerCustomerLine {
                company,
                reseller: partner
                    .and_then(|p| names.get(&p).cloned())
                    .unwrap_or_default(),
                association_type: kind.map(|k| ctx.tk("association", &k)).unwrap_or_default(),
                verification: ctx.tk("customers.verification", &verification),
                since: since.map(local_time).unwrap_or_default(),
            },
        )
        .collect();
    render(&ResellerCustomersPage {
        q: filter.q,
        rows,
        pager,
        ctx,
    })
}
