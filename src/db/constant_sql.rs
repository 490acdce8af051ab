//! SQL written into a statement as constant text that keeps it prepared: a word of a closed
//! set, an id the caller already holds, or a fixed piece of the program's own text.
//!
//! As a parameter, a rare value (a reseller invitation among thousands of customer ones) makes
//! PostgreSQL's generic plan look dear beside the custom one, so the statement is planned again
//! on every execution (README, "Where the time goes"). `diesel::dsl::sql` would not help: it
//! marks the statement as unsafe to prepare. A `ConstantSql` is made only from a closed set's
//! stored words, ids the caller holds or `&'static str` text (never from text a user typed), so
//! each value is its own prepared statement whose generic plan is the custom plan.

use std::marker::PhantomData;

use diesel::expression::{
    AppearsOnTable, Expression, SelectableExpression, TypedExpressionType, ValidGrouping,
    is_aggregate,
};
use diesel::pg::Pg;
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::result::QueryResult;
use diesel::sql_types::SqlType;

/// SQL text typed as `ST`, valid wherever the tables it names are in the FROM clause.
#[derive(Debug, Clone)]
pub struct ConstantSql<ST> {
    sql: String,
    sql_type: PhantomData<ST>,
}

/// The opposite choice: a condition that is always true and keeps diesel from preparing the
/// statement, so PostgreSQL plans it on every execution with its values. For narrowed lists
/// whose best plan depends on the values (README, "Where the time goes").
pub fn planned_every_time() -> diesel::expression::SqlLiteral<diesel::sql_types::Bool> {
    diesel::dsl::sql::<diesel::sql_types::Bool>("TRUE")
}

/// A fixed piece of SQL from the program's text (never from input), typed as `ST`: a
/// correlated subquery the query builder cannot write, such as a value read for each row of
/// the outer query. Unlike `diesel::dsl::sql`, the statement stays prepared.
pub fn fixed<ST>(sql: &'static str) -> ConstantSql<ST> {
    ConstantSql {
        sql: sql.to_string(),
        sql_type: PhantomData,
    }
}

/// Only a closed set's stored words (lowercase and `_`) are ever written into SQL.
fn require_enum_word(word: &str) {
    assert!(
        word.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
        "only enum words are written into SQL"
    );
}

/// `"table"."column" = 'word'` for a word of a closed set (`text_enum!` values).
pub fn word_is(
    table: &'static str,
    column: &'static str,
    word: &'static str,
) -> ConstantSql<diesel::sql_types::Bool> {
    require_enum_word(word);
    ConstantSql {
        sql: format!("\"{table}\".\"{column}\" = '{word}'"),
        sql_type: PhantomData,
    }
}

/// `"table"."column" = ANY('{a,b}'::text[])` for words of a closed set (`text_enum!` values):
/// a parameter array of words would let the custom plan see them and the generic plan not, and
/// the statement would be planned on every execution; as a constant it stays an index condition.
pub fn words_are_one_of(
    table: &'static str,
    column: &'static str,
    words: &[&'static str],
) -> ConstantSql<diesel::sql_types::Bool> {
    words.iter().for_each(|w| require_enum_word(w));
    ConstantSql {
        sql: format!(
            "\"{table}\".\"{column}\" = ANY('{{{}}}'::text[])",
            words.join(",")
        ),
        sql_type: PhantomData,
    }
}

/// `"table"."column" = id` for an id the caller already holds (never typed text): one prepared
/// statement per id whose generic plan is the custom plan. An organisation holding most of
/// the customers would otherwise make the generic plan (sized for an average organisation)
/// look dearer than a custom one, and the statement would be planned on every execution.
pub fn id_is(
    table: &'static str,
    column: &'static str,
    id: i64,
) -> ConstantSql<diesel::sql_types::Bool> {
    ConstantSql {
        sql: format!("\"{table}\".\"{column}\" = {id}"),
        sql_type: PhantomData,
    }
}

/// `"table"."column" = ANY('{id}')` for an id the caller already holds (never typed text): the
/// statement keeps one prepared plan per id. As `= ANY` rather than `=`, PostgreSQL does not
/// take the column as a constant of an `ORDER BY column, …`, so only indexes led by the column
/// give that order (a list newest-first within one organisation never walks the primary key).
pub fn id_is_one_of(
    table: &'static str,
    column: &'static str,
    id: i64,
) -> ConstantSql<diesel::sql_types::Bool> {
    ConstantSql {
        sql: format!("\"{table}\".\"{column}\" = ANY('{{{id}}}'::bigint[])"),
        sql_type: PhantomData,
    }
}

/// `"table"."column" = ANY('{a,b,…}')` for ids the caller already holds (a supervisor's team):
/// like `id_is_one_of`, one prepared statement per set of ids.
pub fn ids_are_one_of(
    table: &'static str,
    column: &'static str,
    ids: &[i64],
) -> ConstantSql<diesel::sql_types::Bool> {
    let list: Vec<String> = ids.iter().map(i64::to_string).collect();
    ConstantSql {
        sql: format!(
            "\"{table}\".\"{column}\" = ANY('{{{}}}'::bigint[])",
            list.join(",")
        ),
        sql_type: PhantomData,
    }
}

impl<ST: SqlType + TypedExpressionType> Expression for ConstantSql<ST> {
    type SqlType = ST;
}

impl<ST> QueryFragment<Pg> for ConstantSql<ST> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        out.push_sql(&self.sql);
        Ok(())
    }
}

impl<ST> QueryId for ConstantSql<ST> {
    type QueryId = ();
    // The text differs between constants of one type: cache by the statement's text.
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<ST, QS> AppearsOnTable<QS> for ConstantSql<ST> where Self: Expression {}

impl<ST, QS> SelectableExpression<QS> for ConstantSql<ST> where Self: AppearsOnTable<QS> {}

impl<ST, GB> ValidGrouping<GB> for ConstantSql<ST> {
    type IsAggregate = is_aggregate::Never;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_is_written_as_a_one_element_array() {
        let sql =
            diesel::debug_query::<Pg, _>(&id_is_one_of("coupons", "partner_id", 42)).to_string();
        assert!(
            sql.starts_with("\"coupons\".\"partner_id\" = ANY('{42}'::bigint[])"),
            "{sql}"
        );
    }

    #[test]
    fn ids_are_written_as_one_array() {
        let sql = diesel::debug_query::<Pg, _>(&ids_are_one_of("customers", "manager_id", &[3, 7]))
            .to_string();
        assert!(
            sql.starts_with("\"customers\".\"manager_id\" = ANY('{3,7}'::bigint[])"),
            "{sql}"
        );
    }

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
        let sql =
            diesel::debug_query::<Pg, _>(&words_are_one_of("a", "kind", &["x", "y_z"])).to_string();
        assert!(
            sql.starts_with("\"a\".\"kind\" = ANY('{x,y_z}'::text[])"),
            "{sql}"
        );
        let typed = std::panic::catch_unwind(|| words_are_one_of("t", "c", &["ok", "x}'"]));
        assert!(typed.is_err());
    }
}
