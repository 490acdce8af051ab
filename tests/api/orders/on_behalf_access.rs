//! Who sees and answers which orders (SPEC §6 "Roles for money pages", rule C10): another
//! partner neither sees nor pays a request (404); a customer manager sees their own customers'
//! orders only (a colleague's is 404); a supervisor sees the team's; both read only (403 on
//! pay and reject); malformed ids and queries are 404 or ignored, never a 500.

use super::{cash_cents, org_id, pay_request_of, place, product, state_of};
use crate::support::spawn_app;

#[tokio::test]
async fn another_partner_can_neither_see_nor_pay_the_request() {
    let app = spawn_app().await;
    product(&app, "acc-foreign", Some("30"), None, false);
    let it = app.signed_in("it@acme.test").await;
    let id = place(&it, "acc-foreign", "month").await;
    let page = format!("/fee-center/orders/{id}");
    it.submit(&page, &format!("{page}/pay-request"), &[]).await;
    for (email, org) in [
        ("admin@contoso.test", "Contoso Solutions"),
        ("admin@bluebird.test", "Bluebird Cloud"),
    ] {
        let other = app.signed_in(email).await;
        let before = cash_cents(&app, org_id(&app, org));
        assert_eq!(
            other.get(&format!("/partner/orders/{id}")).await.status,
            404,
            "{email}"
        );
        for tab in ["to_pay", "all"] {
            let list = other.get(&format!("/partner/orders?tab={tab}")).await;
            assert_eq!(list.status, 200);
            assert!(
                !list.contains(&format!("/partner/orders/{id}\"")),
                "{email} {tab}"
            );
        }
        let token = other.get("/partner/orders").await.csrf();
        let pay = other
            .post_raw(
                &format!("/partner/orders/{id}/pay"),
                &[("csrf_token", &token), ("key", "foreign-key-123")],
            )
            .await;
        assert_eq!(pay.status, 404, "{email} pays");
        let reject = other
            .post_raw(
                &format!("/partner/orders/{id}/reject"),
                &[("csrf_token", &token), ("reason", "not mine")],
            )
            .await;
        assert_eq!(reject.status, 404, "{email} rejects");
        assert_eq!(cash_cents(&app, org_id(&app, org)), before);
    }
    assert_eq!(pay_request_of(&app, id), "requested");
    assert_eq!(state_of(&app, id), "pending_payment");
}

#[tokio::test]
async fn managers_see_their_own_customers_orders_and_supervisors_their_teams_read_only() {
    let app = spawn_app().await;
    product(&app, "acc-team", Some("30"), None, false);
    let acme = place(&app.signed_in("it@acme.test").await, "acc-team", "month").await;
    let globex_client = app.signed_in("cfo@globex.test").await;
    let globex = place(&globex_client, "acc-team", "month").await;
    let page = format!("/fee-center/orders/{globex}");
    globex_client
        .submit(&page, &format!("{page}/pay-request"), &[])
        .await;
    // Acme is mgr1's customer, Globex mgr2's; both are in lead's team.
    let mgr1 = app.signed_in("mgr1@northwind.test").await;
    assert_eq!(
        mgr1.get(&format!("/partner/orders/{acme}")).await.status,
        200
    );
    assert_eq!(
        mgr1.get(&format!("/partner/orders/{globex}")).await.status,
        404
    );
    let all = mgr1.get("/partner/orders?tab=all&size=100").await;
    assert!(all.contains(&format!("/partner/orders/{acme}\"")));
    assert!(!all.contains(&format!("/partner/orders/{globex}\"")));
    assert!(
        !all.contains("Globex"),
        "no colleague's customer on the list"
    );
    let lead = app.signed_in("lead@northwind.test").await;
    for id in [acme, globex] {
        let detail = lead.get(&format!("/partner/orders/{id}")).await;
        assert_eq!(detail.status, 200);
        assert!(!detail.contains("id=\"pay-form\""), "read only");
    }
    assert!(
        lead.get("/partner/orders")
            .await
            .contains(&format!("/partner/orders/{globex}\""))
    );
    let mgr2 = app.signed_in("mgr2@northwind.test").await;
    for (who, client) in [("lead", &lead), ("mgr2", &mgr2)] {
        let token = client.get("/partner/orders").await.csrf();
        let pay = client
            .post_raw(
                &format!("/partner/orders/{globex}/pay"),
                &[("csrf_token", &token), ("key", "reader-key-123")],
            )
            .await;
        assert_eq!(pay.status, 403, "{who} pays");
        let reject = client
            .post_raw(
                &format!("/partner/orders/{globex}/reject"),
                &[("csrf_token", &token), ("reason", "no")],
            )
            .await;
        assert_eq!(reject.status, 403, "{who} rejects");
    }
    assert_eq!(pay_request_of(&app, globex), "requested");
    // The dashboard tile is the admins'.
    assert!(!lead.get("/partner").await.contains("id=\"pay-requests\""));
}

#[tokio::test]
async fn malformed_partner_order_ids_and_queries_never_fail() {
    let app = spawn_app().await;
    let admin = app.signed_in("admin@northwind.test").await;
    for path in [
        "/partner/orders/abc",
        "/partner/orders/0",
        "/partner/orders/99999999",
        "/partner/orders/99999999999999999999",
    ] {
        assert_eq!(admin.get(path).await.status, 404, "{path}");
    }
    for path in [
        "/partner/orders?tab=bogus",
        "/partner/orders?tab=all&after=zz&size=-1",
        "/partner/orders?tab=all&q=%25_%5C",
        "/partner/orders?tab=paid&q=cfo%40globex.test",
        "/partner/orders?tab=all&q=ecs.s6",
    ] {
        assert_eq!(admin.get(path).await.status, 200, "{path}");
    }
    let by_email = admin
        .get("/partner/orders?tab=all&q=cfo%40globex.test")
        .await;
    assert!(by_email.contains("Globex") && !by_email.contains("Acme Corp"));
    let by_product = admin.get("/partner/orders?tab=all&q=ecs.s6").await;
    assert!(
        by_product.contains("Acme Corp") && by_product.contains("Globex"),
        "a product's orders of every customer"
    );
    let by_part = admin.get("/partner/orders?tab=all&q=cfo%40globex").await;
    assert!(
        !by_part.contains("Globex"),
        "only whole addresses match (rule A5)"
    );
    let token = admin.get("/partner/orders").await.csrf();
    let res = admin
        .post_raw(
            "/partner/orders/99999999/pay",
            &[("csrf_token", &token), ("key", "some-key-123")],
        )
        .await;
    assert_eq!(res.status, 404);
}
