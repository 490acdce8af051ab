//! Rules C1–C3 end to end through the real SMTP listener: the mail, the link, registration,
//! and every way a link stops working.

use crate::invitations::helpers::*;
use crate::support::{Options, spawn_app, spawn_app_with};

#[tokio::test]
async fn invitation_mail_arrives_multipart_and_registration_associates_with_partner_and_type() {
    let app = spawn_app().await;
    let admin = app.signed_in("admin@northwind.test").await;
    let res = invite(&admin, "newco@example.test", "advisory", "en").await;
    assert_eq!(res.status, 303, "{}", res.body);
    let mail = app.mail.wait_for_to("newco@example.test", 5).await;
    assert!(
        !mail.text.is_empty() && mail.html.contains("<html"),
        "both parts"
    );
    for part in [&mail.text, &mail.html] {
        assert!(part.contains("Northwind Distribution"), "names the partner");
        assert!(part.contains("Advisory"), "names the type");
        assert!(part.contains("expires on"), "names the expiry");
    }
    assert!(mail.subject.contains("Northwind Distribution"));
    let raw = String::from_utf8_lossy(&mail.raw);
    assert!(raw.contains("multipart/alternative"));
    // Only the hash is stored.
    let path = link_path(&mail);
    let token = path.trim_start_matches("/invitations/");
    assert_eq!(token.len(), 43);
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) AS n FROM invitations WHERE token_hash = '{token}'"
        )),
        0
    );
    // rule C1: the plain link exists only in the mail to the invitee — not on the sender's
    // pages, and not in the outbox once delivered.
    let list = admin.get("/partner/invitations").await;
    assert!(!list.contains(token));
    assert!(!list.contains("data-copy"));
    for _ in 0..50 {
        if app
            .count("SELECT count(*) AS n FROM outbox WHERE kind = 'invitation' AND state = 'sent'")
            > 0
        {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let stored = app.count(&format!(
        "SELECT count(*) AS n FROM outbox WHERE text_body LIKE '%{token}%' OR html_body LIKE '%{token}%'"
    ));
    assert_eq!(stored, 0, "the delivered copy keeps no token");

    let visitor = app.client();
    let landing = visitor.get(&path).await;
    assert_eq!(landing.status, 200);
    assert!(landing.contains("name=\"accept_terms\"") && landing.contains("name=\"contact_name\""));
    let res = register(&visitor, &path).await;
    assert_eq!(res.status, 303, "{}", res.body);
    assert_eq!(res.location.as_deref(), Some("/fee-center"));
    let home = visitor.get("/fee-center").await;
    assert_eq!(home.status, 200);
    assert!(home.contains("Northwind Distribution"));
    assert_eq!(
        app.count(
            "SELECT count(*) AS n FROM customers c JOIN organizations o ON o.id = c.partner_id
             WHERE c.email = 'newco@example.test' AND o.name = 'Northwind Distribution'
               AND c.association_type = 'advisory'"
        ),
        1
    );
    assert_eq!(
        app.count("SELECT count(*) AS n FROM invitations WHERE email = 'newco@example.test' AND state = 'accepted'"),
        1
    );
    assert_eq!(
        app.count(
            "SELECT count(*) AS n FROM ledger_accounts a JOIN customers c ON c.id = a.owner_customer_id
             WHERE c.email = 'newco@example.test'"
        ),
        2,
        "balance and credit accounts opened"
    );
    // Second use of the link.
    assert_link_refused(&app, &path, 409, "used").await;
    assert_eq!(customers_with(&app, "newco@example.test"), 1);
    // The partner sees it accepted.
    let accepted = admin
        .get("/partner/invitations?state=accepted&q=newco@example.test")
        .await;
    assert!(accepted.contains("n***@example.test"));
}

#[tokio::test]
async fn mail_goes_out_in_the_language_chosen_on_the_form() {
    let app = spawn_app().await;
    let admin = app.signed_in("admin@northwind.test").await;
    invite(&admin, "zh@example.test", "resale", "zh-CN").await;
    let mail = app.mail.wait_for_to("zh@example.test", 5).await;
    assert!(mail.subject.contains("邀请您加入伙伴中心"));
    assert!(mail.text.contains("代售") && mail.html.contains("代售"));
    assert!(mail.text.contains("失效"));
}

#[tokio::test]
async fn preview_shows_exactly_the_mail_that_is_sent() {
    let app = spawn_app().await;
    let admin = app.signed_in("admin@northwind.test").await;
    let fields = [
        ("email", "preview@example.test"),
        ("company", "Preview & Sons"),
        ("association_type", "resale"),
        ("language", "en"),
    ];
    let preview = admin
        .submit(
            "/partner/invitations/new",
            "/partner/invitations/preview",
            &fields,
        )
        .await;
    assert_eq!(preview.status, 200);
    assert!(preview.contains("name=\"email\"") && preview.contains("preview@example.test"));
    let unescape = |s: &str| {
        s.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&#34;", "\"")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&#60;", "<")
            .replace("&#62;", ">")
            .replace("&#38;", "&")
            .replace("&amp;", "&")
    };
    let between = |body: &str, open: &str| {
        let start = body.find(open).unwrap() + open.len();
        let end = body[start..].find("</").unwrap() + start;
        unescape(&body[start..end])
    };
    // The HTML part contains tags; take everything up to its closing </pre>.
    let html_start = preview.body.find("<pre class=\"mail-html\">").unwrap() + 23;
    let html_end = preview.body[html_start..].find("</pre>").unwrap() + html_start;
    let shown_html = unescape(&preview.body[html_start..html_end]);
    let shown_text = between(&preview.body, "<pre class=\"mail-text\">");
    let shown_subject = between(&preview.body, "<dd class=\"mail-subject\">");

    admin
        .submit("/partner/invitations/new", "/partner/invitations", &fields)
        .await;
    let mail = app.mail.wait_for_to("preview@example.test", 5).await;
    let token = link_path(&mail)
        .trim_start_matches("/invitations/")
        .to_string();
    let placeholder = "preview-the-real-link-is-made-when-sending";
    // The expiry is shown to the minute; should the minute turn between preview and send,
    // only those digits may differ.
    let same = |shown: String, sent: String| {
        let digits = |t: &str| t.replace(|c: char| c.is_ascii_digit(), "#");
        assert!(
            shown == sent || digits(&shown) == digits(&sent),
            "preview:\n{shown}\nsent:\n{sent}"
        );
    };
    same(shown_subject, mail.subject.clone());
    same(
        shown_text.replace(placeholder, &token),
        mail.text.replace("\r\n", "\n"),
    );
    same(
        shown_html.replace(placeholder, &token),
        mail.html.replace("\r\n", "\n"),
    );
}

#[tokio::test]
async fn the_form_shows_the_expiry_and_keeps_values_on_errors() {
    let app = spawn_app().await;
    let admin = app.signed_in("admin@northwind.test").await;
    let form = admin.get("/partner/invitations/new").await;
    assert!(form.contains("class=\"expiry\"") && form.contains("(UTC+8)"));
    assert!(
        form.contains("value=\"resale\" checked"),
        "resale by default"
    );
    let before = app.count("SELECT count(*) AS n FROM invitations");
    let res = admin
        .submit(
            "/partner/invitations/new",
            "/partner/invitations",
            &[
                ("email", "not-an-address"),
                ("company", "Kept Co"),
                ("association_type", "resale"),
            ],
        )
        .await;
    assert_eq!(res.status, 422);
    assert!(res.contains("Kept Co") && res.contains("aria-invalid"));
    let res = admin
        .submit(
            "/partner/invitations/new",
            "/partner/invitations",
            &[("email", "ok@example.test"), ("association_type", "bogus")],
        )
        .await;
    assert_eq!(res.status, 422);
    assert_eq!(app.count("SELECT count(*) AS n FROM invitations"), before);
}

#[tokio::test]
async fn an_expired_link_shows_expired_and_creates_nothing() {
    let app = spawn_app_with(Options::default().env("PC_INVITATION_TTL", "2s")).await;
    let path = invited_link(&app, "late@example.test", "resale").await;
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    assert_link_refused(&app, &path, 410, "expired").await;
    assert_eq!(customers_with(&app, "late@example.test"), 0);
    let admin = app.signed_in("admin@northwind.test").await;
    let list = admin
        .get("/partner/invitations?state=expired&q=late@example.test")
        .await;
    assert!(list.contains("l***@example.test"));
    // Short lifetimes get no reminder.
    assert_eq!(
        app.count(
            "SELECT count(*) AS n FROM outbox WHERE kind = 'invitation_reminder' AND to_addr = 'late@example.test'"
        ),
        0
    );
}

#[tokio::test]
async fn after_resend_the_first_link_is_no_longer_valid_and_the_new_one_works() {
    let app = spawn_app().await;
    let first = invited_link(&app, "again@example.test", "resale").await;
    let admin = app.signed_in("admin@northwind.test").await;
    let id = invitation_id(&app, "again@example.test");
    let res = act_on(&admin, id, "resend").await;
    assert_eq!(res.status, 303);
    assert_eq!(
        app.count(
            "SELECT resent_count::bigint AS n FROM invitations WHERE email = 'again@example.test'"
        ),
        1
    );
    assert_link_refused(&app, &first, 410, "superseded").await;
    assert_eq!(customers_with(&app, "again@example.test"), 0);
    // The newest mail carries the new link.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    let second = loop {
        let links: Vec<String> = app
            .mail
            .messages()
            .iter()
            .filter(|m| m.to.iter().any(|t| t == "again@example.test"))
            .map(link_path)
            .collect();
        if links.len() == 2 {
            break links[1].clone();
        }
        assert!(std::time::Instant::now() < deadline, "resent mail");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    assert_ne!(second, first);
    let res = register(&app.client(), &second).await;
    assert_eq!(res.status, 303);
    assert_eq!(customers_with(&app, "again@example.test"), 1);
}

#[tokio::test]
async fn a_revoked_link_is_no_longer_valid_and_creates_nothing() {
    let app = spawn_app().await;
    let path = invited_link(&app, "gone@example.test", "resale").await;
    let admin = app.signed_in("admin@northwind.test").await;
    let id = invitation_id(&app, "gone@example.test");
    let res = act_on(&admin, id, "revoke").await;
    assert_eq!(res.status, 303);
    assert_link_refused(&app, &path, 410, "revoked").await;
    assert_eq!(customers_with(&app, "gone@example.test"), 0);
    // Revoking twice does nothing twice.
    act_on(&admin, id, "revoke").await;
    assert_eq!(
        app.count("SELECT count(*) AS n FROM audit_log WHERE action = 'invitation.revoke'"),
        1
    );
}

#[tokio::test]
async fn forged_and_malformed_tokens_show_not_found_and_create_nothing() {
    let app = spawn_app().await;
    let before = app.count("SELECT count(*) AS n FROM customers");
    let c = app.client();
    for path in [
        "/invitations/short",
        "/invitations/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "/invitations/%24%24%24",
    ] {
        let page = c.get(path).await;
        assert_eq!(page.status, 404, "{path}");
        assert!(page.contains("problem-unknown"));
        let res = register(
            &c,
            "/invitations/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        )
        .await;
        assert!(res.contains("problem-unknown"));
    }
    assert_eq!(app.count("SELECT count(*) AS n FROM customers"), before);
}

#[tokio::test]
async fn a_token_for_another_address_cannot_be_accepted_by_a_different_account() {
    let app = spawn_app().await;
    // Invite an existing unassociated customer; Umbrella tries to use it with its own account.
    let path = invited_link(&app, "stranger@example.test", "resale").await;
    let res = confirm(
        &app.client(),
        &path,
        &[
            ("email", "hello@umbrella.test"),
            ("password", crate::support::PASSWORD),
        ],
    )
    .await;
    assert_eq!(res.status, 403);
    assert!(res.contains("problem-wrong_address"));
    assert_eq!(
        app.count("SELECT count(*) AS n FROM customers WHERE email = 'hello@umbrella.test' AND partner_id IS NOT NULL"),
        0
    );
    assert_eq!(customers_with(&app, "stranger@example.test"), 0);
    assert_eq!(
        app.count("SELECT count(*) AS n FROM invitations WHERE email = 'stranger@example.test' AND state = 'pending'"),
        1
    );
}

#[tokio::test]
async fn weak_passwords_and_missing_terms_keep_the_form_and_create_nothing() {
    let app = spawn_app().await;
    let path = invited_link(&app, "weak@example.test", "resale").await;
    let c = app.client();
    let res = c
        .submit(
            &path,
            &format!("{path}/register"),
            &[
                ("company", "Weak Co"),
                ("contact_name", "Wes"),
                ("phone", "123"),
                ("password", "short1"),
            ],
        )
        .await;
    assert_eq!(res.status, 422);
    assert!(
        res.contains("Weak Co") && res.contains("e-password") && res.contains("e-accept_terms")
    );
    assert_eq!(customers_with(&app, "weak@example.test"), 0);
}

#[tokio::test]
async fn a_double_submitted_invitation_is_sent_once() {
    let app = spawn_app().await;
    let admin = app.signed_in("admin@northwind.test").await;
    let token = admin.get("/partner/invitations/new").await.csrf();
    let fields = [
        ("csrf_token", token.as_str()),
        ("email", "twice@example.test"),
        ("association_type", "resale"),
        ("language", "en"),
    ];
    let (a, b) = tokio::join!(
        admin.post_raw("/partner/invitations", &fields),
        admin.post_raw("/partner/invitations", &fields)
    );
    let mut statuses = [a.status, b.status];
    statuses.sort();
    assert_eq!(statuses, [303, 409]);
    assert_eq!(
        app.count("SELECT count(*) AS n FROM invitations WHERE email = 'twice@example.test'"),
        1
    );
    assert_eq!(
        app.count("SELECT count(*) AS n FROM outbox WHERE to_addr = 'twice@example.test'"),
        1
    );
}
