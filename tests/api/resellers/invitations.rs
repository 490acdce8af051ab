//! rule R1 end to end through the real SMTP listener: a distributor invites a reseller by
//! e-mail and name; the link registers the reseller under it, or turns a customer account into
//! the reseller's admin; partner staff are refused; the customer invitations stay apart.

use crate::invitations::helpers::{NEW_PASSWORD, confirm, link_path};
use crate::support::http::{Client, Page};
use crate::support::{PASSWORD, spawn_app};

async fn invite_reseller(c: &Client, email: &str, company: &str) -> Page {
    c.submit(
        "/partner/resellers/invitations/new",
        "/partner/resellers/invitations",
        &[("email", email), ("company", company), ("language", "en")],
    )
    .await
}

async fn register_reseller(c: &Client, path: &str, company: &str) -> Page {
    c.submit(
        path,
        &format!("{path}/register"),
        &[
            ("company", company),
            ("contact_name", "Rita Reseller"),
            ("phone", "13900002222"),
            ("password", NEW_PASSWORD),
            ("accept_terms", "yes"),
        ],
    )
    .await
}

#[tokio::test]
async fn an_invited_reseller_registers_under_the_distributor_and_its_admin_signs_in() {
    let app = spawn_app().await;
    let admin = app.signed_in("admin@northwind.test").await;
    // The preview shows the exact mail before anything is sent.
    let preview = admin
        .submit(
            "/partner/resellers/invitations/new",
            "/partner/resellers/invitations/preview",
            &[
                ("email", "rita@newreseller.test"),
                ("company", "Newreseller Co"),
                ("language", "en"),
            ],
        )
        .await;
    assert_eq!(preview.status, 200);
    assert!(preview.contains("invites you to become its reseller"));
    assert_eq!(
        app.count("SELECT count(*) AS n FROM invitations WHERE email = 'rita@newreseller.test'"),
        0
    );

    let res = invite_reseller(&admin, "rita@newreseller.test", "Newreseller Co").await;
    assert_eq!(res.status, 303, "{}", res.body);
    let mail = app.mail.wait_for_to("rita@newreseller.test", 5).await;
    for part in [&mail.text, &mail.html] {
        assert!(part.contains("Northwind Distribution") && part.contains("reseller"));
        assert!(part.contains("expires on"));
    }
    assert!(mail.subject.contains("invites you to become its reseller"));
    let path = link_path(&mail);
    // A reseller invitation is not a customer invitation: it shows on its own tab only.
    let tab = admin.get("/partner/resellers/invitations").await;
    assert!(tab.contains("Newreseller Co"));
    assert!(
        !admin
            .get("/partner/invitations")
            .await
            .contains("Newreseller Co")
    );

    let visitor = app.client();
    let landing = visitor.get(&path).await;
    assert_eq!(landing.status, 200);
    assert!(landing.contains("Become a reseller") || landing.contains("成为云经销商"));
    assert!(
        landing.contains("value=\"Newreseller Co\""),
        "the name is prefilled"
    );
    let res = register_reseller(&visitor, &path, "Newreseller Co").await;
    assert_eq!(res.status, 303, "{}", res.body);
    assert_eq!(res.location.as_deref(), Some("/partner"));
    let org = app.id_of(
        "SELECT o.id AS n FROM organizations o JOIN organizations p ON p.id = o.parent_id \
         WHERE o.name = 'Newreseller Co' AND o.kind = 'reseller' AND p.name = 'Northwind Distribution'",
    );
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) AS n FROM users WHERE email = 'rita@newreseller.test' \
             AND org_id = {org} AND role = 'admin' AND audience = 'partner' AND customer_id IS NULL"
        )),
        1
    );
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) AS n FROM invitations WHERE state = 'accepted' AND accepted_org_id = {org}"
        )),
        1
    );
    // The new admin signs in and sees its distributor.
    let rita = app.client();
    assert_eq!(
        rita.sign_in("rita@newreseller.test", NEW_PASSWORD)
            .await
            .status,
        303
    );
    let home = rita.get("/partner").await;
    assert!(home.contains("id=\"my-distributor\"") && home.contains("Northwind Distribution"));
    let account = rita.get("/partner/account").await;
    assert_eq!(account.status, 200);
    assert!(account.contains("Northwind Distribution"));
    assert_eq!(rita.get("/partner/resellers").await.status, 403);
    // The distributor lists it, with the admin as its contact.
    let list = admin.get("/partner/resellers?q=Newreseller").await;
    assert!(list.contains("Newreseller Co") && list.contains("Rita Reseller"));
    // The link is used up.
    assert_eq!(app.client().get(&path).await.status, 409);
}

