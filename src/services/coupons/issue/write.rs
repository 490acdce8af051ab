//! The writes of checked coupons, set-based (rule K2): per chunk of at most
//! `ledger::fan_out::MAX_LEGS` lines, one statement finds the lines issued before, two open
//! the new coupons' ledger accounts, one writes their rows, one fan-out transfer moves their
//! value from the grant (the grant's account is updated once per chunk, not once per
//! coupon), and one writes their audit rows. A 10,000-row file is ten chunks in the caller's
//! one transaction.

use std::collections::HashMap;

use diesel::prelude::*;

use super::{Batch, Line};
use crate::audit::{self, Entry};
use crate::db::schema::coupons;
use crate::domain::Caller;
use crate::ledger::{self, AccountKind, LedgerError, Leg};
use crate::services::ServiceResult;
use crate::services::coupons::{CouponRefusal, actions, kinds};

/// One checked line and its stored issue key (`issue::issue_key`).
pub struct Keyed<'a> {
    pub line: &'a Line,
    pub key: String,
}

/// Writes every line: its account, its row, the transfer grant → coupon and the audit row.
/// A line whose key issued before returns that coupon (a double submit issues once). Returns
/// the coupon ids in the lines' order, or `Err(NotEnoughQuota)` when the ledger refuses;
/// the caller then rolls back its batch.
pub fn write_many(
    conn: &mut PgConnection,
    caller: &Caller,
    batch: &Batch<'_>,
    lines: &[Keyed<'_>],
    remark: &str,
) -> ServiceResult<Result<Vec<i64>, CouponRefusal>> {
    let mut ids = Vec::with_capacity(lines.len());
    for chunk in lines.chunks(ledger::fan_out::MAX_LEGS) {
        match write_chunk(conn, caller, batch, chunk, remark)? {
            Ok(chunk_ids) => ids.extend(chunk_ids),
            Err(r) => return Ok(Err(r)),
        }
    }
    Ok(Ok(ids))
}

fn write_chunk(
    conn: &mut PgConnection,
    caller: &Caller,
    batch: &Batch<'_>,
    lines: &[Keyed<'_>],
    remark: &str,
) -> ServiceResult<Result<Vec<i64>, CouponRefusal>> {
    let keys: Vec<&str> = lines.iter().map(|l| l.key.as_str()).collect();
    let mut issued: HashMap<String, i64> = coupons::table
        .filter(coupons::issue_key.eq_any(&keys))
        .select((coupons::issue_key, coupons::id))
        .load::<(String, i64)>(conn)?
        .into_iter()
        .collect();
    let new: Vec<&Keyed<'_>> = lines
        .iter()
        .filter(|l| !issued.contains_key(&l.key))
        .collect();
    if !new.is_empty() {
        match write_new(conn, caller, batch, &new, remark)? {
            Ok(written) => issued.extend(written),
            Err(r) => return Ok(Err(r)),
        }
    }
    lines
        .iter()
        .map(|l| {
            issued
                .get(&l.key)
                .copied()
                .ok_or_else(|| crate::services::ServiceError::internal("coupon not written"))
        })
        .collect::<ServiceResult<Vec<i64>>>()
        .map(Ok)
}

/// The lines no earlier submit issued: their coupon ids by issue key.
fn write_new(
    conn: &mut PgConnection,
    caller: &Caller,
    batch: &Batch<'_>,
    new: &[&Keyed<'_>],
    remark: &str,
) -> ServiceResult<Result<HashMap<String, i64>, CouponRefusal>> {
    let grant = &batch.grant.row;
    let owners: Vec<(Option<i64>, Option<i64>)> = new
        .iter()
        .map(|l| (None, Some(l.line.customer_id)))
        .collect();
    let accounts = ledger::accounts::open_own_many(conn, AccountKind::Coupon, &owners)?;
    let issued_by = caller.user_id().map(i64::from);
    let rows: Vec<_> = new
        .iter()
        .zip(&accounts)
        .map(|(l, account)| {
            (
                coupons::kind.eq(batch.grant.kind.as_str()),
                coupons::customer_id.eq(l.line.customer_id),
                coupons::partner_id.eq(batch.member.org_id.get()),
                coupons::grant_id.eq(grant.id),
                coupons::account_id.eq(*account),
                coupons::face_value.eq(l.line.face_value.amount()),
                coupons::valid_from.eq(batch.valid_from()),
                coupons::valid_until.eq(l.line.valid_until),
                coupons::scope.eq(batch.scope),
                coupons::invoice_restricted.eq(grant.invoice_restricted),
                coupons::issue_key.eq(l.key.as_str()),
                coupons::remark.eq(remark),
                coupons::issued_by.eq(issued_by),
            )
        })
        .collect();
    let ids: HashMap<String, i64> = diesel::insert_into(coupons::table)
        .values(rows)
        .returning((coupons::issue_key, coupons::id))
        .load::<(String, i64)>(conn)?
        .into_iter()
        .collect();
    let transfer_keys: Vec<String> = new.iter().map(|l| format!("issue:{}", l.key)).collect();
    let legs: Vec<Leg<'_>> = new
        .iter()
        .zip(&accounts)
        .zip(&transfer_keys)
        .map(|((l, account), key)| Leg {
            to: *account,
            amount: l.line.face_value,
            idempotency_key: key,
            memo: remark,
        })
        .collect();
    let transfers =
        match ledger::transfer_fan_out(conn, grant.account_id, &legs, kinds::ISSUE, caller) {
            Ok(t) => t,
            Err(LedgerError::InsufficientFunds { .. }) => {
                return Ok(Err(CouponRefusal::NotEnoughQuota));
            }
            Err(e) => return Err(e.into()),
        };
    let mut entries = Vec::with_capacity(new.len());
    for (l, t) in new.iter().zip(&transfers) {
        let id = *ids
            .get(&l.key)
            .ok_or_else(|| crate::services::ServiceError::internal("coupon row not returned"))?;
        entries.push(
            Entry::new(actions::ISSUED, "coupon", id).after(serde_json::json!({
                "kind": batch.grant.kind.as_str(), "customer": l.line.customer_id,
                "grant": grant.id, "face_value": l.line.face_value.amount().to_string(),
                "valid_until": l.line.valid_until, "scope": batch.scope, "transfer": t.id,
            })),
        );
    }
    audit::record_many(conn, caller, entries)?;
    Ok(Ok(ids))
}
