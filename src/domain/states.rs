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
pub(crate) use text_enum;

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

text_enum! {
    /// An order's state (rule P1). `Processing` is paid and being provisioned; a job completes
    /// it. See `OrderState::can_become` for the legal moves.
    OrderState {
        PendingReview => "pending_review",
        PendingPayment => "pending_payment",
        Processing => "processing",
        Completed => "completed",
        Cancelled => "cancelled",
    }
}

impl OrderState {
    /// The legal transitions of rule P1; everything else is refused with a clear message.
    /// Review approves to pending payment or rejects to cancelled; paying moves pending
    /// payment to processing; provisioning completes it; an unpaid order may be cancelled (by
    /// the customer, or after 7 days by the job). Unsubscribing keeps a completed order
    /// completed (its refund is recorded on it).
    pub fn can_become(self, next: OrderState) -> bool {
        use OrderState::*;
        matches!(
            (self, next),
            (PendingReview, PendingPayment)
                | (PendingReview, Cancelled)
                | (PendingPayment, Processing)
                | (PendingPayment, Cancelled)
                | (Processing, Completed)
        )
    }
}

text_enum! {
    /// A subscription's term (rule P1); the form field `term` sends these.
    Term {
        Month => "month",
        Year => "year",
    }
}

text_enum! {
    /// Who paid an order (`orders.payer`): the customer itself (rule K7) or its partner on its
    /// behalf (代付, rule P2).
    Payer {
        Customer => "customer",
        Partner => "partner",
    }
}

text_enum! {
    /// A payment on behalf (代付, rule P2): the partner was asked, paid, or refused.
    PayRequest {
        Requested => "requested",
        Paid => "paid",
        Rejected => "rejected",
    }
}

text_enum! {
    /// Where a part of an order's payment came from (rule K7), in deduction order; a partner
    /// paying on a customer's behalf pays all of it from its cash (P2).
    PaymentSource {
        Voucher => "voucher",
        CashCoupon => "cash_coupon",
        Balance => "balance",
        Credit => "credit",
        PartnerCash => "partner_cash",
    }
}

text_enum! {
    /// A customer's debt (SPEC §6 "Settlement"): credit used, or the unpaid rest of a bill.
    DebtKind {
        Credit => "credit",
        Unpaid => "unpaid",
    }
}

text_enum! {
    /// A partner's withdrawal request (rule P4).
    WithdrawalState {
        Pending => "pending",
        Approved => "approved",
        Rejected => "rejected",
        Cancelled => "cancelled",
    }
}

text_enum! {
    /// An issued bill (rule B2, SPEC §6 "Settlement"): paid, or with an unpaid rest still owed.
    /// Stored as a column generated from `bills.paid_at`.
    BillState {
        Paid => "paid",
        Unpaid => "unpaid",
    }
}

text_enum! {
    /// A usage import (rule B2): waiting, reading its file, finished, or unreadable.
    UsageImportState {
        Queued => "queued",
        Running => "running",
        Done => "done",
        Failed => "failed",
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
    fn order_transitions_follow_rule_p1() {
        use OrderState::*;
        assert!(PendingPayment.can_become(Processing));
        assert!(PendingReview.can_become(PendingPayment));
        assert!(Processing.can_become(Completed));
        // A cancelled or completed order never moves again; nothing skips payment.
        for next in OrderState::ALL {
            assert!(!Cancelled.can_become(*next));
            assert!(!Completed.can_become(*next));
        }
        assert!(!PendingReview.can_become(Processing));
        assert!(!Processing.can_become(Cancelled));
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
