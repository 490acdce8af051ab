//! A supervisor's day with customers in a real browser: filter the list, open a customer,
//! reveal the phone with the eye button, hand the customer to another manager.

use std::time::Duration;

use fantoccini::{Client, Locator};

use crate::support::browser::{self, Browser};
use crate::support::spawn_app;

/// Clicks the element; the test fails when it is not there.
async fn click(page: &Client, at: Locator<'_>) {
    page.find(at).await.unwrap().click().await.unwrap();
}

async fn list_text(page: &Client, app: &crate::support::TestApp) -> String {
    page.goto(&format!("{}/partner/customers?size=100", app.address))
        .await
        .unwrap();
    browser::text_of(page, "#customer-list").await
}

#[tokio::test]
async fn a_supervisor_filters_reveals_a_phone_and_reassigns_a_customer() {
    let app = spawn_app().await;
    let b = Browser::start().await;
    let page = b.session().await;
    browser::sign_in(&page, &app, "lead@northwind.test").await;
    page.goto(&format!("{}/partner/customers", app.address))
        .await
        .unwrap();
    browser::check_page(&page).await;

    page.find(Locator::Css("#f-q"))
        .await
        .unwrap()
        .send_keys("Acme")
        .await
        .unwrap();
    click(&page, Locator::Css("form.filters button[type=submit]")).await;
    for _ in 0..100 {
        if page
            .current_url()
            .await
            .unwrap()
            .query()
            .unwrap_or("")
            .contains("q=Acme")
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let table = browser::text_of(&page, "#customer-list").await;
    assert!(
        table.contains("Acme Corp") && !table.contains("Globex Ltd"),
        "{table}"
    );
    assert!(table.contains("138****1234") && !table.contains("13812341234"));
    browser::check_page(&page).await;

    click(&page, Locator::LinkText("Acme Corp")).await;
    browser::wait_for_path_change(&page, "/partner/customers").await;
    browser::wait_for_text(&page, "h1", "Acme Corp").await;
    browser::check_page(&page).await;

    // The eye reveals in place (script, JSON) and the reveal is audited.
    click(
        &page,
        Locator::Css(".masked[data-field='phone'] button.eye"),
    )
    .await;
    browser::wait_for_text(
        &page,
        ".masked[data-field='phone'] .masked-value",
        "13812341234",
    )
    .await;
    assert_eq!(
        app.count("SELECT count(*) AS n FROM audit_log WHERE action = 'customer.reveal'"),
        1
    );

    let detail = browser::path(&page).await;
    page.find(Locator::Css("#f-manager_id"))
        .await
        .unwrap()
        .select_by_label("Max Manager")
        .await
        .unwrap();
    click(&page, Locator::Css("#assign-form button[type=submit]")).await;
    browser::wait_for_text(&page, "#current-manager", "Max Manager").await;
    assert_eq!(browser::path(&page).await, detail);
    browser::check_page(&page).await;
    page.close().await.unwrap();

    let mgr2 = b.session().await;
    browser::sign_in(&mgr2, &app, "mgr2@northwind.test").await;
    assert!(list_text(&mgr2, &app).await.contains("Acme Corp"));
    browser::check_page(&mgr2).await;
    mgr2.close().await.unwrap();

    let mgr1 = b.session().await;
    browser::sign_in(&mgr1, &app, "mgr1@northwind.test").await;
    assert!(!list_text(&mgr1, &app).await.contains("Acme Corp"));
    mgr1.close().await.unwrap();
}
