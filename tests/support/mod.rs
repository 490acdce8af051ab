//! Test harness shared by the API and browser test binaries: a fresh database per test cloned
//! from a migrated template with demo data, the app on a random port, and a real SMTP
//! listener capturing what lettre sent.
#![allow(dead_code)]

pub mod browser;
pub mod db;
pub mod html;
pub mod http;
pub mod smtp;

use std::time::Duration;

use partner_center::config::Settings;
use partner_center::db::Pool;
use partner_center::startup::Application;

pub use http::Client;
pub use smtp::MailServer;

pub const PASSWORD: &str = partner_center::seed::DEMO_PASSWORD;

/// `PC_DB_POOL` of a test app unless a test sets its own.
pub const DEFAULT_POOL: u32 = 4;

pub struct TestApp {
    pub address: String,
    pub port: u16,
    pub pool: Pool,
    pub mail: MailServer,
    pub db: db::TestDatabase,
}

/// Settings overrides for one test, on top of the test defaults.
#[derive(Default, Clone)]
pub struct Options {
    pub env: Vec<(&'static str, String)>,
    /// Point the app at this SMTP port instead of a running capture server.
    pub smtp_port: Option<u16>,
}

impl Options {
    pub fn env(mut self, key: &'static str, value: impl Into<String>) -> Self {
        self.env.push((key, value.into()));
        self
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(Options::default()).await
}

pub async fn spawn_app_with(options: Options) -> TestApp {
    partner_center::telemetry::init();
    let pool_size = options
        .env
        .iter()
        .rev()
        .find(|(key, _)| *key == "PC_DB_POOL")
        .map_or(DEFAULT_POOL, |(_, v)| v.parse().expect("PC_DB_POOL"));
    let db = db::TestDatabase::create_for(db::connections_of_app(pool_size)).await;
    let mail = match options.smtp_port {
        Some(port) => MailServer::unstarted(port),
        None => MailServer::start().await,
    };
    let mut env: Vec<(&str, String)> = vec![
        ("DATABASE_URL", db.url.clone()),
        ("PC_LISTEN", "127.0.0.1:0".into()),
        ("PC_SMTP_URL", format!("smtp://127.0.0.1:{}", mail.port)),
        ("PC_DEMO_DATA", "false".into()),
        ("PC_DB_POOL", DEFAULT_POOL.to_string()),
        ("PC_WORKERS", "1".into()),
        ("PC_MAIL_RETRY_BASE", "1s".into()),
    ];
    env.extend(options.env.iter().cloned());
    let settings = Settings::from_lookup(|k| {
        env.iter()
            .rev()
            .find(|(key, _)| *key == k)
            .map(|(_, v)| v.clone())
    })
    .expect("test settings");
    let app = Application::build(settings).await.expect("app starts");
    let port = app.port;
    let pool = app.pool.clone();
    tokio::spawn(app.run_until_stopped());
    let address = format!("http://127.0.0.1:{port}");
    let app = TestApp {
        address,
        port,
        pool,
        mail,
        db,
    };
    app.wait_until_ready().await;
    app
}

impl TestApp {
    async fn wait_until_ready(&self) {
        let client = reqwest::Client::new();
        for _ in 0..100 {
            if client
                .get(format!("{}/healthz", self.address))
                .send()
                .await
                .is_ok()
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the app did not start");
    }

    /// A browser-like client with its own cookie jar, not following redirects.
    pub fn client(&self) -> Client {
        Client::new(&self.address)
    }

    /// A client already signed in as `email` with the demo password.
    pub async fn signed_in(&self, email: &str) -> Client {
        let c = self.client();
        let res = c.sign_in(email, PASSWORD).await;
        assert_eq!(res.status, 303, "sign-in of {email} failed: {}", res.body);
        c
    }

    pub fn conn(&self) -> partner_center::db::Conn {
        self.pool.get().expect("test connection")
    }

    /// Runs one SQL query returning a single bigint, for assertions.
    pub fn count(&self, sql: &str) -> i64 {
        use diesel::prelude::*;
        #[derive(QueryableByName)]
        struct N {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let n: N = diesel::sql_query(sql)
            .get_result(&mut self.conn())
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
        n.n
    }

    pub fn id_of(&self, sql: &str) -> i64 {
        self.count(sql)
    }
}
