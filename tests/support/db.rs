//! One database per test, cloned from a template that is migrated and seeded once per set of
//! migrations and seed code (the template's name carries their fingerprint).

use std::sync::OnceLock;

use diesel::prelude::*;
use sha2::{Digest, Sha256};

const ADMIN_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

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

/// A fingerprint of everything that shapes the template's content.
fn fingerprint() -> String {
    let root = env!("CARGO_MANIFEST_DIR");
    let mut files = Vec::new();
    for dir in ["migrations", "src/seed"] {
        collect(&std::path::Path::new(root).join(dir), &mut files);
    }
    files.sort();
    let mut h = Sha256::new();
    for f in files {
        h.update(f.to_string_lossy().as_bytes());
        h.update(std::fs::read(&f).unwrap_or_default());
    }
    hex::encode(&h.finalize()[..6])
}

fn collect(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                collect(&p, out)
            } else {
                out.push(p)
            }
        }
    }
}

fn template_name() -> &'static str {
    static NAME: OnceLock<String> = OnceLock::new();
    NAME.get_or_init(|| {
        let name = format!("pc_tpl_{}", fingerprint());
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
            drop_outdated_templates(&mut conn, &name);
        }
        diesel::sql_query("SELECT pg_advisory_unlock(724061)")
            .execute(&mut conn)
            .unwrap();
        name
    })
}

/// Templates of earlier migrations or seed code are of no further use; one still being cloned
/// by another run refuses the drop, and that refusal is ignored.
fn drop_outdated_templates(conn: &mut PgConnection, current: &str) {
    #[derive(QueryableByName)]
    struct Name {
        #[diesel(sql_type = diesel::sql_types::Text)]
        datname: String,
    }
    let old: Vec<Name> = diesel::sql_query(
        "SELECT datname FROM pg_database WHERE datname LIKE 'pc\\_tpl\\_%' AND datname NOT LIKE '%\\_building' AND datname <> $1",
    )
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
}

impl TestDatabase {
    pub async fn create() -> TestDatabase {
        tokio::task::spawn_blocking(|| {
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
