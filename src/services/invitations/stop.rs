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
    /// A reseller invitation for an address of partner staff or an operator (rule R1).
    PartnerStaff,
    /// A customer account with unpaid bills cannot become a reseller's admin (rule R1).
    OpenDebts,
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
            Stop::PartnerStaff => "partner_staff",
            Stop::OpenDebts => "open_debts",
        }
    }
}
