//! Passing quota to a reseller (rule K1) and reclaiming it (rule K3): the reseller's child
//! grant keeps its parent's validity, scope and K5 restriction, and every move goes through
//! the grants' own ledger accounts.

use diesel::prelude::*;
use rust_decimal::Decimal;

use super::{Grant, by_id, own};
use crate::audit::{self, Entry};
use crate::db::schema::{organizations, quota_grants};
use crate::domain::{Caller, MemberOf, Money, OrgKind};
use crate::ledger::{self, AccountKind, LedgerError, TransferRequest};
use crate::services::coupons::{self as coupons, CouponRefusal, actions, kinds};
use crate::services::{ServiceError, ServiceResult};

/// The outcome of passing quota to one reseller (rule K1).
pub type PassResult = Result<i64, CouponRefusal>;

/// rule K1: passes `amount` of the distributor's grant to one of its resellers, as a child
/// grant with the parent's validity, scope and restriction (one per parent and reseller;
/// passing again adds to it). Runs in a savepoint: a refusal changes nothing and leaves the
/// caller's transaction usable, so one refusal does not stop the other resellers. `key` is
/// the form's key; each reseller's transfer gets its own key from it.
pub fn pass_one(
    conn: &mut PgConnection,
    caller: &Caller,
    member: &MemberOf,
    parent: &Grant,
    reseller_id: i64,
    amount: Money,
    key: &str,
) -> ServiceResult<PassResult> {
    if member.org_kind != OrgKind::Distributor {
        return Err(ServiceError::Forbidden);
    }
    if parent.row.parent_id.is_some() {
        return Ok(Err(CouponRefusal::PassedGrant));
    }
    if let Err(r) = parent.can_issue(coupons::today()) {
        return Ok(Err(r));
    }
    let ours: Option<i64> = organizations::table
        .filter(organizations::id.eq(reseller_id))
        .filter(organizations::parent_id.eq(member.org_id.get()))
        .filter(organizations::kind.eq(OrgKind::Reseller.as_str()))
        .select(organizations::id)
        .first(conn)
        .optional()?;
    if ours.is_none() {
        return Ok(Err(CouponRefusal::NotOurReseller));
    }
    let outcome = conn.transaction(|conn| {
        let child = child_of(conn, caller, parent, reseller_id)?;
        let key = format!("pass:{}:{key}:{reseller_id}", member.org_id);
        let res = ledger::transfer_once(
            conn,
            &TransferRequest {
                from: parent.row.account_id,
                to: child.1,
                amount,
                kind: kinds::PASS,
                idempotency_key: &key,
                memo: "",
                reverses: None,
            },
            caller,
        );
        match res {
            // A double submit: the first one passed and counted it already.
            Ok((_, false)) => Ok(Ok(child.0)),
            Ok((t, true)) => {
                diesel::update(quota_grants::table.find(child.0))
                    .set(quota_grants::amount.eq(quota_grants::amount + amount.amount()))
                    .execute(conn)?;
                audit::record(
                    conn,
                    caller,
                    Entry::new(actions::PASSED, "quota_grant", child.0).after(serde_json::json!({
                        "parent": parent.row.id, "reseller": reseller_id,
                        "amount": amount.amount().to_string(), "transfer": t.id,
                    })),
                )?;
                Ok(Ok(child.0))
            }
            // Roll the child grant back too: the savepoint ends in an error.
            Err(LedgerError::InsufficientFunds { .. }) => {
                Err(ServiceError::Refused(CouponRefusal::NotEnoughQuota.into()))
            }
            Err(e) => Err(e.into()),
        }
    });
    match outcome {
        Err(ServiceError::Refused(crate::services::Refusal::Coupon(r))) => Ok(Err(r)),
        other => other,
    }
}

/// The reseller's passed grant from `parent` (id, account), opened on the first pass.
fn child_of(
    conn: &mut PgConnection,
    caller: &Caller,
    parent: &Grant,
    reseller_id: i64,
) -> ServiceResult<(i64, i64)> {
    let found: Option<(i64, i64)> = quota_grants::table
        .filter(quota_grants::parent_id.eq(parent.row.id))
        .filter(quota_grants::partner_id.eq(reseller_id))
        .select((quota_grants::id, quota_grants::account_id))
        .first(conn)
        .optional()?;
    if let Some(found) = found {
        return Ok(found);
    }
    let account = ledger::accounts::open_own(
        conn,
        AccountKind::quota_of(parent.kind),
        Some(reseller_id),
        None,
        "",
    )?;
    let id = diesel::insert_into(quota_grants::table)
        .values((
            quota_grants::partner_id.eq(reseller_id),
            quota_grants::kind.eq(parent.kind.as_str()),
            quota_grants::parent_id.eq(parent.row.id),
            quota_grants::account_id.eq(account.id),
            quota_grants::amount.eq(Decimal::ZERO),
            quota_grants::valid_from.eq(parent.row.valid_from),
            quota_grants::valid_until.eq(parent.row.valid_until),
            quota_grants::scope.eq(&parent.row.scope),
            quota_grants::invoice_restricted.eq(parent.row.invoice_restricted),
            quota_grants::created_by.eq(caller.user_id().map(i64::from)),
        ))
        .returning(quota_grants::id)
        .get_result(conn)?;
    Ok((id, account.id))
}

/// rule K3: the distributor reclaims the unused part of a grant it passed to a reseller: the
/// child's whole balance goes back to the parent. Returns the amount reclaimed.
pub fn reclaim_passed(
    conn: &mut PgConnection,
    caller: &Caller,
    child_id: i64,
    remark: &str,
) -> ServiceResult<Decimal> {
    let member = coupons::admin(caller)?;
    if remark.chars().count() > coupons::REMARK_MAX {
        return Err(ServiceError::Malformed("remark"));
    }
    conn.transaction(|conn| {
        let child = by_id(conn, None, child_id, true)?;
        let parent_id = child.row.parent_id.ok_or(ServiceError::NotFound)?;
        // The parent must be the member's own: another distributor's passed grant is not found.
        let parent = own(conn, member, parent_id, true)?;
        if child.available <= Decimal::ZERO {
            return Err(CouponRefusal::NothingToReclaim.into());
        }
        let amount = Money::from_decimal(child.available)
            .map_err(|_| ServiceError::internal("grant balance"))?;
        let key = format!("reclaim:{child_id}:{}", uuid::Uuid::new_v4());
        let t = ledger::transfer(
            conn,
            &TransferRequest {
                from: child.row.account_id,
                to: parent.row.account_id,
                amount,
                kind: kinds::PASS_RECLAIM,
                idempotency_key: &key,
                memo: remark,
                reverses: None,
            },
            caller,
        )?;
        diesel::update(quota_grants::table.find(child_id))
            .set(quota_grants::amount.eq(quota_grants::amount - amount.amount()))
            .execute(conn)?;
        audit::record(
            conn,
            caller,
            Entry::new(actions::RECLAIMED, "quota_grant", child_id).after(serde_json::json!({
                "parent": parent.row.id, "amount": amount.amount().to_string(),
                "transfer": t.id, "remark": remark,
            })),
        )?;
        Ok(amount.amount())
    })
}
