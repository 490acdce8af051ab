//! A customer's credit line as people read it (SPEC §6 "Settlement"): the `customer_credit`
//! ledger account's `credit_limit` is the limit, credit used is minus its balance, available
//! credit is balance + limit. With the line come the customer's open debts, oldest first.
//! Reads never open an account: a customer without one shows 0.00 throughout.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use rust_decimal::Decimal;

use crate::db::schema::{debts, ledger_accounts};
use crate::ledger::AccountKind;

/// How many open debts a page lists; the total and the arrears flag cover all of them.
pub const DEBTS_SHOWN: i64 = 20;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CreditLine {
    pub limit: Decimal,
    pub used: Decimal,
    pub available: Decimal,
}

impl CreditLine {
    /// The line of a credit account with this balance and limit.
    pub fn of(balance: Decimal, limit: Option<Decimal>) -> CreditLine {
        let limit = limit.unwrap_or_default();
        CreditLine {
            limit,
            used: (-balance).max(Decimal::ZERO),
            available: balance + limit,
        }
    }

    /// rule C2 (seed 003 IS_CREDIT_ACCOUNT): the credit account owes money.
    pub fn in_debt(&self) -> bool {
        self.used > Decimal::ZERO
    }
}

/// One open debt of a customer.
#[derive(Clone, Debug)]
pub struct DebtLine {
    pub id: i64,
    pub kind: String,
    pub amount: Decimal,
    pub repaid: Decimal,
    pub due_on: NaiveDate,
    pub arose_at: DateTime<Utc>,
    /// Past its due day (欠费).
    pub overdue: bool,
}

impl DebtLine {
    /// A debt `(id, kind, amount, repaid)` as of `today`: overdue once past its due day (欠费).
    pub fn as_of(
        (id, kind, amount, repaid): (i64, String, Decimal, Decimal),
        due_on: NaiveDate,
        arose_at: DateTime<Utc>,
        today: NaiveDate,
    ) -> DebtLine {
        DebtLine {
            id,
            kind,
            amount,
            repaid,
            due_on,
            arose_at,
            overdue: due_on < today,
        }
    }

    pub fn open(&self) -> Decimal {
        self.amount - self.repaid
    }
}

/// The line and the open debts of one customer.
#[derive(Clone, Debug, Default)]
pub struct CreditSummary {
    pub line: CreditLine,
    /// The oldest `DEBTS_SHOWN` open debts.
    pub debts: Vec<DebtLine>,
    pub in_arrears: bool,
}

/// The customer's credit line; 0.00 throughout when its credit account is not opened.
pub fn read(conn: &mut PgConnection, customer_id: i64) -> QueryResult<CreditLine> {
    let found: Option<(Decimal, Option<Decimal>)> = ledger_accounts::table
        .filter(ledger_accounts::kind.eq(AccountKind::CustomerCredit.as_str()))
        .filter(ledger_accounts::owner_customer_id.eq(customer_id))
        .select((ledger_accounts::balance, ledger_accounts::credit_limit))
        .first(conn)
        .optional()?;
    Ok(found.map_or_else(CreditLine::default, |(b, l)| CreditLine::of(b, l)))
}

/// The oldest open debts of a customer (at most `DEBTS_SHOWN`), read from `debts_open_idx`.
pub fn open_debts(
    conn: &mut PgConnection,
    customer_id: i64,
    today: NaiveDate,
) -> QueryResult<Vec<DebtLine>> {
    let rows: Vec<(i64, String, Decimal, Decimal, NaiveDate, DateTime<Utc>)> =
        crate::db::page_limit::limited(
            debts::table
                .filter(debts::customer_id.eq(customer_id))
                .filter(debts::settled_at.is_null())
                .order((debts::created_at, debts::id))
                .select((
                    debts::id,
                    debts::kind,
                    debts::amount,
                    debts::repaid,
                    debts::due_on,
                    debts::created_at,
                )),
            DEBTS_SHOWN,
        )
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, kind, amount, repaid, due_on, arose_at)| {
            DebtLine::as_of((id, kind, amount, repaid), due_on, arose_at, today)
        })
        .collect())
}

/// The line, the open debts and whether the customer is in arrears (three statements at most).
pub fn summary(
    conn: &mut PgConnection,
    customer_id: i64,
    today: NaiveDate,
) -> QueryResult<CreditSummary> {
    Ok(CreditSummary {
        line: read(conn, customer_id)?,
        ..summary_debts(conn, customer_id, today)?
    })
}

/// The open debts and the arrears flag, with a default line (for a caller that has read the
/// line already).
pub fn summary_debts(
    conn: &mut PgConnection,
    customer_id: i64,
    today: NaiveDate,
) -> QueryResult<CreditSummary> {
    let debts = open_debts(conn, customer_id, today)?;
    // When every open debt is listed the list answers; otherwise the overdue index does.
    let in_arrears = debts.iter().any(|d| d.overdue)
        || (debts.len() as i64 == DEBTS_SHOWN
            && super::debts::in_arrears(conn, customer_id, today)?);
    Ok(CreditSummary {
        line: CreditLine::default(),
        debts,
        in_arrears,
    })
}

/// "Today" where the platform does business (SPEC §5 "Times"): debts fall due by this date.
pub fn today() -> NaiveDate {
    crate::i18n::local_date(Utc::now())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn used_is_minus_the_balance_and_available_adds_the_limit() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        let line = CreditLine::of(d("-300.00"), Some(d("1000.00")));
        assert_eq!(line.used, d("300.00"));
        assert_eq!(line.available, d("700.00"));
        assert!(line.in_debt());
        let fresh = CreditLine::of(Decimal::ZERO, None);
        assert_eq!(fresh, CreditLine::default());
        assert!(!fresh.in_debt());
    }
}
