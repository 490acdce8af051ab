//! Password reset by e-mail (SPEC §6): the same answer for every address, a link that works
//! once for one hour, and a new password that also lifts a sign-in lock and ends the old
//! sessions.

use crate::invitations::helpers::NEW_PASSWORD;
use crate::support::{PASSWORD, TestApp, spawn_app};

async fn ask(app: &TestApp, email: &str) -> crate::support::http::Page {
    app.client()
        .submit("/password/forgot", "/password/forgot", &[("email", email)])
        .await
}

async fn reset_path(app: &TestApp, email: &str) -> String {
    let mail = app.mail.wait_for_to(email, 5).await;
    let link = mail.link("http").expect("a link");
    link[link.find("/password/reset/").expect("a reset link")..].to_string()
}

#[tokio::test]
async fn a_reset_link_sets_a_new_password_once_and_ends_old_sessions() {
    let app = spawn_app().await;
    let before = app.signed_in("it@acme.test").await;
    assert_eq!(before.get("/fee-center").await.status, 200);

    let known = ask(&app, "it@acme.test").await;
    let unknown = ask(&app, "nobody@example.test").await;
    assert_eq!((known.status, unknown.status), (200, 200));
    let strip = |p: &crate::support::http::Page, email: &str| p.body.replace(email, "");
    assert_eq!(
        strip(&known, "it@acme.test").replace(&known.csrf(), ""),
        strip(&unknown, "nobody@example.test").replace(&unknown.csrf(), ""),
        "the page says the same for known and unknown addresses"
    );
    let path = reset_path(&app, "it@acme.test").await;
    assert_eq!(
        app.count("SELECT count(*) AS n FROM outbox WHERE to_addr = 'nobody@example.test'"),
        0
    );

    let c = app.client();
    let form = c.get(&path).await;
    assert_eq!(form.status, 200);
    assert!(form.contains("it@acme.test"));
    let weak = c.submit(&path, &path, &[("password", "short")]).await;
    assert_eq!(weak.status, 422);
    let done = c.submit(&path, &path, &[("password", NEW_PASSWORD)]).await;
    assert_eq!(done.status, 303, "{}", done.body);
    assert_eq!(done.location.as_deref(), Some("/login"));

    assert_eq!(
        app.client().sign_in("it@acme.test", PASSWORD).await.status,
        401
    );
    assert_eq!(
        app.client()
            .sign_in("it@acme.test", NEW_PASSWORD)
            .await
            .status,
        303
    );
    // The session signed in with the old password is over (every instance notices within
    // the second its session memory lasts).
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    assert_eq!(before.get("/fee-center").await.status, 303);
    // Single use.
    assert_eq!(app.client().get(&path).await.status, 410);
    assert_eq!(
        app.count("SELECT count(*) AS n FROM audit_log WHERE action = 'password.reset'"),
        1
    );
}

#[tokio::test]
async fn a_reset_lifts_the_sign_in_lock_and_older_links_stop_working() {
    let app = spawn_app().await;
    let c = app.client();
    loop {
        let res = c.sign_in("it@acme.test", "Wrong-Password-1").await;
        if res.status == 429 {
            break;
        }
        assert_eq!(res.status, 401);
    }
    ask(&app, "it@acme.test").await;
    let first = reset_path(&app, "it@acme.test").await;
    ask(&app, "it@acme.test").await;
    let mails = app.mail.wait_for(2, 5).await;
    let second = mails
        .iter()
        .filter(|m| m.to.iter().any(|t| t.contains("it@acme.test")))
        .filter_map(|m| m.link("http"))
        .map(|l| l[l.find("/password/reset/").unwrap()..].to_string())
        .find(|p| *p != first)
        .expect("a second link");
    let r = app.client();
    assert_eq!(
        r.submit(&second, &second, &[("password", NEW_PASSWORD)])
            .await
            .status,
        303
    );
    assert_eq!(
        app.client().get(&first).await.status,
        410,
        "an older link is spent too"
    );
    assert_eq!(
        app.client()
            .sign_in("it@acme.test", NEW_PASSWORD)
            .await
            .status,
        303
    );
}

#[tokio::test]
async fn forged_and_expired_reset_links_are_refused() {
    let app = spawn_app().await;
    ask(&app, "it@acme.test").await;
    let path = reset_path(&app, "it@acme.test").await;
    let c = app.client();
    assert_eq!(c.get("/password/reset/forged").await.status, 404);
    app.count("WITH x AS (UPDATE account_tokens SET expires_at = now() - interval '1 second' RETURNING 1) SELECT count(*) AS n FROM x");
    assert_eq!(c.get(&path).await.status, 410);
    let res = c.submit(&path, &path, &[("password", NEW_PASSWORD)]).await;
    assert_eq!(res.status, 410);
    assert_eq!(
        app.client().sign_in("it@acme.test", PASSWORD).await.status,
        303
    );
}
