//! rule P4's two incentive terms, each with what makes it up (seed 001: 可提现金额 = 现金金额 −
//! 欠票金额 − 未入账金额 − 子用户欠费总额):
//! - 欠票 (owed in invoices): incentives paid to the partner that no received invoice covers.
//!   An invoice the operators have not confirmed yet still counts as owed — it may be
//!   rejected — and is shown apart (`on_pending_invoices`).
//! - 未入账 (not yet posted): payment requests approved but not yet paid.
//!
//! Read from partial indexes that hold only unfinished work, so the cost does not grow with a
//! partner's history.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Numeric};
use rust_decimal::Decimal;

/// 欠票 and its make-up.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, QueryableByName)]
pub struct Owed {
    #[diesel(sql_type = Numeric)]
    pub total: Decimal,
    /// Paid incentives it counts.
    #[diesel(sql_type = BigInt)]
    pub incentives: i64,
    /// The part on invoices awaiting confirmation.
    #[diesel(sql_type = Numeric)]
    pub on_pending_invoices: Decimal,
}

/// 未入账 and its make-up.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, QueryableByName)]
pub struct Unposted {
    #[diesel(sql_type = Numeric)]
    pub total: Decimal,
    /// Approved requests it counts.
    #[diesel(sql_type = BigInt)]
    pub requests: i64,
}

pub fn owed_in_invoices(conn: &mut PgConnection, partner_id: i64) -> QueryResult<Owed> {
    crate::db::prepared::sql_query(
        "SELECT COALESCE(SUM(i.amount), 0)::numeric AS total, COUNT(*) AS incentives, \
                COALESCE(SUM(i.amount) FILTER (WHERE i.invoice_id IS NOT NULL), 0)::numeric \
                    AS on_pending_invoices \
         FROM incentives i JOIN incentive_payouts p ON p.id = i.payout_id \
         WHERE i.partner_id = $1 AND i.payout_id IS NOT NULL AND i.invoiced_at IS NULL \
           AND p.state = 'paid'",
    )
    .bind::<BigInt, _>(partner_id)
    .get_result(conn)
}

pub fn not_yet_posted(conn: &mut PgConnection, partner_id: i64) -> QueryResult<Unposted> {
    crate::db::prepared::sql_query(
        "SELECT COALESCE(SUM(amount), 0)::numeric AS total, COUNT(*) AS requests \
         FROM incentive_payouts WHERE partner_id = $1 AND state = 'approved'",
    )
    .bind::<BigInt, _>(partner_id)
    .get_result(conn)
}
