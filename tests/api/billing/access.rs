//! Who sees which bill (rules B2, C5, C10; SPEC §6 "Roles for money pages", "Attribution"): a
//! bill belongs to the partner and managers of its month, so a manager sees only the months
//! they managed, a former partner no month after the customer left, an advisory customer's
//! partner the totals without lines; only admins export; any other id is 404, never a 500.

use chrono::{Duration, Utc};

use super::{bill_of, csv, customer_with, import, issue, month, org_id, user_id};
use crate::support::{TestApp, spawn_app};

fn ids_on(body: &str) -> Vec<i64> {
    body.match_indices("href=\"/partner/bills/")
        .filter_map(|(at, m)| {
            let rest = &body[at + m.len()..];
            rest.split('"').next().and_then(|d| d.parse().ok())
        })
        .collect()
}

async fn listed(app: &TestApp, who: &str, customer: i64) -> Vec<i64> {
    let c = app.signed_in(who).await;
    let page = c
        .get(&format!("/partner/bills?q=&customer={customer}"))
        .await;
    assert_eq!(page.status, 200, "{who}");
    ids_on(&page.body)
}

#[tokio::test]
async fn a_manager_sees_only_the_months_they_managed_and_a_split_month_shows_both() {
    let app = spawn_app().await;
    let nw = org_id(&app, "Northwind Distribution");
    let (mgr1, mgr2) = (
        user_id(&app, "mgr1@northwind.test"),
        user_id(&app, "mgr2@northwind.test"),
    );
    let since = Utc::now() - Duration::days(700);
    let change = month(2).start();
    let id = customer_with(
        &app,
        "Manager Months Co",
        &[(nw, "resale", since, None)],
        &[(nw, mgr2, since, Some(change)), (nw, mgr1, change, None)],
    );
    let (m3, m2) = (month(3), month(2));
    import(
        &app,
        &csv(&[
            format!("mm-3,{id},cdn.gb,{m3},10,1"),
            format!("mm-2,{id},cdn.gb,{m2},20,1"),
        ]),
    );
    issue(&app, m3);
    issue(&app, m2);
    let (b3, b2) = (bill_of(&app, id, m3), bill_of(&app, id, m2));
    assert_eq!(listed(&app, "mgr1@northwind.test", id).await, vec![b2]);
    assert_eq!(listed(&app, "mgr2@northwind.test", id).await, vec![b3]);
    assert_eq!(listed(&app, "lead@northwind.test", id).await, vec![b2, b3]);
    assert_eq!(listed(&app, "admin@northwind.test", id).await, vec![b2, b3]);
    let mgr1c = app.signed_in("mgr1@northwind.test").await;
    assert_eq!(mgr1c.get(&format!("/partner/bills/{b2}")).await.status, 200);
    assert_eq!(mgr1c.get(&format!("/partner/bills/{b3}")).await.status, 404);

    // A change in the middle of a month splits its bill between both managers (C5).
    let mid = month(4).start() + Duration::days(10);
    let split = customer_with(
        &app,
        "Split Month Co",
        &[(nw, "resale", since, None)],
        &[(nw, mgr2, since, Some(mid)), (nw, mgr1, mid, None)],
    );
    let m4 = month(4);
    import(&app, &csv(&[format!("sp-4,{split},cdn.gb,{m4},300,1")]));
    issue(&app, m4);
    let bill = bill_of(&app, split, m4);
    for who in ["mgr1@northwind.test", "mgr2@northwind.test"] {
        assert_eq!(listed(&app, who, split).await, vec![bill], "{who}");
    }
    let page = mgr1c
        .get_with(
            &format!("/partner/bills/{bill}"),
            &[("Accept-Language", "en")],
        )
        .await;
    assert!(page.contains("id=\"bill-managers\""));
    assert!(page.contains("Mia Manager") && page.contains("Max Manager"));
    let shares = app.count(&format!(
        "SELECT count(*) AS n FROM bill_managers WHERE bill_id = {bill} AND charged > 0"
    ));
    assert_eq!(shares, 2);
    // Each share is charged on its own (B1): the shares and the cut-offs add up to the usage.
    assert_eq!(
        app.count(&format!(
            "SELECT (((SELECT sum(charged) FROM bill_managers WHERE bill_id = {bill}) \
                     + cut_off) * 100)::bigint AS n FROM bills WHERE id = {bill}"
        )),
        30_000
    );
    assert_eq!(
        app.count(&format!(
            "SELECT ((SELECT sum(charged) FROM bill_managers WHERE bill_id = {bill}) - amount)::bigint AS n \
             FROM bills WHERE id = {bill}"
        )),
        0
    );
}

#[tokio::test]
async fn a_former_partner_sees_no_bill_of_a_month_after_the_customer_left() {
    let app = spawn_app().await;
    let (nw, contoso) = (
        org_id(&app, "Northwind Distribution"),
        org_id(&app, "Contoso Solutions"),
    );
    let since = Utc::now() - Duration::days(700);
    let left = month(2).start();
    let id = customer_with(
        &app,
        "Moved Co",
        &[
            (contoso, "resale", since, Some(left)),
            (nw, "resale", left, None),
        ],
        &[],
    );
    let (m3, m2, m1) = (month(3), month(2), month(1));
    import(
        &app,
        &csv(&[
            format!("mv-3,{id},cdn.gb,{m3},1,1"),
            format!("mv-2,{id},cdn.gb,{m2},2,1"),
            format!("mv-1,{id},cdn.gb,{m1},3,1"),
        ]),
    );
    for m in [m3, m2, m1] {
        issue(&app, m);
    }
    let (b3, b2, b1) = (
        bill_of(&app, id, m3),
        bill_of(&app, id, m2),
        bill_of(&app, id, m1),
    );
    assert_eq!(listed(&app, "admin@contoso.test", id).await, vec![b3]);
    assert_eq!(listed(&app, "admin@northwind.test", id).await, vec![b1, b2]);
    let co = app.signed_in("admin@contoso.test").await;
    assert_eq!(co.get(&format!("/partner/bills/{b3}")).await.status, 200);
    for b in [b2, b1] {
        assert_eq!(co.get(&format!("/partner/bills/{b}")).await.status, 404);
    }
    let nwc = app.signed_in("admin@northwind.test").await;
    assert_eq!(nwc.get(&format!("/partner/bills/{b3}")).await.status, 404);
}

