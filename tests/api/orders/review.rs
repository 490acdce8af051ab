//! rule P1 review at `/ops/orders`: the queue shows orders pending review by default; an
//! operator approves one (it waits for payment) or rejects it with a reason (cancelled); a
//! second decision, or a decision on an order that is not pending review, is refused with a
//! clear message (409), a rejection without a reason is 422.

use super::{place, product, state_of, text};
use crate::support::spawn_app;

#[tokio::test]
async fn an_operator_approves_or_rejects_an_order_pending_review_once() {
    let app = spawn_app().await;
    product(&app, "review-queue", Some("80"), None, true);
    product(&app, "no-review", Some("80"), None, false);
    let it = app.signed_in("it@acme.test").await;
    let first = place(&it, "review-queue", "month").await;
    let second = place(&it, "review-queue", "month").await;
    let plain = place(&it, "no-review", "month").await;
    let ops = app.signed_in("ops@demo.test").await;
    let queue = ops.get("/ops/orders").await;
    assert_eq!(queue.status, 200);
    assert!(queue.contains(&format!("id=\"order-{first}\"")));
    assert!(
        !queue.contains(&format!("id=\"order-{plain}\"")),
        "only orders pending review by default"
    );
    let all = ops.get("/ops/orders?state=all").await;
    assert!(all.contains(&format!("id=\"order-{plain}\"")));

    let res = ops
        .submit("/ops/orders", &format!("/ops/orders/{first}/approve"), &[])
        .await;
    assert_eq!(res.status, 303);
    assert_eq!(state_of(&app, first), "pending_payment");
    let again = ops
        .submit("/ops/orders", &format!("/ops/orders/{first}/approve"), &[])
        .await;
    assert_eq!(again.status, 409, "approved twice");
    assert!(again.contains("该订单当前状态不允许此操作"));
    let res = ops
        .submit(
            "/ops/orders",
            &format!("/ops/orders/{first}/reject"),
            &[("reason", "late")],
        )
        .await;
    assert_eq!(res.status, 409, "rejected after approval");
    assert_eq!(state_of(&app, first), "pending_payment");

    for reason in ["", "   ", &"x".repeat(501)] {
        let res = ops
            .submit(
                "/ops/orders",
                &format!("/ops/orders/{second}/reject"),
                &[("reason", reason)],
            )
            .await;
        assert_eq!(res.status, 422);
    }
    assert_eq!(state_of(&app, second), "pending_review");
    let res = ops
        .submit(
            "/ops/orders",
            &format!("/ops/orders/{second}/reject"),
            &[("reason", "No capacity plan")],
        )
        .await;
    assert_eq!(res.status, 303);
    assert_eq!(state_of(&app, second), "cancelled");
    assert_eq!(
        text(
            &app,
            &format!("SELECT reason AS t FROM orders WHERE id = {second}")
        ),
        "No capacity plan"
    );
    for action in ["approve", "reject"] {
        let res = ops
            .submit(
                "/ops/orders",
                &format!("/ops/orders/{second}/{action}"),
                &[("reason", "again")],
            )
            .await;
        assert_eq!(res.status, 409, "{action} after rejection");
    }
    let res = ops
        .submit("/ops/orders", &format!("/ops/orders/{plain}/approve"), &[])
        .await;
    assert_eq!(res.status, 409, "an order pending payment is not reviewed");
    assert_eq!(
        ops.submit("/ops/orders", "/ops/orders/99999999/approve", &[])
            .await
            .status,
        404
    );
    // The customer sees the rejection and its reason.
    let page = it.get(&format!("/fee-center/orders/{second}")).await;
    assert!(page.contains("No capacity plan"));
}
