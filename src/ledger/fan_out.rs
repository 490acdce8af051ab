//! A fan-out transfer: one source account pays many destinations at once, all or nothing
//! (the bulk issue of coupons: one grant → thousands of coupons in one transaction).
//!
//! Every leg is an ordinary transfer — its own `ledger_transfers` row, two entries summing to
//! zero, its own idempotency key and request hash, its own `ledger.transfer` audit row — so
//! `ledger verify` and every reader see nothing new. What changes is the cost: one statement
//! per call (`sql/fan_out.sql`) locks the source and the destinations in id order, checks
//! them, and updates the source row ONCE, however many legs. Updating one row thousands of
//! times in one transaction (one `transfer` per leg) grows its version chain, and each later
//! update walks it: quadratic. A caller with more than `MAX_LEGS` legs calls once per chunk
//! inside its own transaction.
//!
//! Idempotency, per leg as `transfer` has it: a leg whose key exists with the same request is
//! answered with that transfer and moves nothing; a key used for a different request refuses
//! the whole call (`KeyConflict`). A call that mixes replayed and new legs moves the new ones
//! together (the funds check covers their total) — the same outcome as the legs sent one by
//! one with `transfer`, so a resubmitted form with one more line issues only that line.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Numeric, Text, Timestamptz};
use rust_decimal::Decimal;

use super::error::LedgerError;
use super::statement::FanOutStatement;
use super::transfer::{Transfer, TransferRequest, request_hash};
use crate::db::schema::ledger_transfers;
use crate::domain::{Caller, Money};

/// The most legs one call takes: bounds the statement's arrays and the locks it holds.
pub const MAX_LEGS: usize = 1_000;

/// One destination of a fan-out.
#[derive(Debug, Clone)]
pub struct Leg<'a> {
    pub to: i64,
    pub amount: Money,
    pub idempotency_key: &'a str,
    pub memo: &'a str,
}

impl Leg<'_> {
    /// The leg as the plain transfer it is: its request hash is that transfer's, so a key
    /// first used by `transfer` replays as a leg and vice versa.
    fn request<'a>(&'a self, from: i64, kind: &'a str) -> TransferRequest<'a> {
        TransferRequest {
            from,
            to: self.to,
            amount: self.amount,
            kind,
            idempotency_key: self.idempotency_key,
            memo: self.memo,
            reverses: None,
        }
    }
}

