//! CSRF, security headers, audience separation, error pages, language and health.

use crate::support::{Options, spawn_app, spawn_app_with};

#[tokio::test]
async fn a_post_without_a_valid_csrf_token_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let c = app.signed_in("ops@demo.test").await;
    let before = app.count("SELECT count(*) AS n FROM outbox");
    for fields in [vec![], vec![("csrf_token", "forged-token")]] {
        let res = c.post_raw("/ops/outbox/test", &fields).await;
        assert_eq!(res.status, 403);
        assert!(res.contains("expired") || res.contains("失效"));
    }
    assert_eq!(app.count("SELECT count(*) AS n FROM outbox"), before);
    // A token from another session does not work either.
    let other = app.signed_in("ops@demo.test").await;
    let foreign = other.get("/ops/outbox").await.csrf();
    assert_eq!(
        c.post_raw("/ops/outbox/test", &[("csrf_token", &foreign)])
            .await
            .status,
        403
    );
    // The sign-in form is protected as well.
    let anon = app.client();
    anon.get("/login").await;
    let res = anon
        .post_raw(
            "/login",
            &[
                ("email", "admin@northwind.test"),
                ("password", crate::support::PASSWORD),
            ],
        )
        .await;
    assert_eq!(res.status, 403);
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = spawn_app().await;
    for path in ["/login", "/nope", "/static/app.css", "/healthz"] {
        let res = app.client().get(path).await;
        let h = |k: &str| {
            res.headers
                .get(k)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string()
        };
        let csp = h("content-security-policy");
        assert!(
            csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'"),
            "{path}: {csp}"
        );
        assert!(!csp.contains("unsafe-inline"));
        assert_eq!(h("x-content-type-options"), "nosniff", "{path}");
        assert_eq!(h("referrer-policy"), "no-referrer", "{path}");
        assert!(!h("x-request-id").is_empty(), "{path}");
    }
}

#[tokio::test]
async fn audiences_cannot_open_each_others_pages() {
    let app = spawn_app().await;
    let partner = app.signed_in("admin@northwind.test").await;
    let customer = app.signed_in("it@acme.test").await;
    let operator = app.signed_in("ops@demo.test").await;
    for (c, forbidden) in [
        (&partner, ["/ops", "/fee-center"]),
        (&customer, ["/partner", "/ops/outbox"]),
        (&operator, ["/partner", "/fee-center"]),
    ] {
        for path in forbidden {
            let res = c.get(path).await;
            assert_eq!(res.status, 403, "{path}");
            assert!(res.contains("<h1>"), "a friendly 403 page");
        }
    }
}

#[tokio::test]
async fn unknown_pages_and_ids_are_404_pages_not_500() {
    let app = spawn_app().await;
    let op = app.signed_in("ops@demo.test").await;
    for path in [
        "/no/such/page",
        "/ops/outbox/999999",
        "/ops/outbox/not-a-number",
        "/ops/outbox/-1",
    ] {
        let res = op.get(path).await;
        assert_eq!(res.status, 404, "{path}");
        assert!(res.contains("<title>"), "{path} renders the error page");
    }
    let res = op.get("/ops/outbox?after=abc&state=%00").await;
    assert_eq!(
        res.status, 200,
        "a bad cursor starts over instead of failing"
    );
}

#[tokio::test]
async fn language_follows_the_browser_then_the_switch() {
    let app = spawn_app().await;
    let c = app.client();
    assert!(c.get("/login").await.contains("<html lang=\"zh-CN\">"));
    let en = c
        .get_with("/login", &[("accept-language", "en-US,en;q=0.9")])
        .await;
    assert!(en.contains("<html lang=\"en\">") && en.contains("Sign in"));
    let token = en.csrf();
    let switched = c
        .post_raw(
            "/language",
            &[("csrf_token", &token), ("lang", "en"), ("back", "/login")],
        )
        .await;
    assert_eq!(switched.status, 303);
    assert_eq!(switched.location.as_deref(), Some("/login"));
    let page = c.get_with("/login", &[("accept-language", "zh-CN")]).await;
    assert!(
        page.contains("<html lang=\"en\">"),
        "the cookie wins over the browser"
    );
    let bad = c
        .post_raw(
            "/language",
            &[
                ("csrf_token", &token),
                ("lang", "fr"),
                ("back", "//evil.test"),
            ],
        )
        .await;
    assert_eq!(bad.status, 400);
}

