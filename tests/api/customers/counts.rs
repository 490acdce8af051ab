//! The dashboard's customer count is kept as customers change (SPEC §5: a page's cost does not
//! grow with the partner's book) and always equals what the member's customer list holds
//! (rule C4 scope), for every role and after every kind of change.

use crate::customers::common::{customer_id, outside_manager, user_id};
use crate::support::{TestApp, spawn_app};

/// The customer count tile of `/partner`, as shown.
async fn shown_count(c: &crate::support::Client) -> i64 {
    let page = c.get("/partner").await;
    assert_eq!(page.status, 200);
    let at = page
        .body
        .find("href=\"/partner/customers\"><span class=\"tile-label\">")
        .expect("customer tile");
    let value = &page.body[at..];
    let start = value.find("tile-value\">").unwrap() + "tile-value\">".len();
    let end = start + value[start..].find('<').unwrap();
    value[start..end].trim().parse().expect("a number")
}

/// Every (partner, manager) count kept equals a fresh count of the customers table.
fn assert_counts_match(app: &TestApp) {
    let wrong = app.count(
        "SELECT count(*) AS n FROM (
           SELECT COALESCE(partner_id, 0) AS p, COALESCE(manager_id, 0) AS m, count(*) AS c
           FROM customers GROUP BY 1, 2) fresh
         FULL JOIN (SELECT partner_id AS p, manager_id AS m, customers AS c
                    FROM customer_counts WHERE customers <> 0) kept USING (p, m)
         WHERE fresh.c IS DISTINCT FROM kept.c",
    );
    assert_eq!(wrong, 0, "customer_counts differs from a recount");
}

/// The number of rows the member's list shows over all its pages.
async fn listed(c: &crate::support::Client) -> i64 {
    let page = c.get("/partner/customers?size=100").await;
    assert_eq!(page.status, 200);
    page.body
        .matches("<td><a href=\"/partner/customers/")
        .count() as i64
}

#[tokio::test]
async fn the_dashboard_count_is_each_roles_list_and_follows_every_change() {
    let app = spawn_app().await;
    assert_counts_match(&app);
    let people = [
        "admin@northwind.test",
        "lead@northwind.test",
        "mgr1@northwind.test",
    ];
    let mut clients = Vec::new();
    for who in people {
        clients.push(app.signed_in(who).await);
    }
    for (who, c) in people.iter().zip(&clients) {
        let listed = listed(c).await;
        assert!(listed > 0, "{who} sees customers");
        assert_eq!(shown_count(c).await, listed, "{who}");
    }

    // New customers, one assigned to mgr1 and one unassigned, in one statement.
    let nw = app.id_of("SELECT id AS n FROM organizations WHERE name = 'Northwind Distribution'");
    let mgr1 = user_id(&app, "mgr1@northwind.test");
    app.count(&format!(
        "WITH n AS (INSERT INTO customers (company, contact_name, email, phone, verification,
                        signing_entity, partner_id, association_type, associated_at, manager_id)
           VALUES ('Count One', 'A', 'count1@x.test', '1', 'verified', 'E', {nw}, 'resale', now(), {mgr1}),
                  ('Count Two', 'B', 'count2@x.test', '2', 'verified', 'E', {nw}, 'resale', now(), NULL)
           RETURNING id) SELECT count(*) AS n FROM n"
    ));
    assert_counts_match(&app);
    // A move to a manager outside the lead's team, an edit that moves nothing, and an
    // unassociation.
    let solo = outside_manager(&app);
    let one = customer_id(&app, "Count One");
    let two = customer_id(&app, "Count Two");
    app.count(&format!(
        "WITH u AS (UPDATE customers SET manager_id = {solo} WHERE id = {one} RETURNING id) SELECT count(*) AS n FROM u"
    ));
    app.count(&format!(
        "WITH u AS (UPDATE customers SET contact_name = 'Renamed' WHERE partner_id = {nw} RETURNING id) SELECT count(*) AS n FROM u"
    ));
    app.count(&format!(
        "WITH u AS (UPDATE customers SET partner_id = NULL, association_type = NULL, manager_id = NULL WHERE id = {two} RETURNING id) SELECT count(*) AS n FROM u"
    ));
    assert_counts_match(&app);
    for (who, c) in people.iter().zip(&clients) {
        assert_eq!(
            shown_count(c).await,
            listed(c).await,
            "{who} after the changes"
        );
    }
    let solo_client = {
        app.count(&format!(
            "WITH u AS (UPDATE users SET password_hash = (SELECT password_hash FROM users WHERE id = {mgr1}) WHERE id = {solo} RETURNING id) SELECT count(*) AS n FROM u"
        ));
        app.signed_in("solo@northwind.test").await
    };
    assert_eq!(shown_count(&solo_client).await, 1);
    assert_eq!(listed(&solo_client).await, 1);
}
