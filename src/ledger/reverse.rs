//! Corrections: a transfer is never changed or deleted; a new transfer moves the money back
//! and names the one it reverses (SPEC §4, issue "Corrections are new reversing transfers").

use diesel::prelude::*;
use rust_decimal::Decimal;

use super::error::LedgerError;
use super::transfer::{Transfer, TransferRequest, transfer};
use crate::db::schema::{ledger_accounts, ledger_transfers};
use crate::domain::Caller;
use crate::domain::Money;

/// Reverses the whole of transfer `transfer_id` with a new transfer of kind `reversal`.
/// The same key returns the same reversal; a second reversal with another key is refused
/// (`AlreadyReversed`); a reversal the recipient can no longer pay is `InsufficientFunds`.
pub fn reverse(
    conn: &mut PgConnection,
    transfer_id: i64,
    idempotency_key: &str,
    actor: &Caller,
) -> Result<Transfer, LedgerError> {
    let original: Transfer = ledger_transfers::table
        .find(transfer_id)
        .select(Transfer::as_select())
        .first(conn)
        .optional()?
        .ok_or(LedgerError::BadReversal)?;
    let amount = Money::from_decimal(original.amount).map_err(|_| LedgerError::BadReversal)?;
    let memo = format!("reverses #{}", original.id);
    transfer(
        conn,
        &TransferRequest {
            from: original.to_account_id,
            to: original.from_account_id,
            amount,
            kind: "reversal",
            idempotency_key,
            memo: &memo,
            reverses: Some(original.id),
        },
        actor,
    )
}

/// Locks both accounts of a reversal in id order (the order every transfer uses).
pub(super) fn lock_pair(conn: &mut PgConnection, a: i64, b: i64) -> QueryResult<()> {
    ledger_accounts::table
        .filter(ledger_accounts::id.eq_any([a, b]))
        .order(ledger_accounts::id)
        .for_update()
        .select(ledger_accounts::id)
        .load::<i64>(conn)?;
    Ok(())
}

/// A reversal moves money back between the original's accounts, and all reversals of a
/// transfer together never exceed it.
pub(super) fn check(
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
