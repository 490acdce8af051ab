//! Pre-registration (报备, rule C8): a partner registers a prospect's existing account for 15
//! days, at most 100 open at once; meanwhile an invitation may associate it even though it
//! registered more than 7 days ago.

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use serde_json::json;

use crate::audit::{self, Entry};
use crate::db::schema::{customers, organizations, pre_registrations};
use crate::domain::Caller;
use crate::domain::OrgId;
use crate::services::ServiceResult;
use crate::services::invitations::lower;

pub const DAYS: i64 = 15;
pub const MAX_OPEN: i64 = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    NoSuchCustomer,
    AlreadyYours,
    AlreadyOpen,
    LimitReached,
}

impl Refusal {
    pub fn key(self) -> &'static str {
        match self {
            Refusal::NoSuchCustomer => "prereg.error.no_customer",
            Refusal::AlreadyYours => "prereg.error.already_yours",
            Refusal::AlreadyOpen => "prereg.error.already_open",
            Refusal::LimitReached => "prereg.error.limit",
        }
    }
}

fn open_filter(org_id: OrgId) -> pre_registrations::BoxedQuery<'static, diesel::pg::Pg> {
    pre_registrations::table
        .filter(pre_registrations::partner_id.eq(org_id))
        .filter(pre_registrations::closed_at.is_null())
        .filter(pre_registrations::expires_at.gt(Utc::now()))
        .into_boxed()
}

pub fn open_count(conn: &mut PgConnection, org_id: OrgId) -> QueryResult<i64> {
    open_filter(org_id).count().get_result(conn)
}

/// E-mail, created, expires. The customer's company is not shown: until it is associated it
/// is not this partner's to read (SPEC §4); the masked address is enough to recognise it.
pub type OpenRow = (String, DateTime<Utc>, DateTime<Utc>);

/// Open pre-registrations, soonest to expire first: (e-mail, created, expires).
pub fn list_open(conn: &mut PgConnection, org_id: OrgId) -> QueryResult<Vec<OpenRow>> {
    open_filter(org_id)
        .inner_join(customers::table)
        .order(pre_registrations::expires_at)
        .limit(MAX_OPEN)
        .select((
            customers::email,
            pre_registrations::created_at,
            pre_registrations::expires_at,
        ))
        .load(conn)
}

pub fn create(conn: &mut PgConnection, caller: &Caller, email: &str) -> ServiceResult<i64> {
    let member = caller.member()?;
    // Counting and inserting under the organisation's row lock keeps the limit exact.
    organizations::table
        .find(member.org_id)
        .select(organizations::id)
        .for_update()
        .first::<i64>(conn)?;
    let customer: Option<(i64, Option<i64>)> = customers::table
        .filter(lower(customers::email).eq(crate::domain::email::normalize(email)))
        .select((customers::id, customers::partner_id))
        .first(conn)
        .optional()?;
    let Some((customer_id, partner)) = customer else {
        return Err(Refusal::NoSuchCustomer.into());
    };
    if partner == Some(member.org_id.get()) {
        return Err(Refusal::AlreadyYours.into());
    }
    let already: bool = diesel::select(diesel::dsl::exists(
        open_filter(member.org_id).filter(pre_registrations::customer_id.eq(customer_id)),
    ))
    .get_result(conn)?;
    if already {
        return Err(Refusal::AlreadyOpen.into());
    }
    if open_count(conn, member.org_id)? >= MAX_OPEN {
        return Err(Refusal::LimitReached.into());
    }
    let expires_at = Utc::now() + Duration::days(DAYS);
    let id: i64 = diesel::insert_into(pre_registrations::table)
        .values((
            pre_registrations::partner_id.eq(member.org_id),
            pre_registrations::customer_id.eq(customer_id),
            pre_registrations::created_by.eq(member.user_id),
            pre_registrations::expires_at.eq(expires_at),
        ))
        .returning(pre_registrations::id)
        .get_result(conn)?;
    audit::record(
        conn,
        caller,
        Entry::new("pre_registration.create", "customer", customer_id)
            .after(json!({ "id": id, "expires_at": expires_at })),
    )?;
    Ok(id)
}