/// The checks that need no database: no leg to the source itself, memos of at most 256
/// characters, each key once, at most `MAX_LEGS` legs.
fn check_legs(from: i64, legs: &[Leg<'_>]) -> Result<(), LedgerError> {
    if legs.len() > MAX_LEGS {
        return Err(LedgerError::TooManyLegs);
    }
    let mut keys = HashSet::with_capacity(legs.len());
    for leg in legs {
        if leg.to == from {
            return Err(LedgerError::SameAccount);
        }
        if leg.memo.chars().count() > 256 {
            return Err(LedgerError::MemoTooLong);
        }
        // One key names one transfer: twice in a call is two requests under one key.
        if !keys.insert(leg.idempotency_key) {
            return Err(LedgerError::KeyConflict);
        }
    }
    Ok(())
}

/// Moves each leg's amount from `from` to its destination: every leg or none. Returns the
/// transfers in leg order (a replayed leg's earlier transfer). Called inside a transaction it
/// runs in a savepoint, so a refusal leaves the caller's transaction usable.
pub fn transfer_fan_out(
    conn: &mut PgConnection,
    from: i64,
    legs: &[Leg<'_>],
    kind: &str,
    actor: &Caller,
) -> Result<Vec<Transfer>, LedgerError> {
    check_legs(from, legs)?;
    if legs.is_empty() {
        return Ok(Vec::new());
    }
    let hashes: Vec<String> = legs
        .iter()
        .map(|l| request_hash(&l.request(from, kind)))
        .collect();
    conn.transaction(|conn| {
        let keys: Vec<&str> = legs.iter().map(|l| l.idempotency_key).collect();
        let mut done = replays(conn, &keys, legs, &hashes)?;
        let new: Vec<usize> = (0..legs.len())
            .filter(|&i| !done.contains_key(legs[i].idempotency_key))
            .collect();
        if !new.is_empty() {
            let written = apply(conn, from, kind, legs, &hashes, &new, actor)?;
            let taken: Vec<&str> = new
                .iter()
                .map(|&i| legs[i].idempotency_key)
                .filter(|k| !written.contains_key(*k))
                .collect();
            done.extend(written);
            // Keys a concurrent call wrote meanwhile: replays when they are the same request.
            if !taken.is_empty() {
                let again = replays(conn, &taken, legs, &hashes)?;
                if again.len() != taken.len() {
                    return Err(LedgerError::KeyConflict);
                }
                done.extend(again);
            }
        }
        legs.iter()
            .map(|l| {
                done.remove(l.idempotency_key)
                    .ok_or(LedgerError::KeyConflict)
            })
            .collect()
    })
}

/// The existing transfers of these keys; `KeyConflict` if one was a different request.
fn replays(
    conn: &mut PgConnection,
    keys: &[&str],
    legs: &[Leg<'_>],
    hashes: &[String],
) -> Result<HashMap<String, Transfer>, LedgerError> {
    let found: Vec<Transfer> = ledger_transfers::table
        .filter(ledger_transfers::idempotency_key.eq_any(keys))
        .select(Transfer::as_select())
        .load(conn)?;
    let hash_of: HashMap<&str, &str> = legs
        .iter()
        .zip(hashes)
        .map(|(l, h)| (l.idempotency_key, h.as_str()))
        .collect();
    let mut out = HashMap::with_capacity(found.len());
    for t in found {
        if hash_of.get(t.idempotency_key.as_str()) != Some(&t.request_hash.as_str()) {
            return Err(LedgerError::KeyConflict);
        }
        out.insert(t.idempotency_key.clone(), t);
    }
    Ok(out)
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

/// Runs the statement for the legs at `new`; the transfers written, by key.
fn apply(
    conn: &mut PgConnection,
    from: i64,
    kind: &str,
    legs: &[Leg<'_>],
    hashes: &[String],
    new: &[usize],
    actor: &Caller,
) -> Result<HashMap<String, Transfer>, LedgerError> {
    let details = new
        .iter()
        .map(|&i| {
            let l = &legs[i];
            serde_json::json!({
                "kind": kind, "from": from, "to": l.to,
                "amount": l.amount.amount().to_string(), "memo": l.memo, "reverses": null,
            })
        })
        .collect();
    let statement = FanOutStatement {
        kind,
        from,
        to: new.iter().map(|&i| legs[i].to).collect(),
        amounts: new.iter().map(|&i| legs[i].amount.amount()).collect(),
        keys: new.iter().map(|&i| legs[i].idempotency_key).collect(),
        hashes: new.iter().map(|&i| hashes[i].clone()).collect(),
        memos: new.iter().map(|&i| legs[i].memo).collect(),
        actor_user: actor.user_id().map(i64::from),
        actor_email: &actor.email,
        actor_org: actor.org_id().map(i64::from),
        request_id: &actor.meta.request_id,
        details,
        client_ip: &actor.meta.client_ip,
    };
    let rows: Vec<Outcome> = statement.load(conn)?;
    let first = rows.first().ok_or_else(|| unexpected("no outcome"))?;
    match first.status.as_str() {
        "ok" => {}
        "unknown_account" => return Err(LedgerError::UnknownAccount),
        "frozen" => return Err(LedgerError::Frozen),
        "wrong_currency" => return Err(LedgerError::WrongCurrency),
        "insufficient_funds" => {
            return Err(LedgerError::InsufficientFunds {
                available: first.available.unwrap_or_default(),
            });
        }
        other => return Err(unexpected(&format!("fan-out outcome {other}"))),
    }
    let by_key: HashMap<&str, usize> = new.iter().map(|&i| (legs[i].idempotency_key, i)).collect();
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
        let leg = &legs[i];
        written.insert(
            key.clone(),
            Transfer {
                id,
                kind: kind.to_string(),
                idempotency_key: key,
                request_hash: hashes[i].clone(),
                from_account_id: from,
                to_account_id: leg.to,
                amount,
                memo: leg.memo.to_string(),
                actor_user_id: actor.user_id().map(i64::from),
                reverses_id: None,
                created_at,
            },
        );
    }
    Ok(written)
}

fn unexpected(what: &str) -> LedgerError {
    LedgerError::Db(diesel::result::Error::QueryBuilderError(
        format!("unexpected {what}").into(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leg(to: i64, key: &'static str, memo: &'static str) -> Leg<'static> {
        Leg {
            to,
            amount: Money::parse_positive("1.00").unwrap(),
            idempotency_key: key,
            memo,
        }
    }

    #[test]
    fn legs_to_the_source_long_memos_repeated_keys_and_too_many_legs_are_refused() {
        assert!(check_legs(1, &[leg(2, "a", ""), leg(3, "b", "")]).is_ok());
        assert!(matches!(
            check_legs(1, &[leg(2, "a", ""), leg(1, "b", "")]),
            Err(LedgerError::SameAccount)
        ));
        let long: &'static str = Box::leak("x".repeat(257).into_boxed_str());
        assert!(matches!(
            check_legs(1, &[leg(2, "a", long)]),
            Err(LedgerError::MemoTooLong)
        ));
        assert!(matches!(
            check_legs(1, &[leg(2, "a", ""), leg(3, "a", "")]),
            Err(LedgerError::KeyConflict)
        ));
        let keys: Vec<String> = (0..=MAX_LEGS).map(|i| format!("k{i}")).collect();
        let many: Vec<Leg<'_>> = keys
            .iter()
            .map(|k| Leg {
                to: 2,
                amount: Money::parse_positive("1").unwrap(),
                idempotency_key: k,
                memo: "",
            })
            .collect();
        assert!(matches!(
            check_legs(1, &many),
            Err(LedgerError::TooManyLegs)
        ));
        assert!(check_legs(1, &many[..MAX_LEGS]).is_ok());
    }

    #[test]
    fn a_leg_has_the_request_hash_of_the_same_plain_transfer() {
        let l = leg(2, "k", "memo");
        let plain = TransferRequest {
            from: 1,
            to: 2,
            amount: Money::parse_positive("1").unwrap(),
            kind: "issue",
            idempotency_key: "other",
            memo: "memo",
            reverses: None,
        };
        assert_eq!(request_hash(&l.request(1, "issue")), request_hash(&plain));
        assert_ne!(request_hash(&l.request(1, "other")), request_hash(&plain));
    }
}
