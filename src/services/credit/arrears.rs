//! Arrears (欠费) of a partner's customers (SPEC §6 "Settlement"; seed 001: 客户管理 › 可用额度 ›
//! 欠费): customers with a debt still open after its due day. Both the customer list's "in
//! arrears" filter and the withdrawable amount (rule P4) start from the overdue debts
//! (`debts_overdue_idx`, open debts by due day) and keep those of the partner's customers, so
//! their cost follows the debts past due, never the size of the partner's book.
//!
//! Counted are the partner's own customers: a distributor's resellers' customers are in their
//! reseller's arrears, which lowers that reseller's own withdrawable amount (the reseller's
//! cash is its own, R3), so they are not counted a second time for the distributor.

use chrono::NaiveDate;
use diesel::prelude::*;
use rust_decimal::Decimal;

use crate::db::schema::{customers, debts};

/// What the partner's customers owe past due: the total still open and how many customers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Arrears {
    pub total: Decimal,
    pub customers: i64,
}

/// Overdue open debts `(customer, open amount)` of the partner's customers.
fn overdue_of_partner(
    conn: &mut PgConnection,
    partner_id: i64,
    today: NaiveDate,
) -> QueryResult<Vec<(i64, Decimal)>> {
    debts::table
        .inner_join(customers::table)
        .filter(debts::settled_at.is_null())
        .filter(debts::due_on.lt(today))
        .filter(customers::partner_id.eq(partner_id))
        .select((debts::customer_id, debts::amount - debts::repaid))
        .load(conn)
}

/// Ids of the partner's customers in arrears, ascending: the customer list narrows to these.
pub fn customers_in_arrears(
    conn: &mut PgConnection,
    partner_id: i64,
    today: NaiveDate,
) -> QueryResult<Vec<i64>> {
    let mut ids: Vec<i64> = overdue_of_partner(conn, partner_id, today)?
        .into_iter()
        .map(|(c, _)| c)
        .collect();
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

/// rule P4's last term: the total arrears of the partner's customers.
pub fn of_partner(
    conn: &mut PgConnection,
    partner_id: i64,
    today: NaiveDate,
) -> QueryResult<Arrears> {
    let rows = overdue_of_partner(conn, partner_id, today)?;
    let total = rows.iter().map(|(_, open)| *open).sum();
    let mut ids: Vec<i64> = rows.into_iter().map(|(c, _)| c).collect();
    ids.sort_unstable();
    ids.dedup();
    Ok(Arrears {
        total,
        customers: ids.len() as i64,
    })
}