#[tokio::test]
async fn an_advisory_customers_partner_sees_totals_without_lines() {
    let app = spawn_app().await;
    let nw = org_id(&app, "Northwind Distribution");
    let since = Utc::now() - Duration::days(700);
    let advisory = customer_with(
        &app,
        "Advisory Bill Co",
        &[(nw, "advisory", since, None)],
        &[],
    );
    let resale = customer_with(&app, "Resale Bill Co", &[(nw, "resale", since, None)], &[]);
    let m = month(2);
    import(
        &app,
        &csv(&[
            format!("ad-1,{advisory},cdn.gb,{m},12.34567891,1"),
            format!("rs-1,{resale},cdn.gb,{m},12.34567891,1"),
        ]),
    );
    issue(&app, m);
    let admin = app.signed_in("admin@northwind.test").await;
    let page = admin
        .get(&format!("/partner/bills/{}", bill_of(&app, advisory, m)))
        .await;
    assert_eq!(page.status, 200);
    assert!(page.contains("id=\"totals-only\"") && !page.contains("id=\"bill-lines\""));
    assert!(page.contains("id=\"bill-total\""));
    let page = admin
        .get(&format!("/partner/bills/{}", bill_of(&app, resale, m)))
        .await;
    assert!(page.contains("id=\"bill-lines\"") && !page.contains("id=\"totals-only\""));
    assert!(page.contains("0.00567891"), "the line's cut-off");
}

#[tokio::test]
async fn only_admins_export_bills_with_masked_emails() {
    let app = spawn_app().await;
    let admin = app.signed_in("admin@northwind.test").await;
    let csv = admin.get("/partner/bills/export?q=").await;
    assert_eq!(csv.status, 200);
    assert!(
        csv.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    assert!(csv.contains("i***@acme.test") && !csv.contains("it@acme.test"));
    assert!(csv.body.lines().count() > 10);
    for who in ["lead@northwind.test", "mgr1@northwind.test"] {
        let c = app.signed_in(who).await;
        assert_eq!(c.get("/partner/bills/export?q=").await.status, 403, "{who}");
        assert_eq!(c.get("/partner/bills").await.status, 200, "{who} reads");
    }
}

#[tokio::test]
async fn customers_see_only_their_own_bills_and_bad_ids_are_not_found() {
    let app = spawn_app().await;
    let acme = app.id_of("SELECT id AS n FROM customers WHERE email = 'it@acme.test'");
    let globex = app.id_of("SELECT id AS n FROM customers WHERE email = 'cfo@globex.test'");
    let last = month(1);
    let (own, other) = (bill_of(&app, acme, last), bill_of(&app, globex, last));
    let it = app.signed_in("it@acme.test").await;
    let list = it.get("/fee-center/bills").await;
    assert_eq!(list.status, 200);
    assert!(list.contains(&format!("href=\"/fee-center/bills/{own}\"")));
    assert!(!list.contains(&format!("href=\"/fee-center/bills/{other}\"")));
    assert_eq!(
        it.get(&format!("/fee-center/bills/{own}")).await.status,
        200
    );
    assert_eq!(
        it.get(&format!("/fee-center/bills/{other}")).await.status,
        404
    );
    assert_eq!(it.get("/partner/bills").await.status, 403);
    let admin = app.signed_in("admin@northwind.test").await;
    assert_eq!(admin.get("/fee-center/bills").await.status, 403);
    let bluebird = app.signed_in("admin@bluebird.test").await;
    assert_eq!(
        bluebird.get(&format!("/partner/bills/{own}")).await.status,
        404
    );
    for path in [
        "/partner/bills/abc",
        "/partner/bills/99999999",
        "/partner/bills/-1",
        "/fee-center/bills/abc",
        "/fee-center/bills/99999999",
    ] {
        let c = if path.starts_with("/fee") {
            &it
        } else {
            &admin
        };
        assert_eq!(c.get(path).await.status, 404, "{path}");
    }
    for query in [
        "?month=2026-13&state=owing&customer=x&after=zz&size=100000&q=%00",
        "?month=&state=&customer=-5&after=-1&size=-1",
    ] {
        assert!(
            admin.get(&format!("/partner/bills{query}")).await.status < 500,
            "{query}"
        );
        assert!(
            it.get(&format!("/fee-center/bills{query}")).await.status < 500,
            "{query}"
        );
    }
    // SPEC §5: `q` matches the whole e-mail address, never a part of it.
    let whole = admin.get("/partner/bills?q=it%40acme.test").await;
    assert!(whole.contains(&format!("href=\"/partner/bills/{own}\"")));
    let part = admin.get("/partner/bills?q=acme.test").await;
    assert!(!part.contains(&format!("href=\"/partner/bills/{own}\"")));
}
