//! Unassociating a customer (rules C6, C9): admin only, at most `unassociation_limit` in any
//! rolling three months per organisation. In one transaction: every registered recovery runs
//! (usable coupons go back to quota, rule K4), the manager is released, the association ends,
//! and each step is audited.

use chrono::Utc;
use diesel::prelude::*;

use crate::audit::{self, Entry};
use crate::db::schema::{associations, customers, organizations};
use crate::domain::Caller;
use crate::domain::{CustomerId, OrgId};
use crate::services::ServiceResult;
use crate::services::customers::assignments::close_open;
use crate::services::customers::detail::visible;
use crate::services::customers::list::{CustomerRow, org_managers};

pub const END_REASON: &str = "unassociated";

/// Something that must be given back when a customer leaves a partner. `pending` says how
/// much there is (shown on the confirmation page); `recover` does it inside the transaction
/// and returns how many items it recovered.
pub struct Recovery {
    /// The message key naming what is recovered, e.g. `unassociate.recovers.coupons`.
    pub label_key: &'static str,
    pub pending: fn(&mut PgConnection, OrgId, CustomerId) -> QueryResult<i64>,
    pub recover: fn(&mut PgConnection, &Caller, OrgId, CustomerId) -> ServiceResult<i64>,
}

/// The recoveries every unassociation runs, with (org id, customer id): usable coupons go back
/// to their grants (rule K4).
pub static RECOVERIES: &[Recovery] = &[Recovery {
    label_key: "unassociate.recovers.coupons",
    pending: crate::services::coupons::recover::pending_for_unassociation,
    recover: crate::services::coupons::recover::recover_for_unassociation,
}];

pub struct Preview {
    pub customer: CustomerRow,
    /// The name of the customer's manager, when it has one.
    pub manager: Option<String>,
    /// (label key, how many) per recovery.
    pub recoveries: Vec<(&'static str, i64)>,
    pub used: i64,
    pub limit: i64,
}

impl Preview {
    pub fn allowed(&self) -> bool {
        self.used < self.limit
    }
}

pub enum Outcome {
    Done { company: String },
    LimitReached { used: i64, limit: i64 },
}

fn window_start() -> chrono::DateTime<Utc> {
    let now = Utc::now();
    now.checked_sub_months(chrono::Months::new(3))
        .unwrap_or(now)
}

/// Unassociations by this organisation in the rolling three months.
pub fn used_in_window(conn: &mut PgConnection, org_id: OrgId) -> QueryResult<i64> {
    associations::table
        .filter(associations::partner_id.eq(org_id))
        .filter(associations::ended_by.is_not_null())
        .filter(associations::end_reason.eq(END_REASON))
        .filter(associations::ended_at.gt(window_start()))
        .count()
        .get_result(conn)
}

/// The confirmation page (rule C9): what leaves with the customer, its manager, and how
/// many of the rolling window's unassociations are used.
pub fn preview(
    conn: &mut PgConnection,
    caller: &Caller,
    customer_id: i64,
    limit: i64,
) -> ServiceResult<Preview> {
    let member = caller.member()?;
    member.require_admin()?;
    let customer = visible(conn, member, customer_id)?;
    let mut recoveries = Vec::new();
    for r in RECOVERIES {
        recoveries.push((
            r.label_key,
            (r.pending)(conn, member.org_id, CustomerId(customer_id))?,
        ));
    }
    let manager = match customer.manager_id {
        Some(mid) => org_managers(conn, member.org_id)?
            .into_iter()
            .find(|x| x.0 == mid)
            .map(|x| x.1),
        None => None,
    };
    Ok(Preview {
        customer,
        manager,
        recoveries,
        used: used_in_window(conn, member.org_id)?,
        limit,
    })
}

pub fn unassociate(
    conn: &mut PgConnection,
    caller: &Caller,
    customer_id: i64,
    limit: i64,
) -> ServiceResult<Outcome> {
    unassociate_with(conn, caller, customer_id, limit, RECOVERIES)
}

/// The same with an explicit list of recoveries (tests use it to watch the hooks run).
pub fn unassociate_with(
    conn: &mut PgConnection,
    caller: &Caller,
    customer_id: i64,
    limit: i64,
    recoveries: &[Recovery],
) -> ServiceResult<Outcome> {
    let member = caller.member()?;
    member.require_admin()?;
    conn.transaction(|conn| {
        // One unassociation of this organisation at a time, so the limit holds under races.
        organizations::table
            .find(member.org_id)
            .select(organizations::id)
            .for_update()
            .first::<i64>(conn)?;
        let customer = visible(conn, member, customer_id)?;
        customers::table
            .find(customer_id)
            .select(customers::id)
            .for_update()
            .first::<i64>(conn)?;
        let used = used_in_window(conn, member.org_id)?;
        if used >= limit {
            return Ok(Outcome::LimitReached { used, limit });
        }
        let mut recovered = serde_json::Map::new();
        for r in recoveries {
            let n = (r.recover)(conn, caller, member.org_id, CustomerId(customer_id))?;
            recovered.insert(r.label_key.to_string(), n.into());
        }
        end_association(
            conn,
            customer_id,
            member.org_id,
            Some(member.user_id.get()),
            END_REASON,
        )?;
        audit::record(
            conn,
            caller,
            Entry::new("customer.unassociated", "customer", customer_id)
                .before(serde_json::json!({
                    "partner": member.org_id,
                    "association_type": customer.association_type,
                    "manager": customer.manager_id,
                }))
                .after(serde_json::json!({ "partner": null, "recovered": recovered })),
        )?;
        Ok(Outcome::Done {
            company: customer.company,
        })
    })
}

/// Ends the customer's association with `partner` and closes its manager assignment, keeping
/// the history rows (rule C6); the customer record stays, unassociated. Shared by the admin's
/// unassociation and by a customer account becoming a reseller's admin (rule R1). The caller
/// locks the customer row first.
pub fn end_association(
    conn: &mut PgConnection,
    customer_id: i64,
    partner: OrgId,
    ended_by: Option<i64>,
    reason: &str,
) -> QueryResult<()> {
    let now_at = Utc::now();
    close_open(conn, &[customer_id], now_at)?;
    diesel::update(
        associations::table
            .filter(associations::customer_id.eq(customer_id))
            .filter(associations::partner_id.eq(partner))
            .filter(associations::ended_at.is_null()),
    )
    .set((
        associations::ended_at.eq(now_at),
        associations::ended_by.eq(ended_by),
        associations::end_reason.eq(reason),
    ))
    .execute(conn)?;
    diesel::update(customers::table.find(customer_id))
        .set((
            customers::partner_id.eq(None::<i64>),
            customers::association_type.eq(None::<String>),
            customers::associated_at.eq(None::<chrono::DateTime<Utc>>),
            customers::manager_id.eq(None::<i64>),
        ))
        .execute(conn)?;
    Ok(())
}
