//! Every reason an invitation link cannot be used (rule C2), each with its own page and status.

use crate::services::customers::association::Refusal;

/// Why the link cannot be used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stop {
    /// Malformed, or no invitation has this token.
    Unknown,
    /// Replaced by a resent invitation.
    Superseded,
    Expired,
    Used,
    Revoked,
    Refused(Refusal),
    /// The address belongs to a partner member or an operator, not a customer.
    NotCustomer,
    /// The account signing in is not the invited address.
    WrongAddress,
}

impl Stop {
    pub fn key(self) -> &'static str {
        match self {
            Stop::Unknown => "unknown",
            Stop::Superseded => "superseded",
            Stop::Expired => "expired",
            Stop::Used => "used",
            Stop::Revoked => "revoked",
            Stop::Refused(r) => r.key(),
            Stop::NotCustomer => "not_customer",
            Stop::WrongAddress => "wrong_address",
        }
    }
}
