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

use diesel::sql_types::{BigInt, Date, Numeric};

/// What the partner's customers owe past due: the total still open and how many customers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Arrears {
    pub total: Decimal,
    pub customers: i64,
}

#[derive(QueryableByName)]
struct Overdue {
    #[diesel(sql_type = BigInt)]
    customer_id: i64,
    #[diesel(sql_type = Numeric)]
    open: Decimal,
}

/// The overdue debts first (a range of `debts_overdue_idx`), then each one's customer by key:
/// materialised, so the plan never turns round to walk the partner's customers instead.
const OVERDUE_OF_PARTNER: &str = "
WITH overdue AS MATERIALIZED (
    SELECT customer_id, amount - repaid AS open FROM debts
    WHERE settled_at IS NULL AND due_on < $1
)
SELECT o.customer_id, o.open FROM overdue o JOIN customers c ON c.id = o.customer_id
WHERE c.partner_id = $2";

/// Overdue open debts `(customer, open amount)` of the partner's customers.
fn overdue_of_partner(
    conn: &mut PgConnection,
    partner_id: i64,
    today: NaiveDate,
) -> QueryResult<Vec<(i64, Decimal)>> {
    let rows: Vec<Overdue> = crate::db::prepared::sql_query(OVERDUE_OF_PARTNER)
        .bind::<Date, _>(today)
        .bind::<BigInt, _>(partner_id)
        .load(conn)?;
    Ok(rows.into_iter().map(|r| (r.customer_id, r.open)).collect())
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
