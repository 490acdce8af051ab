//! One database per test, cloned from a template that is migrated and seeded once per state of
//! the code (the template's name carries a fingerprint of `src/`, `migrations/` and
//! `Cargo.lock`, and an id of this checkout, so that checkouts sharing a server leave each
//! other's templates alone).
//!
//! Every test database also holds a share of a connection budget for its whole life, so that
//! however many test threads run, this process stays well under PostgreSQL's
//! `max_connections` (100 by default).

use std::path::{Path, PathBuf};
use std::sync::{Condvar, Mutex, OnceLock};

use diesel::prelude::*;
use sha2::{Digest, Sha256};

const ADMIN_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// Connections that the live test databases of one test process may hold together: their
/// apps' pools, the app's own start-up connection and the harness's admin connection. Cargo
/// runs test binaries one after another, so one process's budget is the server's load. With
/// the template build (two more connections, once per process) and psql or a developer's own
/// sessions, 64 stays under 80 of the server's 100; `PC_TEST_CONNECTIONS` sets another budget
/// for a server with fewer.
pub fn connection_budget() -> u32 {
    static BUDGET: OnceLock<u32> = OnceLock::new();
    *BUDGET.get_or_init(|| match std::env::var("PC_TEST_CONNECTIONS") {
        Ok(n) => n
            .parse()
            .ok()
            .filter(|n| *n > 0)
            .unwrap_or_else(|| panic!("PC_TEST_CONNECTIONS must be a positive number, not {n}")),
        Err(_) => 64,
    })
}

/// What a test app of the harness holds: its pool (`PC_DB_POOL`, all opened at start, which
/// the mail worker and the session store share), one connection of its own at a time while it
/// starts (database check, then migrations), and the harness's admin connection that clones
/// and drops its database.
pub fn connections_of_app(pool_size: u32) -> u32 {
    pool_size + 2
}

struct Budget {
    in_use: Mutex<u32>,
    freed: Condvar,
}

static IN_USE: Budget = Budget {
    in_use: Mutex::new(0),
    freed: Condvar::new(),
};

/// A share of `connection_budget()`, given back when dropped.
pub struct Connections(u32);

impl Connections {
    /// Waits until `n` connections fit in the budget. More than the whole budget waits for all
    /// of it, so that one big test runs alone instead of never.
    pub fn reserve(n: u32) -> Connections {
        let n = n.clamp(1, connection_budget());
        let mut in_use = IN_USE.in_use.lock().unwrap_or_else(|e| e.into_inner());
        while *in_use + n > connection_budget() {
            in_use = IN_USE.freed.wait(in_use).unwrap_or_else(|e| e.into_inner());
        }
        *in_use += n;
        Connections(n)
    }
}

impl Drop for Connections {
    fn drop(&mut self) {
        let mut in_use = IN_USE.in_use.lock().unwrap_or_else(|e| e.into_inner());
        *in_use -= self.0;
        IN_USE.freed.notify_all();
    }
}

fn base_url() -> String {
    std::env::var("TEST_DATABASE_SERVER")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into())
}

fn admin() -> PgConnection {
    let url = std::env::var("TEST_DATABASE_SERVER")
        .map(|b| format!("{b}/postgres"))
        .unwrap_or_else(|_| ADMIN_URL.into());
    PgConnection::establish(&url)
        .unwrap_or_else(|e| panic!("PostgreSQL must be reachable at {url}: {e}"))
}

/// What shapes the template's content: the migrations, and the seed code with everything it
/// calls and the crates it builds with. Paths are taken relative to the checkout, so the same
/// code gives the same fingerprint wherever it is checked out.
const FINGERPRINTED: [&str; 3] = ["src", "migrations", "Cargo.lock"];

fn fingerprint(root: &Path) -> String {
    let mut files = Vec::new();
    for part in FINGERPRINTED {
        collect(&root.join(part), &mut files);
    }
    let mut files: Vec<(String, PathBuf)> = files
        .into_iter()
        .map(|f| {
            let rel = f.strip_prefix(root).unwrap_or(&f);
            (rel.to_string_lossy().replace('\\', "/"), f)
        })
        .collect();
    files.sort();
    let mut h = Sha256::new();
    for (rel, f) in files {
        // A file removed since the walk (an editor's) counts as empty.
        let content = std::fs::read(&f).unwrap_or_default();
        h.update((rel.len() as u64).to_le_bytes());
        h.update(rel.as_bytes());
        h.update((content.len() as u64).to_le_bytes());
        h.update(content);
    }
    hex::encode(&h.finalize()[..6])
}

/// Files under `path`, or `path` itself when it is a file; hidden files (an editor's swap
/// files) are left out.
fn collect(path: &Path, out: &mut Vec<PathBuf>) {
    let hidden = path
        .file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with('.'));
    if hidden {
        return;
    }
    if path.is_file() {
        out.push(path.to_path_buf());
        return;
    }
    if let Ok(entries) = std::fs::read_dir(path) {
        for e in entries.flatten() {
            collect(&e.path(), out)
        }
    }
}

/// A short id of this checkout (of its directory), the same for all its test binaries.
fn checkout_id(root: &Path) -> String {
    hex::encode(&Sha256::digest(root.to_string_lossy().as_bytes())[..4])
}

const TEMPLATE_PREFIX: &str = "pc_tpl_";

