//! actix-session storage in PostgreSQL: sign-out deletes the row, so a copied cookie dies
//! with it, and every instance sees the same sessions. A session read in the last second is
//! served from memory, so a busy signed-in user costs one session read per second instead of
//! one per request; this instance's own writes and deletes update that memory at once, and a
//! sign-out on another instance is seen here within the second.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration as StdDuration, Instant};

use actix_session::storage::{LoadError, SaveError, SessionKey, SessionStore, UpdateError};
use actix_web::cookie::time::Duration;
use chrono::Utc;
use diesel::prelude::*;

use crate::auth::tokens::random_code;
use crate::db::{Pool, schema::web_sessions};

type State = HashMap<String, String>;

const FRESH_FOR: StdDuration = StdDuration::from_secs(1);
/// A session nobody has signed in to (a visitor's CSRF token) lives this long after its last
/// write, not the signed-in lifetime: cookie-less traffic does not pile up rows for hours.
const ANONYMOUS_TTL: Duration = Duration::minutes(30);

/// The lifetime to store: the configured one for a signed-in session, a short one otherwise.
fn ttl_for(state: &State, ttl: &Duration) -> Duration {
    if state.contains_key(crate::auth::identity::SESSION_KEY) {
        *ttl
    } else {
        ANONYMOUS_TTL.min(*ttl)
    }
}
/// Above this many remembered sessions, stale ones are dropped.
const KEEP_AT_MOST: usize = 10_000;

/// Sessions read or written recently by this instance, shared by all its workers.
#[derive(Clone, Default)]
struct Recent(Arc<Mutex<HashMap<String, (Instant, State)>>>);

impl Recent {
    fn get(&self, key: &str) -> Option<State> {
        let map = self.0.lock().ok()?;
        map.get(key)
            .filter(|(at, _)| at.elapsed() < FRESH_FOR)
            .map(|(_, state)| state.clone())
    }

    fn put(&self, key: &str, state: State) {
        if let Ok(mut map) = self.0.lock() {
            if map.len() >= KEEP_AT_MOST {
                map.retain(|_, (at, _)| at.elapsed() < FRESH_FOR);
            }
            map.insert(key.to_string(), (Instant::now(), state));
        }
    }

    fn forget(&self, key: &str) {
        if let Ok(mut map) = self.0.lock() {
            map.remove(key);
        }
    }
}

#[derive(Clone)]
pub struct PgSessionStore {
    pool: Pool,
    recent: Recent,
}

impl PgSessionStore {
    /// One store per instance: clone it into every worker so they share what they remember.
    pub fn new(pool: Pool) -> Self {
        PgSessionStore {
            pool,
            recent: Recent::default(),
        }
    }

    async fn blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut PgConnection) -> anyhow::Result<T> + Send + 'static,
    ) -> anyhow::Result<T> {
        crate::db::run(&self.pool, work).await
    }
}

fn expiry(ttl: &Duration) -> chrono::DateTime<Utc> {
    Utc::now() + chrono::Duration::seconds(ttl.whole_seconds())
}

/// A session's state without who is signed in (and without what came with the identity).
fn signed_out(mut state: State) -> State {
    state.remove(crate::auth::identity::SESSION_KEY);
    state
}

fn to_json(state: &HashMap<String, String>) -> serde_json::Value {
    serde_json::to_value(state).unwrap_or_default()
}

fn insert_new(
    conn: &mut PgConnection,
    state: serde_json::Value,
    ttl: &Duration,
) -> anyhow::Result<SessionKey> {
    let key = random_code(64);
    diesel::insert_into(web_sessions::table)
        .values((
            web_sessions::key.eq(&key),
            web_sessions::state.eq(state),
            web_sessions::expires_at.eq(expiry(ttl)),
        ))
        .execute(conn)?;
    Ok(SessionKey::try_from(key)?)
}

