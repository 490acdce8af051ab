//! Connection pool, database creation and embedded migrations.

pub mod constant_sql;
pub mod page_limit;
pub mod planner;
pub mod prepared;
pub mod runtime_value;
pub mod scalar;
pub mod schema;
pub mod statements;

/// A select clause named twice, as a type and as a constant of it, from one list of columns:
/// `select_columns!(Type, NAME: table::a, table::b)`.
macro_rules! select_columns {
    ($vis:vis $ty:ident, $name:ident: $($column:path),+ $(,)?) => {
        $vis type $ty = ($($column,)+);
        $vis const $name: $ty = ($($column,)+);
    };
}
pub(crate) use select_columns;

use std::time::Duration;

use actix_web::web;
use anyhow::Context;
use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::r2d2::{ConnectionManager, Pool as R2d2Pool, PooledConnection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations");

pub type Pool = R2d2Pool<ConnectionManager<PgConnection>>;
pub type Conn = PooledConnection<ConnectionManager<PgConnection>>;

pub fn build_pool(url: &str, size: u32) -> anyhow::Result<Pool> {
    let url = without_loopback_tls(url);
    R2d2Pool::builder()
        .max_size(size)
        .min_idle(Some(size))
        // A broken connection is detected when it is used and dropped on return; testing every
        // checkout with `SELECT 1` would add a round trip to each request.
        .test_on_check_out(false)
        .connection_timeout(Duration::from_secs(10))
        .connection_customizer(Box::new(planner::PlannerSettings))
        .build(ConnectionManager::new(url))
        .context("connecting to PostgreSQL")
}

/// A database on this machine is reached without TLS unless the URL asks for it: encrypting
/// loopback traffic protects nothing and costs both ends CPU on every statement (README,
/// "Where the time goes"). Any `sslmode` in the URL is kept as given.
pub fn without_loopback_tls(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?']).next().unwrap_or("");
    let host_port = authority.rsplit('@').next().unwrap_or("");
    let host = match host_port.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => host_port.split(':').next().unwrap_or(""),
    };
    let loopback = matches!(host, "127.0.0.1" | "localhost" | "::1");
    if !loopback || url.contains("sslmode=") {
        return url.to_string();
    }
    let joiner = if url.contains('?') { '&' } else { '?' };
    format!("{url}{joiner}sslmode=disable")
}

/// Splits `postgres://…/name?opts` into the URL of the `postgres` maintenance database and `name`.
pub fn split_database_url(url: &str) -> anyhow::Result<(String, String)> {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let slash = base
        .rfind('/')
        .context("DATABASE_URL has no database name")?;
    let name = base[slash + 1..].to_string();
    anyhow::ensure!(
        !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
        "database name '{name}' must be letters, digits and underscores"
    );
    let mut admin = format!("{}/postgres", &base[..slash]);
    if let Some(q) = query {
        admin = format!("{admin}?{q}");
    }
    Ok((admin, name))
}

/// Creates the database named in `url` when it does not exist yet.
pub fn create_database_if_missing(url: &str) -> anyhow::Result<()> {
    let (admin_url, name) = split_database_url(url)?;
    let mut conn =
        PgConnection::establish(&admin_url).context("connecting to the postgres database")?;
    #[derive(QueryableByName)]
    struct Exists {
        #[diesel(sql_type = diesel::sql_types::Bool)]
        exists: bool,
    }
    let found: Exists =
        diesel::sql_query("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1) AS exists")
            .bind::<diesel::sql_types::Text, _>(&name)
            .get_result(&mut conn)?;
    if !found.exists {
        // The name was checked to be a plain identifier above.
        diesel::sql_query(format!("CREATE DATABASE \"{name}\"")).execute(&mut conn)?;
        tracing::info!(database = %name, "created database");
    }
    Ok(())
}

pub fn run_migrations(conn: &mut PgConnection) -> anyhow::Result<()> {
    conn.run_pending_migrations(MIGRATIONS)
        .map_err(|e| anyhow::anyhow!("running migrations: {e}"))?;
    Ok(())
}

