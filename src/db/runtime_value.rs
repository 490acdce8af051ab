//! A keyset cursor as a value PostgreSQL learns only when the statement runs.
//!
//! Written as a parameter (`id < $1`), the cursor of a page past the first kept its list
//! statement from ever using a generic plan: a custom plan sees how few rows lie past the
//! cursor's value, the generic one assumes a third of them, and with `LIMIT` that makes the
//! generic plan look three times dearer, so PostgreSQL planned the statement again on every
//! view. Written as `(SELECT $1::bigint)`, the value is an init-plan's output that no plan
//! knows in advance: custom and generic plans are the same plan, the generic one is kept, and
//! the index condition still reads `id < $0` at run time.

use diesel::expression::{
    AppearsOnTable, Expression, SelectableExpression, ValidGrouping, is_aggregate,
};
use diesel::pg::Pg;
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::result::QueryResult;
use diesel::sql_types::BigInt;

/// `(SELECT $n::bigint)` holding `id`.
#[derive(Debug, Clone, Copy)]
pub struct RuntimeId(i64);

/// The cursor `id` for a keyset condition such as `table::id.lt(at_run_time(id))`.
pub fn at_run_time(id: i64) -> RuntimeId {
    RuntimeId(id)
}

impl Expression for RuntimeId {
    type SqlType = BigInt;
}

impl QueryFragment<Pg> for RuntimeId {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        out.push_sql("(SELECT ");
        out.push_bind_param::<BigInt, i64>(&self.0)?;
        out.push_sql("::bigint)");
        Ok(())
    }
}

impl QueryId for RuntimeId {
    type QueryId = RuntimeId;
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl<QS> AppearsOnTable<QS> for RuntimeId {}

impl<QS> SelectableExpression<QS> for RuntimeId {}

impl<GB> ValidGrouping<GB> for RuntimeId {
    type IsAggregate = is_aggregate::Never;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::schema::orders;
    use diesel::prelude::*;

    #[test]
    fn the_cursor_is_a_bound_parameter_inside_a_scalar_subquery() {
        let query = orders::table
            .filter(orders::id.lt(at_run_time(41)))
            .select(orders::id);
        let sql = diesel::debug_query::<Pg, _>(&query).to_string();
        assert!(
            sql.contains("\"orders\".\"id\" < (SELECT $1::bigint)"),
            "{sql}"
        );
        assert!(sql.contains("binds: [41]"), "{sql}");
    }
}