impl SessionStore for PgSessionStore {
    async fn load(&self, key: &SessionKey) -> Result<Option<HashMap<String, String>>, LoadError> {
        if let Some(state) = self.recent.get(key.as_ref()) {
            return Ok(Some(state));
        }
        let key = key.as_ref().to_string();
        let remembered = key.clone();
        let found = self
            .blocking(move |conn| {
                Ok(web_sessions::table
                    .filter(web_sessions::key.eq(key))
                    .filter(web_sessions::expires_at.gt(Utc::now()))
                    .select(web_sessions::state)
                    .first::<serde_json::Value>(conn)
                    .optional()?)
            })
            .await
            .map_err(LoadError::Other)?;
        match found {
            None => {
                self.recent.forget(&remembered);
                Ok(None)
            }
            Some(v) => {
                let state: State =
                    serde_json::from_value(v).map_err(|e| LoadError::Deserialization(e.into()))?;
                self.recent.put(&remembered, state.clone());
                Ok(Some(state))
            }
        }
    }

    async fn save(
        &self,
        state: HashMap<String, String>,
        ttl: &Duration,
    ) -> Result<SessionKey, SaveError> {
        let (json, ttl) = (to_json(&state), ttl_for(&state, ttl));
        let key = self
            .blocking(move |conn| insert_new(conn, json, &ttl))
            .await
            .map_err(SaveError::Other)?;
        self.recent.put(key.as_ref(), state);
        Ok(key)
    }

    async fn update(
        &self,
        key: SessionKey,
        state: HashMap<String, String>,
        ttl: &Duration,
    ) -> Result<SessionKey, UpdateError> {
        let (json, ttl) = (to_json(&state), ttl_for(&state, ttl));
        let state_for_new = state.clone();
        let old = key.as_ref().to_string();
        let new_key = self
            .blocking(move |conn| {
                let n =
                    diesel::update(web_sessions::table.filter(web_sessions::key.eq(key.as_ref())))
                        .set((
                            web_sessions::state.eq(&json),
                            web_sessions::expires_at.eq(expiry(&ttl)),
                        ))
                        .execute(conn)?;
                // The row expired or was signed out meanwhile (a request that loaded the
                // session before the sign-out writes it after): start over under a new key,
                // never with the signed-in identity, so a deleted session stays deleted for
                // every holder of the cookie (SPEC §4).
                if n == 1 {
                    Ok(key)
                } else {
                    let anonymous = signed_out(state_for_new);
                    let short = ttl_for(&anonymous, &ttl);
                    insert_new(conn, to_json(&anonymous), &short)
                }
            })
            .await
            .map_err(UpdateError::Other)?;
        self.recent.forget(&old);
        if new_key.as_ref() == old {
            self.recent.put(new_key.as_ref(), state);
        }
        Ok(new_key)
    }

    async fn update_ttl(&self, key: &SessionKey, ttl: &Duration) -> Result<(), anyhow::Error> {
        let (key, ttl) = (key.as_ref().to_string(), *ttl);
        self.blocking(move |conn| {
            diesel::update(web_sessions::table.filter(web_sessions::key.eq(key)))
                .set(web_sessions::expires_at.eq(expiry(&ttl)))
                .execute(conn)?;
            Ok(())
        })
        .await
    }

    async fn delete(&self, key: &SessionKey) -> Result<(), anyhow::Error> {
        self.recent.forget(key.as_ref());
        let key = key.as_ref().to_string();
        self.blocking(move |conn| {
            diesel::delete(web_sessions::table.filter(web_sessions::key.eq(key))).execute(conn)?;
            Ok(())
        })
        .await
    }
}

/// Removes expired sessions; called by the housekeeping loop.
pub fn purge_expired(conn: &mut PgConnection) -> QueryResult<usize> {
    diesel::delete(web_sessions::table.filter(web_sessions::expires_at.le(Utc::now())))
        .execute(conn)
}
