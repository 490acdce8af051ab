//! Who sees and acts on which invitations: an admin the organisation's, a supervisor their
//! own and their team's, a customer manager only the ones they sent; anything else is a 404.
//! Lists filter, page and mask (A5).

use crate::customers::common::{outside_manager, user_id};
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
    // The supervisor sees their team's, the admin all of the organisation's.
    for who in ["lead@northwind.test", "admin@northwind.test"] {
        let c = app.signed_in(who).await;
        let list = c.get("/partner/invitations").await;
        assert!(
            list.contains("quill-press.test") && list.contains("orbit-logistics.test"),
            "{who}"
        );
    }
}

/// A pending invitation sent by `inviter_id` to `email`, straight into the table.
fn pending_invitation(app: &crate::support::TestApp, inviter_id: i64, email: &str) -> i64 {
    app.id_of(&format!(
        "INSERT INTO invitations (partner_id, inviter_id, email, company, association_type, \
         language, token_hash, expires_at) \
         SELECT u.org_id, u.id, '{email}', 'Solo Prospect', 'resale', 'en', md5('{email}'), \
         now() + interval '7 days' FROM users u WHERE u.id = {inviter_id} RETURNING id AS n"
    ))
}

#[tokio::test]
async fn a_supervisor_sees_and_acts_only_on_their_own_and_their_teams_invitations() {
    let app = spawn_app().await;
    let solo = outside_manager(&app);
    let lead_id = user_id(&app, "lead@northwind.test");
    let outside = pending_invitation(&app, solo, "buyer@solo-prospect.test");
    let own = pending_invitation(&app, lead_id, "cio@lead-prospect.test");
    let admins = invitation_id(&app, "buyer@harbor-freight.test");
    let team = invitation_id(&app, "finance@quill-press.test");
    let lead = app.signed_in("lead@northwind.test").await;
    let list = lead.get("/partner/invitations").await;
    assert_eq!(list.status, 200);
    assert!(
        list.contains("f***@quill-press.test"),
        "mgr2 is on the team"
    );
    assert!(
        list.contains("i***@orbit-logistics.test"),
        "mgr1 is on the team"
    );
    assert!(list.contains("c***@lead-prospect.test"), "their own");
    assert!(
        !list.contains("solo-prospect.test"),
        "another team's manager"
    );
    assert!(!list.contains("harbor-freight.test"), "the admin's");
    // The dashboard counts the same invitations.
    let team_pending = app.count(&format!(
        "SELECT count(*) AS n FROM invitations i JOIN users u ON u.id = i.inviter_id \
         WHERE i.state = 'pending' AND i.expires_at > now() \
         AND (u.id = {lead_id} OR u.supervisor_id = {lead_id})"
    ));
    let org_pending = app.count(&format!(
        "SELECT count(*) AS n FROM invitations WHERE state = 'pending' AND expires_at > now() \
         AND partner_id = (SELECT org_id FROM users WHERE id = {lead_id})"
    ));
    assert!(team_pending < org_pending);
    let home = lead.get("/partner").await;
    assert!(
        home.contains(&format!("<span class=\"tile-value\">{team_pending}</span>")),
        "{}",
        home.body
    );
    // A whole address outside the scope is not found by searching either.
    let searched = lead
        .get("/partner/invitations?q=buyer%40solo-prospect.test")
        .await;
    assert!(!searched.contains("b***@solo-prospect.test"));
    for id in [outside, admins] {
        for action in ["reveal", "resend", "revoke"] {
            let res = act_on(&lead, id, action).await;
            assert_eq!(res.status, 404, "{action} of invitation {id}");
        }
    }
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) AS n FROM invitations WHERE id IN ({outside}, {admins}) \
             AND state = 'pending' AND resent_count = 0"
        )),
        2
    );
    assert_eq!(
        app.count("SELECT count(*) AS n FROM audit_log WHERE action = 'invitation.reveal'"),
        0
    );
    // The team's and their own stay within reach.
    for id in [team, own] {
        assert_eq!(act_on(&lead, id, "reveal").await.status, 303, "{id}");
        assert_eq!(act_on(&lead, id, "resend").await.status, 303, "{id}");
        assert_eq!(act_on(&lead, id, "revoke").await.status, 303, "{id}");
    }
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) AS n FROM invitations WHERE id IN ({team}, {own}) \
             AND state = 'revoked' AND resent_count = 1"
        )),
        2
    );
    assert_eq!(
        app.count("SELECT count(*) AS n FROM audit_log WHERE action = 'invitation.reveal'"),
        2
    );
    // The admin still reaches every invitation of the organisation.
    let admin = app.signed_in("admin@northwind.test").await;
    let all = admin.get("/partner/invitations").await;
    assert!(all.contains("b***@solo-prospect.test") && all.contains("c***@lead-prospect.test"));
    assert_eq!(act_on(&admin, outside, "revoke").await.status, 303);
}

#[tokio::test]
async fn the_text_filter_matches_addresses_only_whole_so_a_masked_one_cannot_be_rebuilt() {
    let app = spawn_app().await;
    let admin = app.signed_in("admin@northwind.test").await;
    // Pieces of an address find nothing, however long (the company is Harbor Freight). The
    // search box shows what was typed, so look for the listed (masked) address.
    for piece in [
        "buyer",
        "buyer%40",
        "buyer%40harbor",
        "%40harbor-freight.test",
        "uyer%40harbor-freight.tes",
    ] {
        let page = admin.get(&format!("/partner/invitations?q={piece}")).await;
        assert_eq!(page.status, 200);
        assert!(!page.contains("b***@harbor-freight.test"), "q={piece}");
    }
    // The whole address, in any case, does.
    let whole = admin
        .get("/partner/invitations?q=BUYER%40Harbor-Freight.test")
        .await;
    assert!(whole.contains("b***@harbor-freight.test"));
    assert!(!whole.contains("c***@lumen-analytics.test"));
    // Companies and the inviter's name still match by any part (SPEC §5 "Lists").
    let company = admin.get("/partner/invitations?q=arbor%20frei").await;
    assert!(company.contains("b***@harbor-freight.test"));
    let inviter = admin.get("/partner/invitations?q=max%20man").await;
    assert!(inviter.contains("quill-press.test") && !inviter.contains("orbit-logistics.test"));
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
        "INSERT INTO invitations (partner_id, inviter_id, email, company, association_type, language, token_hash, expires_at)
         SELECT o.id, u.id, 'bulk' || g || '@paging.test', 'Paging ' || g, 'resale', 'en', md5(g::text), now() + interval '7 days'
         FROM organizations o, users u, generate_series(1, 60) g
         WHERE o.name = 'Northwind Distribution' AND u.email = 'admin@northwind.test'",
    )
    .execute(&mut app.conn())
    .unwrap();
    let admin = app.signed_in("admin@northwind.test").await;
    // SPEC §6 "List queries": 20 a page by default; 50 or 100 when asked, kept across pages.
    let default = admin.get("/partner/invitations?q=paging&state=").await;
    assert_eq!(default.body.matches("@paging.test").count(), 20);
    let first = admin
        .get("/partner/invitations?q=paging&state=&size=50")
        .await;
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
    assert!(next.contains("q=paging") && next.contains("after=") && next.contains("size=50"));
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
