//! Every invitation, expansion and pre-registration page is valid HTML (SPEC §4).

use crate::invitations::helpers::*;
use crate::support::{PASSWORD, html, spawn_app};

#[tokio::test]
async fn invitation_pages_are_valid_html() {
    let app = spawn_app().await;
    let mut pages: Vec<(String, String)> = Vec::new();
    let admin = app.signed_in("admin@northwind.test").await;
    invite(&admin, "valid@example.test", "resale", "en").await;
    for p in [
        "/partner/invitations",
        "/partner/invitations",
        "/partner/invitations?state=expired&q=x",
        "/partner/invitations/new",
        "/partner/invitations/bulk",
        "/partner/invitations/pre-registrations",
        "/partner/expansion",
    ] {
        pages.push((format!("admin{p}"), admin.get(p).await.body));
    }
    let fields = [
        ("email", "valid2@example.test"),
        ("company", "Valid <Co>"),
        ("association_type", "advisory"),
        ("language", "zh-CN"),
    ];
    pages.push((
        "preview".into(),
        admin
            .submit(
                "/partner/invitations/new",
                "/partner/invitations/preview",
                &fields,
            )
            .await
            .body,
    ));
    pages.push((
        "new-errors".into(),
        admin
            .submit(
                "/partner/invitations/new",
                "/partner/invitations",
                &[("email", "x")],
            )
            .await
            .body,
    ));
    pages.push((
        "prereg-error".into(),
        pre_register(&admin, "nobody@example.test").await.body,
    ));
    let mgr = app.signed_in("mgr1@northwind.test").await;
    pages.push((
        "mgr-list".into(),
        mgr.get("/partner/invitations").await.body,
    ));

    let mail = app.mail.wait_for_to("valid@example.test", 5).await;
    let path = link_path(&mail);
    let anon = app.client();
    pages.push(("landing-register".into(), anon.get(&path).await.body));
    pages.push((
        "landing-register-errors".into(),
        anon.submit(&path, &format!("{path}/register"), &[("company", "")])
            .await
            .body,
    ));
    pages.push(("mail-html".into(), mail.html.clone()));
    pages.push((
        "problem-unknown".into(),
        anon.get("/invitations/nope").await.body,
    ));
    let umbrella = invited_link(&app, "hello@umbrella.test", "resale").await;
    pages.push(("landing-sign-in".into(), anon.get(&umbrella).await.body));
    pages.push((
        "landing-sign-in-failed".into(),
        confirm(
            &anon,
            &umbrella,
            &[
                ("email", "hello@umbrella.test"),
                ("password", "wrong-one-12"),
            ],
        )
        .await
        .body,
    ));
    let _ = PASSWORD;
    let umbrella_user = app.signed_in("hello@umbrella.test").await;
    pages.push((
        "landing-confirm".into(),
        umbrella_user.get(&umbrella).await.body,
    ));
    let expansion = admin.get("/partner/expansion").await.body;
    let start = expansion.find("/join/").unwrap();
    let end = expansion[start..].find('"').unwrap() + start;
    let join = expansion[start..end].to_string();
    pages.push(("join".into(), anon.get(&join).await.body));
    pages.push((
        "join-errors".into(),
        anon.submit(&join, &join, &[("email", "bad")]).await.body,
    ));
    pages.push(("join-invalid".into(), anon.get("/join/nothing").await.body));
    // The account pages: check your mail, confirm a join, reset a password, a spent link.
    let joined = anon
        .submit(
            &join,
            &join,
            &[
                ("email", "walkin@example.test"),
                ("company", "Walk-in"),
                ("contact_name", "W"),
                ("password", NEW_PASSWORD),
                ("accept_terms", "yes"),
            ],
        )
        .await;
    pages.push(("join-check-mail".into(), joined.body));
    let verify = crate::invitations::expansion::verify_path(&app, "walkin@example.test").await;
    pages.push(("join-verify".into(), anon.get(&verify).await.body));
    pages.push(("forgot".into(), anon.get("/password/forgot").await.body));
    let asked = anon
        .submit(
            "/password/forgot",
            "/password/forgot",
            &[("email", "it@acme.test")],
        )
        .await;
    pages.push(("forgot-check-mail".into(), asked.body));
    let reset = app.mail.wait_for_to("it@acme.test", 5).await;
    let link = reset.link("http").unwrap();
    let reset = link[link.find("/password/reset/").unwrap()..].to_string();
    pages.push(("reset".into(), anon.get(&reset).await.body));
    pages.push((
        "reset-problem".into(),
        anon.get("/password/reset/forged").await.body,
    ));
    for p in [
        "/partner/invitations",
        "/partner/invitations/new",
        "/partner/invitations/bulk",
        "/partner/expansion",
    ] {
        let en = admin.get_with(p, &[("accept-language", "en")]).await.body;
        pages.push((format!("en{p}"), en));
    }
    // Every message exists in both languages: no page shows a raw message key.
    for (name, body) in &pages {
        for prefix in [
            "invite.",
            "bulk.",
            "prereg.",
            "expansion.",
            "join.",
            "mail.invitation",
            "mail.reminder",
            "account.",
            "login.",
        ] {
            assert!(
                !body.contains(prefix),
                "{name} shows a raw key starting {prefix}"
            );
        }
    }
    html::assert_valid(&pages);
}
