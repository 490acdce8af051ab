//! One coupon's page (rules K2, K3): its facts, its history newest first, the recover form.

use super::*;

#[tokio::test]
async fn a_coupon_page_shows_its_facts_and_its_history_newest_first() {
    let app = spawn_app().await;
    let nw = org_id(&app, "Northwind Distribution");
    let acme = customer_id(&app, "it@acme.test");
    let grant = grant_with(
        &app,
        nw,
        CouponKind::Voucher,
        "500.00",
        (0, 60),
        &["ECS", "OBS"],
        false,
    );
    let input = IssueInput {
        scope: vec!["OBS".into(), "ECS".into()],
        ..issue_input(grant, acme, "40.00")
    };
    let coupon = issue_input_as(&app, NW_ADMIN, &input);
    let admin = app.signed_in("admin@northwind.test").await;
    let page = admin.get(&format!("/partner/coupons/{coupon}")).await;
    assert_eq!(page.status, 200);
    assert!(page.contains("Acme Corp") && page.contains("i***@acme.test"));
    assert!(page.contains(&format!("href=\"/partner/coupons/quotas/{grant}\"")));
    assert!(
        page.contains("弹性云服务器") && page.contains("对象存储服务"),
        "scope by name"
    );
    assert!(page.contains("entry-coupon_issue"));
    assert!(page.contains("Nora Admin"), "issued by");
    let res = admin
        .submit(
            &format!("/partner/coupons/{coupon}"),
            &format!("/partner/coupons/{coupon}/recover"),
            &[("remark", "wrong customer")],
        )
        .await;
    assert_eq!(res.status, 303);
    assert_eq!(
        res.location.as_deref(),
        Some(format!("/partner/coupons/{coupon}").as_str())
    );
    let page = admin.get(&format!("/partner/coupons/{coupon}")).await;
    assert!(page.contains("flash-success"));
    let recovery = page
        .body
        .find("entry-coupon_recovery")
        .expect("recovery entry");
    let issue_at = page.body.find("entry-coupon_issue").expect("issue entry");
    assert!(recovery < issue_at, "newest first");
    assert!(page.contains("wrong customer"));
    assert!(page.contains("state-recovered"));
    assert!(
        !page.contains(&format!("/partner/coupons/{coupon}/recover\"")),
        "no form now"
    );
}