#[tokio::test]
async fn health_reports_the_database() {
    let app = spawn_app().await;
    let res = app.client().get("/healthz").await;
    assert_eq!(res.status, 200);
    assert!(res.body.contains("\"database\":\"ok\""));
}

#[tokio::test]
async fn health_says_degraded_without_showing_the_database_error() {
    use diesel::prelude::*;
    let app = spawn_app().await;
    // Take the database away: no new connections, and the pool's open ones are ended.
    let mut admin = PgConnection::establish(&app.db.url.replace(&app.db.name, "postgres"))
        .expect("admin connection");
    diesel::sql_query(format!(
        "ALTER DATABASE {} WITH ALLOW_CONNECTIONS false",
        app.db.name
    ))
    .execute(&mut admin)
    .unwrap();
    diesel::sql_query(format!(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{}'",
        app.db.name
    ))
    .execute(&mut admin)
    .unwrap();
    let res = app.client().get("/healthz").await;
    assert_eq!(res.status, 503);
    let json: serde_json::Value = serde_json::from_str(&res.body).expect("JSON");
    assert_eq!(
        json,
        serde_json::json!({"status": "degraded", "database": "unavailable"}),
        "nothing of the cause is shown"
    );
    assert!(!res.body.contains(&app.db.name));
}

#[tokio::test]
async fn hsts_is_sent_only_when_the_app_is_served_over_tls() {
    let plain = spawn_app().await;
    let res = plain.client().get("/login").await;
    assert!(res.headers.get("strict-transport-security").is_none());
    let tls =
        spawn_app_with(Options::default().env("PC_PUBLIC_URL", "https://partners.example.test"))
            .await;
    for path in ["/login", "/healthz", "/static/app.css", "/nope"] {
        let res = tls.client().get(path).await;
        assert_eq!(
            res.headers
                .get("strict-transport-security")
                .and_then(|v| v.to_str().ok()),
            Some("max-age=31536000; includeSubDomains"),
            "{path}"
        );
    }
    let secure_cookies = spawn_app_with(Options::default().env("PC_SECURE_COOKIES", "true")).await;
    let res = secure_cookies.client().get("/login").await;
    assert!(res.headers.get("strict-transport-security").is_some());
}

#[tokio::test]
async fn the_audit_log_refuses_updates_and_deletes() {
    use diesel::prelude::*;
    let app = spawn_app().await;
    app.client()
        .sign_in("admin@northwind.test", "wrong-pass-1")
        .await;
    let mut conn = app.conn();
    assert!(
        diesel::sql_query("UPDATE audit_log SET action = 'x'")
            .execute(&mut conn)
            .is_err()
    );
    assert!(
        diesel::sql_query("DELETE FROM audit_log")
            .execute(&mut conn)
            .is_err()
    );
    assert!(app.count("SELECT count(*) AS n FROM audit_log") >= 1);
}

#[tokio::test]
async fn operators_search_the_audit_log() {
    let app = spawn_app().await;
    app.client()
        .sign_in("lead@northwind.test", "wrong-pass-1")
        .await;
    let op = app.signed_in("ops@demo.test").await;
    let res = op.get("/ops/audit?q=sign_in.failed").await;
    assert_eq!(res.status, 200);
    assert!(res.contains("lead@northwind.test"));
    let none = op.get("/ops/audit?q=no-such-action").await;
    assert!(!none.contains("lead@northwind.test"));
}

