//! rule P4's two incentive terms, each with what makes it up (seed 001: 可提现金额 = 现金金额 −
//! 欠票金额 − 未入账金额 − 子用户欠费总额):
//! - 欠票 (owed in invoices): incentives paid to the partner that no received invoice covers.
//!   An invoice the operators have not confirmed yet still counts as owed — it may be
//!   rejected — and is shown apart (`on_pending_invoices`).
//! - 未入账 (not yet posted): payment requests approved but not yet paid.
//!
//! Both are parts of the withdrawable amount's one statement (`credit::withdrawable`), read
//! from partial indexes that hold only unfinished work, so the cost does not grow with a
//! partner's history.

use rust_decimal::Decimal;

/// 欠票 and its make-up.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Owed {
    pub total: Decimal,
    /// Paid incentives it counts.
    pub incentives: i64,
    /// The part on invoices awaiting confirmation.
    pub on_pending_invoices: Decimal,
}

/// 未入账 and its make-up.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Unposted {
    pub total: Decimal,
    /// Approved requests it counts.
    pub requests: i64,
}
