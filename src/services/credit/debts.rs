//! Debts (SPEC §6 "Settlement"): credit an order or a bill used, and the unpaid rest of a
//! bill. Each is due at the end of the month after it arose; open after that, the customer is
//! in arrears (欠费). Money that reaches the balance repays the oldest open debt first: a credit
//! debt moves the money back to the credit line, an unpaid one to the platform's revenue.

use chrono::{Datelike, NaiveDate};
use diesel::prelude::*;
use rust_decimal::Decimal;

use crate::db::schema::{customers, debts, ledger_accounts};
use crate::domain::{Caller, DebtKind, Money};
use crate::ledger::{self, AccountKind, TransferRequest};
use crate::services::ServiceResult;

/// Transfer kind of a repayment; stored, so its spelling stays.
pub const REPAY_KIND: &str = "repay_debt";

/// What a debt comes from.
#[derive(Debug, Clone, Copy)]
pub enum DebtSource {
    Order(i64),
    Bill(i64),
}

/// The last day of the month after `arose_on`: when a debt of that day falls due.
pub fn due_on(arose_on: NaiveDate) -> NaiveDate {
    let (y, m) = if arose_on.month() == 12 {
        (arose_on.year() + 1, 1)
    } else {
        (arose_on.year(), arose_on.month() + 1)
    };
    let first_after = if m == 12 {
        NaiveDate::from_ymd_opt(y + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(y, m + 1, 1)
    };
    first_after
        .and_then(|d| d.pred_opt())
        .expect("a calendar month has a last day")
}

/// Records a debt of `amount` arising on `arose_on`; returns its id.
pub fn record(
    conn: &mut PgConnection,
    customer_id: i64,
    kind: DebtKind,
    source: DebtSource,
    amount: Decimal,
    arose_on: NaiveDate,
) -> QueryResult<i64> {
    let (order_id, bill_id) = match source {
        DebtSource::Order(id) => (Some(id), None),
        DebtSource::Bill(id) => (None, Some(id)),
    };
    diesel::insert_into(debts::table)
        .values((
            debts::customer_id.eq(customer_id),
            debts::kind.eq(kind.as_str()),
            debts::order_id.eq(order_id),
            debts::bill_id.eq(bill_id),
            debts::amount.eq(amount),
            debts::due_on.eq(due_on(arose_on)),
        ))
        .returning(debts::id)
        .get_result(conn)
}

/// Repays the customer's open debts from its balance, oldest first, as far as the balance
/// goes; returns what was repaid. Call it in the transaction that put money on the balance
/// (a top-up, a refund). Locks the balance account, then the debts, in that order.
pub fn repay_oldest(
    conn: &mut PgConnection,
    caller: &Caller,
    customer_id: i64,
) -> ServiceResult<Decimal> {
    conn.transaction(|conn| {
        let Some(balance) =
            ledger::accounts::find_for_customer(conn, customer_id, AccountKind::CustomerBalance)?
        else {
            return Ok(Decimal::ZERO);
        };
        let mut available: Decimal = ledger_accounts::table
            .find(balance.id)
            .select(ledger_accounts::balance)
            .for_update()
            .first(conn)?;
        if available <= Decimal::ZERO {
            return Ok(Decimal::ZERO);
        }
        let open: Vec<(i64, String, Decimal, Decimal)> = debts::table
            .filter(debts::customer_id.eq(customer_id))
            .filter(debts::settled_at.is_null())
            .order((debts::created_at, debts::id))
            .select((debts::id, debts::kind, debts::amount, debts::repaid))
            .for_update()
            .load(conn)?;
        let mut repaid_total = Decimal::ZERO;
        for (id, kind, amount, repaid) in open {
            if available <= Decimal::ZERO {
                break;
            }
            let part = (amount - repaid).min(available);
            let to = match DebtKind::parse(&kind) {
                Some(DebtKind::Credit) => {
                    ledger::accounts::for_customer(conn, customer_id, AccountKind::CustomerCredit)?
                        .id
                }
                _ => {
                    let entity: String = customers::table
                        .find(customer_id)
                        .select(customers::signing_entity)
                        .first(conn)?;
                    ledger::revenue::account_for(conn, &entity, customer_id)?
                }
            };
            let key = format!("repay:{id}:{repaid}");
            let money = Money::from_decimal(part)
                .map_err(|_| crate::services::ServiceError::internal("debt part not money"))?;
            ledger::transfer(
                conn,
                &TransferRequest {
                    from: balance.id,
                    to,
                    amount: money,
                    kind: REPAY_KIND,
                    idempotency_key: &key,
                    memo: "",
                    reverses: None,
                },
                caller,
            )?;
            let now_repaid = repaid + part;
            diesel::update(debts::table.find(id))
                .set((
                    debts::repaid.eq(now_repaid),
                    debts::settled_at.eq((now_repaid == amount).then(chrono::Utc::now)),
                ))
                .execute(conn)?;
            available -= part;
            repaid_total += part;
        }
        Ok(repaid_total)
    })
}

/// Whether the customer has a debt still open after its due day (欠费), as of `today`.
pub fn in_arrears(
    conn: &mut PgConnection,
    customer_id: i64,
    today: NaiveDate,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        debts::table
            .filter(debts::customer_id.eq(customer_id))
            .filter(debts::settled_at.is_null())
            .filter(debts::due_on.lt(today)),
    ))
    .get_result(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_debt_falls_due_at_the_end_of_the_next_month() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(due_on(d(2026, 1, 31)), d(2026, 2, 28));
        assert_eq!(due_on(d(2028, 1, 1)), d(2028, 2, 29));
        assert_eq!(due_on(d(2026, 11, 15)), d(2026, 12, 31));
        assert_eq!(due_on(d(2026, 12, 31)), d(2027, 1, 31));
    }
}
