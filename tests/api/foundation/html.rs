//! Every foundation page is valid HTML (SPEC §4 "Valid and accessible").

use crate::support::{html, spawn_app};

#[tokio::test]
async fn foundation_pages_are_valid_html() {
    let app = spawn_app().await;
    let mut pages = Vec::new();
    let anon = app.client();
    pages.push(("login".to_string(), anon.get("/login").await.body));
    pages.push((
        "login-en".to_string(),
        anon.get_with("/login", &[("accept-language", "en")])
            .await
            .body,
    ));
    let failed = anon
        .sign_in("admin@northwind.test", "wrong-password-1")
        .await;
    pages.push(("login-failed".to_string(), failed.body));
    pages.push(("not-found".to_string(), anon.get("/nope").await.body));
    for (email, paths) in [
        (
            "admin@northwind.test",
            vec!["/partner", "/partner/audit", "/ops"],
        ),
        ("mgr1@northwind.test", vec!["/partner"]),
        ("it@acme.test", vec!["/fee-center"]),
        ("hello@umbrella.test", vec!["/fee-center"]),
        (
            "ops@demo.test",
            vec!["/ops", "/ops/outbox", "/ops/audit", "/ops/audit?q=sign_in"],
        ),
    ] {
        let c = app.signed_in(email).await;
        for p in paths {
            let res = c.get(p).await;
            pages.push((format!("{email}{p}"), res.body));
        }
    }
    let op = app.signed_in("ops@demo.test").await;
    op.submit("/ops/outbox", "/ops/outbox/test", &[]).await;
    let id = app.id_of("SELECT max(id) AS n FROM outbox");
    pages.push((
        "outbox-message".into(),
        op.get(&format!("/ops/outbox/{id}")).await.body,
    ));
    html::assert_valid(&pages);
}
