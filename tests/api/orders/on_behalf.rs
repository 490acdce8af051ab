//! rule P2 代付: the customer asks its partner to pay; the partner's admins are mailed and see
//! it under "to pay"; an admin pays it from the partner's cash (the customer is mailed, the
//! order is provisioned) or rejects it with a reason (the customer is mailed and may pay itself
//! or cancel). A request is answered once; paying twice at once pays once and mails once.

use super::{
    assert_ledger_verifies, cash_cents, customer_id, deposit, org_id, pay_request_of, place,
    product, state_of, wait_for_state,
};
use crate::support::http::form_key;
use crate::support::{TestApp, spawn_app};

/// Acme orders `code` and asks Northwind to pay it; the order's id.
async fn requested(app: &TestApp, code: &str, price: &str) -> i64 {
    product(app, code, Some(price), None, false);
    let it = app.signed_in("it@acme.test").await;
    let id = place(&it, code, "month").await;
    let page = format!("/fee-center/orders/{id}");
    let res = it.submit(&page, &format!("{page}/pay-request"), &[]).await;
    assert_eq!(res.status, 303, "{}", res.body);
    assert_eq!(pay_request_of(app, id), "requested");
    id
}

#[tokio::test]
async fn the_partner_pays_a_request_from_its_cash_and_the_customer_is_mailed() {
    let app = spawn_app().await;
    let nw = org_id(&app, "Northwind Distribution");
    let cash_before = cash_cents(&app, nw);
    let id = requested(&app, "behalf-pay", "250.55").await;
    let asked = app.mail.wait_for_to("admin@northwind.test", 10).await;
    assert!(
        asked.subject.contains(&format!("order {id}")),
        "{}",
        asked.subject
    );
    assert!(asked.text.contains(&format!("/partner/orders/{id}")));
    assert!(asked.text.contains("Acme") && asked.text.contains("250.55"));

    let admin = app.signed_in("admin@northwind.test").await;
    let to_pay = admin.get("/partner/orders").await;
    assert!(to_pay.contains(&format!("href=\"/partner/orders/{id}\"")));
    assert!(admin.get("/partner").await.contains("id=\"pay-requests\""));
    let page = format!("/partner/orders/{id}");
    let detail = admin.get(&page).await;
    assert!(detail.contains("id=\"pay-form\"") && detail.contains("id=\"reject-form\""));
    let key = form_key(&detail.body);
    let res = admin
        .submit(&page, &format!("{page}/pay"), &[("key", &key)])
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    assert_eq!(
        cash_cents(&app, nw),
        cash_before - 25_055,
        "paid from the partner's cash"
    );
    assert_eq!(pay_request_of(&app, id), "paid");
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) AS n FROM order_payments WHERE order_id = {id} \
             AND source = 'partner_cash' AND amount = 250.55"
        )),
        1
    );
    let told = app.mail.wait_for_to("it@acme.test", 10).await;
    assert!(told.subject.contains("paid your order"), "{}", told.subject);
    wait_for_state(&app, id, "completed", 10).await;

    let paid = admin.get("/partner/orders?tab=paid").await;
    assert!(paid.contains(&format!("href=\"/partner/orders/{id}\"")));
    let to_pay = admin.get("/partner/orders?tab=to_pay").await;
    assert!(!to_pay.contains(&format!("href=\"/partner/orders/{id}\"")));
    let it = app.signed_in("it@acme.test").await;
    let mine = it.get(&format!("/fee-center/orders/{id}")).await;
    assert!(mine.contains("已完成") && mine.contains("伙伴代付"));
    // Paying again (the same form or a new one) is refused: it is paid.
    let res = admin
        .submit(&page, &format!("{page}/pay"), &[("key", &key)])
        .await;
    assert!(matches!(res.status, 303 | 409));
    let res = admin
        .submit(&page, &format!("{page}/pay"), &[("key", "another-key-123")])
        .await;
    assert_eq!(res.status, 409);
    assert_eq!(cash_cents(&app, nw), cash_before - 25_055);
    assert_ledger_verifies(&app);
}

