//! The order pages are valid HTML (SPEC §4): the catalog and its forms (also with errors),
//! the review queue, the customer's list, form and orders in each state (with a preview), the
//! partner's tabs and an order with the answer forms, and the dashboard with its 代付 tile.

use super::{customer_id, deposit, place, product};
use crate::support::http::form_key;
use crate::support::{html, spawn_app};

#[tokio::test]
async fn order_pages_are_valid_html() {
    let app = spawn_app().await;
    product(&app, "html-page", Some("12.34567891"), Some("120"), false);
    deposit(&app, customer_id(&app, "it@acme.test"), "100.00");
    let mut pages: Vec<(String, String)> = Vec::new();
    let ops = app.signed_in("ops@demo.test").await;
    let pid = app.id_of("SELECT id AS n FROM products WHERE code = 'html-page'");
    for p in [
        "/ops/catalog".to_string(),
        "/ops/catalog/new".into(),
        format!("/ops/catalog/{pid}"),
        "/ops/orders".into(),
        "/ops/orders?state=all".into(),
    ] {
        let res = ops.get(&p).await;
        assert_eq!(res.status, 200, "{p}");
        pages.push((p, res.body));
    }
    let bad = ops
        .submit(
            "/ops/catalog/new",
            "/ops/catalog",
            &[("code", "X"), ("tax_rate", "9")],
        )
        .await;
    assert_eq!(bad.status, 422);
    pages.push(("catalog errors".into(), bad.body));

    let it = app.signed_in("it@acme.test").await;
    let id = place(&it, "html-page", "month").await;
    let page = format!("/fee-center/orders/{id}");
    let key = form_key(&it.get(&page).await.body);
    let preview = it
        .submit(&page, &format!("{page}/pay/preview"), &[("key", &key)])
        .await;
    assert_eq!(preview.status, 200);
    pages.push(("preview".into(), preview.body));
    let acme = customer_id(&app, "it@acme.test");
    let demo_orders: Vec<i64> = ["pending_review", "completed", "cancelled", "processing"]
        .iter()
        .map(|s| {
            app.id_of(&format!(
                "SELECT coalesce(max(id), {id}) AS n FROM orders WHERE customer_id = {acme} AND state = '{s}'"
            ))
        })
        .collect();
    let mut paths = vec![
        "/fee-center/orders".to_string(),
        "/fee-center/orders/new".into(),
        "/fee-center/orders?state=completed&q=ecs".into(),
        page.clone(),
    ];
    paths.extend(
        demo_orders
            .iter()
            .map(|o| format!("/fee-center/orders/{o}")),
    );
    for p in paths {
        let res = it.get(&p).await;
        assert_eq!(res.status, 200, "{p}");
        pages.push((p, res.body));
    }
    let bad = it
        .submit(
            "/fee-center/orders/new",
            "/fee-center/orders/new",
            &[("key", &key)],
        )
        .await;
    assert_eq!(bad.status, 422);
    pages.push(("order form errors".into(), bad.body));
    it.submit(&page, &format!("{page}/pay-request"), &[]).await;

    let admin = app.signed_in("admin@northwind.test").await;
    for p in [
        "/partner".to_string(),
        "/partner/orders".into(),
        "/partner/orders?tab=paid".into(),
        "/partner/orders?tab=rejected".into(),
        "/partner/orders?tab=all&size=50".into(),
        format!("/partner/orders/{id}"),
    ] {
        let res = admin.get(&p).await;
        assert_eq!(res.status, 200, "{p}");
        pages.push((p, res.body));
    }
    let bad = admin
        .submit(
            &format!("/partner/orders/{id}"),
            &format!("/partner/orders/{id}/reject"),
            &[("reason", "")],
        )
        .await;
    assert_eq!(bad.status, 422);
    pages.push(("reject errors".into(), bad.body));
    html::assert_valid(&pages);
}