/// `%text%` for `ILIKE`, with `%`, `_` and `\` in the typed text taken literally.
pub fn like_pattern(text: &str) -> String {
    let escaped = text
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

diesel::define_sql_function!(fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text);

/// The one rule for an e-mail address in a text filter (SPEC §5 "Lists", rule A5): the whole
/// address, case-insensitively, never a part of it, so that a masked address cannot be rebuilt
/// by searching for pieces of it. `address` is the column (or expression) holding the address.
pub fn whole_address<E>(address: E, q: &str) -> diesel::dsl::Eq<lower<E>, String>
where
    E: diesel::Expression<SqlType = diesel::sql_types::Text>,
{
    lower(address).eq(q.trim().to_lowercase())
}

/// Why database work could not run at all; a query's own failure is `diesel`'s error.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("database pool: {0}")]
    Pool(String),
    #[error("blocking task: {0}")]
    Blocking(String),
    #[error("database: {0}")]
    Query(#[from] diesel::result::Error),
}

/// One round trip to the database, for the health check.
pub async fn ping(pool: &Pool) -> Result<(), DbError> {
    run(pool, |conn| -> Result<(), DbError> {
        diesel::sql_query("SELECT 1").execute(conn)?;
        Ok(())
    })
    .await
}

/// Runs blocking database work on the blocking thread pool with one pooled connection. The
/// work's error type is the caller's choice, as long as a pool failure can become one.
pub async fn run<T, E, F>(pool: &Pool, work: F) -> Result<T, E>
where
    F: FnOnce(&mut PgConnection) -> Result<T, E> + Send + 'static,
    T: Send + 'static,
    E: From<DbError> + Send + 'static,
{
    let pool = pool.clone();
    let (result, ran) = web::block(move || {
        let before = statements::on_this_thread();
        let result = match pool.get() {
            Ok(mut conn) => work(&mut conn),
            Err(e) => Err(E::from(DbError::Pool(e.to_string()))),
        };
        (result, statements::on_this_thread() - before)
    })
    .await
    .map_err(|e| E::from(DbError::Blocking(e.to_string())))?;
    statements::add_to_request(ran);
    result
}

/// Runs blocking work inside one database transaction.
pub async fn transaction<T, E, F>(pool: &Pool, work: F) -> Result<T, E>
where
    F: FnOnce(&mut PgConnection) -> Result<T, E> + Send + 'static,
    T: Send + 'static,
    E: From<DbError> + From<diesel::result::Error> + Send + 'static,
{
    run(pool, move |conn| conn.transaction(work)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_url_splits_into_admin_url_and_name() {
        let (admin, name) =
            split_database_url("postgres://postgres@127.0.0.1:5432/partner_center").unwrap();
        assert_eq!(admin, "postgres://postgres@127.0.0.1:5432/postgres");
        assert_eq!(name, "partner_center");
        assert!(split_database_url("postgres://h/bad;name").is_err());
    }

    #[test]
    fn loopback_databases_are_reached_without_tls_unless_asked() {
        assert_eq!(
            without_loopback_tls("postgres://postgres@127.0.0.1:5432/pc"),
            "postgres://postgres@127.0.0.1:5432/pc?sslmode=disable"
        );
        assert_eq!(
            without_loopback_tls("postgres://u:p@localhost/pc?application_name=x"),
            "postgres://u:p@localhost/pc?application_name=x&sslmode=disable"
        );
        assert_eq!(
            without_loopback_tls("postgres://[::1]:5432/pc"),
            "postgres://[::1]:5432/pc?sslmode=disable"
        );
        for kept in [
            "postgres://127.0.0.1/pc?sslmode=require",
            "postgres://db.internal:5432/pc",
            "postgres://u@127.0.0.1.example.com/pc",
        ] {
            assert_eq!(without_loopback_tls(kept), kept);
        }
    }
}
