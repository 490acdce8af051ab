//! Control characters in text input (SPEC §4 "no input produces a 500"): NUL and the other
//! controls are dropped from query strings after percent-decoding and refuse a URL-encoded form.

use crate::support::spawn_app;

#[tokio::test]
async fn a_nul_in_a_list_filter_never_gives_a_500() {
    let app = spawn_app().await;
    let admin = app.signed_in("admin@northwind.test").await;
    for query in [
        "q=%%0000",
        "q=%00",
        "q=acme%00",
        "q=%01&size=20",
        "%00=x",
        "q=%%0000&after=%00",
    ] {
        let res = admin.get(&format!("/partner/invitations?{query}")).await;
        assert_eq!(res.status, 200, "{query}: {}", res.body);
        assert!(res.contains("<h1"), "{query}: the list page");
        let res = admin.get(&format!("/partner/customers?{query}")).await;
        assert_eq!(res.status, 200, "{query}: {}", res.body);
    }
    // `%%0000` decodes to `%`, NUL, `00`: the filter keeps the visible text `%00`.
    let res = admin.get("/partner/invitations?q=%%0000").await;
    assert!(res.contains("value=\"%00\""), "{}", res.body);
}

#[tokio::test]
async fn a_form_field_holding_a_nul_is_refused_with_400_and_changes_nothing() {
    let app = spawn_app().await;
    let admin = app.signed_in("admin@northwind.test").await;
    let before = app.count("SELECT count(*) AS n FROM invitations");
    // The token as a form field, and as the header (the body is checked all the same).
    let token = admin.get("/partner/invitations/new").await.csrf();
    let company = "Nul\0Co";
    let fields = [
        ("csrf_token", token.as_str()),
        ("email", "nul@input.test"),
        ("company", company),
        ("association_type", "resale"),
        ("language", "en"),
    ];
    let res = admin.post_raw("/partner/invitations", &fields).await;
    assert_eq!(res.status, 400, "{}", res.body);
    assert!(res.contains("<h1"), "a friendly 400 page");
    let res = admin
        .http
        .post(format!("{}/partner/invitations", admin.base))
        .header("X-CSRF-Token", &token)
        .form(&fields[1..])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 400);
    // Written by hand: `%%0000` in a body, and a raw control character.
    for body in [
        format!("csrf_token={token}&email=x%40input.test&company=%%0000&association_type=resale"),
        format!("csrf_token={token}&email=x%40input.test&company=a%07b&association_type=resale"),
    ] {
        let res = admin
            .http
            .post(format!("{}/partner/invitations", admin.base))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(body.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 400, "{body}");
    }
    assert_eq!(app.count("SELECT count(*) AS n FROM invitations"), before);
    // Line breaks and tabs are text, not refused: the same form without the NUL goes through.
    let res = admin
        .submit(
            "/partner/invitations/new",
            "/partner/invitations",
            &[
                ("email", "ok@input.test"),
                ("company", "Ok\tCo"),
                ("association_type", "resale"),
                ("language", "en"),
            ],
        )
        .await;
    assert_ne!(res.status, 400, "{}", res.body);
    assert_ne!(res.status, 500, "{}", res.body);
}
