//! Rules A1, A2 and the session rules of SPEC §4/§5.

use crate::support::{PASSWORD, spawn_app};

#[tokio::test]
async fn each_audience_signs_in_and_lands_on_its_home() {
    let app = spawn_app().await;
    for (email, home) in [
        ("admin@northwind.test", "/partner"),
        ("it@acme.test", "/fee-center"),
        ("ops@demo.test", "/ops"),
    ] {
        let c = app.client();
        let res = c.sign_in(email, PASSWORD).await;
        assert_eq!(res.status, 303);
        assert_eq!(res.location.as_deref(), Some(home));
        let page = c.get(home).await;
        assert_eq!(page.status, 200, "{email} opens {home}");
    }
}

#[tokio::test]
async fn wrong_password_and_unknown_account_get_the_same_answer() {
    let app = spawn_app().await;
    let wrong = app
        .client()
        .sign_in("admin@northwind.test", "not-the-password")
        .await;
    let unknown = app
        .client()
        .sign_in("nobody@nowhere.test", "not-the-password")
        .await;
    assert_eq!(wrong.status, 401);
    assert_eq!(unknown.status, 401);
    let message = "The e-mail address or password is incorrect.";
    let zh = "邮箱或密码错误。";
    assert!(wrong.contains(message) || wrong.contains(zh));
    assert!(unknown.contains(message) || unknown.contains(zh));
    // The form comes back with the e-mail kept.
    assert!(wrong.contains("value=\"admin@northwind.test\""));
    assert_eq!(
        app.count("SELECT count(*) AS n FROM audit_log WHERE action = 'sign_in.failed'"),
        2
    );
}

#[tokio::test]
async fn unknown_account_takes_about_as_long_as_a_wrong_password() {
    let app = spawn_app().await;
    let time = |email: &'static str| {
        let c = app.client();
        async move {
            let t = std::time::Instant::now();
            c.sign_in(email, "wrong-password-123").await;
            t.elapsed().as_secs_f64()
        }
    };
    let mut known = Vec::new();
    let mut unknown = Vec::new();
    for i in 0..3 {
        let _ = i;
        known.push(time("mgr1@northwind.test").await);
        unknown.push(time("ghost@northwind.test").await);
    }
    let k = known.iter().sum::<f64>() / 3.0;
    let u = unknown.iter().sum::<f64>() / 3.0;
    // Both pay for an argon2id verification: an unknown account must not answer much faster.
    assert!(u > k * 0.5, "unknown {u:.3}s vs known {k:.3}s");
}

#[tokio::test]
async fn the_sixth_rapid_failure_is_throttled_even_with_the_right_password() {
    let app = spawn_app().await;
    let c = app.client();
    for _ in 0..5 {
        assert_eq!(
            c.sign_in("mgr2@northwind.test", "bad-password-1")
                .await
                .status,
            401
        );
    }
    let sixth = c.sign_in("mgr2@northwind.test", PASSWORD).await;
    assert_eq!(sixth.status, 429);
    assert!(
        sixth.contains("minutes") || sixth.contains("分钟"),
        "{}",
        sixth.body
    );
    assert!(sixth.contains("name=\"email\""), "the form comes back");
    // Another account from the same address is not locked by it.
    assert_eq!(
        app.client()
            .sign_in("mgr1@northwind.test", PASSWORD)
            .await
            .status,
        303
    );
}

#[tokio::test]
async fn the_address_limit_throttles_many_accounts_from_one_client() {
    let app = spawn_app_with_address_limit(3).await;
    let c = app.client();
    for i in 0..3 {
        c.sign_in(&format!("guess{i}@x.test"), "nope-nope-1").await;
    }
    let res = c.sign_in("admin@contoso.test", PASSWORD).await;
    assert_eq!(res.status, 429);
}

async fn spawn_app_with_address_limit(n: u32) -> crate::support::TestApp {
    crate::support::spawn_app_with(
        crate::support::Options::default().env("PC_LOGIN_ADDRESS_LIMIT", n.to_string()),
    )
    .await
}

#[tokio::test]
async fn sign_in_gives_a_new_session_id_and_sign_out_ends_the_session() {
    let app = spawn_app().await;
    let c = app.client();
    let before = c.get("/login").await;
    let anonymous = c
        .cookie_header("pc_session", &before)
        .expect("anonymous session for the CSRF token");
    let signed = c.sign_in("admin@contoso.test", PASSWORD).await;
    let renewed = c
        .cookie_header("pc_session", &signed)
        .expect("a new session cookie");
    assert_ne!(anonymous.split(';').next(), renewed.split(';').next());
    assert!(renewed.contains("HttpOnly") && renewed.contains("SameSite=Lax"));
    let old_session_rows = app.count("SELECT count(*) AS n FROM web_sessions");
    assert!(old_session_rows >= 1);

    let token = c.get("/partner").await.csrf();
    let out = c.post_raw("/logout", &[("csrf_token", &token)]).await;
    assert_eq!(out.status, 303);
    assert_eq!(
        c.get("/partner").await.status,
        303,
        "signed out: back to /login"
    );
    assert_eq!(
        app.count("SELECT count(*) AS n FROM audit_log WHERE action IN ('sign_in', 'sign_out')"),
        2
    );
}

