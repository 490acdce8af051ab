//! The issued-coupons pages are valid HTML (SPEC §4) and cost a fixed number of statements
//! whatever their size (no N+1, SPEC §4 "Fast at scale").

use super::{customer_id, issue_one, org_id, use_up, voucher_grant};
use crate::customers::queries::{install, statements_for};
use crate::support::{html, spawn_app};

#[tokio::test]
async fn coupon_pages_are_valid_html() {
    let app = spawn_app().await;
    let nw = org_id(&app, "Northwind Distribution");
    let acme = customer_id(&app, "it@acme.test");
    let grant = voucher_grant(&app, nw, "100.00");
    let usable = issue_one(&app, grant, acme, "10.00");
    let used = issue_one(&app, grant, acme, "10.00");
    use_up(&app, used);
    let admin = app.signed_in("admin@northwind.test").await;
    let mut pages = Vec::new();
    for p in [
        "/partner".to_string(),
        "/partner/coupons".into(),
        format!(
            "/partner/coupons?q=acme&state=usable&kind=voucher&grant={grant}&customer={acme}&expiring=90&size=50"
        ),
        "/partner/coupons?q=nothing-matches".into(),
        format!("/partner/coupons/{usable}"),
        format!("/partner/coupons/{used}"),
    ] {
        let res = admin.get(&p).await;
        assert_eq!(res.status, 200, "{p}");
        pages.push((p, res.body));
    }
    let token = admin.get("/partner/coupons").await.csrf();
    let refused = admin
        .post_raw(
            &format!("/partner/coupons/{used}/recover"),
            &[("csrf_token", &token), ("remark", "")],
        )
        .await;
    assert_eq!(refused.status, 409);
    pages.push(("recover-refused".into(), refused.body));
    let long = "x".repeat(300);
    let too_long = admin
        .post_raw(
            &format!("/partner/coupons/{usable}/recover"),
            &[("csrf_token", &token), ("remark", &long)],
        )
        .await;
    assert_eq!(too_long.status, 422);
    pages.push(("recover-too-long".into(), too_long.body));
    let bulk = admin
        .post_raw(
            "/partner/coupons/recover",
            &[
                ("csrf_token", &token),
                ("coupon_id", &usable.to_string()),
                ("coupon_id", &used.to_string()),
                ("remark", "bulk"),
            ],
        )
        .await;
    assert_eq!(bulk.status, 200);
    pages.push(("bulk-result".into(), bulk.body));
    let none = admin
        .post_raw("/partner/coupons/recover", &[("csrf_token", &token)])
        .await;
    assert_eq!(none.status, 422);
    pages.push(("bulk-none".into(), none.body));
    let recovered = admin.get(&format!("/partner/coupons/{usable}")).await;
    pages.push(("recovered".into(), recovered.body));
    let lead = app.signed_in("lead@northwind.test").await;
    for p in [
        "/partner".to_string(),
        "/partner/coupons".into(),
        format!("/partner/coupons/{used}"),
    ] {
        let res = lead.get(&p).await;
        assert_eq!(res.status, 200, "lead {p}");
        pages.push((format!("lead{p}"), res.body));
    }
    html::assert_valid(&pages);
}

#[tokio::test]
async fn the_coupons_list_runs_the_same_number_of_statements_whatever_the_page_size() {
    install();
    let app = spawn_app().await;
    let nw = org_id(&app, "Northwind Distribution");
    let (acme, globex) = (
        customer_id(&app, "it@acme.test"),
        customer_id(&app, "cfo@globex.test"),
    );
    let grant = voucher_grant(&app, nw, "10000.00");
    for i in 0..120 {
        issue_one(&app, grant, if i % 2 == 0 { acme } else { globex }, "1.00");
    }
    let admin = app.signed_in("admin@northwind.test").await;
    let lead = app.signed_in("lead@northwind.test").await;
    admin.get("/partner/coupons").await;
    lead.get("/partner/coupons").await;
    for (who, c) in [("admin", &admin), ("lead", &lead)] {
        for base in [
            "/partner/coupons?q=".to_string(),
            format!("/partner/coupons?q=Acme&state=usable&grant={grant}"),
            format!("/partner/coupons?q=&customer={globex}&expiring=90"),
        ] {
            let mut counts = Vec::new();
            for size in ["1", "20", "100"] {
                let stmts = statements_for(&app, c, &format!("{base}&size={size}")).await;
                counts.push((size, stmts.len(), stmts));
            }
            let first = counts[0].1;
            for (size, n, stmts) in &counts {
                assert_eq!(*n, first, "{who} {base} size={size}:\n{}", stmts.join("\n"));
            }
            assert!(
                first > 0 && first <= 4,
                "{who} {base}: {first} statements:\n{}",
                counts[0].2.join("\n")
            );
        }
    }
    // One coupon's page: the same however long its history.
    let coupon = issue_one(&app, grant, acme, "5.00");
    let detail = format!("/partner/coupons/{coupon}");
    admin.get(&detail).await;
    let before = statements_for(&app, &admin, &detail).await.len();
    use_up(&app, coupon);
    let after = statements_for(&app, &admin, &detail).await;
    assert_eq!(after.len(), before, "{}", after.join("\n"));
}
