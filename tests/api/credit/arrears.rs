//! The customer list's "in arrears" filter (seed 001: 客户管理 › 可用额度 › 欠费): customers with a
//! debt open past its due day, within the member's scope; a debt not yet due is not arrears.

use crate::credit::*;
use crate::support::spawn_app;

fn rows(body: &str) -> String {
    let start = body.find("id=\"customer-list\"").expect("the list");
    body[start..].to_string()
}

#[tokio::test]
async fn the_arrears_filter_lists_customers_past_due_and_not_those_not_yet_due() {
    let app = spawn_app().await;
    let (acme, beacon) = (customer(&app, "Acme Corp"), customer(&app, "Beacon Health"));
    for c in [acme, beacon] {
        set_limit(&app, c, "1000.00");
    }
    let overdue = use_credit(&app, acme, "120.00", 70);
    due_in(&app, overdue, -5);
    let not_yet = use_credit(&app, beacon, "80.00", 2);
    due_in(&app, not_yet, 5);
    let admin = app.signed_in("admin@northwind.test").await;
    let page = admin.get("/partner/customers?credit=arrears").await;
    assert_eq!(page.status, 200);
    let list = rows(&page.body);
    assert!(list.contains("Acme Corp"), "past due");
    assert!(list.contains("Xenon Labs"), "the demo customer in arrears");
    assert!(
        !list.contains("Beacon Health"),
        "not yet due is not arrears"
    );
    assert!(!list.contains("Cedar Logistics"), "no debt at all");
    assert!(page.contains("<option value=\"arrears\" selected>"));
    let export = &page.body[page
        .body
        .find("/partner/customers/export?")
        .expect("export")..];
    assert!(
        export
            .split('"')
            .next()
            .unwrap()
            .ends_with("credit=arrears"),
        "the export keeps the filter"
    );
    // Other filters and the scope still apply: mgr1 holds Acme, Xenon Labs is unassigned.
    let page = admin
        .get("/partner/customers?credit=arrears&type=advisory")
        .await;
    assert!(!rows(&page.body).contains("Acme Corp"));
    let mgr1 = app.signed_in("mgr1@northwind.test").await;
    let list = rows(&mgr1.get("/partner/customers?credit=arrears").await.body);
    assert!(list.contains("Acme Corp") && !list.contains("Xenon Labs"));
    // Another partner's customers are never in Northwind's list, nor Northwind's in theirs.
    let contoso = app.signed_in("admin@contoso.test").await;
    let list = rows(&contoso.get("/partner/customers?credit=arrears").await.body);
    assert!(!list.contains("Acme Corp") && !list.contains("Xenon Labs"));
    // Once repaid, the customer leaves the filter.
    app.count(&format!(
        "WITH u AS (UPDATE debts SET repaid = amount, settled_at = now() WHERE id = {overdue} \
         RETURNING 1) SELECT count(*) AS n FROM u"
    ));
    let list = rows(&admin.get("/partner/customers?credit=arrears").await.body);
    assert!(!list.contains("Acme Corp") && list.contains("Xenon Labs"));
    // A malformed value is no filter.
    let list = rows(&admin.get("/partner/customers?credit=bogus").await.body);
    assert!(list.contains("Beacon Health"));
}
