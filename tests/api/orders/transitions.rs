//! rule P1's legal moves and the refused ones, through the customer's pages: an unpaid order
//! (pending review or payment) may be cancelled; a paid, cancelled or completed one may not;
//! a cancelled order cannot be paid, asked about or unsubscribed. Each refusal is a clear
//! message (409) and nothing changes; wrong and foreign ids are 404, never a 500.

use super::{customer_id, deposit, place, product, state_of, wait_for_state};
use crate::support::http::form_key;
use crate::support::spawn_app;

#[tokio::test]
async fn unpaid_orders_are_cancelled_and_a_cancelled_order_moves_no_more() {
    let app = spawn_app().await;
    product(&app, "t-plain", Some("20"), None, false);
    product(&app, "t-review", Some("20"), None, true);
    let it = app.signed_in("it@acme.test").await;
    let pending = place(&it, "t-plain", "month").await;
    let review = place(&it, "t-review", "month").await;
    for id in [pending, review] {
        let page = format!("/fee-center/orders/{id}");
        let res = it
            .submit(&page, &format!("/fee-center/orders/{id}/cancel"), &[])
            .await;
        assert_eq!(res.status, 303);
        assert_eq!(state_of(&app, id), "cancelled");
    }
    let page = format!("/fee-center/orders/{pending}");
    let key = uuid::Uuid::new_v4().to_string();
    for (action, fields) in [
        ("cancel", vec![]),
        ("pay", vec![("key", key.as_str())]),
        ("pay/preview", vec![]),
        ("pay-request", vec![]),
        ("unsubscribe", vec![]),
    ] {
        let res = it
            .submit(
                &page,
                &format!("/fee-center/orders/{pending}/{action}"),
                &fields,
            )
            .await;
        assert_eq!(res.status, 409, "{action} on a cancelled order");
        assert!(
            res.contains("role=\"alert\""),
            "{action}: the reason is shown"
        );
    }
    assert_eq!(state_of(&app, pending), "cancelled");
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) AS n FROM order_payments WHERE order_id = {pending}"
        )),
        0
    );
}

#[tokio::test]
async fn a_paid_order_cannot_be_cancelled_and_completes() {
    let app = spawn_app().await;
    product(&app, "t-paid", Some("20"), None, false);
    deposit(&app, customer_id(&app, "it@acme.test"), "100.00");
    let it = app.signed_in("it@acme.test").await;
    let id = place(&it, "t-paid", "month").await;
    let page = format!("/fee-center/orders/{id}");
    let key = form_key(&it.get(&page).await.body);
    let res = it
        .submit(
            &page,
            &format!("/fee-center/orders/{id}/pay"),
            &[("key", &key)],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    assert!(matches!(
        state_of(&app, id).as_str(),
        "processing" | "completed"
    ));
    let res = it
        .submit(&page, &format!("/fee-center/orders/{id}/cancel"), &[])
        .await;
    assert_eq!(res.status, 409, "a paid order is not cancelled");
    wait_for_state(&app, id, "completed", 10).await;
    let res = it
        .submit(&page, &format!("/fee-center/orders/{id}/cancel"), &[])
        .await;
    assert_eq!(res.status, 409, "nor a completed one");
    assert_eq!(state_of(&app, id), "completed");
    let term = super::text(
        &app,
        &format!("SELECT concat(term_start, '|', term_end) AS t FROM orders WHERE id = {id}"),
    );
    let shown = it.get(&page).await;
    let (start, end) = term.split_once('|').unwrap();
    assert!(
        shown.contains(start) && shown.contains(end),
        "the term's dates are shown"
    );
}

#[tokio::test]
async fn wrong_and_foreign_order_ids_are_not_found() {
    let app = spawn_app().await;
    product(&app, "t-mine", Some("20"), None, false);
    let it = app.signed_in("it@acme.test").await;
    let mine = place(&it, "t-mine", "month").await;
    let globex = app.signed_in("cfo@globex.test").await;
    for path in [
        format!("/fee-center/orders/{mine}"),
        "/fee-center/orders/99999999".into(),
        "/fee-center/orders/99999999999999999999".into(),
        "/fee-center/orders/abc".into(),
        "/fee-center/orders/-1".into(),
        "/fee-center/orders/0".into(),
    ] {
        assert_eq!(globex.get(&path).await.status, 404, "{path}");
    }
    let token = globex.get("/fee-center/orders").await.csrf();
    for action in ["cancel", "pay-request", "unsubscribe", "pay/preview"] {
        let res = globex
            .post_raw(
                &format!("/fee-center/orders/{mine}/{action}"),
                &[("csrf_token", &token)],
            )
            .await;
        assert_eq!(res.status, 404, "{action}");
    }
    let res = globex
        .post_raw(
            &format!("/fee-center/orders/{mine}/pay"),
            &[("csrf_token", &token), ("key", "abcdefgh-1234")],
        )
        .await;
    assert_eq!(res.status, 404);
    assert_eq!(state_of(&app, mine), "pending_payment");
    // Lists take any query without failing.
    for q in [
        "/fee-center/orders?after=abc&size=zz&state=nope",
        "/fee-center/orders?after=-5&size=100000&q=%25%5F",
        "/fee-center/orders?q=t-mine",
    ] {
        assert_eq!(it.get(q).await.status, 200, "{q}");
    }
    assert!(
        it.get("/fee-center/orders?q=t-mine")
            .await
            .contains(&format!("id=\"order-{mine}\""))
    );
    assert!(
        !it.get("/fee-center/orders?q=zzz-none")
            .await
            .contains(&format!("id=\"order-{mine}\""))
    );
}
