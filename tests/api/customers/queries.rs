//! List pages cost a fixed number of SQL statements whatever the page size (SPEC §4, no N+1).
//! Every connection the app opens in this test process reports its statements, counted per
//! database, so each test app has its own tally.
//!
//! The session store serves a session read in the last second from memory, so whether a
//! request reads its session from the database depends on how long ago the previous request
//! was: on a busy machine it flips between runs. The page's own statements are therefore
//! counted apart from the session store's, and the session store is held to at most one read
//! of its row per request, whichever way the timing falls.

use std::collections::HashMap;
use std::sync::{Mutex, Once};

use diesel::connection::{Instrumentation, InstrumentationEvent, set_default_instrumentation};

use crate::support::spawn_app;

static STATEMENTS: Mutex<Option<HashMap<String, Vec<String>>>> = Mutex::new(None);

struct Counter {
    database: String,
}

impl Instrumentation for Counter {
    fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
        match event {
            InstrumentationEvent::StartEstablishConnection { url, .. } => {
                let path = url.split('?').next().unwrap_or(url);
                self.database = path.rsplit('/').next().unwrap_or("").to_string();
            }
            InstrumentationEvent::StartQuery { query, .. } => {
                let sql = query.to_string();
                // The mail worker and housekeeping share the pool; they are not the page's work.
                let background = sql.contains("outbox")
                    || (sql.starts_with("DELETE") && sql.contains("expires_at"))
                    || sql.contains("DELETE FROM \"rate_events\"");
                if !background {
                    let mut all = STATEMENTS.lock().unwrap();
                    all.get_or_insert_with(HashMap::new)
                        .entry(self.database.clone())
                        .or_default()
                        .push(sql);
                }
            }
            _ => {}
        }
    }
}

pub(crate) fn install() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        set_default_instrumentation(|| {
            Some(Box::new(Counter {
                database: String::new(),
            }))
        })
        .expect("instrumentation");
    });
}

fn take(database: &str) -> Vec<String> {
    STATEMENTS
        .lock()
        .unwrap()
        .get_or_insert_with(HashMap::new)
        .remove(database)
        .unwrap_or_default()
}

pub(crate) async fn statements_for(
    app: &crate::support::TestApp,
    c: &crate::support::Client,
    path: &str,
) -> Vec<String> {
    take(&app.db.name);
    let res = c.get(path).await;
    assert_eq!(res.status, 200, "{path}");
    let (session, page): (Vec<String>, Vec<String>) = take(&app.db.name)
        .into_iter()
        .partition(|sql| sql.contains("\"web_sessions\""));
    // A read of the session row when it was not read in the last second, nothing otherwise:
    // a plain page view neither writes the session nor extends it.
    assert!(
        session.len() <= 1 && session.iter().all(|sql| sql.starts_with("SELECT")),
        "{path}: the session store ran more than one read:\n{}",
        session.join("\n")
    );
    page
}

#[tokio::test]
async fn list_pages_run_the_same_number_of_queries_whatever_the_page_size() {
    install();
    let app = spawn_app().await;
    let admin = app.signed_in("admin@northwind.test").await;
    admin.get("/partner/customers").await;
    for (base, sizes) in [
        ("/partner/customers?sort=company", ["1", "20", "100"]),
        (
            "/partner/customers?sort=-since&type=resale",
            ["1", "20", "100"],
        ),
        ("/partner/customers/resellers?q=", ["1", "20", "100"]),
    ] {
        let mut counts = Vec::new();
        for size in sizes {
            let stmts = statements_for(&app, &admin, &format!("{base}&size={size}")).await;
            counts.push((size, stmts.len(), stmts));
        }
        let first = counts[0].1;
        for (size, n, stmts) in &counts {
            assert_eq!(*n, first, "{base} size={size}:\n{}", stmts.join("\n"));
        }
        assert!(
            first > 0 && first <= 6,
            "{base}: {first} statements:\n{}",
            counts[0].2.join("\n")
        );
    }
    // A manager's and a supervisor's lists too, and the assignment page.
    for who in ["mgr1@northwind.test", "lead@northwind.test"] {
        let c = app.signed_in(who).await;
        c.get("/partner/customers").await;
        let small = statements_for(&app, &c, "/partner/customers?size=1")
            .await
            .len();
        let large = statements_for(&app, &c, "/partner/customers?size=100")
            .await
            .len();
        assert_eq!(small, large, "{who}");
    }
    let one = statements_for(&app, &admin, "/partner/assignments?q=Acme")
        .await
        .len();
    let all = statements_for(&app, &admin, "/partner/assignments")
        .await
        .len();
    assert_eq!(one, all);
}

