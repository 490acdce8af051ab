//! A distributor's resellers' customers (rule C4): basic fields only, no detail pages.

use std::collections::HashMap;

use actix_web::{HttpResponse, web};
use diesel::prelude::*;

use super::list::ListQuery;
use crate::auth::Member;
use crate::db::schema::customers;
use crate::error::AppError;
use crate::i18n::local_time;
use crate::services::customers::list::{self as svc, Cursor, Filter, Sort};
use crate::services::scope;
use crate::state::AppState;
use crate::views::customers::{ResellerCustomerLine, ResellerCustomersPage};
use crate::views::{Ctx, Pager, render, take_page, url_encode};

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
    let (m, f) = (member.clone(), filter.clone());
    type Row = (
        i64,
        String,
        Option<i64>,
        Option<String>,
        String,
        Option<chrono::DateTime<chrono::Utc>>,
    );
    let (mut rows, names) = crate::routes::run(&state.pool, move |conn| {
        let (base, resellers) = scope::reseller_customers(conn, &m)?.ok_or(AppError::Forbidden)?;
        let rows: Vec<Row> = svc::order_after(
            svc::apply_filter(base, &f),
            Sort::CompanyAsc,
            after,
            f.uses_trigrams(),
        )
        .select((
            customers::id,
            customers::company,
            customers::partner_id,
            customers::association_type,
            customers::verification,
            customers::associated_at,
        ))
        .limit(size + 1)
        .load(conn)?;
        let names: HashMap<i64, String> = resellers.into_iter().collect();
        Ok((rows, names))
    })
    .await?;
    let next = take_page(&mut rows, size, |r| {
        Cursor::Company(r.1.clone(), r.0).encode()
    });
    let pager = Pager::new(
        &format!("q={}", url_encode(&filter.q)),
        "/partner/customers/resellers",
        first_page,
        next,
    );
    let rows = rows
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
