//! One transfer: lock both accounts in id order, check, then write the transfer, its two
//! entries, the new balances and the audit row in one statement, all in one transaction.
//! A CHECK constraint on balances backs the in-code check, so no path can overdraw an account.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Jsonb, Nullable, Numeric, Text};
use rust_decimal::Decimal;
use sha2::{Digest, Sha256};

use super::accounts::LedgerAccount;
use crate::audit::Actor;
use crate::db::schema::{ledger_accounts, ledger_transfers};
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
fn request_hash(req: &TransferRequest<'_>) -> String {
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
        // Lock in id order so two transfers over the same pair never deadlock. ORDER BY is
        // applied before FOR UPDATE, so rows are locked in that order.
        let locked: Vec<LedgerAccount> = ledger_accounts::table
            .filter(ledger_accounts::id.eq_any([req.from, req.to]))
            .order(ledger_accounts::id)
            .for_update()
            .select(LedgerAccount::as_select())
            .load(conn)?;
        let find = |id: i64| locked.iter().find(|a| a.id == id);
        let from = find(req.from).ok_or(LedgerError::UnknownAccount)?;
        let to = find(req.to).ok_or(LedgerError::UnknownAccount)?;
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
        if let Some(original) = req.reverses {
            // Both accounts are locked, so concurrent reversals of one transfer queue here.
            check_reversal(conn, original, req.from, req.to, amount)?;
        }
        match write(conn, req, &hash, actor)? {
            Some(t) => Ok(t),
            // A concurrent request with the same key committed first: answer with its transfer.
            None => existing(conn, req.idempotency_key, &hash)?.ok_or(LedgerError::KeyConflict),
        }
    })
}

fn check_reversal(
    conn: &mut PgConnection,
    original_id: i64,
    from: i64,
    to: i64,
    amount: Decimal,
) -> Result<(), LedgerError> {
    let original: Transfer = ledger_transfers::table
        .find(original_id)
        .select(Transfer::as_select())
        .first(conn)
        .optional()?
        .ok_or(LedgerError::BadReversal)?;
    if original.from_account_id != to || original.to_account_id != from {
        return Err(LedgerError::BadReversal);
    }
    let reversed: Option<Decimal> = ledger_transfers::table
        .filter(ledger_transfers::reverses_id.eq(original_id))
        .select(diesel::dsl::sum(ledger_transfers::amount))
        .first(conn)?;
    if reversed.unwrap_or(Decimal::ZERO) + amount > original.amount {
        return Err(LedgerError::AlreadyReversed);
    }
    Ok(())
}

/// The transfer row, both balances, both entries (with the balance after each) and the audit
/// row (rule X1) in one round trip. Returns `None` when the key was taken meanwhile.
const WRITE: &str = "
WITH t AS (
    INSERT INTO ledger_transfers (kind, idempotency_key, request_hash, from_account_id,
                                  to_account_id, amount, memo, actor_user_id, reverses_id)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
    ON CONFLICT (idempotency_key) DO NOTHING
    RETURNING *
), debit AS (
    UPDATE ledger_accounts SET balance = balance - $6
    WHERE id = $4 AND EXISTS (SELECT 1 FROM t) RETURNING id, balance
), credit AS (
    UPDATE ledger_accounts SET balance = balance + $6
    WHERE id = $5 AND EXISTS (SELECT 1 FROM t) RETURNING id, balance
), entries AS (
    INSERT INTO ledger_entries (transfer_id, account_id, amount, balance_after)
    SELECT t.id, debit.id, -($6::numeric), debit.balance FROM t, debit
    UNION ALL
    SELECT t.id, credit.id, $6, credit.balance FROM t, credit
), audit AS (
    INSERT INTO audit_log (actor_user_id, actor_email, org_id, action, subject_type, subject_id,
                           after, request_id, client_ip)
    SELECT $8, $10, $11, 'ledger.transfer', 'transfer', t.id::text, $12, $13, $14 FROM t
)
SELECT t.* FROM t";

fn write(
    conn: &mut PgConnection,
    req: &TransferRequest<'_>,
    hash: &str,
    actor: &Actor,
) -> Result<Option<Transfer>, LedgerError> {
    let amount = req.amount.amount();
    let details = serde_json::json!({
        "kind": req.kind, "from": req.from, "to": req.to,
        "amount": amount.to_string(), "memo": req.memo, "reverses": req.reverses,
    });
    Ok(diesel::sql_query(WRITE)
        .bind::<Text, _>(req.kind)
        .bind::<Text, _>(req.idempotency_key)
        .bind::<Text, _>(hash)
        .bind::<BigInt, _>(req.from)
        .bind::<BigInt, _>(req.to)
        .bind::<Numeric, _>(amount)
        .bind::<Text, _>(req.memo)
        .bind::<Nullable<BigInt>, _>(actor.user_id)
        .bind::<Nullable<BigInt>, _>(req.reverses)
        .bind::<Text, _>(&actor.email)
        .bind::<Nullable<BigInt>, _>(actor.org_id)
        .bind::<Jsonb, _>(details)
        .bind::<Text, _>(&actor.request_id)
        .bind::<Text, _>(&actor.client_ip)
        .get_result::<Transfer>(conn)
        .optional()?)
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
