//! Who sees which customer (rules C4, C10, SPEC §5 "Roles"): any id outside the member's scope
//! is a 404, pages a role may not open are a 403.

use crate::customers::common::{assign, customer_id, outside_manager, user_id};
use crate::support::spawn_app;

#[tokio::test]
async fn a_manager_requesting_a_colleagues_customer_gets_404_everywhere() {
    let app = spawn_app().await;
    let globex = customer_id(&app, "Globex Ltd"); // mgr2's
    let acme = customer_id(&app, "Acme Corp"); // mgr1's
    let mgr1 = app.signed_in("mgr1@northwind.test").await;
    assert_eq!(
        mgr1.get(&format!("/partner/customers/{acme}")).await.status,
        200
    );
    for path in [
        format!("/partner/customers/{globex}"),
        format!("/partner/customers/{globex}/contacts/new"),
    ] {
        assert_eq!(mgr1.get(&path).await.status, 404, "{path}");
    }
    let form = format!("/partner/customers/{acme}");
    for (action, fields) in [
        (
            format!("/partner/customers/{globex}/reveal"),
            vec![("field", "email")],
        ),
        (
            format!("/partner/customers/{globex}/contacts"),
            vec![("name", "Eve"), ("email", ""), ("phone", "")],
        ),
    ] {
        let res = mgr1.submit(&form, &action, &fields).await;
        assert_eq!(res.status, 404, "{action}");
    }
    assert_eq!(
        app.count("SELECT count(*) AS n FROM audit_log WHERE action LIKE 'customer.%'"),
        0
    );
    // The list holds only mgr1's customers; exports and admin actions are not for managers.
    let list = mgr1.get("/partner/customers?size=100").await;
    assert!(list.contains("Acme Corp") && !list.contains("Globex Ltd"));
    assert!(!list.contains("/partner/customers/export"));
    assert_eq!(mgr1.get("/partner/customers/export").await.status, 403);
    assert_eq!(
        mgr1.get(&format!("/partner/customers/{acme}/top-up"))
            .await
            .status,
        403
    );
    assert_eq!(
        mgr1.get(&format!("/partner/customers/{acme}/unassociate"))
            .await
            .status,
        403
    );
    assert_eq!(mgr1.get("/partner/assignments").await.status, 403);
    assert_eq!(mgr1.get("/partner/customers/resellers").await.status, 403);
}

#[tokio::test]
async fn a_supervisor_sees_its_team_and_unassigned_customers_only() {
    let app = spawn_app().await;
    // A manager outside the lead's team, holding one customer.
    let outsider = outside_manager(&app);
    let aurora = customer_id(&app, "Aurora Robotics");
    app.count(&format!(
        "WITH u AS (UPDATE customers SET manager_id = {outsider} WHERE id = {aurora} RETURNING 1) \
         SELECT count(*) AS n FROM u"
    ));
    let lead = app.signed_in("lead@northwind.test").await;
    let list = lead.get("/partner/customers?size=100").await;
    assert!(list.contains("Acme Corp") && list.contains("Globex Ltd"));
    assert!(
        !list.contains(&format!("/partner/customers/{aurora}\"")),
        "outside the team"
    );
    assert_eq!(
        lead.get(&format!("/partner/customers/{aurora}"))
            .await
            .status,
        404
    );
    let admin = app.signed_in("admin@northwind.test").await;
    assert_eq!(
        admin
            .get(&format!("/partner/customers/{aurora}"))
            .await
            .status,
        200
    );
    let _ = user_id(&app, "solo@northwind.test");
}

#[tokio::test]
async fn a_distributor_sees_its_resellers_customers_in_a_basic_tab_without_detail_pages() {
    let app = spawn_app().await;
    let initech = customer_id(&app, "Initech");
    let admin = app.signed_in("admin@northwind.test").await;
    let own = admin.get("/partner/customers?size=100").await;
    assert!(!own.contains("Initech"), "not in the own list");
    for path in [
        "/partner/customers/resellers",
        "/partner/customers?tab=resellers",
    ] {
        let tab = admin.get(path).await;
        assert_eq!(tab.status, 200, "{path}");
        assert!(tab.contains("Initech") && tab.contains("Bluebird Cloud"));
        // Basic fields only: no contact data, no link to a detail page, no money.
        assert!(!tab.contains("initech.test") && !tab.contains("Ivy Liu"));
        assert!(!tab.contains(&format!("/partner/customers/{initech}")));
    }
    let searched = admin.get("/partner/customers/resellers?q=init").await;
    assert!(searched.contains("Initech"));
    assert!(
        !admin
            .get("/partner/customers/resellers?q=zzz")
            .await
            .contains("Initech")
    );
    for path in [
        format!("/partner/customers/{initech}"),
        format!("/partner/customers/{initech}/top-up"),
        format!("/partner/customers/{initech}/unassociate"),
    ] {
        assert_eq!(admin.get(&path).await.status, 404, "{path}");
    }
    let res = admin
        .submit(
            "/partner/customers",
            &format!("/partner/customers/{initech}/reveal"),
            &[("field", "email")],
        )
        .await;
    assert_eq!(res.status, 404);
    // Bluebird itself sees Initech in full; a solution provider has no resellers tab.
    let bluebird = app.signed_in("admin@bluebird.test").await;
    assert_eq!(
        bluebird
            .get(&format!("/partner/customers/{initech}"))
            .await
            .status,
        200
    );
    assert_eq!(
        bluebird.get("/partner/customers/resellers").await.status,
        403
    );
    let contoso = app.signed_in("admin@contoso.test").await;
    assert_eq!(
        contoso.get("/partner/customers/resellers").await.status,
        403
    );
}

