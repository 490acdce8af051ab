//! The platform's revenue accounts (rule P2, SPEC §6): payments land in one of `SHARDS`
//! accounts of the customer's signing entity, chosen by the customer's id, so payments of
//! different customers never wait on one row lock; reports sum the shards.

use diesel::prelude::*;
use rust_decimal::Decimal;

use super::accounts::AccountKind;
use crate::db::schema::{ledger_accounts, revenue_accounts};

/// How many revenue accounts each signing entity has.
pub const SHARDS: i64 = 64;

/// The shard a customer's payments go to.
pub fn shard_of(customer_id: i64) -> i16 {
    customer_id.rem_euclid(SHARDS) as i16
}

/// The revenue account that receives `customer_id`'s payments to `signing_entity`, opened on
/// first use (a write path: paying is a write).
pub fn account_for(
    conn: &mut PgConnection,
    signing_entity: &str,
    customer_id: i64,
) -> QueryResult<i64> {
    let shard = shard_of(customer_id);
    if let Some(id) = find(conn, signing_entity, shard)? {
        return Ok(id);
    }
    conn.transaction(|conn| {
        // Two first payments of one entity and shard open one account between them.
        diesel::sql_query("SELECT pg_advisory_xact_lock(hashtext('revenue:' || $1), $2)")
            .bind::<diesel::sql_types::Text, _>(signing_entity)
            .bind::<diesel::sql_types::Integer, _>(i32::from(shard))
            .execute(conn)?;
        if let Some(id) = find(conn, signing_entity, shard)? {
            return Ok(id);
        }
        let id: i64 = diesel::insert_into(ledger_accounts::table)
            .values((
                ledger_accounts::kind.eq(AccountKind::Revenue.as_str()),
                ledger_accounts::label.eq(format!("revenue {signing_entity} #{shard}")),
            ))
            .returning(ledger_accounts::id)
            .get_result(conn)?;
        diesel::insert_into(revenue_accounts::table)
            .values((
                revenue_accounts::signing_entity.eq(signing_entity),
                revenue_accounts::shard.eq(shard),
                revenue_accounts::account_id.eq(id),
            ))
            .execute(conn)?;
        Ok(id)
    })
}

fn find(conn: &mut PgConnection, signing_entity: &str, shard: i16) -> QueryResult<Option<i64>> {
    revenue_accounts::table
        .find((signing_entity, shard))
        .select(revenue_accounts::account_id)
        .first(conn)
        .optional()
}

/// What each signing entity has received, summed over its shards, by entity name.
pub fn totals(conn: &mut PgConnection) -> QueryResult<Vec<(String, Decimal)>> {
    revenue_accounts::table
        .inner_join(ledger_accounts::table)
        .group_by(revenue_accounts::signing_entity)
        .select((
            revenue_accounts::signing_entity,
            diesel::dsl::sum(ledger_accounts::balance),
        ))
        .order(revenue_accounts::signing_entity)
        .load::<(String, Option<Decimal>)>(conn)
        .map(|rows| {
            rows.into_iter()
                .map(|(e, s)| (e, s.unwrap_or_default()))
                .collect()
        })
}
