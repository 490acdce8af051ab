//! Customer-to-manager assignment (rule C5). Each change closes the open assignment row and
//! opens a new one, so consumption and performance can be attributed to whoever held the
//! customer at the time (`manager_at`).

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use crate::audit::{self, Entry};
use crate::db::schema::{customers, manager_assignments};
use crate::domain::Caller;
use crate::services::scope;
use crate::services::{ServiceError, ServiceResult};

/// How many customers one bulk action may change.
pub const BULK_MAX: usize = 200;

/// The manager who held the customer at `at`, if any: what performance reports attribute to.
pub fn manager_at(
    conn: &mut PgConnection,
    customer_id: i64,
    at: DateTime<Utc>,
) -> QueryResult<Option<i64>> {
    let held: Option<Option<i64>> = manager_assignments::table
        .filter(manager_assignments::customer_id.eq(customer_id))
        .filter(manager_assignments::from_at.le(at))
        .filter(
            manager_assignments::to_at
                .is_null()
                .or(manager_assignments::to_at.gt(at)),
        )
        .order(manager_assignments::from_at.desc())
        .select(manager_assignments::manager_id)
        .first(conn)
        .optional()?;
    Ok(held.flatten())
}

/// Ends the open assignment of these customers at `now` (a release, or before a new one).
pub fn close_open(
    conn: &mut PgConnection,
    customer_ids: &[i64],
    now: DateTime<Utc>,
) -> QueryResult<usize> {
    diesel::update(
        manager_assignments::table
            .filter(manager_assignments::customer_id.eq_any(customer_ids))
            .filter(manager_assignments::to_at.is_null()),
    )
    .set(manager_assignments::to_at.eq(now))
    .execute(conn)
}

/// Gives these customers to `manager` (or to nobody). The member must see every customer and
/// may only choose a manager it can assign to (a supervisor: its own team). Returns how many
/// customers changed hands.
pub fn assign(
    conn: &mut PgConnection,
    caller: &Caller,
    customer_ids: &[i64],
    manager: Option<i64>,
) -> ServiceResult<usize> {
    let member = caller.member()?;
    member.require_assigner()?;
    if customer_ids.is_empty() || customer_ids.len() > BULK_MAX {
        return Err(ServiceError::Malformed("customer selection"));
    }
    if let Some(m) = manager {
        let allowed = scope::assignable_managers(conn, member)?;
        if !allowed.iter().any(|(id, _, _)| *id == m) {
            return Err(ServiceError::NotFound);
        }
    }
    let mut ids = customer_ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    // Lock in id order, then read under the lock; anything outside the member's scope makes
    // the whole batch a 404.
    customers::table
        .filter(customers::id.eq_any(&ids))
        .order(customers::id)
        .select(customers::id)
        .for_update()
        .load::<i64>(conn)?;
    let current: Vec<(i64, Option<i64>)> = scope::visible_customers(member)
        .filter(customers::id.eq_any(&ids))
        .order(customers::id)
        .select((customers::id, customers::manager_id))
        .load(conn)?;
    if current.len() != ids.len() {
        return Err(ServiceError::NotFound);
    }
    let changing: Vec<(i64, Option<i64>)> =
        current.into_iter().filter(|(_, m)| *m != manager).collect();
    if changing.is_empty() {
        return Ok(0);
    }
    let changed_ids: Vec<i64> = changing.iter().map(|c| c.0).collect();
    let now = Utc::now();
    close_open(conn, &changed_ids, now)?;
    if let Some(m) = manager {
        let rows: Vec<_> = changed_ids
            .iter()
            .map(|c| {
                (
                    manager_assignments::customer_id.eq(*c),
                    manager_assignments::partner_id.eq(member.org_id),
                    manager_assignments::manager_id.eq(Some(m)),
                    manager_assignments::from_at.eq(now),
                    manager_assignments::assigned_by.eq(Some(member.user_id)),
                )
            })
            .collect();
        diesel::insert_into(manager_assignments::table)
            .values(&rows)
            .execute(conn)?;
    }
    diesel::update(customers::table.filter(customers::id.eq_any(&changed_ids)))
        .set(customers::manager_id.eq(manager))
        .execute(conn)?;
    for (id, before) in &changing {
        audit::record(
            conn,
            caller,
            Entry::new("customer.assigned", "customer", id)
                .before(serde_json::json!({ "manager": before }))
                .after(serde_json::json!({ "manager": manager })),
        )?;
    }
    Ok(changing.len())
}

/// The assignments page (rule C5): a page of customers the member sees, by company, and the
/// managers it may assign them to.
pub struct Candidates {
    pub page: super::list::Page,
    pub targets: Vec<(i64, String, String)>,
}

pub fn candidates(
    conn: &mut PgConnection,
    caller: &Caller,
    filter: &super::filter::Filter,
    after: Option<super::filter::Cursor>,
    size: i64,
) -> ServiceResult<Candidates> {
    let member = caller.member()?;
    member.require_assigner()?;
    let page = super::list::list(conn, caller, filter, after, size)?.page;
    let targets = scope::assignable_managers(conn, member)?;
    Ok(Candidates { page, targets })
}
