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

/// The overdue debts as a materialised CTE named `overdue (customer_id, open)`, with `$today`
/// the parameter that holds the day: a range of `debts_overdue_idx`, read before any customer
/// so the plan never turns round to walk the partner's customers instead. Shared by the list's
/// filter and the withdrawable amount's statement (`withdrawable::of_partner`).
macro_rules! overdue_debts {
    ($today:literal) => {
        concat!(
            "WITH overdue AS MATERIALIZED ( \
               SELECT customer_id, amount - repaid AS open FROM debts \
               WHERE settled_at IS NULL AND due_on < ",
            $today,
            ") "
        )
    };
}
pub(crate) use overdue_debts;

/// The overdue debts first, then each one's customer by key.
const OVERDUE_OF_PARTNER: &str = concat!(
    overdue_debts!("$1"),
    "SELECT o.customer_id, o.open FROM overdue o JOIN customers c ON c.id = o.customer_id \
     WHERE c.partner_id = $2"
);

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
