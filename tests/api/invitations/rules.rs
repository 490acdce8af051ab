//! Rule C2's refusals (each with its own page, creating nothing), pre-registration (C8),
//! existing customers confirming, customer managers keeping whom they invite, and a link
//! opened twice at once associating once.

use crate::invitations::helpers::*;
use crate::support::{PASSWORD, TestApp, spawn_app};

fn exec(app: &TestApp, sql: &str) {
    use diesel::RunQueryDsl;
    diesel::sql_query(sql)
        .execute(&mut app.conn())
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

fn umbrella_is_free(app: &TestApp) -> bool {
    app.count("SELECT count(*) AS n FROM customers WHERE email = 'hello@umbrella.test' AND partner_id IS NULL") == 1
}

async fn refusal_page(app: &TestApp, path: &str, class: &str) {
    // Whoever holds the link learns nothing about the account (SPEC §4): a sign-in form.
    let page = app.client().get(path).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(!page.contains("problem-"), "{class} hidden before sign-in");
    assert!(page.contains("name=\"password\""));
    // Signed in as the invited address, the invitee gets C2's own page and nothing changes.
    let res = confirm(
        &app.client(),
        path,
        &[("email", "hello@umbrella.test"), ("password", PASSWORD)],
    )
    .await;
    assert!(
        res.contains(&format!("problem-{class}")),
        "{class} on confirm"
    );
    assert!(umbrella_is_free(app));
}

#[tokio::test]
async fn each_c2_refusal_has_its_own_page_and_creates_nothing() {
    let app = spawn_app().await;
    exec(
        &app,
        "UPDATE customers SET registered_at = now(), cash_spent = 0 WHERE email = 'hello@umbrella.test'",
    );
    let path = invited_link(&app, "hello@umbrella.test", "resale").await;

    exec(
        &app,
        "UPDATE customers SET special_contract = TRUE WHERE email = 'hello@umbrella.test'",
    );
    refusal_page(&app, &path, "special_contract").await;
    exec(
        &app,
        "UPDATE customers SET special_contract = FALSE WHERE email = 'hello@umbrella.test'",
    );

    exec(
        &app,
        "INSERT INTO bills (customer_id, period, amount) SELECT id, '2026-10-01', 12.50 FROM customers WHERE email = 'hello@umbrella.test'",
    );
    refusal_page(&app, &path, "unpaid_bills").await;
    exec(&app, "UPDATE bills SET paid_at = now()");

    exec(
        &app,
        "UPDATE customers SET registered_at = now() - interval '8 days' WHERE email = 'hello@umbrella.test'",
    );
    refusal_page(&app, &path, "needs_pre_registration").await;
    exec(
        &app,
        "UPDATE customers SET registered_at = now(), cash_spent = 5 WHERE email = 'hello@umbrella.test'",
    );
    refusal_page(&app, &path, "needs_pre_registration").await;
    exec(
        &app,
        "UPDATE customers SET cash_spent = 0 WHERE email = 'hello@umbrella.test'",
    );

    assert_eq!(
        app.count("SELECT count(*) AS n FROM invitations WHERE email = 'hello@umbrella.test' AND state = 'pending'"),
        1
    );
    assert_eq!(app.count("SELECT count(*) AS n FROM associations a JOIN customers c ON c.id = a.customer_id WHERE c.email = 'hello@umbrella.test'"), 0);
}

#[tokio::test]
async fn a_customer_of_another_partner_gets_its_own_page() {
    let app = spawn_app().await;
    let path = invited_link(&app, "ops@initech.test", "resale").await;
    let page = app.client().get(&path).await;
    assert_eq!(page.status, 200);
    assert!(
        !page.contains("problem-"),
        "another partner's customer is not told apart"
    );
    let res = confirm(
        &app.client(),
        &path,
        &[("email", "ops@initech.test"), ("password", PASSWORD)],
    )
    .await;
    assert_eq!(res.status, 409);
    assert!(res.contains("problem-other_partner"));
    assert_eq!(
        app.count("SELECT count(*) AS n FROM customers c JOIN organizations o ON o.id = c.partner_id WHERE c.email = 'ops@initech.test' AND o.name = 'Bluebird Cloud'"),
        1
    );
}

#[tokio::test]
async fn an_existing_unassociated_customer_signs_in_and_confirms() {
    let app = spawn_app().await;
    exec(
        &app,
        "UPDATE customers SET registered_at = now() WHERE email = 'hello@umbrella.test'",
    );
    let path = invited_link(&app, "hello@umbrella.test", "advisory").await;
    let c = app.client();
    let landing = c.get(&path).await;
    assert_eq!(landing.status, 200);
    assert!(landing.contains(&format!("action=\"{path}/confirm\"")));
    let wrong = confirm(
        &c,
        &path,
        &[
            ("email", "hello@umbrella.test"),
            ("password", "wrong-password-1"),
        ],
    )
    .await;
    assert_eq!(wrong.status, 401);
    assert!(umbrella_is_free(&app));
    let res = confirm(
        &c,
        &path,
        &[("email", "Hello@Umbrella.test"), ("password", PASSWORD)],
    )
    .await;
    assert_eq!(res.status, 303, "{}", res.body);
    assert_eq!(res.location.as_deref(), Some("/fee-center"));
    assert!(
        c.get("/fee-center")
            .await
            .contains("Northwind Distribution")
    );
    assert_eq!(
        app.count("SELECT count(*) AS n FROM customers c JOIN organizations o ON o.id = c.partner_id WHERE c.email = 'hello@umbrella.test' AND o.name = 'Northwind Distribution' AND c.association_type = 'advisory'"),
        1
    );
}

#[tokio::test]
async fn pre_registration_lets_an_old_account_be_associated() {
    let app = spawn_app().await;
    exec(
        &app,
        "UPDATE customers SET registered_at = now() - interval '60 days' WHERE email = 'hello@umbrella.test'",
    );
    let path = invited_link(&app, "hello@umbrella.test", "resale").await;
    let first = confirm(
        &app.client(),
        &path,
        &[("email", "hello@umbrella.test"), ("password", PASSWORD)],
    )
    .await;
    assert!(first.contains("problem-needs_pre_registration"));
    assert!(umbrella_is_free(&app));

    let mgr = app.signed_in("mgr1@northwind.test").await;
    let res = pre_register(&mgr, "hello@umbrella.test").await;
    assert_eq!(res.status, 303, "{}", res.body);
    let list = mgr.get("/partner/invitations/pre-registrations").await;
    assert!(list.contains("h***@umbrella.test"));
    assert!(list.contains("<td class=\"days-left\">15</td>"));
    // Not yet this partner's customer: its company is not shown (SPEC §4).
    assert!(
        !list.contains("Umbrella"),
        "no company name of an unassociated customer"
    );
    // Twice is refused.
    let again = pre_register(&mgr, "hello@umbrella.test").await;
    assert_eq!(again.status, 409);
    // An address without a customer account is refused.
    let none = pre_register(&mgr, "nobody@example.test").await;
    assert_eq!(none.status, 409);

    let res = confirm(
        &app.client(),
        &path,
        &[("email", "hello@umbrella.test"), ("password", PASSWORD)],
    )
    .await;
    assert_eq!(res.status, 303, "{}", res.body);
    assert!(!umbrella_is_free(&app));
    assert_eq!(
        app.count("SELECT count(*) AS n FROM pre_registrations WHERE closed_at IS NOT NULL"),
        1
    );
}

#[tokio::test]
async fn at_most_100_pre_registrations_are_open_at_once() {
    let app = spawn_app().await;
    exec(
        &app,
        "INSERT INTO pre_registrations (partner_id, customer_id, created_by, expires_at)
         SELECT o.id, c.id, u.id, now() + interval '15 days'
         FROM organizations o, users u, customers c, generate_series(1, 100) g
         WHERE o.name = 'Northwind Distribution' AND u.email = 'admin@northwind.test'
           AND c.email = 'it@acme.test'",
    );
    let admin = app.signed_in("admin@northwind.test").await;
    let res = pre_register(&admin, "hello@umbrella.test").await;
    assert_eq!(res.status, 409);
    assert_eq!(
        app.count("SELECT count(*) AS n FROM pre_registrations"),
        100
    );
}

#[tokio::test]
async fn a_customer_manager_who_invites_keeps_the_new_customer() {
    let app = spawn_app().await;
    let mgr = app.signed_in("mgr1@northwind.test").await;
    assert_eq!(
        invite(&mgr, "mine@example.test", "resale", "en")
            .await
            .status,
        303
    );
    let path = link_path(&app.mail.wait_for_to("mine@example.test", 5).await);
    assert_eq!(register(&app.client(), &path).await.status, 303);
    assert_eq!(
        app.count("SELECT count(*) AS n FROM customers c JOIN users u ON u.id = c.manager_id WHERE c.email = 'mine@example.test' AND u.email = 'mgr1@northwind.test'"),
        1
    );
    assert_eq!(
        app.count("SELECT count(*) AS n FROM manager_assignments m JOIN customers c ON c.id = m.customer_id WHERE c.email = 'mine@example.test' AND m.to_at IS NULL"),
        1
    );
}

#[tokio::test]
async fn the_same_link_opened_concurrently_associates_once() {
    let app = spawn_app().await;
    let path = invited_link(&app, "race@example.test", "resale").await;
    // Each visitor loads the form first, then all submit together.
    let ok = post_at_once(
        &app,
        &path,
        "register",
        &[
            ("company", "Race Co"),
            ("contact_name", "Rae"),
            ("password", NEW_PASSWORD),
            ("accept_terms", "yes"),
        ],
        8,
    )
    .await;
    assert_eq!(ok, 1);
    assert_eq!(customers_with(&app, "race@example.test"), 1);
    assert_eq!(app.count("SELECT count(*) AS n FROM associations a JOIN customers c ON c.id = a.customer_id WHERE c.email = 'race@example.test'"), 1);
    assert_eq!(
        app.count("SELECT count(*) AS n FROM audit_log WHERE action = 'invitation.accept'"),
        1
    );
}

#[tokio::test]
async fn partner_accounts_and_existing_customers_of_this_partner_get_their_own_pages() {
    let app = spawn_app().await;
    let member = invited_link(&app, "admin@contoso.test", "resale").await;
    let page = app.client().get(&member).await;
    assert_eq!(page.status, 200);
    assert!(
        !page.contains("problem-"),
        "a staff address is not told apart"
    );
    let res = confirm(
        &app.client(),
        &member,
        &[("email", "admin@contoso.test"), ("password", PASSWORD)],
    )
    .await;
    assert_eq!(res.status, 409);
    assert!(res.contains("problem-not_customer"));
    let res = register(&app.client(), &member).await;
    assert!(res.contains("problem-wrong_address"));
    // Sending to an address that is already this partner's customer is refused at once.
    let admin = app.signed_in("admin@northwind.test").await;
    let res = invite(&admin, "it@acme.test", "resale", "en").await;
    assert_eq!(res.status, 409);
    assert_eq!(
        app.count("SELECT count(*) AS n FROM invitations WHERE email = 'it@acme.test' AND state = 'pending'"),
        0
    );
    assert_eq!(
        app.count("SELECT count(*) AS n FROM users WHERE email = 'admin@contoso.test'"),
        1
    );
}

#[tokio::test]
async fn an_existing_customer_confirming_twice_at_once_is_associated_once() {
    let app = spawn_app().await;
    exec(
        &app,
        "UPDATE customers SET registered_at = now() WHERE email = 'hello@umbrella.test'",
    );
    let path = invited_link(&app, "hello@umbrella.test", "resale").await;
    let ok = post_at_once(
        &app,
        &path,
        "confirm",
        &[("email", "hello@umbrella.test"), ("password", PASSWORD)],
        6,
    )
    .await;
    assert_eq!(ok, 1);
    assert_eq!(
        app.count("SELECT count(*) AS n FROM associations a JOIN customers c ON c.id = a.customer_id WHERE c.email = 'hello@umbrella.test'"),
        1
    );
}

#[tokio::test]
async fn a_customer_already_signed_in_as_the_invited_account_just_confirms() {
    let app = spawn_app().await;
    exec(
        &app,
        "UPDATE customers SET registered_at = now() WHERE email = 'hello@umbrella.test'",
    );
    let path = invited_link(&app, "hello@umbrella.test", "resale").await;
    let c = app.signed_in("hello@umbrella.test").await;
    let page = c.get(&path).await;
    assert_eq!(page.status, 200);
    assert!(
        !page.contains("name=\"password\""),
        "no password asked again"
    );
    let res = confirm(&c, &path, &[("email", "hello@umbrella.test")]).await;
    assert_eq!(res.status, 303, "{}", res.body);
    assert!(!umbrella_is_free(&app));
    // Another signed-in customer still has to sign in as the invited account.
    let path = invited_link(&app, "brand-new@example.test", "resale").await;
    let acme = app.signed_in("it@acme.test").await;
    let res = confirm(&acme, &path, &[("email", "it@acme.test")]).await;
    assert_eq!(res.status, 403);
    assert_eq!(customers_with(&app, "brand-new@example.test"), 0);
}
