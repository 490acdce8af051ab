//! Who reads the issued-coupons list (rules X3, A5, C10): managers 403, another
//! organisation's coupon 404, supervisors their customers' coupons only; the CSV export is
//! masked, keeps the filters and is for admins.

use super::*;

#[tokio::test]
async fn managers_get_403_and_another_organisations_coupon_is_404() {
    let app = spawn_app().await;
    let nw = org_id(&app, "Northwind Distribution");
    let contoso = org_id(&app, "Contoso Solutions");
    let acme = customer_id(&app, "it@acme.test");
    let coupon = issue_one(&app, voucher_grant(&app, nw, "100.00"), acme, "10.00");
    let contoso_customer = app.id_of(&format!(
        "SELECT min(id) AS n FROM customers WHERE partner_id = {contoso}"
    ));
    let theirs = issue_as(
        &app,
        "admin@contoso.test",
        voucher_grant(&app, contoso, "100.00"),
        contoso_customer,
        "10.00",
    );
    let mgr = app.signed_in("mgr1@northwind.test").await;
    for path in [
        "/partner/coupons".to_string(),
        format!("/partner/coupons/{coupon}"),
        "/partner/coupons/export".into(),
    ] {
        assert_eq!(mgr.get(&path).await.status, 403, "{path}");
    }
    let admin = app.signed_in("admin@northwind.test").await;
    assert_eq!(
        admin
            .get(&format!("/partner/coupons/{theirs}"))
            .await
            .status,
        404
    );
    assert_eq!(admin.get("/partner/coupons/999999999").await.status, 404);
    assert!(!ids_on(&admin.get("/partner/coupons?size=100").await.body).contains(&theirs));
    let res = admin
        .submit(
            "/partner/coupons",
            &format!("/partner/coupons/{theirs}/recover"),
            &[("remark", "")],
        )
        .await;
    assert_eq!(res.status, 404);
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) AS n FROM coupons WHERE id = {theirs} AND state = 'usable'"
        )),
        1
    );
}

#[tokio::test]
async fn supervisors_read_their_customers_coupons_only_and_may_not_recover_or_export() {
    let app = spawn_app().await;
    let nw = org_id(&app, "Northwind Distribution");
    let (acme, globex) = (
        customer_id(&app, "it@acme.test"),
        customer_id(&app, "cfo@globex.test"),
    );
    let grant = voucher_grant(&app, nw, "100.00");
    let acme_coupon = issue_one(&app, grant, acme, "10.00");
    let globex_coupon = issue_one(&app, grant, globex, "10.00");
    let lead = app.signed_in("lead@northwind.test").await;
    let list = lead.get(&format!("/partner/coupons?grant={grant}")).await;
    assert_eq!(list.status, 200);
    assert_eq!(ids_on(&list.body), vec![globex_coupon, acme_coupon]);
    assert!(
        !list.contains("name=\"coupon_id\""),
        "no bulk recovery for supervisors"
    );
    let page = lead.get(&format!("/partner/coupons/{acme_coupon}")).await;
    assert_eq!(page.status, 200);
    assert!(
        !page.contains("/recover\""),
        "no recover form for supervisors"
    );
    let token = list.csrf();
    let one = lead
        .post_raw(
            &format!("/partner/coupons/{acme_coupon}/recover"),
            &[("csrf_token", &token), ("remark", "")],
        )
        .await;
    assert_eq!(one.status, 403);
    let bulk = lead
        .post_raw(
            "/partner/coupons/recover",
            &[
                ("csrf_token", &token),
                ("coupon_id", &acme_coupon.to_string()),
            ],
        )
        .await;
    assert_eq!(bulk.status, 403);
    assert_eq!(lead.get("/partner/coupons/export").await.status, 403);
    assert_eq!(
        super::super::coupon_cents(&app, acme_coupon),
        1000,
        "nothing moved"
    );
    // mgr2 leaves the supervisor's team: Globex (mgr2's) drops out of the supervisor's scope.
    app.count(
        "WITH u AS (UPDATE users SET supervisor_id = NULL WHERE email = 'mgr2@northwind.test' \
         RETURNING 1) SELECT count(*) AS n FROM u",
    );
    let list = lead.get(&format!("/partner/coupons?grant={grant}")).await;
    assert_eq!(ids_on(&list.body), vec![acme_coupon]);
    assert_eq!(
        lead.get(&format!("/partner/coupons/{globex_coupon}"))
            .await
            .status,
        404
    );
    let admin = app.signed_in("admin@northwind.test").await;
    let list = admin.get(&format!("/partner/coupons?grant={grant}")).await;
    assert_eq!(ids_on(&list.body).len(), 2, "admins see the organisation's");
}

#[tokio::test]
async fn the_export_is_masked_keeps_the_filters_and_is_for_admins() {
    let app = spawn_app().await;
    let nw = org_id(&app, "Northwind Distribution");
    let (acme, globex) = (
        customer_id(&app, "it@acme.test"),
        customer_id(&app, "cfo@globex.test"),
    );
    let grant = voucher_grant(&app, nw, "100.00");
    let a = issue_one(&app, grant, acme, "10.00");
    let g = issue_one(&app, grant, globex, "12.50");
    let admin = app.signed_in("admin@northwind.test").await;
    let list = admin
        .get(&format!("/partner/coupons?grant={grant}&customer={globex}"))
        .await;
    assert!(unescaped(&list.body).contains(&format!(
        "href=\"/partner/coupons/export?q=&customer={globex}&grant={grant}\""
    )));
    let csv = admin
        .get(&format!(
            "/partner/coupons/export?q=&customer={globex}&grant={grant}"
        ))
        .await;
    assert_eq!(csv.status, 200);
    assert!(
        csv.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv"),
        "{:?}",
        csv.headers
    );
    let lines: Vec<&str> = csv.body.lines().collect();
    assert_eq!(lines.len(), 2, "header and one coupon:\n{}", csv.body);
    assert!(lines[1].starts_with(&format!("{g},")), "{}", lines[1]);
    assert!(lines[1].contains("c***@globex.test") && lines[1].contains("12.50"));
    assert!(!csv.body.contains("cfo@globex.test"));
    let all = admin
        .get(&format!("/partner/coupons/export?grant={grant}"))
        .await;
    assert!(all.body.contains(&format!("\n{a},")) && all.body.contains("i***@acme.test"));
}
