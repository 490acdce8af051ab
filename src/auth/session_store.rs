//! actix-session storage in PostgreSQL: sign-out deletes the row, so a copied cookie dies
//! with it, and every instance sees the same sessions.

use std::collections::HashMap;

use actix_session::storage::{LoadError, SaveError, SessionKey, SessionStore, UpdateError};
use actix_web::cookie::time::Duration;
use chrono::Utc;
use diesel::prelude::*;

use crate::auth::tokens::random_code;
use crate::db::{Pool, schema::web_sessions};

#[derive(Clone)]
pub struct PgSessionStore {
    pool: Pool,
}

impl PgSessionStore {
    pub fn new(pool: Pool) -> Self {
        PgSessionStore { pool }
    }

    async fn blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut PgConnection) -> anyhow::Result<T> + Send + 'static,
    ) -> anyhow::Result<T> {
        let pool = self.pool.clone();
        actix_web::web::block(move || {
            let mut conn = pool.get()?;
            work(&mut conn)
        })
        .await?
    }
}

fn expiry(ttl: &Duration) -> chrono::DateTime<Utc> {
    Utc::now() + chrono::Duration::seconds(ttl.whole_seconds())
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
        let key = key.as_ref().to_string();
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
            None => Ok(None),
            Some(v) => serde_json::from_value(v)
                .map(Some)
                .map_err(|e| LoadError::Deserialization(e.into())),
        }
    }

    async fn save(
        &self,
        state: HashMap<String, String>,
        ttl: &Duration,
    ) -> Result<SessionKey, SaveError> {
        let (json, ttl) = (to_json(&state), *ttl);
        self.blocking(move |conn| insert_new(conn, json, &ttl))
            .await
            .map_err(SaveError::Other)
    }

    async fn update(
        &self,
        key: SessionKey,
        state: HashMap<String, String>,
        ttl: &Duration,
    ) -> Result<SessionKey, UpdateError> {
        let (json, ttl) = (to_json(&state), *ttl);
        self.blocking(move |conn| {
            let n = diesel::update(web_sessions::table.filter(web_sessions::key.eq(key.as_ref())))
                .set((
                    web_sessions::state.eq(&json),
                    web_sessions::expires_at.eq(expiry(&ttl)),
                ))
                .execute(conn)?;
            // The row expired or was signed out meanwhile: start over under a new key.
            if n == 1 {
                Ok(key)
            } else {
                insert_new(conn, json, &ttl)
            }
        })
        .await
        .map_err(UpdateError::Other)
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
