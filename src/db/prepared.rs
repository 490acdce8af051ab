//! Hand-written SQL that stays a prepared statement.
//!
//! `diesel::sql_query` marks its statement as unsafe to cache, so PostgreSQL parses and plans
//! it on every execution — for the ledger's transfer, a payment's order lock or a page that
//! reads several kept counts in one statement, that planning costs more than the work. The SQL
//! of a `sql_query` here is a `&'static str`, so the set of statements is bounded by the
//! program's text and each is prepared once per connection, like diesel's own query builder.
//! Parameters are written `$1`, `$2`, … and bound in that order with `bind`; a parameter
//! written twice is bound twice.

use diesel::pg::Pg;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::query_dsl::RunQueryDsl;
use diesel::result::QueryResult;
use diesel::serialize::ToSql;
use diesel::sql_types::{HasSqlType, Untyped};
use std::marker::PhantomData;

trait BindValue {
    fn push<'b>(&'b self, out: &mut AstPass<'_, 'b, Pg>) -> QueryResult<()>;
}

struct Value<ST, T> {
    value: T,
    sql_type: PhantomData<ST>,
}

impl<ST, T> BindValue for Value<ST, T>
where
    Pg: HasSqlType<ST>,
    T: ToSql<ST, Pg>,
{
    fn push<'b>(&'b self, out: &mut AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        out.push_bind_param::<ST, T>(&self.value)
    }
}

/// A statement written by hand, prepared once per connection.
pub struct Prepared<'a> {
    sql: &'static str,
    binds: Vec<Box<dyn BindValue + 'a>>,
}

/// The statement `sql`, whose parameters `$1`, `$2`, … are given with `bind` in that order.
pub fn sql_query<'a>(sql: &'static str) -> Prepared<'a> {
    Prepared {
        sql,
        binds: Vec::new(),
    }
}

impl<'a> Prepared<'a> {
    /// Binds the next parameter as SQL type `ST`.
    pub fn bind<ST, T>(mut self, value: T) -> Self
    where
        Pg: HasSqlType<ST>,
        T: ToSql<ST, Pg> + 'a,
        ST: 'a,
    {
        self.binds.push(Box::new(Value {
            value,
            sql_type: PhantomData::<ST>,
        }));
        self
    }
}

/// The statement's text split at its parameters: `(text before, parameter number)` pairs and the
/// text after the last parameter.
fn pieces(sql: &str) -> (Vec<(&str, usize)>, &str) {
    let bytes = sql.as_bytes();
    let mut out = Vec::new();
    let (mut start, mut i) = (0, 0);
    while i < bytes.len() {
        if bytes[i] == b'$' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit) {
            let mut j = i + 1;
            while bytes.get(j).is_some_and(u8::is_ascii_digit) {
                j += 1;
            }
            let n: usize = sql[i + 1..j].parse().unwrap_or(0);
            out.push((&sql[start..i], n));
            start = j;
            i = j;
        } else {
            i += 1;
        }
    }
    (out, &sql[start..])
}

impl QueryFragment<Pg> for Prepared<'_> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        let (params, tail) = pieces(self.sql);
        for (text, n) in params {
            out.push_sql(text);
            let bind = n
                .checked_sub(1)
                .and_then(|k| self.binds.get(k))
                .ok_or_else(|| {
                    diesel::result::Error::QueryBuilderError(
                        format!("parameter ${n} has no bound value").into(),
                    )
                })?;
            bind.push(&mut out)?;
        }
        out.push_sql(tail);
        Ok(())
    }
}

impl QueryId for Prepared<'_> {
    type QueryId = ();
    // Cached by the statement's text and parameter types (diesel's `StatementCacheKey::Sql`).
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl Query for Prepared<'_> {
    type SqlType = Untyped;
}

impl<Conn> RunQueryDsl<Conn> for Prepared<'_> {}

#[cfg(test)]
mod tests {
    use super::*;
    use diesel::sql_types::{BigInt, Text};

    #[test]
    fn parameters_are_found_in_order_and_dollar_signs_elsewhere_are_text() {
        let (params, tail) = pieces("SELECT $1, '$x', $12 FROM t WHERE a = $1");
        assert_eq!(
            params,
            vec![("SELECT ", 1), (", '$x', ", 12), (" FROM t WHERE a = ", 1)]
        );
        assert_eq!(tail, "");
    }

    #[test]
    fn a_parameter_used_twice_is_bound_twice() {
        let q = sql_query("SELECT $1 + $2 WHERE $1 > 0")
            .bind::<BigInt, _>(7)
            .bind::<Text, _>("x");
        let sql = diesel::debug_query::<Pg, _>(&q).to_string();
        assert!(sql.starts_with("SELECT $1 + $2 WHERE $3 > 0"), "{sql}");
        assert!(sql.contains("[7, \"x\", 7]"), "{sql}");
    }

    #[test]
    fn a_missing_value_is_an_error_not_a_panic() {
        let q = sql_query("SELECT $2").bind::<BigInt, _>(1);
        let mut qb = diesel::pg::PgQueryBuilder::default();
        assert!(QueryFragment::<Pg>::to_sql(&q, &mut qb, &Pg).is_err());
    }

    #[test]
    fn the_statement_is_cacheable() {
        let q = sql_query("SELECT 1");
        assert!(QueryFragment::<Pg>::is_safe_to_cache_prepared(&q, &Pg).unwrap());
        assert!(
            !QueryFragment::<Pg>::is_safe_to_cache_prepared(&diesel::sql_query("SELECT 1"), &Pg)
                .unwrap()
        );
    }
}