#[tokio::test]
async fn another_organisations_customer_id_is_404_for_pages_and_actions() {
    let app = spawn_app().await;
    let acme = customer_id(&app, "Acme Corp");
    let contoso = app.signed_in("admin@contoso.test").await;
    for path in [
        format!("/partner/customers/{acme}"),
        format!("/partner/customers/{acme}/top-up"),
        format!("/partner/customers/{acme}/unassociate"),
        format!("/partner/customers/{acme}/contacts/new"),
        "/partner/customers/999999999".to_string(),
    ] {
        assert_eq!(contoso.get(&path).await.status, 404, "{path}");
    }
    let list = "/partner/customers";
    let acme_s = acme.to_string();
    for (action, fields) in [
        (format!("/partner/customers/{acme}/unassociate"), vec![]),
        (
            format!("/partner/customers/{acme}/top-up"),
            vec![
                ("amount", "1.00"),
                ("remark", ""),
                ("key", "0123456789abcdef"),
            ],
        ),
        (
            "/partner/assignments".to_string(),
            vec![("customer_id", acme_s.as_str()), ("manager_id", "")],
        ),
    ] {
        assert_eq!(
            contoso.submit(list, &action, &fields).await.status,
            404,
            "{action}"
        );
    }
    let csv = contoso.get("/partner/customers/export?q=Acme").await;
    assert_eq!(csv.status, 200);
    assert!(!csv.contains("Acme Corp"));
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) AS n FROM customers WHERE id = {acme} AND partner_id IS NOT NULL"
        )),
        1
    );
}

#[tokio::test]
async fn malformed_sort_filter_and_cursor_values_do_not_fail() {
    let app = spawn_app().await;
    let admin = app.signed_in("admin@northwind.test").await;
    for path in [
        "/partner/customers?sort=drop%20table",
        "/partner/customers?after=garbage",
        "/partner/customers?after=c-5.x&sort=company",
        "/partner/customers?after=s1.99999999999999999999999&sort=since",
        "/partner/customers?after=s1.abc&sort=-since",
        "/partner/customers?after=c9223372036854775807.%00&sort=-company",
        "/partner/customers?size=abc&manager=abc&type=zzz&verification=%27",
        "/partner/customers?size=-5&manager=-1",
        "/partner/customers?size=100000",
        "/partner/customers?q=%25%5F%5C",
        "/partner/customers/resellers?after=zzz&q=%25",
        "/partner/assignments?after=c1&manager=x",
    ] {
        let res = admin.get(path).await;
        assert_eq!(res.status, 200, "{path}");
    }
    assert_eq!(
        admin
            .get("/partner/customers/99999999999999999999999")
            .await
            .status,
        404
    );
    assert_eq!(admin.get("/partner/customers/abc").await.status, 404);
    let acme = customer_id(&app, "Acme Corp");
    let res = admin
        .submit(
            "/partner/customers",
            &format!("/partner/customers/{acme}/reveal"),
            &[("field", "password")],
        )
        .await;
    assert_eq!(res.status, 400);
    let res = assign(&admin, &[("customer_id", "x"), ("manager_id", "")]).await;
    assert_eq!(res.status, 400);
}

#[tokio::test]
async fn filters_sort_and_keyset_pages_walk_every_customer_once() {
    let app = spawn_app().await;
    let admin = app.signed_in("admin@northwind.test").await;
    let total = app.count(
        "SELECT count(*) AS n FROM customers c JOIN organizations o ON o.id = c.partner_id \
         WHERE o.name = 'Northwind Distribution'",
    );
    for sort in ["company", "-company", "since", "-since"] {
        let mut seen = std::collections::HashSet::new();
        let mut next = Some(format!("/partner/customers?size=7&sort={sort}"));
        while let Some(path) = next {
            let page = admin.get(&path).await;
            assert_eq!(page.status, 200);
            for part in page.body.split("href=\"/partner/customers/").skip(1) {
                let id: String = part.chars().take_while(|c| c.is_ascii_digit()).collect();
                if !id.is_empty() && part[id.len()..].starts_with('"') {
                    assert!(seen.insert(id.clone()), "{sort}: {id} twice on {path}");
                }
            }
            next = page.next_link();
        }
        assert_eq!(seen.len() as i64, total, "{sort}");
    }
    let filtered = admin.get("/partner/customers?q=ACME").await;
    assert!(filtered.contains("Acme Corp") && !filtered.contains("Globex Ltd"));
    let by_mail = admin.get("/partner/customers?q=CFO@globex.test").await;
    assert!(by_mail.contains("Globex Ltd") && !by_mail.contains("Acme Corp"));
    assert!(
        !admin
            .get("/partner/customers?q=globex.tes")
            .await
            .contains("Globex Ltd")
    );
    let by_contact = admin.get("/partner/customers?q=Gary").await;
    assert!(by_contact.contains("Globex Ltd"));
    let advisory = admin.get("/partner/customers?type=advisory&size=100").await;
    assert!(advisory.contains("Globex Ltd") && !advisory.contains("Acme Corp"));
    let mgr2 = user_id(&app, "mgr2@northwind.test");
    let of_mgr2 = admin
        .get(&format!("/partner/customers?manager={mgr2}&size=100"))
        .await;
    assert!(of_mgr2.contains("Globex Ltd") && !of_mgr2.contains("Acme Corp"));
    let pending = admin
        .get("/partner/customers?verification=verified&size=100")
        .await;
    assert!(pending.contains("Acme Corp"));
    // Filters stay in the pager links.
    let paged = admin
        .get("/partner/customers?q=a&type=resale&size=10")
        .await;
    assert!(paged.contains("q=a&#38;type=resale&#38;size=10&#38;after="));
}
