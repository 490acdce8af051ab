//! The order jobs (rule P1), safe on several instances at once (rows are claimed with
//! `FOR UPDATE SKIP LOCKED`): provisioning completes paid orders within seconds (their term
//! dates were set when they were paid), and orders left unpaid (pending payment or review) for
//! `EXPIRE_AFTER_DAYS` are cancelled with the reason `expired`. Both walk `orders_open_idx`.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};

use super::{EXPIRE_AFTER_DAYS, EXPIRED_REASON, actions};
use crate::audit::{self, Entry};
use crate::domain::Caller;
use crate::services::ServiceResult;

/// Orders one statement moves; a job repeats until fewer are due.
const BATCH: i64 = 500;

#[derive(QueryableByName)]
struct Moved {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

/// rule P1: every `processing` order becomes `completed` (provisioning is immediate here).
/// Returns how many were completed.
pub fn complete_processing(conn: &mut PgConnection, caller: &Caller) -> ServiceResult<usize> {
    if !is_due(
        conn,
        "SELECT EXISTS (SELECT 1 FROM orders WHERE state = 'processing') AS due",
    )? {
        return Ok(0);
    }
    batches(conn, caller, actions::COMPLETED, |conn| {
        diesel::sql_query(
            "WITH due AS (SELECT id FROM orders WHERE state = 'processing' \
                          ORDER BY created_at LIMIT $1 FOR UPDATE SKIP LOCKED) \
             UPDATE orders o SET state = 'completed', updated_at = now() \
             FROM due WHERE o.id = due.id RETURNING o.id",
        )
        .bind::<BigInt, _>(BATCH)
        .load(conn)
    })
}

/// rule P1: orders pending payment or review for `EXPIRE_AFTER_DAYS` are cancelled, reason
/// `expired`. Returns how many.
pub fn expire_unpaid(conn: &mut PgConnection, caller: &Caller) -> ServiceResult<usize> {
    // The oldest order of each state, one probe of `orders_open_idx (state, created_at)` each.
    // (`EXISTS` over both states and the age let PostgreSQL guess that most open orders are old
    // and scan the whole table looking for one: 0.7 s a minute at 1M orders.)
    let due = format!(
        "SELECT COALESCE(bool_or(created_at < now() - interval '{EXPIRE_AFTER_DAYS} days'), false) \
           AS due \
         FROM ((SELECT created_at FROM orders WHERE state = 'pending_payment' \
                ORDER BY created_at LIMIT 1) \
               UNION ALL \
               (SELECT created_at FROM orders WHERE state = 'pending_review' \
                ORDER BY created_at LIMIT 1)) oldest"
    );
    if !is_due(conn, &due)? {
        return Ok(0);
    }
    batches(conn, caller, actions::EXPIRED, |conn| {
        diesel::sql_query(
            "WITH due AS (SELECT id FROM orders \
                          WHERE state IN ('pending_payment', 'pending_review') \
                            AND created_at < now() - make_interval(days => $2::int) \
                          ORDER BY created_at LIMIT $1 FOR UPDATE SKIP LOCKED) \
             UPDATE orders o SET state = 'cancelled', reason = $3, updated_at = now() \
             FROM due WHERE o.id = due.id RETURNING o.id",
        )
        .bind::<BigInt, _>(BATCH)
        .bind::<BigInt, _>(EXPIRE_AFTER_DAYS)
        .bind::<Text, _>(EXPIRED_REASON)
        .load(conn)
    })
}

/// The answer `due` of `sql`, a constant statement of this module that reads `orders_open_idx`,
/// so an idle job opens no transaction.
fn is_due(conn: &mut PgConnection, sql: &str) -> QueryResult<bool> {
    #[derive(QueryableByName)]
    struct Due {
        #[diesel(sql_type = diesel::sql_types::Bool)]
        due: bool,
    }
    Ok(diesel::sql_query(sql).get_result::<Due>(conn)?.due)
}

/// Runs `step` in its own transaction until it moves fewer than a batch, auditing each order.
fn batches(
    conn: &mut PgConnection,
    caller: &Caller,
    action: &str,
    step: impl Fn(&mut PgConnection) -> QueryResult<Vec<Moved>>,
) -> ServiceResult<usize> {
    let mut total = 0;
    loop {
        let moved = conn.transaction(|conn| -> QueryResult<usize> {
            let rows = step(conn)?;
            let entries = rows
                .iter()
                .map(|r| Entry::new(action, "order", r.id))
                .collect();
            audit::record_many(conn, caller, entries)?;
            Ok(rows.len())
        })?;
        total += moved;
        if (moved as i64) < BATCH {
            return Ok(total);
        }
    }
}
