//! The outbox table: enqueue inside the caller's transaction; claim, complete or reschedule
//! from the worker. Claims take a lease with `FOR UPDATE SKIP LOCKED`, so several instances
//! share the work and a crashed sender's messages are picked up again when the lease ends.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer};

use super::RenderedMail;
use crate::db::schema::outbox;
use crate::domain::OutboxState;
use crate::domain::url::redact_tokens;

/// Attempts before a message is marked failed and left for an operator.
pub const MAX_ATTEMPTS: i32 = 12;
/// How long a claimed message stays invisible to other workers.
const LEASE_SECS: i64 = 300;

#[derive(Queryable, QueryableByName, Debug, Clone)]
#[diesel(table_name = outbox)]
pub struct OutboxMessage {
    pub id: i64,
    pub created_at: DateTime<Utc>,
    pub kind: String,
    pub to_addr: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    pub state: String,
    pub attempts: i32,
    pub next_attempt_at: DateTime<Utc>,
    pub last_error: Option<String>,
    pub sent_at: Option<DateTime<Utc>>,
}

pub fn enqueue(
    conn: &mut PgConnection,
    kind: &str,
    to: &str,
    mail: &RenderedMail,
) -> QueryResult<i64> {
    diesel::insert_into(outbox::table)
        .values((
            outbox::kind.eq(kind),
            outbox::to_addr.eq(to),
            outbox::subject.eq(&mail.subject),
            outbox::text_body.eq(&mail.text),
            outbox::html_body.eq(&mail.html),
        ))
        .returning(outbox::id)
        .get_result(conn)
}

pub fn claim_due(conn: &mut PgConnection, batch: i64) -> QueryResult<Vec<OutboxMessage>> {
    diesel::sql_query(
        "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = now() + make_interval(secs => $2)
         WHERE id IN (SELECT id FROM outbox WHERE state = 'pending' AND next_attempt_at <= now()
                      ORDER BY next_attempt_at, id LIMIT $1 FOR UPDATE SKIP LOCKED)
         RETURNING *",
    )
    .bind::<BigInt, _>(batch)
    .bind::<Integer, _>(LEASE_SECS as i32)
    .load(conn)
}

/// Marks a message delivered and drops the single-use tokens from the stored copy: once the
/// mail is out, the plain link exists only in the recipient's mailbox (rule C1).
pub fn mark_sent(conn: &mut PgConnection, id: i64) -> QueryResult<()> {
    let (text, html): (String, String) = outbox::table
        .find(id)
        .select((outbox::text_body, outbox::html_body))
        .first(conn)?;
    diesel::update(outbox::table.find(id))
        .set((
            outbox::state.eq(OutboxState::Sent.as_str()),
            outbox::sent_at.eq(Utc::now()),
            outbox::last_error.eq(None::<String>),
            outbox::text_body.eq(redact_tokens(&text)),
            outbox::html_body.eq(redact_tokens(&html)),
        ))
        .execute(conn)?;
    Ok(())
}

/// Exponential backoff: base, 2×base, 4×base … capped at an hour.
pub fn backoff(base: std::time::Duration, attempts: i32) -> chrono::Duration {
    let factor = 2u32.saturating_pow(attempts.saturating_sub(1).clamp(0, 20) as u32);
    let secs = (base.as_secs_f64() * factor as f64).min(3600.0);
    chrono::Duration::milliseconds((secs * 1000.0) as i64)
}

pub fn mark_failed(
    conn: &mut PgConnection,
    msg: &OutboxMessage,
    error: &str,
    base: std::time::Duration,
) -> QueryResult<()> {
    let give_up = msg.attempts >= MAX_ATTEMPTS;
    diesel::update(outbox::table.find(msg.id))
        .set((
            outbox::state.eq(if give_up {
                OutboxState::Failed
            } else {
                OutboxState::Pending
            }
            .as_str()),
            outbox::next_attempt_at.eq(Utc::now() + backoff(base, msg.attempts)),
            outbox::last_error.eq(Some(error.chars().take(1000).collect::<String>())),
        ))
        .execute(conn)?;
    Ok(())
}

/// An operator sends a failed message again.
pub fn retry_now(conn: &mut PgConnection, id: i64) -> QueryResult<usize> {
    diesel::update(
        outbox::table
            .find(id)
            .filter(outbox::state.ne(OutboxState::Sent.as_str())),
    )
    .set((
        outbox::state.eq(OutboxState::Pending.as_str()),
        outbox::next_attempt_at.eq(Utc::now()),
        outbox::attempts.eq(0),
    ))
    .execute(conn)
}

pub fn page(
    conn: &mut PgConnection,
    state: Option<&str>,
    before_id: Option<i64>,
    limit: i64,
) -> QueryResult<Vec<OutboxMessage>> {
    let mut q = outbox::table.into_boxed();
    if let Some(s) = state {
        q = q.filter(outbox::state.eq(s.to_string()));
    }
    if let Some(id) = before_id {
        q = q.filter(outbox::id.lt(id));
    }
    crate::db::page_limit::limited(q.order(outbox::id.desc()), limit).load(conn)
}

pub fn find(conn: &mut PgConnection, id: i64) -> QueryResult<OutboxMessage> {
    outbox::table.find(id).first(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_capped() {
        let base = std::time::Duration::from_secs(2);
        assert_eq!(backoff(base, 1).num_seconds(), 2);
        assert_eq!(backoff(base, 2).num_seconds(), 4);
        assert_eq!(backoff(base, 4).num_seconds(), 16);
        assert_eq!(backoff(base, 30).num_seconds(), 3600);
    }
}
