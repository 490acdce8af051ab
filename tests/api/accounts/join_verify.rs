//! rule C7 with the address proven: `/join/{code}` makes a pending account and mails a
//! confirmation link; only the owner of the address, with the password chosen at
//! registration, completes it.

use crate::invitations::expansion::verify_path;
use crate::invitations::helpers::NEW_PASSWORD;
use crate::support::{TestApp, spawn_app};

async fn join_as(app: &TestApp, email: &str) -> String {
    let admin = app.signed_in("admin@northwind.test").await;
    let page = admin.get("/partner/expansion").await.body;
    let start = page.find("/join/").unwrap();
    let end = page[start..].find('"').unwrap() + start;
    let link = page[start..end].to_string();
    let res = app
        .client()
        .submit(
            &link,
            &link,
            &[
                ("email", email),
                ("company", "Walk-in Co"),
                ("contact_name", "Wally"),
                ("password", NEW_PASSWORD),
                ("accept_terms", "yes"),
            ],
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    verify_path(app, email).await
}

fn associated(app: &TestApp, email: &str) -> i64 {
    app.count(&format!(
        "SELECT count(*) AS n FROM customers WHERE email = '{email}' AND partner_id IS NOT NULL"
    ))
}

#[tokio::test]
async fn a_joined_account_waits_for_its_mailed_link_and_the_chosen_password() {
    let app = spawn_app().await;
    let verify = join_as(&app, "walkin@example.test").await;
    assert_eq!(associated(&app, "walkin@example.test"), 0);

    // Not before the address is proven: the right password does not sign in yet.
    let early = app
        .client()
        .sign_in("walkin@example.test", NEW_PASSWORD)
        .await;
    assert_eq!(early.status, 403);
    assert!(early.contains("Confirm your e-mail address") || early.contains("请先确认邮箱"));

    // Someone who has the link but not the password (the link went to the owner's mail,
    // yet a squatter could have typed the owner's address) cannot complete it.
    let other = app.client();
    let page = other.get(&verify).await;
    assert_eq!(page.status, 200);
    assert!(page.contains("walkin@example.test") && page.contains("Northwind Distribution"));
    let wrong = other
        .submit(&verify, &verify, &[("password", "Not-The-Password-1")])
        .await;
    assert_eq!(wrong.status, 401);
    assert_eq!(associated(&app, "walkin@example.test"), 0);
    assert_eq!(
        app.count("SELECT count(*) AS n FROM audit_log WHERE action = 'sign_in.failed'"),
        1,
        "the same sign-in check and audit row as /login"
    );

    let owner = app.client();
    let done = owner
        .submit(&verify, &verify, &[("password", NEW_PASSWORD)])
        .await;
    assert_eq!(done.status, 303, "{}", done.body);
    assert_eq!(done.location.as_deref(), Some("/fee-center"));
    assert_eq!(owner.get("/fee-center").await.status, 200);
    assert_eq!(associated(&app, "walkin@example.test"), 1);
    assert_eq!(
        app.count("SELECT count(*) AS n FROM users WHERE email = 'walkin@example.test' AND email_verified_at IS NOT NULL"),
        1
    );

    // Single use.
    let again = app.client().get(&verify).await;
    assert_eq!(again.status, 410);
    assert!(!again.contains("name=\"password\""));
    // And the account now signs in like any other.
    let later = app
        .client()
        .sign_in("walkin@example.test", NEW_PASSWORD)
        .await;
    assert_eq!(later.status, 303);
}

#[tokio::test]
async fn forged_and_expired_confirmation_links_are_refused() {
    let app = spawn_app().await;
    let verify = join_as(&app, "late@example.test").await;
    let c = app.client();
    assert_eq!(c.get("/join/verify/not-a-token").await.status, 404);
    assert_eq!(
        c.get(&format!("/join/verify/{}", "A".repeat(43)))
            .await
            .status,
        404
    );
    app.count("WITH x AS (UPDATE account_tokens SET expires_at = now() - interval '1 second' RETURNING 1) SELECT count(*) AS n FROM x");
    let expired = c.get(&verify).await;
    assert_eq!(expired.status, 410);
    let posted = c
        .submit(&verify, &verify, &[("password", NEW_PASSWORD)])
        .await;
    assert_eq!(posted.status, 410);
    assert_eq!(associated(&app, "late@example.test"), 0);
}

#[tokio::test]
async fn the_public_forms_are_limited_per_client_address() {
    // SPEC §6: 30 submissions an hour per address, counted before any password is hashed.
    let app = spawn_app().await;
    let c = app.client();
    for i in 0..30 {
        let res = c
            .submit(
                "/password/forgot",
                "/password/forgot",
                &[("email", &format!("nobody{i}@example.test"))],
            )
            .await;
        assert_eq!(res.status, 200, "attempt {i}");
    }
    let over = c
        .submit(
            "/password/forgot",
            "/password/forgot",
            &[("email", "it@acme.test")],
        )
        .await;
    assert_eq!(over.status, 429);
    assert_eq!(
        app.count("SELECT count(*) AS n FROM outbox WHERE to_addr = 'it@acme.test'"),
        0
    );
}
