//! One transfer: lock both accounts in id order, check, then write the transfer, its two
//! entries, the new balances and the audit row — one SQL statement (`sql/transfer.sql`), so a
//! transfer costs one round trip and one commit. A CHECK constraint on balances backs the
//! funds check, so no path can overdraw an account.

use chrono::{DateTime, Utc};
use diesel::connection::{AnsiTransactionManager, TransactionManager};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Numeric, Text, Timestamptz};
use rust_decimal::Decimal;
use sha2::{Digest, Sha256};

use super::statement::TransferStatement;
use crate::db::schema::ledger_transfers;
use crate::domain::Caller;
use crate::domain::Money;

pub use super::error::LedgerError;

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
    /// Set when this transfer corrects an earlier one: it must move money back between the
    /// earlier transfer's accounts, and all reversals together never exceed the original.
    pub reverses: Option<i64>,
}

#[derive(Queryable, QueryableByName, Selectable, Debug, Clone, PartialEq)]
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

/// What makes two requests "the same": every field but the key. The amount is written with
/// exactly two decimals, so `1` and `1.00` are the same request.
pub(super) fn request_hash(req: &TransferRequest<'_>) -> String {
    let text = format!(
        "{}|{}|{:.2}|{}|{}|{:?}",
        req.from,
        req.to,
        req.amount.amount(),
        req.kind,
        req.memo,
        req.reverses
    );
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// The checks of one request that need no database: never to its own account, a memo of at
/// most 256 characters.
pub(super) fn check(req: &TransferRequest<'_>) -> Result<(), LedgerError> {
    if req.from == req.to {
        return Err(LedgerError::SameAccount);
    }
    if req.memo.chars().count() > 256 {
        return Err(LedgerError::MemoTooLong);
    }
    Ok(())
}

/// The error of a statement's refusing status (`transfer.sql`, `batch.sql`), or of a status
/// neither statement writes.
pub(super) fn refused(status: &str, available: Option<Decimal>) -> LedgerError {
    match status {
        "unknown_account" => LedgerError::UnknownAccount,
        "frozen" => LedgerError::Frozen,
        "wrong_currency" => LedgerError::WrongCurrency,
        "insufficient_funds" => LedgerError::InsufficientFunds {
            available: available.unwrap_or_default(),
        },
        other => LedgerError::Db(diesel::result::Error::QueryBuilderError(
            format!("unexpected transfer outcome {other}").into(),
        )),
    }
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

/// `transfer`, and whether this call made it (`false`: the key's earlier transfer was
/// returned), so a form's double submit audits and announces its movement once.
pub fn transfer_once(
    conn: &mut PgConnection,
    req: &TransferRequest<'_>,
    actor: &Caller,
) -> Result<(Transfer, bool), LedgerError> {
    let replay: bool = diesel::select(diesel::dsl::exists(
        ledger_transfers::table.filter(ledger_transfers::idempotency_key.eq(req.idempotency_key)),
    ))
    .get_result(conn)?;
    Ok((transfer(conn, req, actor)?, !replay))
}

/// Moves `amount` from one account to another. A refused transfer changes nothing. Called
/// inside a transaction, it runs in a savepoint, so the caller's transaction stays usable.
pub fn transfer(
    conn: &mut PgConnection,
    req: &TransferRequest<'_>,
    actor: &Caller,
) -> Result<Transfer, LedgerError> {
    check(req)?;
    let hash = request_hash(req);
    let depth = AnsiTransactionManager::transaction_manager_status_mut(conn).transaction_depth()?;
    if req.reverses.is_none() && depth.is_none() {
        // Outside a transaction the single statement is its own transaction.
        return apply(conn, req, &hash, actor);
    }
    conn.transaction(|conn| {
        if let Some(original) = req.reverses {
            if let Some(t) = existing(conn, req.idempotency_key, &hash)? {
                return Ok(t);
            }
            // Both accounts stay locked to the end, so concurrent reversals of one transfer
            // queue here and each sees what the others reversed.
            super::reverse::lock_pair(conn, req.from, req.to)?;
            super::reverse::check(conn, original, req.from, req.to, req.amount.amount())?;
        }
        apply(conn, req, &hash, actor)
    })
}

/// `transfer` for a caller whose transaction ends at the first error (a payment that either
/// moves every part or none): the statement runs in the caller's transaction without a
/// savepoint of its own, saving two round trips per transfer. A refusal (funds, frozen,
/// unknown account) is still an `Err` that leaves the transaction usable; a database error
/// leaves it aborted, and the caller must roll back. Not for reversals.
pub fn transfer_in_transaction(
    conn: &mut PgConnection,
    req: &TransferRequest<'_>,
    actor: &Caller,
) -> Result<Transfer, LedgerError> {
    debug_assert!(req.reverses.is_none(), "reversals lock and check first");
    check(req)?;
    apply(conn, req, &request_hash(req), actor)
}

#[derive(QueryableByName)]
struct Outcome {
    #[diesel(sql_type = Text)]
    status: String,
    #[diesel(sql_type = Nullable<Numeric>)]
    available: Option<Decimal>,
    #[diesel(sql_type = Nullable<BigInt>)]
    id: Option<i64>,
    #[diesel(sql_type = Nullable<Numeric>)]
    amount: Option<Decimal>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    created_at: Option<DateTime<Utc>>,
}

fn apply(
    conn: &mut PgConnection,
    req: &TransferRequest<'_>,
    hash: &str,
    actor: &Caller,
) -> Result<Transfer, LedgerError> {
    let details = super::batch::details(req);
    let statement = TransferStatement {
        kind: req.kind,
        key: req.idempotency_key,
        hash,
        from: req.from,
        to: req.to,
        amount: req.amount.amount(),
        memo: req.memo,
        actor_user: actor.user_id().map(i64::from),
        reverses: req.reverses,
        actor_email: &actor.email,
        actor_org: actor.org_id().map(i64::from),
        details,
        request_id: &actor.meta.request_id,
        client_ip: &actor.meta.client_ip,
    };
    let out: Outcome = statement.get_result(conn)?;
    match (out.status.as_str(), out.id, out.amount, out.created_at) {
        ("ok", Some(id), Some(amount), Some(created_at)) => Ok(Transfer {
            id,
            kind: req.kind.to_string(),
            idempotency_key: req.idempotency_key.to_string(),
            request_hash: hash.to_string(),
            from_account_id: req.from,
            to_account_id: req.to,
            amount,
            memo: req.memo.to_string(),
            actor_user_id: actor.user_id().map(i64::from),
            reverses_id: req.reverses,
            created_at,
        }),
        // The key was taken, before this request or by a concurrent one: answer with that
        // transfer when it is the same request.
        ("ok" | "exists", ..) => {
            existing(conn, req.idempotency_key, hash)?.ok_or(LedgerError::KeyConflict)
        }
        (other, ..) => Err(refused(other, out.available)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(amount: &str, memo: &'static str, reverses: Option<i64>) -> TransferRequest<'static> {
        TransferRequest {
            from: 1,
            to: 2,
            amount: Money::parse_positive(amount).unwrap(),
            kind: "test",
            idempotency_key: "k",
            memo,
            reverses,
        }
    }

    #[test]
    fn the_request_hash_covers_every_field_but_the_key() {
        let base = request_hash(&req("1", "", None));
        assert_eq!(base, request_hash(&req("1.00", "", None)), "same amount");
        assert_ne!(base, request_hash(&req("1.01", "", None)));
        assert_ne!(base, request_hash(&req("1", "memo", None)));
        assert_ne!(base, request_hash(&req("1", "", Some(7))));
        let mut other = req("1", "", None);
        other.to = 3;
        assert_ne!(base, request_hash(&other));
    }
}
