//! The withdrawable amount (rule P4; seed 001: 可提现金额 = 现金金额 − 欠票金额 − 未入账金额 −
//! 子用户欠费总额): cash balance − amount owed in invoices − amount not yet posted − total
//! arrears of sub-customers. The terms are parts of one statement (`of_partner`), each shown
//! with what makes it up; a withdrawal request is checked against `amount` under the cash
//! account's row lock (`withdrawals::request`).

use chrono::NaiveDate;
use diesel::prelude::*;
use rust_decimal::Decimal;

use diesel::sql_types::{BigInt, Date, Numeric};

use super::arrears::{self, Arrears};
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

/// Every term for the partner as of `today`, in one statement (each term a part of it):
/// - 现金金额 (`cash`): the partner's cash (for a reseller, the balance its distributor
///   allocates, R3); pending withdrawals have already left it for the hold account (`held`,
///   shown beside the terms). 0.00 while an account is not opened.
/// - 欠票金额 (`owed`): incentives paid to the partner that no received invoice covers yet
///   (rule B8); an invoice awaiting the operators' confirmation still counts, shown apart
///   (`incentives::terms`).
/// - 未入账金额 (`unposted`): incentive payment requests approved but not yet paid into the
///   cash (rule B8).
/// - 子用户欠费总额 (`arrears`): what the partner's own customers owe past due (see `arrears`
///   for who counts), from the overdue debts first.
///
/// The incentive terms read partial indexes that hold only unfinished work, and the arrears
/// the overdue debts, so the cost does not grow with the partner's history or book.
const TERMS: &str = concat!(
    arrears::overdue_debts!("$2"),
    "SELECT \
       COALESCE((SELECT a.balance FROM ledger_accounts a \
                 WHERE a.kind = 'partner_cash' AND a.owner_org_id = $1 LIMIT 1), 0)::numeric \
         AS cash, \
       COALESCE((SELECT a.balance FROM ledger_accounts a \
                 WHERE a.kind = 'partner_hold' AND a.owner_org_id = $1 LIMIT 1), 0)::numeric \
         AS held, \
       owed.total AS owed_total, owed.incentives AS owed_incentives, \
       owed.on_pending AS owed_on_pending, \
       unposted.total AS unposted_total, unposted.requests AS unposted_requests, \
       late.total AS arrears_total, late.customers AS arrears_customers \
     FROM \
       (SELECT COALESCE(SUM(i.amount), 0)::numeric AS total, COUNT(*) AS incentives, \
               COALESCE(SUM(i.amount) FILTER (WHERE i.invoice_id IS NOT NULL), 0)::numeric \
                 AS on_pending \
        FROM incentives i JOIN incentive_payouts p ON p.id = i.payout_id \
        WHERE i.partner_id = $1 AND i.payout_id IS NOT NULL AND i.invoiced_at IS NULL \
          AND p.state = 'paid') owed, \
       (SELECT COALESCE(SUM(amount), 0)::numeric AS total, COUNT(*) AS requests \
        FROM incentive_payouts WHERE partner_id = $1 AND state = 'approved') unposted, \
       (SELECT COALESCE(SUM(o.open), 0)::numeric AS total, \
               COUNT(DISTINCT o.customer_id) AS customers \
        FROM overdue o JOIN customers c ON c.id = o.customer_id \
        WHERE c.partner_id = $1) late"
);

#[derive(QueryableByName)]
struct TermsRow {
    #[diesel(sql_type = Numeric)]
    cash: Decimal,
    #[diesel(sql_type = Numeric)]
    held: Decimal,
    #[diesel(sql_type = Numeric)]
    owed_total: Decimal,
    #[diesel(sql_type = BigInt)]
    owed_incentives: i64,
    #[diesel(sql_type = Numeric)]
    owed_on_pending: Decimal,
    #[diesel(sql_type = Numeric)]
    unposted_total: Decimal,
    #[diesel(sql_type = BigInt)]
    unposted_requests: i64,
    #[diesel(sql_type = Numeric)]
    arrears_total: Decimal,
    #[diesel(sql_type = BigInt)]
    arrears_customers: i64,
}

pub fn of_partner(
    conn: &mut PgConnection,
    partner_id: i64,
    today: NaiveDate,
) -> QueryResult<Withdrawable> {
    let r: TermsRow = crate::db::prepared::sql_query(TERMS)
        .bind::<BigInt, _>(partner_id)
        .bind::<Date, _>(today)
        .get_result(conn)?;
    Ok(Withdrawable {
        cash: r.cash,
        owed_in_invoices: Owed {
            total: r.owed_total,
            incentives: r.owed_incentives,
            on_pending_invoices: r.owed_on_pending,
        },
        not_yet_posted: Unposted {
            total: r.unposted_total,
            requests: r.unposted_requests,
        },
        arrears: Arrears {
            total: r.arrears_total,
            customers: r.arrears_customers,
        },
        held: r.held,
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
