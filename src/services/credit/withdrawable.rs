//! The withdrawable amount (rule P4; seed 001: 可提现金额 = 现金金额 − 欠票金额 − 未入账金额 −
//! 子用户欠费总额): cash balance − amount owed in invoices − amount not yet posted − total
//! arrears of sub-customers. Each term is computed by one function here and shown with what
//! makes it up; a withdrawal request is checked against `amount` under the cash account's row
//! lock (`withdrawals::request`).

use chrono::NaiveDate;
use diesel::prelude::*;
use rust_decimal::Decimal;

use super::arrears::{self, Arrears};
use crate::ledger::{self, AccountKind};
pub use crate::services::incentives::terms::{Owed, Unposted};

/// The amount and its terms.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Withdrawable {
    pub cash: Decimal,
    pub owed_in_invoices: Owed,
    pub not_yet_posted: Unposted,
    pub arrears: Arrears,
    /// What pending withdrawals hold (already out of `cash`); shown beside the terms.
    pub held: Decimal,
}

impl Withdrawable {
    /// The formula; never below zero (nothing can be withdrawn then).
    pub fn amount(&self) -> Decimal {
        (self.cash - self.owed_in_invoices.total - self.not_yet_posted.total - self.arrears.total)
            .max(Decimal::ZERO)
    }
}

/// 现金金额: the partner's cash (for a reseller, the balance its distributor allocates, R3).
/// Pending withdrawals have already left it for the hold account. 0.00 when not opened.
pub fn cash(conn: &mut PgConnection, partner_id: i64) -> QueryResult<Decimal> {
    balance_of(conn, partner_id, AccountKind::PartnerCash)
}

/// What pending withdrawals hold out of the cash.
pub fn held(conn: &mut PgConnection, partner_id: i64) -> QueryResult<Decimal> {
    balance_of(conn, partner_id, AccountKind::PartnerHold)
}

fn balance_of(conn: &mut PgConnection, partner_id: i64, kind: AccountKind) -> QueryResult<Decimal> {
    Ok(
        ledger::accounts::find_for_org(conn, partner_id, kind)?
            .map_or(Decimal::ZERO, |a| a.balance),
    )
}

/// 欠票金额: incentives paid to the partner that no received invoice covers yet (rule B8); an
/// invoice awaiting the operators' confirmation still counts, shown apart. See
/// `incentives::terms`.
pub fn owed_in_invoices(conn: &mut PgConnection, partner_id: i64) -> QueryResult<Owed> {
    crate::services::incentives::terms::owed_in_invoices(conn, partner_id)
}

/// 未入账金额: incentive payment requests approved but not yet paid into the cash (rule B8).
pub fn not_yet_posted(conn: &mut PgConnection, partner_id: i64) -> QueryResult<Unposted> {
    crate::services::incentives::terms::not_yet_posted(conn, partner_id)
}

/// 子用户欠费总额: see `arrears` for who counts.
pub fn sub_customer_arrears(
    conn: &mut PgConnection,
    partner_id: i64,
    today: NaiveDate,
) -> QueryResult<Arrears> {
    arrears::of_partner(conn, partner_id, today)
}

/// Every term for the partner as of `today`.
pub fn of_partner(
    conn: &mut PgConnection,
    partner_id: i64,
    today: NaiveDate,
) -> QueryResult<Withdrawable> {
    Ok(Withdrawable {
        cash: cash(conn, partner_id)?,
        owed_in_invoices: owed_in_invoices(conn, partner_id)?,
        not_yet_posted: not_yet_posted(conn, partner_id)?,
        arrears: sub_customer_arrears(conn, partner_id, today)?,
        held: held(conn, partner_id)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_amount_subtracts_every_term_and_stops_at_zero() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        let mut w = Withdrawable {
            cash: d("1000.00"),
            owed_in_invoices: Owed {
                total: d("100.00"),
                incentives: 2,
                on_pending_invoices: d("40.00"),
            },
            not_yet_posted: Unposted {
                total: d("50.00"),
                requests: 1,
            },
            arrears: Arrears {
                total: d("250.50"),
                customers: 2,
            },
            held: d("300.00"),
        };
        assert_eq!(w.amount(), d("599.50"));
        w.arrears.total = d("5000.00");
        assert_eq!(w.amount(), Decimal::ZERO);
    }
}
