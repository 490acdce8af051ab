//! Quota passing (rules K1, K3, R3): a distributor's admin passes part of one of its own grants
//! to up to 100 of its resellers in one action, each reseller with its own result (one
//! refusal does not stop the others), and reclaims the unused part of a passed grant back to
//! its parent. Admins of distributors only; everyone else gets 403.

use diesel::prelude::*;
use rust_decimal::Decimal;

use super::grants::{self, PassResult};
use super::{CouponRefusal, PASS_RESELLERS_MAX};
use crate::db::like_pattern;
use crate::db::page_limit::limited;
use crate::db::schema::organizations;
use crate::domain::{Caller, MemberOf, Money, OrgKind};
use crate::services::customers::top_up::valid_key;
use crate::services::{ServiceError, ServiceResult};

/// SPEC §6: only a distributor's admins pass and reclaim quota.
fn distributor_admin(caller: &Caller) -> ServiceResult<&MemberOf> {
    let member = super::admin(caller)?;
    if member.org_kind != OrgKind::Distributor {
        return Err(ServiceError::Forbidden);
    }
    Ok(member)
}

/// What the pass form shows: the grant and the distributor's resellers `(id, name)` whose
/// name contains `q`, by name, at most 100.
pub struct PassChoices {
    pub grant: super::quotas::GrantLine,
    pub resellers: Vec<(i64, String)>,
}

pub fn choices(
    conn: &mut PgConnection,
    caller: &Caller,
    grant_id: i64,
    q: &str,
) -> ServiceResult<PassChoices> {
    let member = distributor_admin(caller)?;
    let grant = super::quotas::line(conn, Some(member.org_id.get()), grant_id)?;
    let mut query = organizations::table
        .filter(organizations::parent_id.eq(member.org_id.get()))
        .filter(organizations::kind.eq(OrgKind::Reseller.as_str()))
        .into_boxed();
    if !q.is_empty() {
        query = query.filter(organizations::name.ilike(like_pattern(q)));
    }
    let query = query
        .order((organizations::name, organizations::id))
        .select((organizations::id, organizations::name));
    let resellers = limited(query, PASS_RESELLERS_MAX as i64).load(conn)?;
    Ok(PassChoices { grant, resellers })
}

/// The pass form: the resellers chosen, the amount each receives, the form's key.
pub struct PassInput {
    pub grant_id: i64,
    pub reseller_ids: Vec<i64>,
    pub amount: Money,
    pub key: String,
}

/// One reseller's result; `name` is empty for an organisation that is not the distributor's.
pub struct PassLine {
    pub reseller_id: i64,
    pub name: String,
    pub result: PassResult,
}

/// rule K1, R3: passes `amount` of the grant to each chosen reseller (at most 100). Each
/// reseller's pass runs in its own savepoint, so a refused one (another distributor's
/// reseller, not enough quota left) leaves the others passed. The form's key makes a double
/// submit pass once.
pub fn pass(
    conn: &mut PgConnection,
    caller: &Caller,
    input: &PassInput,
) -> ServiceResult<Vec<PassLine>> {
    let member = distributor_admin(caller)?;
    if !valid_key(&input.key) {
        return Err(ServiceError::Malformed("idempotency key"));
    }
    let mut ids = input.reseller_ids.clone();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() || ids.len() != input.reseller_ids.len() {
        return Err(ServiceError::Malformed("resellers"));
    }
    if ids.len() > PASS_RESELLERS_MAX {
        return Err(CouponRefusal::TooMany.into());
    }
    conn.transaction(|conn| {
        // Locked: passes from one grant queue, and a freeze waits for this one.
        let parent = grants::own(conn, member, input.grant_id, true)?;
        let names: Vec<(i64, String)> = organizations::table
            .filter(organizations::id.eq_any(&ids))
            .filter(organizations::parent_id.eq(member.org_id.get()))
            .select((organizations::id, organizations::name))
            .load(conn)?;
        let names: std::collections::HashMap<i64, String> = names.into_iter().collect();
        let mut lines = Vec::with_capacity(ids.len());
        for &reseller_id in &input.reseller_ids {
            let result = grants::pass_one(
                conn,
                caller,
                member,
                &parent,
                reseller_id,
                input.amount,
                &input.key,
            )?;
            lines.push(PassLine {
                reseller_id,
                name: names.get(&reseller_id).cloned().unwrap_or_default(),
                result,
            });
        }
        Ok(lines)
    })
}

/// rule K3: the distributor reclaims the whole unused part of a grant it passed; it goes back
/// to the parent grant. Another distributor's passed grant is not found. Returns the parent's
/// id and, inside, the amount reclaimed or why not (nothing left, a remark too long).
pub fn reclaim(
    conn: &mut PgConnection,
    caller: &Caller,
    child_id: i64,
    remark: &str,
) -> ServiceResult<(i64, ServiceResult<Decimal>)> {
    let member = distributor_admin(caller)?;
    let child = grants::by_id(conn, None, child_id, false)?;
    let parent = child.row.parent_id.ok_or(ServiceError::NotFound)?;
    // The parent is the member's own, or the passed grant is not found.
    grants::own(conn, member, parent, false)?;
    // Its own savepoint: a refusal changes nothing.
    match grants::reclaim_passed(conn, caller, child_id, remark) {
        Err(e @ (ServiceError::Refused(_) | ServiceError::Malformed(_))) => Ok((parent, Err(e))),
        other => Ok((parent, Ok(other?))),
    }
}
