//! The double-entry ledger (SPEC §4 "Correct money"): the only code that changes a balance.
//! Every movement of money or quota is one transfer: two entries that sum to zero, an
//! idempotency key, an audit row, and balances updated in the same transaction. A fan-out
//! (`transfer_fan_out`) and a batch (`transfer_all_in_transaction`) write many such transfers in
//! one statement.

pub mod accounts;
pub mod batch;
pub mod error;
pub mod fan_out;
pub mod query;
pub mod revenue;
pub mod reverse;
mod statement;
pub mod transfer;
pub mod verify;

pub use accounts::{AccountKind, LedgerAccount};
pub use batch::transfer_all_in_transaction;
pub use error::LedgerError;
pub use fan_out::{Leg, transfer_fan_out};
pub use reverse::reverse;
pub use transfer::{Transfer, TransferRequest, transfer, transfer_in_transaction, transfer_once};

/// The one currency for now (SPEC §5 "Ledger").
pub const CURRENCY: &str = "CNY";
