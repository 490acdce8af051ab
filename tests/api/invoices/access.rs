//! Who sees which invoices (SPEC §6 "Roles for money pages", rule B7): a partner's admins
//! process its resale customers' invoices; supervisors and managers read those of the
//! customers they see and get 403 on every step; another partner's invoice is 404; customers
//! and partners cannot open each other's pages.

use super::{first_invoice, january_bill, request_amount, setup, signed_in};

#[tokio::test]
async fn a_manager_sees_only_their_customers_requests_and_another_partner_gets_not_found() {
    let s = setup(false).await;
    january_bill(&s, "300.00");
    let invoice = first_invoice(
        &s.app,
        request_amount(&s.client, s.title, "100.00", "electronic").await,
    );
    let page = format!("/partner/invoices/{invoice}");
    let link = format!("href=\"{page}\"");
    // mgr1 manages the customer: reads, 403 on steps.
    let mgr1 = signed_in(&s.app, "mgr1@northwind.test").await;
    let list = mgr1.get("/partner/invoices").await;
    assert!(
        list.contains(&link) && list.contains("id=\"read-only\""),
        "{}",
        list.body
    );
    let detail = mgr1.get(&page).await;
    assert_eq!(detail.status, 200);
    assert!(!detail.contains("id=\"issue-form\"") && !detail.contains("id=\"reject-form\""));
    let token = detail.csrf();
    let reject = mgr1
        .post_raw(
            &format!("{page}/reject"),
            &[("csrf_token", &token), ("reason", "no")],
        )
        .await;
    assert_eq!(reject.status, 403);
    // mgr2 does not: neither in the list nor by id.
    let mgr2 = signed_in(&s.app, "mgr2@northwind.test").await;
    assert!(!mgr2.get("/partner/invoices").await.contains(&link));
    assert_eq!(mgr2.get(&page).await.status, 404);
    let token = mgr2.get("/partner/invoices").await.csrf();
    let post = mgr2
        .post_raw(
            &format!("{page}/reject"),
            &[("csrf_token", &token), ("reason", "no")],
        )
        .await;
    assert_eq!(post.status, 404);
    // The supervisor of mgr1 reads it and may not act either.
    let lead = signed_in(&s.app, "lead@northwind.test").await;
    assert_eq!(lead.get(&page).await.status, 200);
    let token = lead.get(&page).await.csrf();
    let post = lead
        .post_raw(
            &format!("{page}/mail"),
            &[("csrf_token", &token), ("tracking_number", "X1")],
        )
        .await;
    assert_eq!(post.status, 403);
    // Another partner, and the operators (a partner's invoice), get 404.
    for email in ["admin@bluebird.test", "admin@contoso.test"] {
        let other = signed_in(&s.app, email).await;
        assert!(!other.get("/partner/invoices").await.contains(&link));
        assert_eq!(other.get(&page).await.status, 404, "{email}");
        assert_eq!(
            other.get(&format!("{page}/file")).await.status,
            404,
            "{email}"
        );
    }
    let ops = signed_in(&s.app, "ops@demo.test").await;
    assert_eq!(
        ops.get(&format!("/ops/invoices/{invoice}")).await.status,
        404
    );
    // Customers open no partner or operator page; partners no fee-center page.
    assert_eq!(s.client.get("/partner/invoices").await.status, 403);
    assert_eq!(s.client.get("/ops/invoices").await.status, 403);
    assert_eq!(mgr1.get("/fee-center/invoices").await.status, 403);
    assert_eq!(mgr1.get("/partner/invoices/abc").await.status, 404);
    // The dashboard's pending actions count the same invoices.
    let waiting = |email: &str| {
        let caller = crate::coupons::member(&s.app, email);
        partner_center::services::invoices::lists::waiting(&mut s.app.conn(), &caller).unwrap()
    };
    let pending = s.app.count(&format!(
        "SELECT count(*) AS n FROM invoices WHERE state = 'pending' AND issuer_org_id = {}",
        super::org(&s.app, "Northwind Distribution")
    ));
    assert_eq!(waiting("admin@northwind.test"), pending);
    for manager in ["mgr1@northwind.test", "mgr2@northwind.test"] {
        let theirs = s.app.count(&format!(
            "SELECT count(*) AS n FROM invoices i JOIN customers c ON c.id = i.customer_id
             WHERE i.state = 'pending' AND i.issuer_org_id = c.partner_id
               AND c.manager_id = {}",
            super::user(&s.app, manager)
        ));
        assert_eq!(waiting(manager), theirs, "{manager}");
    }
    // The admin still acts: nothing above changed the invoice.
    let admin = signed_in(&s.app, "admin@northwind.test").await;
    assert!(admin.get(&page).await.contains("id=\"issue-form\""));
}

#[tokio::test]
async fn lists_filter_by_state_and_text_and_page_by_keyset() {
    let s = setup(false).await;
    january_bill(&s, "300.00");
    for _ in 0..3 {
        request_amount(&s.client, s.title, "10.00", "electronic").await;
    }
    let admin = signed_in(&s.app, "admin@northwind.test").await;
    let mine = "Co buyer@invoice.test";
    let q = admin
        .get("/partner/invoices?q=buyer%40invoice.test&state=pending&size=20")
        .await;
    assert_eq!(q.body.matches(mine).count(), 3, "{}", q.body);
    let part = admin.get("/partner/invoices?q=Co%20buyer&size=2").await;
    assert_eq!(part.body.matches(mine).count(), 2);
    let href = part.next_link().expect("a next link");
    assert!(
        href.contains("q=Co%20buyer") && href.contains("after="),
        "{href}"
    );
    assert_eq!(admin.get(&href).await.body.matches(mine).count(), 1);
    let issued = admin
        .get("/partner/invoices?state=issued&q=Co%20buyer")
        .await;
    assert_eq!(issued.body.matches(mine).count(), 0);
    let junk = admin
        .get("/partner/invoices?state=bogus&size=abc&after=-1")
        .await;
    assert_eq!(junk.status, 200);
}
