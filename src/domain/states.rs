//! The states stored as text (SPEC §6): each has one enum, so no code compares strings.
//! `as_str` is the stored spelling and the i18n key suffix; `parse` reads it back.

use chrono::{DateTime, Utc};

macro_rules! text_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $name {
            $($variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            pub fn parse(s: &str) -> Option<$name> {
                match s.trim() {
                    $($text => Some($name::$variant),)+
                    _ => None,
                }
            }
        }
    };
}

text_enum! {
    /// A customer's association with a partner (rule C2): resale (代售) or advisory (顾问销售).
    AssociationType {
        Resale => "resale",
        Advisory => "advisory",
    }
}

text_enum! {
    /// A stored invitation (rule C3). "Expired" is not stored: see `InvitationShown`.
    InvitationState {
        Pending => "pending",
        Accepted => "accepted",
        Revoked => "revoked",
    }
}

text_enum! {
    /// Where a cooperation application stands (rule R2): the operator decides first, then the
    /// distributor it names.
    ApplicationState {
        AwaitingOperator => "awaiting_operator",
        AwaitingDistributor => "awaiting_distributor",
        Approved => "approved",
        Rejected => "rejected",
    }
}

text_enum! {
    /// Who an invitation is for (rules C1, R1): a customer of the partner, or a reseller
    /// organisation of a distributor. One table and one link page serve every kind.
    InvitationKind {
        Customer => "customer",
        Reseller => "reseller",
    }
}

text_enum! {
    /// An invitation as lists show and filter it: a pending one past its expiry is expired.
    InvitationShown {
        Pending => "pending",
        Accepted => "accepted",
        Expired => "expired",
        Revoked => "revoked",
    }
}

impl InvitationShown {
    /// The one expiry rule of invitation links (rule C1): pending and not past `expires_at`.
    pub fn of(state: InvitationState, expires_at: DateTime<Utc>, now: DateTime<Utc>) -> Self {
        match state {
            InvitationState::Pending if expires_at <= now => InvitationShown::Expired,
            InvitationState::Pending => InvitationShown::Pending,
            InvitationState::Accepted => InvitationShown::Accepted,
            InvitationState::Revoked => InvitationShown::Revoked,
        }
    }
}

text_enum! {
    /// A message in the outbox (rule X2).
    OutboxState {
        Pending => "pending",
        Sent => "sent",
        Failed => "failed",
    }
}

text_enum! {
    /// A customer's real-name verification.
    Verification {
        Unverified => "unverified",
        Pending => "pending",
        Verified => "verified",
    }
}

text_enum! {
    /// The two kinds of coupon and of the quota they come from (rules K1, K2): a voucher
    /// (代金券) and a cash coupon (现金券).
    CouponKind {
        Voucher => "voucher",
        CashCoupon => "cash_coupon",
    }
}

text_enum! {
    /// A quota grant's state (rule K2a): only `Normal` issues. `Adjusting` while an operator's
    /// change waits for approval; `Invalid` once expired or withdrawn.
    GrantState {
        Normal => "normal",
        Frozen => "frozen",
        Adjusting => "adjusting",
        Invalid => "invalid",
    }
}

text_enum! {
    /// A coupon's state (rule K2a): only `Usable` pays and can be recovered (rule K3).
    CouponState {
        Usable => "usable",
        Used => "used",
        Expired => "expired",
        Recovered => "recovered",
    }
}

text_enum! {
    /// An operator's change of a grant's amount (rule K2a).
    AdjustmentState {
        Pending => "pending",
        Approved => "approved",
        Rejected => "rejected",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_spellings_read_back() {
        for s in InvitationState::ALL {
            assert_eq!(InvitationState::parse(s.as_str()), Some(*s));
        }
        for s in OutboxState::ALL {
            assert_eq!(OutboxState::parse(s.as_str()), Some(*s));
        }
        assert_eq!(
            AssociationType::parse(" advisory "),
            Some(AssociationType::Advisory)
        );
        assert_eq!(Verification::parse("Verified"), None);
    }

    #[test]
    fn a_pending_invitation_expires_at_its_expiry() {
        let now = Utc::now();
        let past = now - chrono::Duration::seconds(1);
        assert_eq!(
            InvitationShown::of(InvitationState::Pending, past, now),
            InvitationShown::Expired
        );
        assert_eq!(
            InvitationShown::of(InvitationState::Pending, now, now),
            InvitationShown::Expired
        );
        assert_eq!(
            InvitationShown::of(
                InvitationState::Pending,
                now + chrono::Duration::hours(1),
                now
            ),
            InvitationShown::Pending
        );
        assert_eq!(
            InvitationShown::of(InvitationState::Revoked, past, now),
            InvitationShown::Revoked
        );
    }
}
