//! A batch: many transfers in one statement (`sql/batch.sql`), every one or none.
//!
//! Every leg is an ordinary transfer — its own `ledger_transfers` row, two entries summing to
//! zero, its own idempotency key and request hash, its own `ledger.transfer` audit row — so
//! `ledger verify` and every reader see nothing new. What changes is the cost: one statement
//! locks every account in id order, checks them, and updates each account ONCE, however many
//! legs touch it. A fan-out (one grant → thousands of coupons) and a payment (a voucher, cash
//! coupons and the balance → one revenue account) are both batches.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Numeric, Text, Timestamptz};
use rust_decimal::Decimal;

use super::error::LedgerError;
use super::statement::BatchStatement;
use super::transfer::{Transfer, TransferRequest, check as check_one, refused, request_hash};
use crate::domain::Caller;

/// The most legs one call takes: bounds the statement's arrays and the locks it holds.
pub const MAX_LEGS: usize = 1_000;

/// The checks that need no database: each request's own (`transfer::check`), no reversals
/// (they lock and check first), each key once, at most `MAX_LEGS`.
pub(super) fn check(reqs: &[TransferRequest<'_>]) -> Result<(), LedgerError> {
    if reqs.len() > MAX_LEGS {
        return Err(LedgerError::TooManyLegs);
    }
    let mut keys = HashSet::with_capacity(reqs.len());
    for req in reqs {
        check_one(req)?;
        if req.reverses.is_some() {
            return Err(LedgerError::BadReversal);
        }
        // One key names one transfer: twice in a call is two requests under one key.
        if !keys.insert(req.idempotency_key) {
            return Err(LedgerError::KeyConflict);
        }
    }
    Ok(())
}

/// The transfers of a caller whose transaction ends at the first error (a payment that moves
/// every part or none), in request order: the statement runs in the caller's transaction
/// without a savepoint, and every key must be new (a taken key is `KeyConflict`; the caller
/// answers replays before, from its own rows). A refusal (funds, frozen, unknown account) is
/// an `Err` that leaves the transaction usable; a database error leaves it aborted.
pub fn transfer_all_in_transaction(
    conn: &mut PgConnection,
    reqs: &[TransferRequest<'_>],
    actor: &Caller,
) -> Result<Vec<Transfer>, LedgerError> {
    check(reqs)?;
    let hashes: Vec<String> = reqs.iter().map(request_hash).collect();
    let all: Vec<usize> = (0..reqs.len()).collect();
    let mut written = write(conn, reqs, &hashes, &all, actor)?;
    reqs.iter()
        .map(|r| {
            written
                .remove(r.idempotency_key)
                .ok_or(LedgerError::KeyConflict)
        })
        .collect()
}

#[derive(QueryableByName)]
struct Outcome {
    #[diesel(sql_type = Text)]
    status: String,
    #[diesel(sql_type = Nullable<Numeric>)]
    available: Option<Decimal>,
    #[diesel(sql_type = Nullable<BigInt>)]
    id: Option<i64>,
    #[diesel(sql_type = Nullable<Text>)]
    idempotency_key: Option<String>,
    #[diesel(sql_type = Nullable<Numeric>)]
    amount: Option<Decimal>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    created_at: Option<DateTime<Utc>>,
}

/// Runs the statement for the requests at `new` (each with its hash at the same index); the
/// transfers written, by key. A key a concurrent call took meanwhile is missing.
pub(super) fn write(
    conn: &mut PgConnection,
    reqs: &[TransferRequest<'_>],
    hashes: &[String],
    new: &[usize],
    actor: &Caller,
) -> Result<HashMap<String, Transfer>, LedgerError> {
    let statement = BatchStatement {
        kinds: new.iter().map(|&i| reqs[i].kind).collect(),
        from: new.iter().map(|&i| reqs[i].from).collect(),
        to: new.iter().map(|&i| reqs[i].to).collect(),
        amounts: new.iter().map(|&i| reqs[i].amount.amount()).collect(),
        keys: new.iter().map(|&i| reqs[i].idempotency_key).collect(),
        hashes: new.iter().map(|&i| hashes[i].clone()).collect(),
        memos: new.iter().map(|&i| reqs[i].memo).collect(),
        actor_user: actor.user_id().map(i64::from),
        actor_email: &actor.email,
        actor_org: actor.org_id().map(i64::from),
        request_id: &actor.meta.request_id,
        details: new.iter().map(|&i| details(&reqs[i])).collect(),
        client_ip: &actor.meta.client_ip,
    };
    let rows: Vec<Outcome> = statement.load(conn)?;
    let first = rows.first().ok_or_else(|| unexpected("no outcome"))?;
    if first.status != "ok" {
        return Err(refused(&first.status, first.available));
    }
    let by_key: HashMap<&str, usize> = new.iter().map(|&i| (reqs[i].idempotency_key, i)).collect();
    let mut written = HashMap::with_capacity(rows.len());
    for row in rows {
        let (Some(id), Some(key), Some(amount), Some(created_at)) =
            (row.id, row.idempotency_key, row.amount, row.created_at)
        else {
            continue; // every key was taken meanwhile: no transfer row
        };
        let i = *by_key
            .get(key.as_str())
            .ok_or_else(|| unexpected("a transfer of another key"))?;
        let req = &reqs[i];
        written.insert(
            key.clone(),
            Transfer {
                id,
                kind: req.kind.to_string(),
                idempotency_key: key,
                request_hash: hashes[i].clone(),
                from_account_id: req.from,
                to_account_id: req.to,
                amount,
                memo: req.memo.to_string(),
                actor_user_id: actor.user_id().map(i64::from),
                reverses_id: None,
                created_at,
            },
        );
    }
    Ok(written)
}

/// The audit row's `after`, as `transfer` writes it.
pub(super) fn details(req: &TransferRequest<'_>) -> serde_json::Value {
    serde_json::json!({
        "kind": req.kind, "from": req.from, "to": req.to,
        "amount": req.amount.amount().to_string(), "memo": req.memo, "reverses": req.reverses,
    })
}

fn unexpected(what: &str) -> LedgerError {
    LedgerError::Db(diesel::result::Error::QueryBuilderError(
        format!("unexpected {what}").into(),
    ))
}