#[tokio::test]
async fn a_rejected_request_is_mailed_with_its_reason_and_the_customer_pays_itself() {
    let app = spawn_app().await;
    let id = requested(&app, "behalf-reject", "40.00").await;
    let admin = app.signed_in("admin@northwind.test").await;
    let page = format!("/partner/orders/{id}");
    let res = admin
        .submit(&page, &format!("{page}/reject"), &[("reason", " ")])
        .await;
    assert_eq!(res.status, 422);
    assert!(res.contains("id=\"e-reason\""));
    let res = admin
        .submit(
            &page,
            &format!("{page}/reject"),
            &[("reason", "Over budget this quarter")],
        )
        .await;
    assert_eq!(res.status, 303);
    assert_eq!(pay_request_of(&app, id), "rejected");
    assert_eq!(state_of(&app, id), "pending_payment");
    let told = app.mail.wait_for_to("it@acme.test", 10).await;
    assert!(
        told.text.contains("Over budget this quarter"),
        "{}",
        told.text
    );
    assert!(told.text.contains(&format!("/fee-center/orders/{id}")));
    let rejected = admin.get("/partner/orders?tab=rejected").await;
    assert!(rejected.contains(&format!("href=\"/partner/orders/{id}\"")));
    // Each request is answered once.
    let res = admin
        .submit(&page, &format!("{page}/reject"), &[("reason", "again")])
        .await;
    assert_eq!(res.status, 409);
    let res = admin
        .submit(&page, &format!("{page}/pay"), &[("key", "late-key-1234")])
        .await;
    assert_eq!(res.status, 409);
    // The customer may not ask again, but pays itself.
    let it = app.signed_in("it@acme.test").await;
    let mine = format!("/fee-center/orders/{id}");
    let shown = it.get(&mine).await;
    assert!(shown.contains("Over budget this quarter") && shown.contains("id=\"choose-form\""));
    assert!(!shown.contains("id=\"request-form\""));
    assert_eq!(
        it.submit(&mine, &format!("{mine}/pay-request"), &[])
            .await
            .status,
        409
    );
    deposit(&app, customer_id(&app, "it@acme.test"), "40.00");
    let key = form_key(&shown.body);
    let res = it
        .submit(&mine, &format!("{mine}/pay"), &[("key", &key)])
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    assert_ne!(state_of(&app, id), "pending_payment");
}

#[tokio::test]
async fn after_a_rejection_the_customer_may_cancel() {
    let app = spawn_app().await;
    let id = requested(&app, "behalf-cancel", "40.00").await;
    let admin = app.signed_in("admin@northwind.test").await;
    let page = format!("/partner/orders/{id}");
    admin
        .submit(&page, &format!("{page}/reject"), &[("reason", "No")])
        .await;
    let it = app.signed_in("it@acme.test").await;
    let mine = format!("/fee-center/orders/{id}");
    assert_eq!(
        it.submit(&mine, &format!("{mine}/cancel"), &[])
            .await
            .status,
        303
    );
    assert_eq!(state_of(&app, id), "cancelled");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn paying_twice_at_once_pays_once_and_mails_once() {
    let app = spawn_app().await;
    let nw = org_id(&app, "Northwind Distribution");
    let before = cash_cents(&app, nw);
    let id = requested(&app, "behalf-race", "99.99").await;
    let admin = std::sync::Arc::new(app.signed_in("admin@northwind.test").await);
    let token = admin.get(&format!("/partner/orders/{id}")).await.csrf();
    let mut tasks = Vec::new();
    for i in 0..24 {
        let (admin, token) = (admin.clone(), token.clone());
        // Half resend one form's key, half come from forms of their own.
        let key = if i % 2 == 0 {
            "same-form-key-1".to_string()
        } else {
            format!("own-key-{i:04}")
        };
        tasks.push(tokio::spawn(async move {
            admin
                .post_raw(
                    &format!("/partner/orders/{id}/pay"),
                    &[("csrf_token", &token), ("key", &key)],
                )
                .await
                .status
        }));
    }
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.unwrap());
    }
    assert!(
        statuses.iter().all(|s| *s == 303 || *s == 409),
        "{statuses:?}"
    );
    assert!(statuses.contains(&303));
    assert_eq!(cash_cents(&app, nw), before - 9_999, "paid once");
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) AS n FROM order_payments WHERE order_id = {id}"
        )),
        1
    );
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) AS n FROM outbox WHERE kind = 'order_paid_by_partner' \
             AND subject LIKE '%{id}%'"
        )),
        1,
        "one mail to the customer"
    );
    assert_ledger_verifies(&app);
}
