//! A fixed piece of SQL as a typed expression that keeps its statement cacheable.
//!
//! Filters on a closed set of values (an enum's words, a parsed id) are written as constants so
//! PostgreSQL plans them with their values: as parameters, a rare value (a reseller invitation
//! among thousands of customer ones, an unverified advisory customer) makes the generic plan
//! look dear, so every execution is planned again (README, "Where the time goes").
//!
//! `diesel::dsl::sql` marks the whole statement as unsafe to prepare, so PostgreSQL plans it on
//! every execution. A `StaticSql` is a compile-time constant (never built from input), so the
//! statement it sits in stays a prepared statement whose generic plan PostgreSQL keeps. Used for
//! the correlated lookups diesel's DSL cannot express, such as a list row's balance.

use std::borrow::Cow;
use std::marker::PhantomData;

use diesel::expression::{
    AppearsOnTable, Expression, SelectableExpression, TypedExpressionType, ValidGrouping,
    is_aggregate,
};
use diesel::pg::Pg;
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::result::QueryResult;
use diesel::sql_types::SqlType;

/// `sql`, typed as `ST`, valid wherever the tables it names are in the FROM clause (the
/// author checks that, as with any SQL text).
#[derive(Debug)]
pub struct StaticSql<ST> {
    sql: Cow<'static, str>,
    sql_type: PhantomData<ST>,
}

impl<ST> Clone for StaticSql<ST> {
    fn clone(&self) -> Self {
        StaticSql {
            sql: self.sql.clone(),
            sql_type: PhantomData,
        }
    }
}

/// A constant SQL expression of type `ST`.
pub const fn static_sql<ST>(sql: &'static str) -> StaticSql<ST> {
    StaticSql {
        sql: Cow::Borrowed(sql),
        sql_type: PhantomData,
    }
}

/// SQL made from values of a closed set (an enum's stored word, a parsed id): never from text
/// a user typed. Each distinct value is its own cached statement, planned with the value.
pub fn closed_set_sql<ST>(sql: String) -> StaticSql<ST> {
    StaticSql {
        sql: Cow::Owned(sql),
        sql_type: PhantomData,
    }
}

/// `"table"."column" = 'word'` for a word of a closed set (`text_enum!` values).
pub fn word_is(
    table: &'static str,
    column: &'static str,
    word: &'static str,
) -> StaticSql<diesel::sql_types::Bool> {
    assert!(
        word.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
        "only enum words are written into SQL"
    );
    closed_set_sql(format!("\"{table}\".\"{column}\" = '{word}'"))
}

impl<ST: SqlType + TypedExpressionType> Expression for StaticSql<ST> {
    type SqlType = ST;
}

impl<ST> QueryFragment<Pg> for StaticSql<ST> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        out.push_sql(&self.sql);
        Ok(())
    }
}

impl<ST> QueryId for StaticSql<ST> {
    type QueryId = ();
    // The text differs between constants of one type: cache by the statement's text.
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<ST, QS> AppearsOnTable<QS> for StaticSql<ST> where Self: Expression {}

impl<ST, QS> SelectableExpression<QS> for StaticSql<ST> where Self: AppearsOnTable<QS> {}

impl<ST, GB> ValidGrouping<GB> for StaticSql<ST> {
    type IsAggregate = is_aggregate::Never;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_quoted_and_only_enum_words_pass() {
        let sql =
            diesel::debug_query::<Pg, _>(&word_is("invitations", "kind", "reseller")).to_string();
        assert!(
            sql.starts_with("\"invitations\".\"kind\" = 'reseller'"),
            "{sql}"
        );
        let typed = std::panic::catch_unwind(|| word_is("t", "c", "x'; DROP TABLE t; --"));
        assert!(typed.is_err());
    }
}
