//! A keyset cursor as a value PostgreSQL learns only when the statement runs.
//!
//! Written as a parameter (`id < $1`), the cursor of a page past the first kept its list
//! statement from ever using a generic plan: a custom plan sees how few rows lie past the
//! cursor's value, the generic one assumes a third of them, and with `LIMIT` that makes the
//! generic plan look three times dearer, so PostgreSQL planned the statement again on every
//! view. Written as `(SELECT $1::bigint)`, the value is an init-plan's output that no plan
//! knows in advance: custom and generic plans are the same plan, the generic one is kept, and
//! the index condition still reads `id < $0` at run time.

use std::marker::PhantomData;

use diesel::expression::{
    AppearsOnTable, Expression, SelectableExpression, ValidGrouping, is_aggregate,
};
use diesel::pg::Pg;
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::result::QueryResult;
use diesel::serialize::ToSql;
use diesel::sql_types::{
    Array, BigInt, Bool, Date, HasSqlType, SingleValue, SqlType, Text, Timestamptz,
};

/// The SQL types a value learnt at run time comes in, with the cast written after it.
pub trait RunTimeType {
    const CAST: &'static str;
}

impl RunTimeType for BigInt {
    const CAST: &'static str = "bigint";
}

impl RunTimeType for Text {
    const CAST: &'static str = "text";
}

impl RunTimeType for Timestamptz {
    const CAST: &'static str = "timestamptz";
}

impl RunTimeType for Date {
    const CAST: &'static str = "date";
}

/// `(SELECT $n::type)` holding a keyset cursor's value (an id, a company name, a time) or a
/// bound of a window (a day).
#[derive(Debug, Clone, Copy)]
pub struct AtRunTime<ST, T> {
    value: T,
    sql_type: PhantomData<ST>,
}

fn learnt<ST, T>(value: T) -> AtRunTime<ST, T> {
    AtRunTime {
        value,
        sql_type: PhantomData,
    }
}

/// The cursor `id` for a keyset condition such as `table::id.lt(at_run_time(id))`.
pub fn at_run_time(id: i64) -> AtRunTime<BigInt, i64> {
    learnt(id)
}

/// A text sort key the statement learns at run time.
pub fn text_at_run_time(value: String) -> AtRunTime<Text, String> {
    learnt(value)
}

/// A time sort key the statement learns at run time.
pub fn time_at_run_time(
    value: chrono::DateTime<chrono::Utc>,
) -> AtRunTime<Timestamptz, chrono::DateTime<chrono::Utc>> {
    learnt(value)
}

/// A day the statement learns at run time (a validity bound, a list's cursor).
pub fn date_at_run_time(value: chrono::NaiveDate) -> AtRunTime<Date, chrono::NaiveDate> {
    learnt(value)
}

impl<ST: SqlType + SingleValue, T> Expression for AtRunTime<ST, T> {
    type SqlType = ST;
}

impl<ST: RunTimeType, T> QueryFragment<Pg> for AtRunTime<ST, T>
where
    Pg: HasSqlType<ST>,
    T: ToSql<ST, Pg>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        out.push_sql("(SELECT ");
        out.push_bind_param::<ST, T>(&self.value)?;
        out.push_sql("::");
        out.push_sql(ST::CAST);
        out.push_sql(")");
        Ok(())
    }
}

impl<ST: 'static, T: 'static> QueryId for AtRunTime<ST, T> {
    type QueryId = AtRunTime<ST, T>;
    // The text depends only on the SQL type, so the type identifies the statement.
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl<ST, T, QS> AppearsOnTable<QS> for AtRunTime<ST, T> where Self: Expression {}

impl<ST, T, QS> SelectableExpression<QS> for AtRunTime<ST, T> where Self: AppearsOnTable<QS> {}

impl<ST, T, GB> ValidGrouping<GB> for AtRunTime<ST, T> {
    type IsAggregate = is_aggregate::Never;
}

/// `column = ANY((SELECT $n::bigint[])::bigint[])`: a batch of ids (a page's customers, say)
/// that PostgreSQL learns only when the statement runs. As a plain array parameter the custom
/// plan sees how many ids there are and the generic plan assumes more, so the generic plan
/// never looked cheap enough to keep and the statement was planned on every execution.
#[derive(Debug, Clone)]
pub struct IdsAtRunTime<C> {
    column: C,
    ids: Vec<i64>,
}

/// `column` is one of `ids`, which the statement learns at run time.
pub fn one_of_at_run_time<C>(column: C, ids: &[i64]) -> IdsAtRunTime<C> {
    IdsAtRunTime {
        column,
        ids: ids.to_vec(),
    }
}

impl<C: Expression> Expression for IdsAtRunTime<C> {
    type SqlType = Bool;
}

impl<C: QueryFragment<Pg>> QueryFragment<Pg> for IdsAtRunTime<C> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        self.column.walk_ast(out.reborrow())?;
        out.push_sql(" = ANY((SELECT ");
        out.push_bind_param::<Array<BigInt>, Vec<i64>>(&self.ids)?;
        out.push_sql("::bigint[])::bigint[])");
        Ok(())
    }
}

/// The query id of `IdsAtRunTime` over a column with query id `C`.
pub struct IdsAtRunTimeId<C>(PhantomData<C>);

impl<C: QueryId> QueryId for IdsAtRunTime<C> {
    type QueryId = IdsAtRunTimeId<C::QueryId>;
    const HAS_STATIC_QUERY_ID: bool = C::HAS_STATIC_QUERY_ID;
}

impl<C: AppearsOnTable<QS>, QS> AppearsOnTable<QS> for IdsAtRunTime<C> where Self: Expression {}

impl<C: SelectableExpression<QS>, QS> SelectableExpression<QS> for IdsAtRunTime<C> where
    Self: AppearsOnTable<QS>
{
}

impl<C, GB> ValidGrouping<GB> for IdsAtRunTime<C> {
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

    #[test]
    fn a_batch_of_ids_is_one_array_parameter_inside_a_scalar_subquery() {
        let query = orders::table
            .filter(one_of_at_run_time(orders::customer_id, &[3, 5]))
            .select(orders::id);
        let sql = diesel::debug_query::<Pg, _>(&query).to_string();
        assert!(
            sql.contains("\"orders\".\"customer_id\" = ANY((SELECT $1::bigint[])::bigint[])"),
            "{sql}"
        );
        assert!(sql.contains("binds: [[3, 5]]"), "{sql}");
    }
}