#[tokio::test]
async fn an_anonymous_visit_is_sent_to_sign_in_and_back_afterwards() {
    let app = spawn_app().await;
    let c = app.client();
    let res = c.get("/partner?x=1").await;
    assert_eq!(res.status, 303);
    assert_eq!(
        res.location.as_deref(),
        Some("/login?next=/partner%3Fx%3D1")
    );
    let form = c.get("/login?next=/partner%3Fx%3D1").await;
    assert!(form.contains("name=\"next\" value=\"/partner?x=1\""));
    let token = form.csrf();
    let signed = c
        .post_raw(
            "/login",
            &[
                ("csrf_token", &token),
                ("email", "admin@northwind.test"),
                ("password", PASSWORD),
                ("next", "/partner?x=1"),
            ],
        )
        .await;
    assert_eq!(signed.location.as_deref(), Some("/partner?x=1"));
}

#[tokio::test]
async fn next_never_leads_off_site_or_into_another_audience() {
    let app = spawn_app().await;
    for next in ["//evil.test/", "https://evil.test/", "/ops"] {
        let c = app.client();
        let token = c.get("/login").await.csrf();
        let res = c
            .post_raw(
                "/login",
                &[
                    ("csrf_token", &token),
                    ("email", "admin@northwind.test"),
                    ("password", PASSWORD),
                    ("next", next),
                ],
            )
            .await;
        assert_eq!(res.location.as_deref(), Some("/partner"), "next={next}");
    }
}

#[tokio::test]
async fn an_idle_session_ends() {
    let app = crate::support::spawn_app_with(
        crate::support::Options::default().env("PC_SESSION_IDLE", "1s"),
    )
    .await;
    let c = app.signed_in("admin@northwind.test").await;
    assert_eq!(c.get("/partner").await.status, 200);
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    assert_eq!(c.get("/partner").await.status, 303);
}

#[tokio::test]
async fn empty_and_oversized_sign_in_fields_get_the_form_back() {
    let app = spawn_app().await;
    let c = app.client();
    let res = c.sign_in("", "").await;
    assert_eq!(res.status, 422);
    assert!(res.contains("aria-invalid=\"true\""));
    let long = "a".repeat(5000);
    let res = c.sign_in(&long, &long).await;
    assert!(res.status == 422 || res.status == 401, "got {}", res.status);
}

#[tokio::test]
async fn a_session_ends_at_its_absolute_limit_even_when_busy() {
    let app = crate::support::spawn_app_with(
        crate::support::Options::default().env("PC_SESSION_MAX", "2s"),
    )
    .await;
    let c = app.signed_in("admin@northwind.test").await;
    for _ in 0..3 {
        assert_eq!(c.get("/partner").await.status, 200);
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(1000)).await;
    assert_eq!(c.get("/partner").await.status, 303);
}

#[tokio::test]
async fn a_session_written_after_its_sign_out_comes_back_without_the_identity() {
    // SPEC §4 (ASVS 3.3): a request that loaded the session before a sign-out and writes it
    // afterwards (a flash, the idle touch) must not bring the signed-in state back.
    use actix_session::storage::{SessionKey, SessionStore};
    use partner_center::auth::session_store::PgSessionStore;
    let app = spawn_app().await;
    let store = PgSessionStore::new(app.pool.clone());
    let ttl = actix_web::cookie::time::Duration::hours(1);
    let mut state = std::collections::HashMap::new();
    state.insert("who".to_string(), "{\"user_id\":1}".to_string());
    state.insert("flash".to_string(), "[]".to_string());
    let key = store.save(state.clone(), &ttl).await.unwrap();
    let copy = SessionKey::try_from(key.as_ref().to_string()).unwrap();
    store.delete(&key).await.unwrap();
    let renewed = store.update(copy, state, &ttl).await.unwrap();
    let loaded = store
        .load(&renewed)
        .await
        .unwrap()
        .expect("a fresh session");
    assert!(!loaded.contains_key("who"), "the identity stays signed out");
    assert!(
        app.count(&format!(
            "SELECT count(*) AS n FROM web_sessions WHERE key = '{}' AND state ? 'who'",
            renewed.as_ref()
        )) == 0
    );
}

