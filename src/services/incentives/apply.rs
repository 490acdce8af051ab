//! The partner applies for payout (rule B8): one incentive by itself (a request of its own,
//! whose incentive later goes on an invoice of its own) or several in a batch (one request
//! covering several periods, whose incentives may share an invoice). Admins only. The form's
//! key together with the incentives chosen makes a double submit find the first request;
//! the incentives' row locks make two requests for one incentive apply once.

use diesel::prelude::*;
use rust_decimal::Decimal;
use serde_json::json;
use sha2::{Digest, Sha256};

use super::{IncentiveRefusal, chosen};
use crate::audit::{self, Entry};
use crate::db::schema::{incentive_payout_items, incentive_payouts, incentives};
use crate::domain::Caller;
use crate::domain::money::MAX_AMOUNT;
use crate::services::customers::top_up::valid_key;
use crate::services::{ServiceError, ServiceResult};

pub const APPLY_ACTION: &str = "incentive_payout.requested";

/// The request, and whether this call made it (`false`: a double submit found it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Applied {
    pub id: i64,
    pub fresh: bool,
}

/// One incentive applied for by itself.
pub fn apply_one(
    conn: &mut PgConnection,
    caller: &Caller,
    incentive_id: i64,
    key: &str,
) -> ServiceResult<Applied> {
    apply(conn, caller, &[incentive_id], false, key)
}

/// Several incentives in one request (at least two).
pub fn apply_batch(
    conn: &mut PgConnection,
    caller: &Caller,
    incentive_ids: &[i64],
    key: &str,
) -> ServiceResult<Applied> {
    apply(conn, caller, incentive_ids, true, key)
}

fn apply(
    conn: &mut PgConnection,
    caller: &Caller,
    ids: &[i64],
    batch: bool,
    key: &str,
) -> ServiceResult<Applied> {
    let member = super::admin(caller)?;
    if !valid_key(key) {
        return Err(ServiceError::Malformed("idempotency key"));
    }
    let ids = chosen(ids)?;
    if batch && ids.len() < 2 {
        return Err(IncentiveRefusal::BatchTooSmall.into());
    }
    let org = member.org_id.get();
    let request_key = format!("incentive-apply:{org}:{key}:{}", digest(&ids));
    conn.transaction(|conn| {
        let earlier: Option<i64> = incentive_payouts::table
            .filter(incentive_payouts::request_key.eq(&request_key))
            .select(incentive_payouts::id)
            .first(conn)
            .optional()?;
        if let Some(id) = earlier {
            return Ok(Applied { id, fresh: false });
        }
        let rows: Vec<(i64, i64, Decimal, Option<i64>)> = incentives::table
            .filter(incentives::id.eq_any(&ids))
            .order(incentives::id)
            .for_update()
            .select((
                incentives::id,
                incentives::partner_id,
                incentives::amount,
                incentives::payout_id,
            ))
            .load(conn)?;
        if rows.len() != ids.len() || rows.iter().any(|r| r.1 != org) {
            return Err(ServiceError::NotFound);
        }
        if rows.iter().any(|r| r.3.is_some()) {
            return Err(IncentiveRefusal::AlreadyApplied.into());
        }
        let amount: Decimal = rows.iter().map(|r| r.2).sum();
        if amount > MAX_AMOUNT.parse::<Decimal>().expect("constant") {
            return Err(IncentiveRefusal::BatchTooLarge.into());
        }
        let id: i64 = diesel::insert_into(incentive_payouts::table)
            .values((
                incentive_payouts::partner_id.eq(org),
                incentive_payouts::batch.eq(batch),
                incentive_payouts::amount.eq(amount),
                incentive_payouts::request_key.eq(&request_key),
                incentive_payouts::requested_by.eq(caller.user_id().map(i64::from)),
            ))
            .returning(incentive_payouts::id)
            .get_result(conn)?;
        let items: Vec<_> = ids
            .iter()
            .map(|i| {
                (
                    incentive_payout_items::payout_id.eq(id),
                    incentive_payout_items::incentive_id.eq(*i),
                )
            })
            .collect();
        diesel::insert_into(incentive_payout_items::table)
            .values(&items)
            .execute(conn)?;
        diesel::update(incentives::table.filter(incentives::id.eq_any(&ids)))
            .set(incentives::payout_id.eq(Some(id)))
            .execute(conn)?;
        audit::record(
            conn,
            caller,
            Entry::new(APPLY_ACTION, "incentive_payout", id).after(json!({
                "incentives": ids, "batch": batch, "amount": amount.to_string(),
            })),
        )?;
        Ok(Applied { id, fresh: true })
    })
}

/// A short digest of the chosen ids, so the stored key stays short however many are chosen.
fn digest(ids: &[i64]) -> String {
    let text: Vec<String> = ids.iter().map(i64::to_string).collect();
    hex::encode(&Sha256::digest(text.join(",").as_bytes())[..12])
}
