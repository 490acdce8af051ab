//! rule R3 "My resellers": balance, kept customer count and masked contact per reseller,
//! keyset pages and `?q=`, in a fixed number of statements.

use super::bluebird;
use crate::support::spawn_app;

/// `n` more resellers of Northwind, named `Reseller 0001` … with an admin contact each.
fn add_resellers(app: &crate::support::TestApp, n: u32) {
    use diesel::RunQueryDsl;
    diesel::sql_query(format!(
        "WITH o AS (
           INSERT INTO organizations (name, kind, parent_id, signing_entity)
           SELECT format('Reseller %s', lpad(g::text, 4, '0')), 'reseller', p.id, p.signing_entity
           FROM organizations p, generate_series(1, {n}) g WHERE p.name = 'Northwind Distribution'
           RETURNING id, name)
         INSERT INTO users (email, audience, password_hash, display_name, phone, language, org_id, role)
         SELECT lower(replace(o.name, ' ', '')) || '@resellers.test', 'partner', 'x', o.name || ' Admin',
                '13900001111', 'en', o.id, 'admin' FROM o"
    ))
    .execute(&mut app.conn())
    .unwrap();
    diesel::sql_query(
        "UPDATE organizations o SET contact_user_id = u.id FROM users u \
         WHERE u.org_id = o.id AND o.contact_user_id IS NULL AND o.kind = 'reseller'",
    )
    .execute(&mut app.conn())
    .unwrap();
}

#[tokio::test]
async fn the_list_shows_balance_kept_customer_counts_and_masked_contacts() {
    let app = spawn_app().await;
    let bb = bluebird(&app);
    let admin = app.signed_in("admin@northwind.test").await;
    let list = admin.get("/partner/resellers").await;
    assert_eq!(list.status, 200);
    assert!(list.contains("Bluebird Cloud") && list.contains("20,000.00"));
    // Contact masked (rule A5): the address is not on the page in full.
    assert!(!list.contains("admin@bluebird.test"));
    assert!(list.contains(&format!("/partner/resellers/{bb}/reveal")));
    let customers = app.count(&format!(
        "SELECT count(*) AS n FROM customers WHERE partner_id = {bb}"
    ));
    assert!(customers > 0, "demo: Bluebird has customers");
    let detail = admin.get(&format!("/partner/resellers/{bb}")).await;
    assert!(
        detail.contains(&format!("<dd>{customers}</dd>")),
        "count kept"
    );
    // One more customer moves the kept count.
    app.count(&format!(
        "WITH c AS (INSERT INTO customers (company, contact_name, email, phone, verification, signing_entity, partner_id, association_type, associated_at) \
         VALUES ('Count Me', 'C', 'count@me.test', '13800000000', 'verified', 'x', {bb}, 'resale', now()) RETURNING id) SELECT count(*) AS n FROM c"
    ));
    let detail = admin.get(&format!("/partner/resellers/{bb}")).await;
    assert!(detail.contains(&format!("<dd>{}</dd>", customers + 1)));
    // The reveal is audited and gives the whole address.
    let res = admin
        .submit(
            "/partner/resellers",
            &format!("/partner/resellers/{bb}/reveal"),
            &[("field", "email")],
        )
        .await;
    assert_eq!(res.status, 200);
    assert!(res.contains("admin@bluebird.test"));
    assert_eq!(
        app.count("SELECT count(*) AS n FROM audit_log WHERE action = 'reseller.reveal'"),
        1
    );
    let res = admin
        .submit(
            "/partner/resellers",
            &format!("/partner/resellers/{bb}/reveal"),
            &[("field", "password_hash")],
        )
        .await;
    assert_eq!(res.status, 400);
}

#[tokio::test]
async fn keyset_pages_search_and_a_fixed_number_of_statements() {
    let app = spawn_app().await;
    add_resellers(&app, 45);
    let admin = app.signed_in("admin@northwind.test").await;
    let first = admin.get("/partner/resellers").await;
    assert_eq!(
        first
            .body
            .matches("<td><a href=\"/partner/resellers/")
            .count(),
        20
    );
    assert!(first.contains("Bluebird Cloud"));
    // Follow "next" to the end: every reseller exactly once.
    let mut seen = 0;
    let mut page = first;
    for _ in 0..10 {
        seen += page
            .body
            .matches("<td><a href=\"/partner/resellers/")
            .count();
        let Some(next) = page.next_link() else {
            break;
        };
        page = admin.get(&next).await;
        assert_eq!(page.status, 200);
    }
    assert_eq!(seen, 46);
    let found = admin.get("/partner/resellers?q=reseller%20004").await;
    assert_eq!(
        found
            .body
            .matches("<td><a href=\"/partner/resellers/")
            .count(),
        6,
        "0040–0045"
    );
    let by_mail = admin.get("/partner/resellers?q=ADMIN@bluebird.test").await;
    assert!(by_mail.contains("Bluebird Cloud"));
    assert_eq!(
        by_mail
            .body
            .matches("<td><a href=\"/partner/resellers/")
            .count(),
        1
    );
    assert_eq!(
        admin
            .get("/partner/resellers?after=garbage&size=7")
            .await
            .status,
        200
    );
    assert_eq!(admin.get("/partner/resellers?q=%00%ff").await.status, 200);
}
