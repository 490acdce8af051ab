//! rule P1's jobs: a paid order is provisioned (processing → completed) within seconds by the
//! loop every instance runs; orders pending payment or review for 7 days are cancelled with
//! the reason `expired`, younger ones and paid ones are left alone.

use partner_center::domain::Caller;
use partner_center::services::orders::jobs;

use super::{customer_id, deposit, place, product, state_of, text, wait_for_state};
use crate::support::http::form_key;
use crate::support::spawn_app;

#[tokio::test]
async fn unpaid_orders_older_than_seven_days_are_cancelled_as_expired() {
    let app = spawn_app().await;
    product(&app, "j-plain", Some("20"), None, false);
    product(&app, "j-review", Some("20"), None, true);
    let it = app.signed_in("it@acme.test").await;
    let old_payment = place(&it, "j-plain", "month").await;
    let old_review = place(&it, "j-review", "month").await;
    let young = place(&it, "j-plain", "month").await;
    let old_cancelled = place(&it, "j-plain", "month").await;
    let page = format!("/fee-center/orders/{old_cancelled}");
    it.submit(&page, &format!("{page}/cancel"), &[]).await;
    app.count(&format!(
        "WITH u AS (UPDATE orders SET created_at = now() - interval '7 days 1 minute' \
         WHERE id IN ({old_payment}, {old_review}, {old_cancelled}) RETURNING 1) \
         SELECT count(*) AS n FROM u"
    ));
    app.count(&format!(
        "WITH u AS (UPDATE orders SET created_at = now() - interval '6 days 23 hours' \
         WHERE id = {young} RETURNING 1) SELECT count(*) AS n FROM u"
    ));
    let moved = jobs::expire_unpaid(&mut app.conn(), &Caller::system("test")).unwrap();
    assert_eq!(moved, 2);
    for id in [old_payment, old_review] {
        assert_eq!(state_of(&app, id), "cancelled");
        assert_eq!(
            text(
                &app,
                &format!("SELECT reason AS t FROM orders WHERE id = {id}")
            ),
            "expired"
        );
    }
    assert_eq!(state_of(&app, young), "pending_payment");
    assert_eq!(
        text(
            &app,
            &format!("SELECT reason AS t FROM orders WHERE id = {old_cancelled}")
        ),
        ""
    );
    assert_eq!(
        app.count(
            "SELECT count(*) AS n FROM audit_log WHERE action = 'order.expired' \
             AND actor_email = 'test'"
        ),
        2
    );
    // Running again finds nothing more.
    assert_eq!(
        jobs::expire_unpaid(&mut app.conn(), &Caller::system("test")).unwrap(),
        0
    );
    let shown = it.get(&format!("/fee-center/orders/{old_payment}")).await;
    assert!(
        shown.contains("7 天内未支付"),
        "the reason is shown in the reader's words"
    );
}

#[tokio::test]
async fn an_old_order_pending_review_expires_when_no_order_pending_payment_is_old() {
    // The job first asks for the oldest order of each open state; either state alone is due.
    let app = spawn_app().await;
    product(&app, "j-plain2", Some("20"), None, false);
    product(&app, "j-review2", Some("20"), None, true);
    let it = app.signed_in("it@acme.test").await;
    let young_payment = place(&it, "j-plain2", "month").await;
    let old_review = place(&it, "j-review2", "month").await;
    app.count(&format!(
        "WITH u AS (UPDATE orders SET created_at = now() - interval '8 days' \
         WHERE id = {old_review} RETURNING 1) SELECT count(*) AS n FROM u"
    ));
    let caller = Caller::system("test");
    assert_eq!(jobs::expire_unpaid(&mut app.conn(), &caller).unwrap(), 1);
    assert_eq!(state_of(&app, old_review), "cancelled");
    assert_eq!(state_of(&app, young_payment), "pending_payment");
}

#[tokio::test]
async fn a_paid_order_is_provisioned_within_seconds() {
    let app = spawn_app().await;
    product(&app, "j-paid", Some("20"), None, false);
    deposit(&app, customer_id(&app, "cfo@globex.test"), "50.00");
    let cfo = app.signed_in("cfo@globex.test").await;
    let id = place(&cfo, "j-paid", "month").await;
    let page = format!("/fee-center/orders/{id}");
    let key = form_key(&cfo.get(&page).await.body);
    let res = cfo
        .submit(&page, &format!("{page}/pay"), &[("key", &key)])
        .await;
    assert_eq!(res.status, 303);
    wait_for_state(&app, id, "completed", 10).await;
    assert!(
        app.count("SELECT count(*) AS n FROM orders WHERE state = 'processing'") == 0,
        "every paid order was provisioned"
    );
}
