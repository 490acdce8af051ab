//! Who sees and acts on which invitations: the organisation's, and for a customer manager
//! only the ones they sent; anything else is a 404. Lists filter, page and mask (A5).

use crate::invitations::helpers::{act_on, invitation_id};
use crate::support::spawn_app;

#[tokio::test]
async fn another_partners_member_cannot_see_or_act_on_these_invitations() {
    let app = spawn_app().await;
    let id = invitation_id(&app, "buyer@harbor-freight.test");
    let contoso = app.signed_in("admin@contoso.test").await;
    let list = contoso.get("/partner/invitations").await;
    assert_eq!(list.status, 200);
    assert!(!list.contains("harbor-freight.test"));
    for action in ["resend", "revoke", "reveal"] {
        let res = act_on(&contoso, id, action).await;
        assert_eq!(res.status, 404, "{action}");
    }
    assert_eq!(
        app.count("SELECT count(*) AS n FROM invitations WHERE email = 'buyer@harbor-freight.test' AND state = 'pending' AND resent_count = 0"),
        1
    );
}

#[tokio::test]
async fn a_customer_manager_sees_only_invitations_they_sent() {
    let app = spawn_app().await;
    let mgr1 = app.signed_in("mgr1@northwind.test").await;
    let list = mgr1.get("/partner/invitations").await;
    assert!(list.contains("i***@orbit-logistics.test"));
    assert!(!list.contains("quill-press.test"), "mgr2's invitation");
    assert!(
        !list.contains("harbor-freight.test"),
        "the admin's invitation"
    );
    let theirs = invitation_id(&app, "finance@quill-press.test");
    let res = act_on(&mgr1, theirs, "revoke").await;
    assert_eq!(res.status, 404);
    // The supervisor and the admin see all of the organisation's.
    for who in ["lead@northwind.test", "admin@northwind.test"] {
        let c = app.signed_in(who).await;
        let list = c.get("/partner/invitations").await;
        assert!(
            list.contains("quill-press.test") && list.contains("orbit-logistics.test"),
            "{who}"
        );
    }
}

#[tokio::test]
async fn the_list_filters_by_state_and_text_and_masks_addresses() {
    let app = spawn_app().await;
    let admin = app.signed_in("admin@northwind.test").await;
    let all = admin.get("/partner/invitations").await;
    assert!(!all.contains("buyer@harbor-freight.test"), "masked");
    assert!(all.contains("b***@harbor-freight.test"));
    let expired = admin.get("/partner/invitations?state=expired&q=").await;
    assert!(expired.contains("stale-prospect.test") && !expired.contains("harbor-freight.test"));
    let revoked = admin.get("/partner/invitations?state=revoked").await;
    assert!(revoked.contains("withdrawn.test") && !revoked.contains("stale-prospect.test"));
    let accepted = admin.get("/partner/invitations?state=accepted").await;
    assert!(accepted.contains("acme.test"));
    let found = admin
        .get("/partner/invitations?q=cto%40lumen-analytics.test")
        .await;
    assert!(found.contains("lumen-analytics.test") && !found.contains("harbor-freight.test"));
    let by_company = admin.get("/partner/invitations?q=Quill").await;
    assert!(by_company.contains("quill-press.test"));
    // Nonsense filters and cursors are ignored, not errors.
    assert_eq!(
        admin
            .get("/partner/invitations?state=bogus&after=-5")
            .await
            .status,
        200
    );
    assert_eq!(
        admin.get("/partner/invitations?after=abc").await.status,
        200
    );
}

#[tokio::test]
async fn keyset_pages_keep_the_filter() {
    let app = spawn_app().await;
    use diesel::RunQueryDsl;
    diesel::sql_query(
        "INSERT INTO invitations (partner_id, inviter_id, email, association_type, language, token_hash, expires_at)
         SELECT o.id, u.id, 'bulk' || g || '@paging.test', 'resale', 'en', md5(g::text), now() + interval '7 days'
         FROM organizations o, users u, generate_series(1, 60) g
         WHERE o.name = 'Northwind Distribution' AND u.email = 'admin@northwind.test'",
    )
    .execute(&mut app.conn())
    .unwrap();
    let admin = app.signed_in("admin@northwind.test").await;
    let first = admin.get("/partner/invitations?q=paging&state=").await;
    assert_eq!(first.body.matches("@paging.test").count(), 50);
    let start = first
        .body
        .find("rel=\"next\"")
        .map(|_| ())
        .and(first.body.find("after="));
    assert!(start.is_some(), "a next link");
    let href_start = first
        .body
        .rfind("href=\"/partner/invitations?q=paging")
        .unwrap()
        + 6;
    let href_end = first.body[href_start..].find('"').unwrap() + href_start;
    let next = first.body[href_start..href_end]
        .replace("&#38;", "&")
        .replace("&amp;", "&");
    assert!(next.contains("q=paging") && next.contains("after="));
    let second = admin.get(&next).await;
    assert_eq!(second.body.matches("@paging.test").count(), 10);
}

#[tokio::test]
async fn revealing_an_address_is_audited() {
    let app = spawn_app().await;
    let id = invitation_id(&app, "buyer@harbor-freight.test");
    let admin = app.signed_in("admin@northwind.test").await;
    let token = admin.get("/partner/invitations").await.csrf();
    let res = admin.get_with("/partner/invitations", &[]).await;
    assert_eq!(res.status, 200);
    let reply = admin
        .http
        .post(format!("{}/partner/invitations/{id}/reveal", admin.base))
        .header("Accept", "application/json")
        .header("X-CSRF-Token", token)
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 200);
    let json: serde_json::Value = reply.json().await.unwrap();
    assert_eq!(json["value"], "buyer@harbor-freight.test");
    assert_eq!(
        app.count("SELECT count(*) AS n FROM audit_log WHERE action = 'invitation.reveal'"),
        1
    );
}

#[tokio::test]
async fn only_admins_switch_reminders_and_managers_cannot_open_expansion() {
    let app = spawn_app().await;
    let mgr = app.signed_in("mgr1@northwind.test").await;
    assert!(
        !mgr.get("/partner/invitations")
            .await
            .contains("/partner/invitations/settings")
    );
    let res = mgr
        .submit(
            "/partner/invitations",
            "/partner/invitations/settings",
            &[("reminders", "off")],
        )
        .await;
    assert_eq!(res.status, 403);
    assert_eq!(mgr.get("/partner/expansion").await.status, 403);
    let admin = app.signed_in("admin@northwind.test").await;
    let res = admin
        .submit(
            "/partner/invitations",
            "/partner/invitations/settings",
            &[("reminders", "off")],
        )
        .await;
    assert_eq!(res.status, 303);
    assert_eq!(
        app.count("SELECT count(*) AS n FROM organizations WHERE name = 'Northwind Distribution' AND NOT invitation_reminders"),
        1
    );
}
