//! Every page of the reseller network is valid HTML (SPEC §4 "Valid and accessible"), forms
//! with errors included.

use crate::support::{html, spawn_app};

#[tokio::test]
async fn reseller_pages_are_valid_html() {
    let app = spawn_app().await;
    let bb = super::bluebird(&app);
    let contoso = app.id_of("SELECT id AS n FROM organizations WHERE name = 'Contoso Solutions'");
    let mut pages = Vec::new();
    let admin = app.signed_in("admin@northwind.test").await;
    for p in [
        "/partner/resellers".to_string(),
        format!("/partner/resellers/{bb}"),
        format!("/partner/resellers/{bb}/allocate"),
        format!("/partner/resellers/{bb}/reclaim"),
        "/partner/resellers/invitations".into(),
        "/partner/resellers/invitations/new".into(),
        "/partner/resellers/applications".into(),
        "/partner/invitations".into(),
        "/partner/customers".into(),
    ] {
        let res = admin.get(&p).await;
        assert_eq!(res.status, 200, "{p}");
        pages.push((p, res.body));
    }
    let refused = admin
        .submit(
            &format!("/partner/resellers/{bb}/reclaim"),
            &format!("/partner/resellers/{bb}/reclaim"),
            &[("amount", "abc"), ("remark", ""), ("key", "valid-key-123")],
        )
        .await;
    pages.push(("reclaim-refused".into(), refused.body));
    let preview = admin
        .submit(
            "/partner/resellers/invitations/new",
            "/partner/resellers/invitations/preview",
            &[
                ("email", "p@new.test"),
                ("company", "Preview Co"),
                ("language", "en"),
            ],
        )
        .await;
    pages.push(("invite-preview".into(), preview.body));
    let reveal = admin
        .submit(
            "/partner/resellers",
            &format!("/partner/resellers/{bb}/reveal"),
            &[("field", "phone")],
        )
        .await;
    pages.push(("reveal".into(), reveal.body));
    let reseller = app.signed_in("admin@bluebird.test").await;
    for p in ["/partner", "/partner/account"] {
        pages.push((format!("bluebird{p}"), reseller.get(p).await.body));
    }
    let customer = app.signed_in("hello@umbrella.test").await;
    pages.push((
        "apply".into(),
        customer.get("/fee-center/reseller-application").await.body,
    ));
    let ops = app.signed_in("ops@demo.test").await;
    for p in [
        "/ops/applications".to_string(),
        "/ops/applications?state=all".into(),
        "/ops/moves".into(),
        format!("/ops/moves?provider={contoso}"),
    ] {
        pages.push((p.clone(), ops.get(&p).await.body));
    }
    let first: i64 = app.id_of(&format!(
        "SELECT min(id) AS n FROM customers WHERE partner_id = {contoso}"
    ));
    let moved = ops
        .submit(
            "/ops/moves",
            "/ops/moves/preview",
            &[
                ("provider", &contoso.to_string()),
                ("reseller", &bb.to_string()),
                ("customer", &first.to_string()),
            ],
        )
        .await;
    pages.push(("move-preview".into(), moved.body));
    html::assert_valid(&pages);
}