#[tokio::test]
async fn a_customer_account_that_accepts_becomes_the_resellers_admin_and_stops_being_a_customer() {
    let app = spawn_app().await;
    // Acme Corp is Northwind's customer; its user it@acme.test accepts.
    let acme = app.id_of("SELECT id AS n FROM customers WHERE company = 'Acme Corp'");
    let admin = app.signed_in("admin@northwind.test").await;
    let res = invite_reseller(&admin, "it@acme.test", "Acme Reselling").await;
    assert_eq!(res.status, 303, "{}", res.body);
    let path = link_path(&app.mail.wait_for_to("it@acme.test", 5).await);

    // While it has an unpaid bill it is refused with its own message, and nothing changes.
    app.count(&format!(
        "WITH b AS (INSERT INTO bills (customer_id, period, amount) VALUES ({acme}, '2026-10-01', 12.50) RETURNING 1) SELECT count(*) AS n FROM b"
    ));
    let c = app.client();
    let res = confirm(
        &c,
        &path,
        &[("email", "it@acme.test"), ("password", PASSWORD)],
    )
    .await;
    assert_eq!(res.status, 409, "{}", res.body);
    assert!(res.contains("Unpaid bills") || res.contains("未付账单"));
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) AS n FROM customers WHERE id = {acme} AND partner_id IS NOT NULL"
        )),
        1
    );
    app.count(&format!(
        "WITH b AS (UPDATE bills SET paid_at = now() WHERE customer_id = {acme} RETURNING 1) SELECT count(*) AS n FROM b"
    ));

    let c = app.client();
    let res = confirm(
        &c,
        &path,
        &[("email", "it@acme.test"), ("password", PASSWORD)],
    )
    .await;
    assert_eq!(res.status, 303, "{}", res.body);
    assert_eq!(res.location.as_deref(), Some("/partner"));
    // The account is the reseller's admin now and no customer any more.
    let org = app.id_of(
        "SELECT id AS n FROM organizations WHERE name = 'Acme Reselling' AND kind = 'reseller'",
    );
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) AS n FROM users WHERE email = 'it@acme.test' AND org_id = {org} \
             AND role = 'admin' AND audience = 'partner' AND customer_id IS NULL"
        )),
        1
    );
    // The customer record is unassociated, its history kept and closed.
    assert_eq!(
        app.count(&format!("SELECT count(*) AS n FROM customers WHERE id = {acme} AND partner_id IS NULL AND manager_id IS NULL")),
        1
    );
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) AS n FROM associations WHERE customer_id = {acme} \
             AND ended_at IS NOT NULL AND end_reason = 'became_reseller'"
        )),
        1
    );
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) AS n FROM manager_assignments WHERE customer_id = {acme} AND to_at IS NULL"
        )),
        0
    );
    // It signs in to the partner area, no longer to the fee center.
    let again = app.client();
    assert_eq!(again.sign_in("it@acme.test", PASSWORD).await.status, 303);
    assert_eq!(again.get("/partner/account").await.status, 200);
    assert_ne!(again.get("/fee-center").await.status, 200);
    assert!(
        !admin
            .get("/partner/customers?q=Acme")
            .await
            .contains(">Acme Corp<")
    );
}

#[tokio::test]
async fn partner_staff_are_refused_and_only_distributor_admins_invite() {
    let app = spawn_app().await;
    let admin = app.signed_in("admin@northwind.test").await;
    // Staff of another partner: refused at sending, beside the field.
    let res = invite_reseller(&admin, "admin@contoso.test", "Contoso Reselling").await;
    assert_eq!(res.status, 409);
    assert!(res.contains("staff of a partner") || res.contains("员工账号"));
    assert!(res.contains("value=\"Contoso Reselling\""), "values kept");
    // Malformed input comes back beside its field.
    let res = invite_reseller(&admin, "not-an-address", "").await;
    assert_eq!(res.status, 422);
    let res = invite_reseller(&admin, "ok@new.test", &"x".repeat(201)).await;
    assert_eq!(res.status, 422);
    // A double submit sends one invitation.
    for _ in 0..2 {
        invite_reseller(&admin, "twice@new.test", "Twice Co").await;
    }
    assert_eq!(
        app.count("SELECT count(*) AS n FROM invitations WHERE email = 'twice@new.test' AND kind = 'reseller'"),
        1
    );
    // Nobody else opens or sends reseller invitations.
    for who in [
        "lead@northwind.test",
        "mgr1@northwind.test",
        "admin@bluebird.test",
        "admin@contoso.test",
    ] {
        let c = app.signed_in(who).await;
        assert_eq!(
            c.get("/partner/resellers/invitations").await.status,
            403,
            "{who}"
        );
        assert_eq!(
            c.get("/partner/resellers/invitations/new").await.status,
            403,
            "{who}"
        );
        let res = c
            .submit(
                "/partner",
                "/partner/resellers/invitations",
                &[
                    ("email", "x@new.test"),
                    ("company", "X"),
                    ("language", "en"),
                ],
            )
            .await;
        assert_eq!(res.status, 403, "{who}");
    }
    assert_eq!(
        app.count("SELECT count(*) AS n FROM invitations WHERE email = 'x@new.test'"),
        0
    );
}

#[tokio::test]
async fn resend_and_revoke_work_as_for_customers() {
    let app = spawn_app().await;
    let admin = app.signed_in("admin@northwind.test").await;
    let res = invite_reseller(&admin, "later@new.test", "Later Co").await;
    assert_eq!(res.status, 303);
    let first = link_path(&app.mail.wait_for_to("later@new.test", 5).await);
    let id = app.id_of("SELECT id AS n FROM invitations WHERE email = 'later@new.test'");
    let res = admin
        .submit(
            "/partner/resellers/invitations",
            &format!("/partner/resellers/invitations/{id}/resend"),
            &[],
        )
        .await;
    assert_eq!(res.status, 303);
    let mut second = first.clone();
    for _ in 0..100 {
        second = link_path(&app.mail.wait_for_to("later@new.test", 5).await);
        if second != first {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_ne!(first, second);
    // The old link is superseded.
    assert_eq!(app.client().get(&first).await.status, 410);
    let res = admin
        .submit(
            "/partner/resellers/invitations",
            &format!("/partner/resellers/invitations/{id}/revoke"),
            &[],
        )
        .await;
    assert_eq!(res.status, 303);
    assert_eq!(app.client().get(&second).await.status, 410);
    // A customer invitation's id is not a reseller invitation.
    let customer_inv =
        app.id_of("SELECT id AS n FROM invitations WHERE kind = 'customer' ORDER BY id LIMIT 1");
    let res = admin
        .submit(
            "/partner/resellers/invitations",
            &format!("/partner/resellers/invitations/{customer_inv}/revoke"),
            &[],
        )
        .await;
    assert_eq!(res.status, 404);
}
