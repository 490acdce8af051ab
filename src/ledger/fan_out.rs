//! A fan-out transfer: one source account pays many destinations at once, all or nothing
//! (the bulk issue of coupons: one grant → thousands of coupons in one transaction).
//!
//! Each leg is an ordinary transfer, written by one batch statement (`batch.rs`) that
//! updates the source row ONCE, however many legs. Updating one row thousands of times in one
//! transaction (one `transfer` per leg) grows its version chain, and each later update walks
//! it: quadratic. A caller with more than `MAX_LEGS` legs calls once per chunk inside its own
//! transaction.
//!
//! Idempotency, per leg as `transfer` has it: a leg whose key exists with the same request is
//! answered with that transfer and moves nothing; a key used for a different request refuses
//! the whole call (`KeyConflict`). A call that mixes replayed and new legs moves the new ones
//! together (the funds check covers their total) — the same outcome as the legs sent one by
//! one with `transfer`, so a resubmitted form with one more line issues only that line.

use std::collections::HashMap;

use diesel::prelude::*;

use super::batch;
use super::error::LedgerError;
use super::transfer::{Transfer, TransferRequest, request_hash};
use crate::db::schema::ledger_transfers;
use crate::domain::{Caller, Money};

pub use super::batch::MAX_LEGS;

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
    let reqs: Vec<TransferRequest<'_>> = legs.iter().map(|l| l.request(from, "")).collect();
    batch::check(&reqs)
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
    let reqs: Vec<TransferRequest<'_>> = legs.iter().map(|l| l.request(from, kind)).collect();
    let hashes: Vec<String> = reqs.iter().map(request_hash).collect();
    conn.transaction(|conn| {
        let keys: Vec<&str> = legs.iter().map(|l| l.idempotency_key).collect();
        let mut done = replays(conn, &keys, legs, &hashes)?;
        let new: Vec<usize> = (0..legs.len())
            .filter(|&i| !done.contains_key(legs[i].idempotency_key))
            .collect();
        if !new.is_empty() {
            let written = batch::write(conn, &reqs, &hashes, &new, actor)?;
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