#[tokio::test]
async fn a_customer_page_runs_the_same_number_of_queries_however_many_contacts_it_has() {
    install();
    let app = spawn_app().await;
    let admin = app.signed_in("admin@northwind.test").await;
    let globex = crate::customers::common::customer_id(&app, "Globex Ltd");
    let detail = format!("/partner/customers/{globex}");
    admin.get(&detail).await;
    let before = statements_for(&app, &admin, &detail).await.len();
    for i in 0..4 {
        let res = admin
            .submit(
                &detail,
                &format!("{detail}/contacts"),
                &[
                    ("name", &format!("Extra {i}")),
                    ("email", ""),
                    ("phone", ""),
                    ("title", ""),
                ],
            )
            .await;
        assert_eq!(res.status, 303);
    }
    admin.get(&detail).await;
    let after = statements_for(&app, &admin, &detail).await;
    assert_eq!(after.len(), before, "{}", after.join("\n"));
}

/// Copies the table's newest row `n` times, each with a fresh value in `unique` (if any).
fn copy_rows(
    app: &crate::support::TestApp,
    table: &str,
    columns: &str,
    unique: Option<&str>,
    n: i64,
) {
    let (select, list) = match unique {
        Some(col) => (
            columns.replace(col, &format!("md5(random()::text || g)::text AS {col}")),
            columns.to_string(),
        ),
        None => (columns.to_string(), columns.to_string()),
    };
    let added = app.count(&format!(
        "WITH added AS (INSERT INTO {table} ({list})
           SELECT {select} FROM (SELECT * FROM {table} ORDER BY id DESC LIMIT 1) last,
                  generate_series(1, {n}) AS g RETURNING 1)
         SELECT count(*) AS n FROM added"
    ));
    assert_eq!(added, n, "{table}");
}

#[tokio::test]
async fn every_other_list_runs_the_same_number_of_queries_however_many_rows_it_shows() {
    install();
    let app = spawn_app().await;
    let admin = app.signed_in("admin@northwind.test").await;
    let ops = app.signed_in("ops@demo.test").await;
    // Something in each list: an invitation and the audit rows of sending it.
    let res = admin
        .submit(
            "/partner/invitations",
            "/partner/invitations",
            &[
                ("email", "counted@example.test"),
                ("company", "Counted Ltd"),
                ("association_type", "resale"),
                ("language", "en"),
            ],
        )
        .await;
    assert!(res.status == 303 || res.status == 200, "{}", res.status);
    // A reseller of Northwind as the newest organisation, for copy_rows below.
    app.count(
        "WITH r AS (INSERT INTO organizations (name, kind, parent_id, signing_entity) \
         SELECT 'Counted Reseller', 'reseller', id, signing_entity FROM organizations \
         WHERE name = 'Northwind Distribution' RETURNING 1) SELECT count(*) AS n FROM r",
    );
    let lists: [(&crate::support::Client, &str); 6] = [
        (&admin, "/partner/invitations"),
        (&admin, "/partner/audit"),
        (&ops, "/ops/ledger"),
        (&ops, "/ops/audit"),
        (&admin, "/partner/account"),
        (&admin, "/partner/resellers"),
    ];
    let mut before = Vec::new();
    for (c, path) in lists {
        c.get(path).await;
        before.push(statements_for(&app, c, path).await.len());
    }
    copy_rows(
        &app,
        "invitations",
        "partner_id, inviter_id, email, company, association_type, language, token_hash, state, expires_at, created_at, sent_at, resent_count",
        Some("token_hash"),
        60,
    );
    copy_rows(
        &app,
        "audit_log",
        "at, actor_user_id, actor_email, org_id, action, subject_type, subject_id, before, after, request_id, client_ip",
        None,
        60,
    );
    copy_rows(
        &app,
        "organizations",
        "name, kind, parent_id, signing_entity",
        None,
        60,
    );
    for ((c, path), n) in lists.iter().zip(before) {
        let page = c.get(path).await;
        assert_eq!(page.status, 200, "{path}");
        let after = statements_for(&app, c, path).await;
        assert_eq!(after.len(), n, "{path}:\n{}", after.join("\n"));
        assert!(n > 0, "{path} runs its statements");
    }
}
