//! Why a use case did not do what was asked. Every area returns this one shape, so the web
//! edge (`crate::error`), a JSON endpoint or a command turns it into its own answer in one
//! place. Business refusals carry the i18n key of the message people read.

use crate::db::DbError;
use crate::domain::Forbidden;
use crate::ledger::LedgerError;

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// No such thing, or not one the caller may see: both read as "not found" (SPEC §5).
    #[error("not found")]
    NotFound,
    /// The caller's role does not allow the action.
    #[error("forbidden")]
    Forbidden,
    /// Input no form of ours sends (a forged selection, a broken key); `what` names it.
    #[error("malformed input: {0}")]
    Malformed(&'static str),
    /// The action is refused by a business rule; the key is the message people read.
    #[error("refused: {0}")]
    Refused(&'static str),
    /// A throttle said no (rule A2, A5).
    #[error("too many attempts")]
    TooManyAttempts,
    #[error(transparent)]
    Ledger(LedgerError),
    /// Something that should not happen (a stored value that no longer parses, an encoder
    /// failure): logged and shown as the error page.
    #[error("internal error: {0}")]
    Internal(String),
    #[error(transparent)]
    Db(#[from] DbError),
}

pub type ServiceResult<T> = Result<T, ServiceError>;

impl From<Forbidden> for ServiceError {
    fn from(_: Forbidden) -> Self {
        ServiceError::Forbidden
    }
}

impl From<diesel::result::Error> for ServiceError {
    fn from(e: diesel::result::Error) -> Self {
        match e {
            diesel::result::Error::NotFound => ServiceError::NotFound,
            other => ServiceError::Db(DbError::Query(other)),
        }
    }
}

impl From<LedgerError> for ServiceError {
    fn from(e: LedgerError) -> Self {
        match e {
            LedgerError::Db(d) => d.into(),
            other => ServiceError::Ledger(other),
        }
    }
}

impl ServiceError {
    pub fn internal(msg: impl Into<String>) -> Self {
        ServiceError::Internal(msg.into())
    }

    /// The i18n key of the message for a refusal, when there is one to show beside a form.
    pub fn message_key(&self) -> Option<&'static str> {
        match self {
            ServiceError::Refused(key) => Some(key),
            ServiceError::Ledger(e) => Some(e.message_key()),
            ServiceError::TooManyAttempts => Some("error.429.message"),
            _ => None,
        }
    }
}
