//! The customer's coupon pages as pages: valid HTML (SPEC §4), the empty list, and pager
//! links that keep the state filter.

use crate::coupons::customer_id;
use crate::support::{html, spawn_app};

#[tokio::test]
async fn customer_coupon_pages_are_valid_html() {
    let app = spawn_app().await;
    let acme = customer_id(&app, "it@acme.test");
    let used = app.id_of(&format!(
        "SELECT min(id) AS n FROM coupons WHERE customer_id = {acme} AND state = 'used'"
    ));
    let cash = app.id_of(&format!(
        "SELECT min(id) AS n FROM coupons WHERE customer_id = {acme} AND kind = 'cash_coupon'"
    ));
    let it = app.signed_in("it@acme.test").await;
    let mut pages = Vec::new();
    for p in [
        "/fee-center".to_string(),
        "/fee-center/coupons".into(),
        "/fee-center/coupons?state=all&size=2".into(),
        "/fee-center/cash-coupons".into(),
        "/fee-center/cash-coupons?state=expired".into(),
        format!("/fee-center/coupons/{used}"),
        format!("/fee-center/coupons/{cash}"),
    ] {
        let res = it.get(&p).await;
        assert_eq!(res.status, 200, "{p}");
        pages.push((p, res.body));
    }
    let umbrella = app.signed_in("hello@umbrella.test").await;
    let empty = umbrella.get("/fee-center/cash-coupons").await;
    assert!(
        empty.contains("没有该状态的现金券"),
        "the empty list says so"
    );
    pages.push(("umbrella".into(), empty.body));
    html::assert_valid(&pages);
}

#[tokio::test]
async fn the_pager_keeps_the_state_filter_and_pages_by_id() {
    let app = spawn_app().await;
    let acme = customer_id(&app, "it@acme.test");
    let it = app.signed_in("it@acme.test").await;
    let first = it.get("/fee-center/coupons?state=all&size=2").await;
    let next = first
        .body
        .split("href=\"")
        .find(|s| s.starts_with("/fee-center/coupons?state=all&#38;size=2&#38;after="))
        .unwrap_or_else(|| panic!("a next page: {}", first.body))
        .split('"')
        .next()
        .unwrap()
        .replace("&#38;", "&");
    let second = it.get(&next).await;
    assert_eq!(second.status, 200);
    let newest = app.id_of(&format!(
        "SELECT max(id) AS n FROM coupons WHERE customer_id = {acme} AND kind = 'voucher'"
    ));
    assert!(first.contains(&format!("/fee-center/coupons/{newest}\"")));
    assert!(!second.contains(&format!("/fee-center/coupons/{newest}\"")));
}
