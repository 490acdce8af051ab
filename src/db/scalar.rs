//! Several small reads in one statement: each query becomes a value of one outer `SELECT`
//! (`SELECT (q1), (SELECT count(*) FROM (q2) AS bounded), …`), so a page that shows a few
//! kept counts — the partner dashboard's tiles — pays one round trip and one plan instead of
//! one per count (README, "Where the time goes"). The queries keep their own conditions,
//! scopes and limits; only their results are gathered.

use std::marker::PhantomData;

use diesel::expression::{
    AppearsOnTable, Expression, SelectableExpression, TypedExpressionType, ValidGrouping,
    is_aggregate,
};
use diesel::pg::Pg;
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::result::QueryResult;
use diesel::sql_types::{BigInt, Nullable, SqlType};

/// A query's single value (or `NULL` when there is no query) as an expression of type `ST`.
pub struct Scalar<'a, ST> {
    query: Option<Box<dyn QueryFragment<Pg> + Send + 'a>>,
    counted: bool,
    sql_type: PhantomData<ST>,
}

/// The value of a query that returns at most one row of one column (use `LIMIT 1` or an
/// aggregate): `NULL` when it returns no row.
pub fn value<'a, ST, Q>(query: Q) -> Scalar<'a, ST>
where
    Q: QueryFragment<Pg> + Send + 'a,
{
    Scalar {
        query: Some(Box::new(query)),
        counted: false,
        sql_type: PhantomData,
    }
}

/// How many rows a query returns; bound it with a `LIMIT` so the count costs the same however
/// many rows match.
pub fn count_of<'a, Q>(query: Q) -> Scalar<'a, BigInt>
where
    Q: QueryFragment<Pg> + Send + 'a,
{
    Scalar {
        query: Some(Box::new(query)),
        counted: true,
        sql_type: PhantomData,
    }
}

/// `NULL`: a value this reader is not shown (a tile for admins only).
pub fn none<'a, ST>() -> Scalar<'a, ST> {
    Scalar {
        query: None,
        counted: false,
        sql_type: PhantomData,
    }
}

impl<'a, ST> Scalar<'a, ST> {
    /// The same value read as possibly `NULL`, to stand beside `none()` for readers who are
    /// not shown it.
    pub fn nullable(self) -> Scalar<'a, Nullable<ST>> {
        Scalar {
            query: self.query,
            counted: self.counted,
            sql_type: PhantomData,
        }
    }
}

impl<ST: SqlType + TypedExpressionType> Expression for Scalar<'_, ST> {
    type SqlType = ST;
}

impl<ST> QueryFragment<Pg> for Scalar<'_, ST> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        match &self.query {
            None => out.push_sql("NULL"),
            Some(q) if self.counted => {
                out.push_sql("(SELECT count(*) FROM (");
                q.walk_ast(out.reborrow())?;
                out.push_sql(") AS bounded)");
            }
            Some(q) => {
                out.push_sql("(");
                q.walk_ast(out.reborrow())?;
                out.push_sql(")");
            }
        }
        Ok(())
    }
}

impl<ST> QueryId for Scalar<'_, ST> {
    type QueryId = ();
    // The text depends on the queries inside: cached by the statement's text.
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<ST, QS> AppearsOnTable<QS> for Scalar<'_, ST> where Self: Expression {}

impl<ST, QS> SelectableExpression<QS> for Scalar<'_, ST> where Self: AppearsOnTable<QS> {}

impl<ST, GB> ValidGrouping<GB> for Scalar<'_, ST> {
    type IsAggregate = is_aggregate::Never;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::page_limit::limited;
    use crate::db::schema::{customers, organizations};
    use diesel::prelude::*;
    use diesel::sql_types::Text;

    #[test]
    fn values_counts_and_nulls_are_written_as_subqueries_of_one_select() {
        let q = diesel::select((
            value::<Nullable<Text>, _>(
                organizations::table
                    .filter(organizations::id.eq(7))
                    .select(organizations::name)
                    .limit(1),
            ),
            count_of(limited(
                customers::table
                    .filter(customers::partner_id.eq(7))
                    .select(customers::id),
                101,
            )),
            none::<Nullable<BigInt>>(),
        ));
        let sql = diesel::debug_query::<Pg, _>(&q).to_string();
        assert!(
            sql.starts_with(
                "SELECT (SELECT \"organizations\".\"name\" FROM \"organizations\" WHERE \
                 (\"organizations\".\"id\" = $1) LIMIT $2), (SELECT count(*) FROM (SELECT \
                 \"customers\".\"id\" FROM \"customers\" WHERE (\"customers\".\"partner_id\" = \
                 $3) LIMIT 101) AS bounded), NULL"
            ),
            "{sql}"
        );
    }
}
