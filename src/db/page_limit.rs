//! `LIMIT n` written into the statement instead of bound as a parameter.
//!
//! With `LIMIT $n` PostgreSQL's generic plan guesses that a tenth of the table is wanted, so the
//! generic plan always looks dearer than a custom one and every execution of a list statement
//! is planned again (README, "Where the time goes"). Written as a number, the generic plan of a
//! page costs what a custom plan costs and is kept after five executions. Page sizes are a
//! small bounded set (`keyset::MAX_SIZE + 1` at most), so the statement cache stays small.

use diesel::pg::Pg;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::query_dsl::RunQueryDsl;
use diesel::result::QueryResult;

/// The query `Q` followed by `LIMIT n` (use on a query without a limit of its own).
#[derive(Debug, Clone, Copy)]
pub struct Limited<Q> {
    query: Q,
    limit: u32,
}

/// `query` limited to `limit` rows (at least one), the number written into the SQL.
pub fn limited<Q>(query: Q, limit: i64) -> Limited<Q> {
    Limited {
        query,
        limit: u32::try_from(limit.max(1)).unwrap_or(u32::MAX),
    }
}

impl<Q: QueryFragment<Pg>> QueryFragment<Pg> for Limited<Q> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        self.query.walk_ast(out.reborrow())?;
        out.push_sql(" LIMIT ");
        out.push_sql(&self.limit.to_string());
        Ok(())
    }
}

impl<Q> QueryId for Limited<Q> {
    type QueryId = ();
    // The SQL text depends on the number, so the statement is cached by its text.
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<Q: Query> Query for Limited<Q> {
    type SqlType = Q::SqlType;
}

impl<Q, Conn> RunQueryDsl<Conn> for Limited<Q> {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::schema::customers;
    use diesel::prelude::*;

    #[test]
    fn the_limit_is_written_as_a_number_after_the_query() {
        let query = customers::table
            .filter(customers::partner_id.eq(7))
            .order(customers::id)
            .select(customers::id)
            .into_boxed::<Pg>();
        let sql = diesel::debug_query::<Pg, _>(&limited(query, 21)).to_string();
        assert!(
            sql.contains("ORDER BY \"customers\".\"id\" LIMIT 21 --"),
            "{sql}"
        );
        assert!(sql.contains("binds: [7]"), "{sql}");
        let sql = diesel::debug_query::<Pg, _>(&limited(customers::table.select(customers::id), 0))
            .to_string();
        assert!(sql.contains("LIMIT 1 --"), "{sql}");
    }
}
