//! A customer that moved between partners (rules C5, R4): each partner's customer page shows
//! only its own part of the history — its top-ups and their remarks, its associations and
//! managers, the bills of the months it held the customer.

use diesel::connection::SimpleConnection;

use crate::customers::common::customer_id;
use crate::support::{Client, TestApp, spawn_app};

fn org_id(app: &TestApp, name: &str) -> i64 {
    app.id_of(&format!(
        "SELECT id AS n FROM organizations WHERE name = '{name}'"
    ))
}

/// Ends the customer's association and associates it with `partner` (as an unassociation
/// followed by an accepted invitation would).
fn move_to(app: &TestApp, customer: i64, partner: i64) {
    app.conn()
        .batch_execute(&format!(
            "UPDATE associations SET ended_at = now(), end_reason = 'unassociated' \
               WHERE customer_id = {customer} AND ended_at IS NULL;
             UPDATE manager_assignments SET to_at = now() \
               WHERE customer_id = {customer} AND to_at IS NULL;
             UPDATE customers SET partner_id = {partner}, association_type = 'resale', \
               associated_at = now(), manager_id = NULL WHERE id = {customer};
             INSERT INTO associations (customer_id, partner_id, association_type, started_at) \
               VALUES ({customer}, {partner}, 'resale', now());"
        ))
        .unwrap();
}

async fn top_up(c: &Client, customer: i64, amount: &str, remark: &str) {
    let form = format!("/partner/customers/{customer}/top-up");
    let page = c.get(&form).await;
    let marker = "name=\"key\" value=\"";
    let start = page.body.find(marker).expect("key field") + marker.len();
    let key = page.body[start..].split('"').next().unwrap().to_string();
    let res = c
        .submit(
            &form,
            &form,
            &[("amount", amount), ("remark", remark), ("key", &key)],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
}

/// A bill of `months_ago` months before this billing month (China Standard Time).
fn bill(app: &TestApp, customer: i64, months_ago: i32, amount: &str) {
    app.conn()
        .batch_execute(&format!(
            "INSERT INTO bills (customer_id, period, amount) VALUES ({customer}, \
             (date_trunc('month', now() AT TIME ZONE 'Asia/Shanghai') \
              - interval '{months_ago} months')::date, {amount})"
        ))
        .unwrap();
}

#[tokio::test]
async fn after_a_move_each_partner_sees_only_its_own_top_ups_and_bills() {
    let app = spawn_app().await;
    let acme = customer_id(&app, "Acme Corp");
    let (northwind, contoso) = (
        org_id(&app, "Northwind Distribution"),
        org_id(&app, "Contoso Solutions"),
    );
    let page = format!("/partner/customers/{acme}");
    let nw = app.signed_in("admin@northwind.test").await;
    top_up(&nw, acme, "321.09", "Northwind goodwill, renewal at risk").await;
    bill(&app, acme, 2, "111.11");

    move_to(&app, acme, contoso);
    bill(&app, acme, 0, "222.22");
    let co = app.signed_in("admin@contoso.test").await;
    top_up(&co, acme, "654.03", "Contoso welcome credit").await;
    let seen = co.get(&page).await;
    assert_eq!(seen.status, 200);
    assert!(seen.contains("Contoso welcome credit") && seen.contains("654.03"));
    assert!(
        !seen.contains("Northwind goodwill"),
        "the former partner's remark"
    );
    assert!(!seen.contains("321.09"), "the former partner's top-up");
    assert!(
        seen.contains("222.22"),
        "this month's bill, Contoso's month"
    );
    assert!(!seen.contains("111.11"), "a bill of Northwind's months");
    assert!(!seen.contains("1,234.56") && !seen.contains("1234.56"));
    // The old partner no longer reaches the customer at all.
    assert_eq!(nw.get(&page).await.status, 404);

    // Back to Northwind: it sees its own past again, not Contoso's top-up.
    move_to(&app, acme, northwind);
    let seen = nw.get(&page).await;
    assert_eq!(seen.status, 200);
    assert!(seen.contains("Northwind goodwill") && seen.contains("321.09"));
    assert!(!seen.contains("Contoso welcome credit") && !seen.contains("654.03"));
    assert!(seen.contains("111.11"), "a bill of Northwind's months");
    assert!(seen.contains("222.22"), "the month both held it");
    assert_eq!(co.get(&page).await.status, 404);
    // Association history stays each partner's own.
    let ended = app.count(&format!(
        "SELECT count(*) AS n FROM associations WHERE customer_id = {acme} AND partner_id = {contoso}"
    ));
    assert_eq!(ended, 1);
    assert!(!seen.contains("Contoso"), "no trace of the other partner");
}