#[tokio::test]
async fn partner_admins_search_only_their_own_organisations_audit_log() {
    let app = spawn_app().await;
    // A Northwind sign-in and a Contoso sign-in leave rows for each organisation.
    app.signed_in("mgr1@northwind.test").await;
    app.signed_in("admin@contoso.test").await;
    let admin = app.signed_in("admin@northwind.test").await;
    let page = admin.get("/partner/audit?q=sign_in").await;
    assert_eq!(page.status, 200);
    assert!(page.contains("mgr1@northwind.test"));
    assert!(
        !page.contains("admin@contoso.test"),
        "another organisation's rows stay hidden"
    );
    let manager = app.signed_in("mgr2@northwind.test").await;
    assert_eq!(manager.get("/partner/audit").await.status, 403);
}

#[tokio::test]
async fn an_oversized_form_is_refused_cleanly() {
    let app = spawn_app().await;
    let c = app.client();
    let token = c.get("/login").await.csrf();
    let huge = "x".repeat(300 * 1024);
    let res = c
        .post_raw(
            "/login",
            &[("csrf_token", &token), ("email", &huge), ("password", "p")],
        )
        .await;
    assert_eq!(res.status, 400);
    assert!(res.contains("<h1>"), "an error page, not a crash");
    let bad_utf8 = c
        .http
        .post(format!("{}/login", app.address))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(vec![0xff, 0xfe, b'=', 0x80])
        .send()
        .await
        .unwrap();
    assert!(
        bad_utf8.status().is_client_error(),
        "got {}",
        bad_utf8.status()
    );
}

#[tokio::test]
async fn nul_bytes_are_dropped_from_links_and_refused_in_forms() {
    let app = spawn_app().await;
    let admin = app.signed_in("admin@northwind.test").await;
    for path in [
        "/partner/customers?q=%00",
        "/partner/invitations?q=a%00b",
        "/partner/audit?q=%00",
    ] {
        let res = admin.get(path).await;
        assert_eq!(res.status, 200, "{path}: the list opens");
    }
    let filtered = admin.get("/partner/customers?q=Ac%00me").await;
    assert!(
        filtered.contains("Acme Corp") && !filtered.contains("Globex Ltd"),
        "the filter still applies"
    );
    let op = app.signed_in("ops@demo.test").await;
    assert_eq!(op.get("/ops/ledger?q=%00").await.status, 200);
    let token = admin.get("/partner/invitations/new").await.csrf();
    let before = app.count("SELECT count(*) AS n FROM invitations");
    let fields = [
        ("csrf_token", token.as_str()),
        ("email", "nul@x.test"),
        ("company", "A\u{0}B"),
        ("association_type", "resale"),
        ("language", "en"),
    ];
    let res = admin.post_raw("/partner/invitations", &fields).await;
    assert_eq!(res.status, 400);
    assert!(res.contains("<h1>"), "an error page");
    assert_eq!(
        app.count("SELECT count(*) AS n FROM invitations"),
        before,
        "nothing was sent"
    );
}

// SPEC §4 CSRF: the token is masked afresh on every page (BREACH), and each masking works.
#[tokio::test]
async fn every_page_carries_a_different_csrf_token_and_each_is_accepted() {
    let app = spawn_app().await;
    let c = app.signed_in("ops@demo.test").await;
    let first = c.get("/ops/outbox").await.csrf();
    let second = c.get("/ops/outbox").await.csrf();
    let third = c.get("/ops/outbox").await.csrf();
    assert_ne!(first, second);
    assert_ne!(second, third);
    let before = app.count("SELECT count(*) AS n FROM outbox");
    // Older renders stay valid: a person may keep several tabs open.
    for token in [&third, &first] {
        let res = c
            .post_raw("/ops/outbox/test", &[("csrf_token", token)])
            .await;
        assert_eq!(res.status, 303, "{}", res.body);
    }
    let res = c
        .http
        .post(format!("{}/ops/outbox/test", c.base))
        .header("X-CSRF-Token", &second)
        .form(&[("x", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 303);
    assert_eq!(app.count("SELECT count(*) AS n FROM outbox"), before + 3);
    // Another session's masking of its own secret is worth nothing here.
    let other = app.signed_in("ops@demo.test").await;
    let foreign = other.get("/ops/outbox").await.csrf();
    let res = c
        .post_raw("/ops/outbox/test", &[("csrf_token", &foreign)])
        .await;
    assert_eq!(res.status, 403);
}
