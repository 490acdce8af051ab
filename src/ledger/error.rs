//! Why a transfer was refused. Every refusal leaves the ledger exactly as it was.

use rust_decimal::Decimal;

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
    /// The reversals of a transfer would add up to more than the transfer itself.
    #[error("the transfer has already been reversed")]
    AlreadyReversed,
    /// A reversal must name an existing transfer and move money back between its accounts.
    #[error("a reversal must move money back between the original transfer's accounts")]
    BadReversal,
    /// A fan-out takes at most `fan_out::MAX_LEGS` legs per call; the caller chunks.
    #[error("too many legs in one fan-out transfer")]
    TooManyLegs,
    #[error("database: {0}")]
    Db(#[from] diesel::result::Error),
}

impl LedgerError {
    /// The i18n key of the message people see (locales/ledger.yml).
    pub fn message_key(&self) -> &'static str {
        match self {
            LedgerError::InsufficientFunds { .. } => "ledger.error.insufficient_funds",
            LedgerError::Frozen => "ledger.error.frozen",
            LedgerError::WrongCurrency => "ledger.error.wrong_currency",
            LedgerError::SameAccount => "ledger.error.same_account",
            LedgerError::UnknownAccount => "ledger.error.unknown_account",
            LedgerError::KeyConflict => "ledger.error.key_conflict",
            LedgerError::MemoTooLong => "ledger.error.memo_too_long",
            LedgerError::AlreadyReversed => "ledger.error.already_reversed",
            LedgerError::BadReversal => "ledger.error.bad_reversal",
            LedgerError::TooManyLegs => "ledger.error.too_many_legs",
            LedgerError::Db(_) => "ledger.error.internal",
        }
    }
}
