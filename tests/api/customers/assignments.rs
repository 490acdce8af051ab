//! Assignment to customer managers (rule C5): history rows with from/to, scoped to the
//! supervisor's team, and `manager_at` for attributing performance.

use chrono::Utc;
use partner_center::services::customers::assignments::manager_at;

use crate::customers::common::{assign, audit_count, customer_id, outside_manager, user_id};
use crate::support::spawn_app;

#[tokio::test]
async fn a_supervisor_reassigns_in_bulk_and_the_history_records_who_held_the_customer() {
    let app = spawn_app().await;
    let (mgr1, mgr2) = (
        user_id(&app, "mgr1@northwind.test"),
        user_id(&app, "mgr2@northwind.test"),
    );
    let acme = customer_id(&app, "Acme Corp");
    let unassigned = app.id_of(
        "SELECT min(c.id) AS n FROM customers c JOIN organizations o ON o.id = c.partner_id \
         WHERE o.name = 'Northwind Distribution' AND c.manager_id IS NULL",
    );
    let before = Utc::now();
    assert_eq!(
        manager_at(&mut app.conn(), acme, before).unwrap(),
        Some(mgr1)
    );
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;

    let lead = app.signed_in("lead@northwind.test").await;
    let page = lead.get("/partner/assignments").await;
    assert_eq!(page.status, 200);
    let (a, u, m2) = (acme.to_string(), unassigned.to_string(), mgr2.to_string());
    let batch = [
        ("customer_id", &*a),
        ("customer_id", &*u),
        ("manager_id", &*m2),
    ];
    let res = assign(&lead, &batch).await;
    assert_eq!(res.status, 303);
    let after = Utc::now();
    assert_eq!(
        manager_at(&mut app.conn(), acme, before).unwrap(),
        Some(mgr1)
    );
    assert_eq!(
        manager_at(&mut app.conn(), acme, after).unwrap(),
        Some(mgr2)
    );
    assert_eq!(
        manager_at(&mut app.conn(), unassigned, before).unwrap(),
        None
    );
    assert_eq!(
        manager_at(&mut app.conn(), unassigned, after).unwrap(),
        Some(mgr2)
    );
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) AS n FROM manager_assignments WHERE customer_id = {acme} AND manager_id = {mgr1} AND to_at IS NOT NULL"
        )),
        1
    );
    assert_eq!(audit_count(&app, "customer.assigned"), 2);
    // The same submit again changes nothing.
    let res = assign(&lead, &batch).await;
    assert_eq!(res.status, 303);
    assert_eq!(audit_count(&app, "customer.assigned"), 2);
    let detail = lead.get(&format!("/partner/customers/{acme}")).await;
    assert!(
        detail.contains("Max Manager") && detail.contains("Mia Manager"),
        "manager history"
    );

    // Releasing closes the open row and opens none.
    let res = assign(&lead, &[("customer_id", &u), ("manager_id", "")]).await;
    assert_eq!(res.status, 303);
    assert_eq!(
        manager_at(&mut app.conn(), unassigned, Utc::now()).unwrap(),
        None
    );
}

#[tokio::test]
async fn a_supervisor_cannot_assign_outside_its_team() {
    let app = spawn_app().await;
    let solo = outside_manager(&app);
    let acme = customer_id(&app, "Acme Corp").to_string();
    let lead = app.signed_in("lead@northwind.test").await;
    assert!(!lead.get("/partner/assignments").await.contains("Sam Solo"));
    let res = assign(
        &lead,
        &[("customer_id", &acme), ("manager_id", &solo.to_string())],
    )
    .await;
    assert_eq!(res.status, 404);
    // Contoso's customer is not Northwind's to assign, even mixed into a batch.
    let contoso_customer = app.id_of(
        "SELECT min(c.id) AS n FROM customers c JOIN organizations o ON o.id = c.partner_id WHERE o.name = 'Contoso Solutions'",
    );
    let mgr2 = user_id(&app, "mgr2@northwind.test").to_string();
    let res = assign(
        &lead,
        &[
            ("customer_id", &acme),
            ("customer_id", &contoso_customer.to_string()),
            ("manager_id", &mgr2),
        ],
    )
    .await;
    assert_eq!(res.status, 404);
    assert_eq!(audit_count(&app, "customer.assigned"), 0);
    // The admin may use any manager of the organisation.
    let admin = app.signed_in("admin@northwind.test").await;
    let res = assign(
        &admin,
        &[("customer_id", &acme), ("manager_id", &solo.to_string())],
    )
    .await;
    assert_eq!(res.status, 303);
    assert_eq!(audit_count(&app, "customer.assigned"), 1);
}
