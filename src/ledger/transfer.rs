//! One transfer: lock both accounts in id order, check, write the transfer, its two entries,
//! the new balances and the audit row, all in one transaction. A CHECK constraint on
//! balances backs the in-code check, so no path can overdraw an account.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use rust_decimal::Decimal;
use sha2::{Digest, Sha256};

use super::accounts::LedgerAccount;
use crate::audit::{self, Actor, Entry};
use crate::db::schema::{ledger_accounts, ledger_entries, ledger_transfers};
use crate::domain::Money;

#[derive(Debug, Clone)]
pub struct TransferRequest<'a> {
    pub from: i64,
    pub to: i64,
    pub amount: Money,
    /// What the movement is for: `opening`, `allocation`, `reclaim`, `credit_customer` …
    pub kind: &'a str,
    /// The same key with the same request returns the original transfer (a double submit
    /// does nothing twice); with a different request it is a conflict.
    pub idempotency_key: &'a str,
    pub memo: &'a str,
    /// Set when this transfer corrects an earlier one.
    pub reverses: Option<i64>,
}

#[derive(Queryable, Selectable, Debug, Clone, PartialEq)]
#[diesel(table_name = ledger_transfers)]
pub struct Transfer {
    pub id: i64,
    pub kind: String,
    pub idempotency_key: String,
    pub request_hash: String,
    pub from_account_id: i64,
    pub to_account_id: i64,
    pub amount: Decimal,
    pub memo: String,
    pub actor_user_id: Option<i64>,
    pub reverses_id: Option<i64>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    #[error("insufficient funds: {available} available")]
    InsufficientFunds { available: Decimal },
    #[error("account is frozen")]
    Frozen,
    #[error("accounts use different currencies")]
    WrongCurrency,
    #[error("an account cannot pay itself")]
    SameAccount,
    #[error("no such account")]
    UnknownAccount,
    #[error("the idempotency key was used for a different request")]
    KeyConflict,
    #[error("memo is longer than 256 characters")]
    MemoTooLong,
    #[error("database: {0}")]
    Db(#[from] diesel::result::Error),
}

impl From<LedgerError> for crate::error::AppError {
    fn from(e: LedgerError) -> Self {
        use crate::error::AppError;
        match e {
            LedgerError::KeyConflict => AppError::Conflict(e.to_string()),
            LedgerError::Db(d) => d.into(),
            other => AppError::BadRequest(other.to_string()),
        }
    }
}

fn request_hash(req: &TransferRequest<'_>) -> String {
    let text = format!(
        "{}|{}|{}|{}|{}|{:?}",
        req.from,
        req.to,
        req.amount.amount(),
        req.kind,
        req.memo,
        req.reverses
    );
    hex::encode(Sha256::digest(text.as_bytes()))
}

fn existing(
    conn: &mut PgConnection,
    key: &str,
    hash: &str,
) -> Result<Option<Transfer>, LedgerError> {
    let found = ledger_transfers::table
        .filter(ledger_transfers::idempotency_key.eq(key))
        .select(Transfer::as_select())
        .first(conn)
        .optional()?;
    match found {
        Some(t) if t.request_hash == hash => Ok(Some(t)),
        Some(_) => Err(LedgerError::KeyConflict),
        None => Ok(None),
    }
}

/// Moves `amount` from one account to another. Runs in its own transaction (a savepoint
/// when the caller already has one), so a refused transfer changes nothing.
pub fn transfer(
    conn: &mut PgConnection,
    req: &TransferRequest<'_>,
    actor: &Actor,
) -> Result<Transfer, LedgerError> {
    if req.from == req.to {
        return Err(LedgerError::SameAccount);
    }
    if req.memo.chars().count() > 256 {
        return Err(LedgerError::MemoTooLong);
    }
    let hash = request_hash(req);
    conn.transaction(|conn| {
        if let Some(t) = existing(conn, req.idempotency_key, &hash)? {
            return Ok(t);
        }
        // Lock in id order so two transfers over the same pair never deadlock.
        let locked: Vec<LedgerAccount> = ledger_accounts::table
            .filter(ledger_accounts::id.eq_any([req.from, req.to]))
            .order(ledger_accounts::id)
            .for_update()
            .select(LedgerAccount::as_select())
            .load(conn)?;
        let from = locked.iter().find(|a| a.id == req.from).ok_or(LedgerError::UnknownAccount)?;
        let to = locked.iter().find(|a| a.id == req.to).ok_or(LedgerError::UnknownAccount)?;
        if from.frozen || to.frozen {
            return Err(LedgerError::Frozen);
        }
        if from.currency != to.currency {
            return Err(LedgerError::WrongCurrency);
        }
        let amount = req.amount.amount();
        if let Some(available) = from.available() {
            if available < amount {
                return Err(LedgerError::InsufficientFunds { available });
            }
        }
        let inserted: Option<Transfer> = diesel::insert_into(ledger_transfers::table)
            .values((
                ledger_transfers::kind.eq(req.kind),
                ledger_transfers::idempotency_key.eq(req.idempotency_key),
                ledger_transfers::request_hash.eq(&hash),
                ledger_transfers::from_account_id.eq(req.from),
                ledger_transfers::to_account_id.eq(req.to),
                ledger_transfers::amount.eq(amount),
                ledger_transfers::memo.eq(req.memo),
                ledger_transfers::actor_user_id.eq(actor.user_id),
                ledger_transfers::reverses_id.eq(req.reverses),
            ))
            .on_conflict(ledger_transfers::idempotency_key)
            .do_nothing()
            .returning(Transfer::as_returning())
            .get_result(conn)
            .optional()?;
        let Some(t) = inserted else {
            // A concurrent request with the same key committed first: answer with its transfer.
            return existing(conn, req.idempotency_key, &hash)?.ok_or(LedgerError::KeyConflict);
        };
        let from_after = from.balance - amount;
        let to_after = to.balance + amount;
        diesel::update(ledger_accounts::table.find(from.id)).set(ledger_accounts::balance.eq(from_after)).execute(conn)?;
        diesel::update(ledger_accounts::table.find(to.id)).set(ledger_accounts::balance.eq(to_after)).execute(conn)?;
        diesel::insert_into(ledger_entries::table)
            .values(&vec![
                (
                    ledger_entries::transfer_id.eq(t.id),
                    ledger_entries::account_id.eq(from.id),
                    ledger_entries::amount.eq(-amount),
                    ledger_entries::balance_after.eq(from_after),
                ),
                (
                    ledger_entries::transfer_id.eq(t.id),
                    ledger_entries::account_id.eq(to.id),
                    ledger_entries::amount.eq(amount),
                    ledger_entries::balance_after.eq(to_after),
                ),
            ])
            .execute(conn)?;
        let details = serde_json::json!({
            "kind": req.kind, "from": from.id, "to": to.id, "amount": amount.to_string(), "memo": req.memo,
        });
        audit::record(conn, actor, Entry::new("ledger.transfer", "transfer", t.id).after(details))?;
        Ok(t)
    })
}
