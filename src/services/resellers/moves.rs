//! Moving a solution provider's customers to a reseller (rule R5), an operator's bulk action:
//! a preview says what changes and which customers are refused and why, then each customer
//! moves in its own savepoint, so one refusal does not stop the others and the result lists
//! every customer. A move ends the old association (history kept, reason `moved_to_reseller`),
//! closes the manager assignment, runs the unassociation's recovery hooks and starts the
//! association with the reseller under the same type. It is not the partner's unassociation,
//! so it does not count toward the C9 limit.

use chrono::Utc;
use diesel::prelude::*;
use serde_json::json;

use crate::audit::{self, Entry};
use crate::db::schema::{associations, customers, organizations};
use crate::domain::{Caller, CustomerId, OrgId, OrgKind};
use crate::services::customers::association::{open_debts, unpaid_bills};
use crate::services::customers::unassociation::{RECOVERIES, end_association};
use crate::services::{ServiceError, ServiceResult};

/// At most this many customers per action.
pub const MAX_PER_MOVE: usize = 100;
/// The association's end reason of a move.
pub const MOVED: &str = "moved_to_reseller";

/// Why one customer does not move.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoveRefusal {
    /// Not (or no longer) a customer of the chosen solution provider.
    NotTheirs,
    UnpaidBills,
    /// In arrears or with a credit account in debt (rule C2, seed 003).
    OpenDebts,
}

impl MoveRefusal {
    pub fn key(self) -> &'static str {
        match self {
            MoveRefusal::NotTheirs => "moves.refused.not_theirs",
            MoveRefusal::UnpaidBills => "moves.refused.unpaid_bills",
            MoveRefusal::OpenDebts => "moves.refused.open_debts",
        }
    }
}

/// One customer of the preview or the result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MoveLine {
    pub customer_id: i64,
    pub company: String,
    pub association_type: String,
    pub refused: Option<MoveRefusal>,
}

/// `(id, name)` of every organisation of `kind`, by name.
pub fn organisations(conn: &mut PgConnection, kind: OrgKind) -> QueryResult<Vec<(i64, String)>> {
    organizations::table
        .filter(organizations::kind.eq(kind.as_str()))
        .order((organizations::name, organizations::id))
        .select((organizations::id, organizations::name))
        .load(conn)
}

/// The solution provider's customers to choose from, by company: `(id, company, type)`.
pub fn customers_of(
    conn: &mut PgConnection,
    caller: &Caller,
    provider: i64,
) -> ServiceResult<Vec<(i64, String, String)>> {
    caller.require_operator()?;
    kind_of(conn, provider, OrgKind::SolutionProvider)?;
    Ok(customers::table
        .filter(customers::partner_id.eq(provider))
        .order((customers::company, customers::id))
        .select((
            customers::id,
            customers::company,
            customers::association_type.assume_not_null(),
        ))
        .limit(500)
        .load(conn)?)
}

fn kind_of(conn: &mut PgConnection, org: i64, kind: OrgKind) -> ServiceResult<String> {
    organizations::table
        .filter(organizations::id.eq(org))
        .filter(organizations::kind.eq(kind.as_str()))
        .select(organizations::name)
        .first(conn)
        .optional()?
        .ok_or(ServiceError::NotFound)
}

fn checked_ids(ids: &[i64]) -> ServiceResult<Vec<i64>> {
    let mut ids: Vec<i64> = ids.iter().copied().filter(|i| *i > 0).collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() || ids.len() > MAX_PER_MOVE {
        return Err(ServiceError::Malformed("customer selection"));
    }
    Ok(ids)
}

/// The line of one customer: what it is and whether it may move now.
fn line_of(conn: &mut PgConnection, provider: i64, id: i64) -> ServiceResult<MoveLine> {
    let found: Option<(String, Option<i64>, Option<String>)> = customers::table
        .find(id)
        .select((
            customers::company,
            customers::partner_id,
            customers::association_type,
        ))
        .first(conn)
        .optional()?;
    let Some((company, partner, kind)) = found else {
        return Ok(MoveLine {
            customer_id: id,
            company: String::new(),
            association_type: String::new(),
            refused: Some(MoveRefusal::NotTheirs),
        });
    };
    let refused = if partner != Some(provider) {
        Some(MoveRefusal::NotTheirs)
    } else if unpaid_bills(conn, id)? {
        Some(MoveRefusal::UnpaidBills)
    } else if open_debts(conn, id)?.is_some() {
        Some(MoveRefusal::OpenDebts)
    } else {
        None
    };
    Ok(MoveLine {
        customer_id: id,
        company,
        association_type: kind.unwrap_or_default(),
        refused,
    })
}

/// rule R5: what a move would do, changing nothing.
pub fn preview(
    conn: &mut PgConnection,
    caller: &Caller,
    provider: i64,
    reseller: i64,
    ids: &[i64],
) -> ServiceResult<Vec<MoveLine>> {
    caller.require_operator()?;
    kind_of(conn, provider, OrgKind::SolutionProvider)?;
    kind_of(conn, reseller, OrgKind::Reseller)?;
    checked_ids(ids)?
        .into_iter()
        .map(|id| line_of(conn, provider, id))
        .collect()
}

/// rule R5: moves every customer that may move, each in its own savepoint; returns each
/// customer's outcome, the same lines the preview showed when nothing changed in between.
pub fn execute(
    conn: &mut PgConnection,
    caller: &Caller,
    provider: i64,
    reseller: i64,
    ids: &[i64],
) -> ServiceResult<Vec<MoveLine>> {
    let operator = caller.require_operator()?.get();
    kind_of(conn, provider, OrgKind::SolutionProvider)?;
    kind_of(conn, reseller, OrgKind::Reseller)?;
    let mut out = Vec::new();
    for id in checked_ids(ids)? {
        let line = conn.transaction(|conn| -> ServiceResult<MoveLine> {
            customers::table
                .find(id)
                .select(customers::id)
                .for_update()
                .first::<i64>(conn)
                .optional()?;
            let line = line_of(conn, provider, id)?;
            if line.refused.is_some() {
                return Ok(line);
            }
            for r in RECOVERIES {
                (r.recover)(conn, caller, OrgId(provider), CustomerId(id))?;
            }
            end_association(conn, id, OrgId(provider), Some(operator), MOVED)?;
            let now = Utc::now();
            diesel::update(customers::table.find(id))
                .set((
                    customers::partner_id.eq(Some(reseller)),
                    customers::association_type.eq(Some(line.association_type.as_str())),
                    customers::associated_at.eq(Some(now)),
                ))
                .execute(conn)?;
            diesel::insert_into(associations::table)
                .values((
                    associations::customer_id.eq(id),
                    associations::partner_id.eq(reseller),
                    associations::association_type.eq(line.association_type.as_str()),
                    associations::started_at.eq(now),
                ))
                .execute(conn)?;
            let change = json!({ "from": provider, "to": reseller });
            for org in [provider, reseller] {
                audit::record_for_org(
                    conn,
                    caller,
                    Some(OrgId(org)),
                    Entry::new("customer.moved", "customer", id).after(change.clone()),
                )?;
            }
            Ok(line)
        })?;
        out.push(line);
    }
    Ok(out)
}
