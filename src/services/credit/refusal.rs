//! Why a credit-line or withdrawal action is refused, each with the message people read
//! (`credit.refused.*` in `locales/credit.yml`).

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CreditRefusal {
    /// A credit limit below the credit the customer already uses.
    BelowCreditUsed,
    /// Credit lines are for resale customers only.
    NotResale,
    /// rule P4: a withdrawal beyond the withdrawable amount.
    BeyondWithdrawable,
    /// Only a pending withdrawal is decided or cancelled.
    NotPending,
}

impl CreditRefusal {
    pub fn key(self) -> &'static str {
        match self {
            CreditRefusal::BelowCreditUsed => "credit.refused.below_credit_used",
            CreditRefusal::NotResale => "credit.refused.not_resale",
            CreditRefusal::BeyondWithdrawable => "credit.refused.beyond_withdrawable",
            CreditRefusal::NotPending => "credit.refused.not_pending",
        }
    }
}
