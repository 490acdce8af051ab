//! A distributor's view of its resellers' customers (rule C4): basic fields only, never a
//! detail page, keyset-paged by company.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::filter::{Cursor, Filter, Sort, apply_filter, order_after};
use crate::db::schema::customers;
use crate::domain::Caller;
use crate::services::keyset::take_page;
use crate::services::scope;
use crate::services::{ServiceError, ServiceResult};

/// id, company, reseller id, association type, verification, associated since.
pub type Row = (
    i64,
    String,
    Option<i64>,
    Option<String>,
    String,
    Option<DateTime<Utc>>,
);

pub struct ResellerCustomers {
    pub rows: Vec<Row>,
    /// Reseller names by id.
    pub names: HashMap<i64, String>,
    /// The cursor of the next page, when there is one.
    pub next: Option<String>,
}

pub fn page(
    conn: &mut PgConnection,
    caller: &Caller,
    filter: &Filter,
    after: Option<Cursor>,
    size: i64,
) -> ServiceResult<ResellerCustomers> {
    let member = caller.member()?;
    let (base, resellers) =
        scope::reseller_customers(conn, member)?.ok_or(ServiceError::Forbidden)?;
    let mut rows: Vec<Row> = crate::db::page_limit::limited(
        order_after(
            apply_filter(base, filter),
            Sort::CompanyAsc,
            after,
            filter.uses_trigrams(),
        )
        .select((
            customers::id,
            customers::company,
            customers::partner_id,
            customers::association_type,
            customers::verification,
            customers::associated_at,
        )),
        size + 1,
    )
    .load(conn)?;
    let next = take_page(&mut rows, size, |r| {
        Cursor::Company(r.1.clone(), r.0).encode()
    });
    Ok(ResellerCustomers {
        rows,
        names: resellers.into_iter().collect(),
        next,
    })
}
