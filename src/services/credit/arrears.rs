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

use diesel::expression::{AppearsOnTable, Expression, ValidGrouping, is_aggregate};
use diesel::pg::Pg;
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::sql_types::{Bool, Date};

/// What the partner's customers owe past due: the total still open and how many customers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Arrears {
    pub total: Decimal,
    pub customers: i64,
}

/// The condition that makes an open debt overdue (欠费), followed by the day it is judged on.
macro_rules! overdue_debt {
    () => {
        "settled_at IS NULL AND due_on < "
    };
}

/// The overdue debts as a materialised CTE named `overdue (customer_id, open)`, with `$today`
/// the parameter that holds the day: a range of `debts_overdue_idx`, read before any customer
/// so the plan never turns round to walk the partner's customers instead. The withdrawable
/// amount's statement starts from it (`withdrawable::of_partner`).
macro_rules! overdue_debts {
    ($today:literal) => {
        concat!(
            "WITH overdue AS MATERIALIZED ( \
               SELECT customer_id, amount - repaid AS open FROM debts WHERE ",
            $crate::services::credit::arrears::overdue_debt!(),
            $today,
            ") "
        )
    };
}
pub(crate) use {overdue_debt, overdue_debts};

/// The customer list's "in arrears" filter as a condition of its one statement:
/// `customers.id = ANY(ARRAY(<the overdue debts' customers>))`. The overdue debts are an init
/// plan read once per view (a range of `debts_overdue_idx`), so the filter costs what they
/// number, not the book's size; the day is learnt at run time, so the list keeps one generic
/// plan (as a list of ids bound as values the statement was planned on every view).
#[derive(Debug, Clone, Copy)]
pub struct InArrears {
    today: NaiveDate,
}

/// Customers with a debt still open after its due day, as of `today`.
pub fn customer_in_arrears(today: NaiveDate) -> InArrears {
    InArrears { today }
}

impl Expression for InArrears {
    type SqlType = Bool;
}

impl QueryFragment<Pg> for InArrears {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        out.push_sql(concat!(
            "\"customers\".\"id\" = ANY(ARRAY(SELECT customer_id FROM debts WHERE ",
            overdue_debt!(),
            "(SELECT "
        ));
        out.push_bind_param::<Date, NaiveDate>(&self.today)?;
        out.push_sql("::date)))");
        Ok(())
    }
}

impl QueryId for InArrears {
    type QueryId = InArrears;
    // The text is always the same: the statement is cached like the builder's own.
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl AppearsOnTable<crate::db::schema::customers::table> for InArrears {}

impl ValidGrouping<()> for InArrears {
    type IsAggregate = is_aggregate::Never;
}
