//! What the issue forms read (rule K2): the grants that can issue now, the services a coupon
//! may be limited to, and the customer chooser (the customers already chosen and up to 20
//! matches of a search). A fixed number of statements whatever the size of the book.

use diesel::prelude::*;

use super::grants::{self, Grant};
use super::scope::{self, Service};
use crate::db::page_limit::limited;
use crate::db::schema::{customers, quota_grants};
use crate::domain::{Caller, GrantState, MemberOf, mask};
use crate::services::ServiceResult;
use crate::services::customers::filter::{Filter, Sort, apply_filter, order_after};

/// How many matches a customer search shows.
pub const MATCHES_MAX: i64 = 20;
/// A partner holds a few grants; the select lists at most this many.
const GRANTS_MAX: i64 = 200;

/// One customer in the chooser; the e-mail already masked (rule A5).
#[derive(Debug, Clone)]
pub struct Choice {
    pub id: i64,
    pub company: String,
    pub email_masked: String,
}

pub struct IssueContext {
    /// rule K2a: the organisation's grants that issue now (normal, not expired).
    pub grants: Vec<Grant>,
    /// The whole catalogue; the page offers the chosen grant's part of it.
    pub services: Vec<Service>,
    /// The chosen customers that are the organisation's, in the order chosen.
    pub chosen: Vec<Choice>,
    /// Up to 20 of the organisation's customers matching `q` (by company), chosen ones left out.
    pub matches: Vec<Choice>,
}

/// rule K2a: the member's grants that can issue today, soonest ending first.
pub fn issuable(conn: &mut PgConnection, member: &MemberOf) -> ServiceResult<Vec<Grant>> {
    let query = quota_grants::table
        .filter(quota_grants::partner_id.eq(member.org_id.get()))
        .filter(quota_grants::state.eq(GrantState::Normal.as_str()))
        .filter(quota_grants::valid_until.ge(super::today()))
        .order((quota_grants::valid_until.asc(), quota_grants::id.asc()))
        .limit(GRANTS_MAX)
        .into_boxed();
    grants::with_balances(conn, query)
}

/// The bulk upload form's grants: admins only (supervisors and managers 403).
pub fn upload_grants(conn: &mut PgConnection, caller: &Caller) -> ServiceResult<Vec<Grant>> {
    let member = super::admin(caller)?;
    issuable(conn, member)
}

fn choice(row: (i64, String, String)) -> Choice {
    Choice {
        id: row.0,
        company: row.1,
        email_masked: mask::email(&row.2),
    }
}

/// rule K2: the issue form's facts, for admins only (supervisors and managers 403).
pub fn context(
    conn: &mut PgConnection,
    caller: &Caller,
    q: &str,
    chosen_ids: &[i64],
) -> ServiceResult<IssueContext> {
    let member = super::admin(caller)?;
    let grants = issuable(conn, member)?;
    let services = scope::services(conn)?;
    let mut chosen: Vec<Choice> = if chosen_ids.is_empty() {
        Vec::new()
    } else {
        customers::table
            .filter(customers::partner_id.eq(member.org_id.get()))
            .filter(customers::id.eq_any(chosen_ids))
            .select((customers::id, customers::company, customers::email))
            .load::<(i64, String, String)>(conn)?
            .into_iter()
            .map(choice)
            .collect()
    };
    chosen.sort_by_key(|c| chosen_ids.iter().position(|id| *id == c.id));
    let filter = Filter::parse(q, "", "", "", "");
    let query = order_after(
        apply_filter(crate::services::scope::visible_customers(member), &filter),
        Sort::CompanyAsc,
        None,
        filter.uses_trigrams(),
    )
    .select((customers::id, customers::company, customers::email));
    let matches = limited(query, MATCHES_MAX + chosen.len() as i64)
        .load::<(i64, String, String)>(conn)?
        .into_iter()
        .filter(|m| !chosen_ids.contains(&m.0))
        .take(MATCHES_MAX as usize)
        .map(choice)
        .collect();
    Ok(IssueContext {
        grants,
        services,
        chosen,
        matches,
    })
}
