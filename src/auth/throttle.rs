//! Sliding-window counters in PostgreSQL (SPEC §5 "Throttling"), shared by every instance:
//! failed sign-ins per account and per client address (rule A2), reveals per member (A5).

use std::time::Duration;

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use crate::db::schema::rate_events;

pub const SIGN_IN_ACCOUNT: &str = "sign_in_account";
pub const SIGN_IN_ADDRESS: &str = "sign_in_address";
pub const REVEAL: &str = "reveal";
/// Public forms that make accounts or send mail (join, invitation registration, password
/// reset), per client address (SPEC §6: 30 an hour).
pub const PUBLIC_FORM_ADDRESS: &str = "public_form_address";
pub const PUBLIC_FORMS_PER_HOUR: i64 = 30;

/// When the window has `limit` or more events: how long until the oldest counted one leaves it.
pub fn blocked_for(
    conn: &mut PgConnection,
    bucket: &str,
    key: &str,
    limit: i64,
    window: Duration,
) -> QueryResult<Option<Duration>> {
    let window_start = Utc::now() - chrono::Duration::from_std(window).unwrap_or_default();
    let recent: Vec<DateTime<Utc>> = rate_events::table
        .filter(rate_events::bucket.eq(bucket))
        .filter(rate_events::key.eq(key))
        .filter(rate_events::at.gt(window_start))
        .order(rate_events::at.desc())
        .limit(limit.max(1))
        .select(rate_events::at)
        .load(conn)?;
    if limit <= 0 || (recent.len() as i64) < limit {
        return Ok(None);
    }
    let oldest_counted = *recent.last().expect("non-empty");
    let free_at = oldest_counted + chrono::Duration::from_std(window).unwrap_or_default();
    Ok(Some(
        (free_at - Utc::now())
            .to_std()
            .unwrap_or(Duration::from_secs(1)),
    ))
}

/// One counted attempt: its event (to take back when the attempt turns out fine, or when it
/// was refused without being tried) and, when over the limit, how long to wait.
pub struct Hit {
    pub event_id: i64,
    pub wait: Option<Duration>,
}

/// Counts this attempt first, then decides from a count that includes it, serialised per
/// bucket and key: parallel attempts get exactly what serial ones get. Call inside a
/// transaction; the lock is held until it ends.
pub fn hit(
    conn: &mut PgConnection,
    bucket: &str,
    key: &str,
    limit: i64,
    window: Duration,
) -> QueryResult<Hit> {
    diesel::sql_query("SELECT pg_advisory_xact_lock(hashtext($1))")
        .bind::<diesel::sql_types::Text, _>(format!("{bucket}:{key}"))
        .execute(conn)?;
    let event_id: i64 = diesel::insert_into(rate_events::table)
        .values((rate_events::bucket.eq(bucket), rate_events::key.eq(key)))
        .returning(rate_events::id)
        .get_result(conn)?;
    let wait = blocked_for(conn, bucket, key, limit.saturating_add(1), window)?;
    Ok(Hit { event_id, wait })
}

/// Takes counted attempts back.
pub fn forget(conn: &mut PgConnection, event_ids: &[i64]) -> QueryResult<()> {
    diesel::delete(rate_events::table.filter(rate_events::id.eq_any(event_ids))).execute(conn)?;
    Ok(())
}

pub fn clear(conn: &mut PgConnection, bucket: &str, key: &str) -> QueryResult<()> {
    diesel::delete(
        rate_events::table
            .filter(rate_events::bucket.eq(bucket))
            .filter(rate_events::key.eq(key)),
    )
    .execute(conn)?;
    Ok(())
}

/// Drops events older than a day; called by the housekeeping loop.
pub fn purge_old(conn: &mut PgConnection) -> QueryResult<usize> {
    diesel::delete(
        rate_events::table.filter(rate_events::at.lt(Utc::now() - chrono::Duration::days(1))),
    )
    .execute(conn)
}

/// Whole minutes, rounded up, for "try again in N minutes".
pub fn minutes_ceil(d: Duration) -> u64 {
    d.as_secs().div_ceil(60).max(1)
}