/// `pc_tpl_<checkout>_<fingerprint>`: 28 characters, 37 with `_building`, well within
/// PostgreSQL's 63.
fn template_name_for(root: &Path) -> String {
    format!(
        "{TEMPLATE_PREFIX}{}_{}",
        checkout_id(root),
        fingerprint(root)
    )
}

fn template_name() -> &'static str {
    static NAME: OnceLock<String> = OnceLock::new();
    NAME.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let name = template_name_for(root);
        assert!(name.len() + "_building".len() <= 63, "{name} is too long");
        let mut conn = admin();
        // Test binaries run in parallel: one of them builds the template, the others wait.
        diesel::sql_query("SELECT pg_advisory_lock(724061)")
            .execute(&mut conn)
            .expect("advisory lock");
        if !exists(&mut conn, &name) {
            let building = format!("{name}_building");
            diesel::sql_query(format!("DROP DATABASE IF EXISTS {building} WITH (FORCE)"))
                .execute(&mut conn)
                .unwrap();
            diesel::sql_query(format!("CREATE DATABASE {building}"))
                .execute(&mut conn)
                .unwrap();
            let url = format!("{}/{building}", base_url());
            {
                let mut c = PgConnection::establish(&url).unwrap();
                partner_center::db::run_migrations(&mut c).unwrap();
                partner_center::seed::load_if_empty(&mut c).unwrap();
            }
            diesel::sql_query(format!("ALTER DATABASE {building} RENAME TO {name}"))
                .execute(&mut conn)
                .unwrap();
            drop_outdated_templates(&mut conn, &checkout_id(root), &name);
        }
        diesel::sql_query("SELECT pg_advisory_unlock(724061)")
            .execute(&mut conn)
            .unwrap();
        name
    })
}

/// This checkout's templates of earlier code are of no further use; one still being cloned
/// by another run refuses the drop, and that refusal is ignored. Other checkouts' templates are
/// left alone: a run there may be cloning them right now.
fn drop_outdated_templates(conn: &mut PgConnection, checkout: &str, current: &str) {
    #[derive(QueryableByName)]
    struct Name {
        #[diesel(sql_type = diesel::sql_types::Text)]
        datname: String,
    }
    let old: Vec<Name> = diesel::sql_query(
        "SELECT datname FROM pg_database WHERE starts_with(datname, $1) AND datname NOT LIKE '%\\_building' AND datname <> $2",
    )
    .bind::<diesel::sql_types::Text, _>(format!("{TEMPLATE_PREFIX}{checkout}_"))
    .bind::<diesel::sql_types::Text, _>(current)
    .load(conn)
    .unwrap_or_default();
    for db in old {
        let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {}", db.datname)).execute(conn);
    }
}

fn exists(conn: &mut PgConnection, name: &str) -> bool {
    #[derive(QueryableByName)]
    struct E {
        #[diesel(sql_type = diesel::sql_types::Bool)]
        e: bool,
    }
    let r: E =
        diesel::sql_query("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1) AS e")
            .bind::<diesel::sql_types::Text, _>(name)
            .get_result(conn)
            .unwrap();
    r.e
}

pub struct TestDatabase {
    pub name: String,
    pub url: String,
    /// Given back after the database is dropped (fields drop after `Drop::drop`).
    _connections: Connections,
}

impl TestDatabase {
    /// A database for a test app with the harness's default pool.
    pub async fn create() -> TestDatabase {
        Self::create_for(connections_of_app(crate::support::DEFAULT_POOL)).await
    }

    /// A database whose users will hold up to `connections` connections at once, including the
    /// harness's admin connection; waits until they fit in `connection_budget()`.
    pub async fn create_for(connections: u32) -> TestDatabase {
        tokio::task::spawn_blocking(move || {
            let reserved = Connections::reserve(connections);
            let template = template_name();
            let name = format!("pc_t_{}", uuid::Uuid::new_v4().simple());
            let mut conn = admin();
            // Cloning fails while another session is connected to the template; retry briefly.
            let mut last_err = None;
            for _ in 0..50 {
                match diesel::sql_query(format!("CREATE DATABASE {name} TEMPLATE {template}"))
                    .execute(&mut conn)
                {
                    Ok(_) => {
                        return TestDatabase {
                            url: format!("{}/{name}", base_url()),
                            name,
                            _connections: reserved,
                        };
                    }
                    Err(e) => {
                        last_err = Some(e);
                        std::thread::sleep(std::time::Duration::from_millis(100));
                    }
                }
            }
            panic!("could not clone the template database: {last_err:?}");
        })
        .await
        .unwrap()
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let name = self.name.clone();
        let _ = std::thread::spawn(move || {
            let mut conn = admin();
            let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(&mut conn);
        })
        .join();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_names_carry_the_checkout_and_fit_in_an_identifier() {
        let a = template_name_for(Path::new(env!("CARGO_MANIFEST_DIR")));
        assert!(a.starts_with(&format!(
            "{TEMPLATE_PREFIX}{}_",
            checkout_id(Path::new(env!("CARGO_MANIFEST_DIR")))
        )));
        assert_eq!(a.len(), 28, "{a}");
        assert!(format!("{a}_building").len() <= 63);
        assert_ne!(
            checkout_id(Path::new("/a/one")),
            checkout_id(Path::new("/a/two"))
        );
    }
}
