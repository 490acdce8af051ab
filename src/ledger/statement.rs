//! `sql/transfer.sql` and `sql/batch.sql` as diesel queries with static ids, so every
//! connection prepares each once and reuses the plan (a plain `sql_query` is parsed and
//! planned on every call). A batch binds arrays, so one plan serves any number of legs.

use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::sql_types::{Array, BigInt, Jsonb, Nullable, Numeric, Text, Untyped};
use rust_decimal::Decimal;

const SQL: &str = include_str!("sql/transfer.sql");
const BATCH_SQL: &str = include_str!("sql/batch.sql");

pub(super) struct TransferStatement<'a> {
    pub kind: &'a str,
    pub key: &'a str,
    pub hash: &'a str,
    pub from: i64,
    pub to: i64,
    pub amount: Decimal,
    pub memo: &'a str,
    pub actor_user: Option<i64>,
    pub reverses: Option<i64>,
    pub actor_email: &'a str,
    pub actor_org: Option<i64>,
    pub details: serde_json::Value,
    pub request_id: &'a str,
    pub client_ip: &'a str,
}

impl<'a> TransferStatement<'a> {
    /// The value of `$n` in the SQL text.
    fn bind<'b>(&'b self, n: usize, out: &mut AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        match n {
            1 => out.push_bind_param::<Text, _>(self.kind),
            2 => out.push_bind_param::<Text, _>(self.key),
            3 => out.push_bind_param::<Text, _>(self.hash),
            4 => out.push_bind_param::<BigInt, _>(&self.from),
            5 => out.push_bind_param::<BigInt, _>(&self.to),
            6 => out.push_bind_param::<Numeric, _>(&self.amount),
            7 => out.push_bind_param::<Text, _>(self.memo),
            8 => out.push_bind_param::<Nullable<BigInt>, _>(&self.actor_user),
            9 => out.push_bind_param::<Nullable<BigInt>, _>(&self.reverses),
            10 => out.push_bind_param::<Text, _>(self.actor_email),
            11 => out.push_bind_param::<Nullable<BigInt>, _>(&self.actor_org),
            12 => out.push_bind_param::<Jsonb, _>(&self.details),
            13 => out.push_bind_param::<Text, _>(self.request_id),
            14 => out.push_bind_param::<Text, _>(self.client_ip),
            _ => Err(diesel::result::Error::QueryBuilderError(
                format!("transfer.sql names ${n}").into(),
            )),
        }
    }
}

impl QueryFragment<Pg> for TransferStatement<'_> {
    fn walk_ast<'b>(&'b self, out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        walk_numbered(SQL, out, |n, out| self.bind(n, out))
    }
}

/// Copies the SQL text, turning each `$n` into a bind of that value (a value used several
/// times is bound several times).
fn walk_numbered<'b>(
    sql: &'static str,
    mut out: AstPass<'_, 'b, Pg>,
    mut bind: impl FnMut(usize, &mut AstPass<'_, 'b, Pg>) -> QueryResult<()>,
) -> QueryResult<()> {
    let mut rest = sql;
    while let Some(at) = rest.find('$') {
        out.push_sql(&rest[..at]);
        let digits = rest[at + 1..]
            .bytes()
            .take_while(u8::is_ascii_digit)
            .count();
        let n = rest[at + 1..at + 1 + digits].parse().unwrap_or(0);
        bind(n, &mut out)?;
        rest = &rest[at + 1 + digits..];
    }
    out.push_sql(rest);
    Ok(())
}

impl QueryId for TransferStatement<'_> {
    type QueryId = TransferStatement<'static>;
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl Query for TransferStatement<'_> {
    type SqlType = Untyped;
}

impl RunQueryDsl<PgConnection> for TransferStatement<'_> {}

/// `sql/batch.sql`: one array element per leg (all arrays the same length).
pub(super) struct BatchStatement<'a> {
    pub kinds: Vec<&'a str>,
    pub from: Vec<i64>,
    pub to: Vec<i64>,
    pub amounts: Vec<Decimal>,
    pub keys: Vec<&'a str>,
    pub hashes: Vec<String>,
    pub memos: Vec<&'a str>,
    pub actor_user: Option<i64>,
    pub actor_email: &'a str,
    pub actor_org: Option<i64>,
    pub request_id: &'a str,
    pub details: Vec<serde_json::Value>,
    pub client_ip: &'a str,
}

impl<'a> BatchStatement<'a> {
    /// The value of `$n` in the SQL text.
    fn bind<'b>(&'b self, n: usize, out: &mut AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        match n {
            1 => out.push_bind_param::<Array<Text>, _>(&self.kinds),
            2 => out.push_bind_param::<Array<BigInt>, _>(&self.from),
            3 => out.push_bind_param::<Array<BigInt>, _>(&self.to),
            4 => out.push_bind_param::<Array<Numeric>, _>(&self.amounts),
            5 => out.push_bind_param::<Array<Text>, _>(&self.keys),
            6 => out.push_bind_param::<Array<Text>, _>(&self.hashes),
            7 => out.push_bind_param::<Array<Text>, _>(&self.memos),
            8 => out.push_bind_param::<Nullable<BigInt>, _>(&self.actor_user),
            9 => out.push_bind_param::<Text, _>(self.actor_email),
            10 => out.push_bind_param::<Nullable<BigInt>, _>(&self.actor_org),
            11 => out.push_bind_param::<Text, _>(self.request_id),
            12 => out.push_bind_param::<Array<Jsonb>, _>(&self.details),
            13 => out.push_bind_param::<Text, _>(self.client_ip),
            _ => Err(diesel::result::Error::QueryBuilderError(
                format!("batch.sql names ${n}").into(),
            )),
        }
    }
}

impl QueryFragment<Pg> for BatchStatement<'_> {
    fn walk_ast<'b>(&'b self, out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        walk_numbered(BATCH_SQL, out, |n, out| self.bind(n, out))
    }
}

impl QueryId for BatchStatement<'_> {
    type QueryId = BatchStatement<'static>;
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl Query for BatchStatement<'_> {
    type SqlType = Untyped;
}

impl RunQueryDsl<PgConnection> for BatchStatement<'_> {}
