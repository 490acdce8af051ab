//! Corrections: a transfer is never changed or deleted; a new transfer moves the money back
//! and names the one it reverses (SPEC §4, issue "Corrections are new reversing transfers").

use diesel::prelude::*;

use super::error::LedgerError;
use super::transfer::{Transfer, TransferRequest, transfer};
use crate::audit::Actor;
use crate::db::schema::ledger_transfers;
use crate::domain::Money;

/// Reverses the whole of transfer `transfer_id` with a new transfer of kind `reversal`.
/// The same key returns the same reversal; a second reversal with another key is refused
/// (`AlreadyReversed`); a reversal the recipient can no longer pay is `InsufficientFunds`.
pub fn reverse(
    conn: &mut PgConnection,
    transfer_id: i64,
    idempotency_key: &str,
    actor: &Actor,
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