#[tokio::test]
async fn a_copied_cookie_stays_signed_out_while_requests_race_the_sign_out() {
    // The probe of the review: keep posting with a copy of the cookie (following any new
    // session cookie the answers set), sign out with the original, then open /partner.
    let app = spawn_app().await;
    let c = app.client();
    let signed = c.sign_in("admin@northwind.test", PASSWORD).await;
    let first = c
        .cookie_header("pc_session", &signed)
        .expect("a session cookie");
    let copy_cookie = first.split(';').next().unwrap().to_string();
    let token = c.get("/partner/assignments").await.csrf();
    let copy = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let base = c.base.clone();
    let racing = {
        let (copy, base, token) = (copy.clone(), base.clone(), token.clone());
        tokio::spawn(async move {
            let mut cookie = copy_cookie;
            for _ in 0..40 {
                let Ok(res) = copy
                    .post(format!("{base}/partner/assignments"))
                    .header("cookie", &cookie)
                    .form(&[("csrf_token", token.as_str()), ("customer_id", "x")])
                    .send()
                    .await
                else {
                    continue;
                };
                if let Some(set) = res
                    .headers()
                    .get_all("set-cookie")
                    .iter()
                    .filter_map(|v| v.to_str().ok())
                    .find(|v| v.starts_with("pc_session="))
                {
                    cookie = set.split(';').next().unwrap().to_string();
                }
            }
            cookie
        })
    };
    tokio::time::sleep(std::time::Duration::from_millis(30)).await;
    let out = c.post_raw("/logout", &[("csrf_token", &token)]).await;
    assert_eq!(out.status, 303);
    let cookie = racing.await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let after = copy
        .get(format!("{base}/partner"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(after.status(), 303, "the copied cookie is signed out too");
}

#[tokio::test]
async fn parallel_wrong_passwords_get_exactly_what_serial_ones_get() {
    // rule A2: 40 guesses at once for one account: the limit (5) are tried, the rest are
    // refused untried. Unknown accounts are counted and locked the same way.
    let app = spawn_app().await;
    for email in ["admin@northwind.test", "nobody-at-all@example.test"] {
        let mut tries = Vec::new();
        for _ in 0..40 {
            let c = app.client();
            let email = email.to_string();
            tries.push(tokio::spawn(async move {
                c.sign_in(&email, "Wrong-Password-1").await.status
            }));
        }
        let mut statuses = Vec::new();
        for t in tries {
            statuses.push(t.await.unwrap());
        }
        let refused = statuses.iter().filter(|s| **s == 401).count();
        let throttled = statuses.iter().filter(|s| **s == 429).count();
        assert_eq!((refused, throttled), (5, 35), "{email}: {statuses:?}");
    }
    assert_eq!(
        app.count("SELECT count(*) AS n FROM audit_log WHERE action = 'sign_in.failed'"),
        10
    );
}

#[tokio::test]
async fn changing_who_an_account_is_ends_its_sessions() {
    // SPEC §4: a role change or a deactivation does not wait for the session to expire.
    use diesel::RunQueryDsl;
    let app = spawn_app().await;
    let mgr = app.signed_in("mgr1@northwind.test").await;
    let admin = app.signed_in("admin@northwind.test").await;
    assert_eq!(mgr.get("/partner").await.status, 200);
    diesel::sql_query("UPDATE users SET role = 'supervisor' WHERE email = 'mgr1@northwind.test'")
        .execute(&mut app.conn())
        .unwrap();
    diesel::sql_query(
        "UPDATE users SET last_sign_in_at = now() WHERE email = 'admin@northwind.test'",
    )
    .execute(&mut app.conn())
    .unwrap();
    // Every instance notices within the second its session memory lasts.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    assert_eq!(
        mgr.get("/partner").await.status,
        303,
        "the changed account signs in again"
    );
    assert_eq!(
        admin.get("/partner").await.status,
        200,
        "other changes leave sessions alone"
    );
    diesel::sql_query("UPDATE users SET disabled = TRUE WHERE email = 'admin@northwind.test'")
        .execute(&mut app.conn())
        .unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    assert_eq!(admin.get("/partner").await.status, 303);
}

#[tokio::test]
async fn a_visitors_session_row_expires_within_the_hour_a_signed_in_one_lasts() {
    // SPEC §4: cookie-less requests must not pile up twelve-hour session rows.
    let app = spawn_app().await;
    let c = app.client();
    assert_eq!(c.get("/login").await.status, 200);
    assert_eq!(
        app.count("SELECT count(*) AS n FROM web_sessions WHERE expires_at > now() + interval '31 minutes'"),
        0,
        "an anonymous session is short-lived"
    );
    assert_eq!(
        app.count("SELECT count(*) AS n FROM web_sessions WHERE expires_at > now() + interval '25 minutes'"),
        1
    );
    let signed = c.sign_in("admin@northwind.test", PASSWORD).await;
    assert_eq!(signed.status, 303);
    assert_eq!(
        app.count(
            "SELECT count(*) AS n FROM web_sessions WHERE expires_at > now() + interval '2 hours'"
        ),
        1,
        "a signed-in session keeps the configured lifetime"
    );
}
