//! A partner invites a customer, the customer registers from the mailed link in a fresh
//! browser, lands in the fee center, and the partner sees the invitation accepted and the new
//! customer in its customer list.

use fantoccini::{Client, Locator};

use crate::support::browser::{self, Browser};
use crate::support::spawn_app;

async fn fill(page: &Client, css: &str, text: &str) {
    page.find(Locator::Css(css))
        .await
        .unwrap()
        .send_keys(text)
        .await
        .unwrap();
}

async fn click(page: &Client, css: &str) {
    page.find(Locator::Css(css))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

/// Waits for an element, tolerating the moments while a navigation is under way.
async fn wait_css(page: &Client, css: &str) {
    for _ in 0..200 {
        if page.find(Locator::Css(css)).await.is_ok() {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("{css} did not appear");
}

#[tokio::test]
async fn partner_invites_and_the_customer_registers_from_the_mailed_link() {
    let app = spawn_app().await;
    let b = Browser::start().await;

    let partner = b.session().await;
    browser::sign_in(&partner, &app, "admin@northwind.test").await;
    partner
        .goto(&format!("{}/partner/invitations/new", app.address))
        .await
        .unwrap();
    browser::check_page(&partner).await;
    fill(&partner, "#f-email", "browser@example.test").await;
    fill(&partner, "#f-company", "Browser Co").await;
    click(&partner, "input[name=association_type][value=advisory]").await;
    click(
        &partner,
        "button[formaction='/partner/invitations/preview']",
    )
    .await;
    wait_css(&partner, ".mail-preview").await;
    browser::check_page(&partner).await;
    click(
        &partner,
        "form[action='/partner/invitations'] button.primary",
    )
    .await;
    browser::wait_for_path_change(&partner, "/partner/invitations/preview").await;
    assert_eq!(browser::path(&partner).await, "/partner/invitations");
    // The link goes only to the invitee's mail (rule C1); the sender sees that it was sent.
    wait_css(&partner, ".flash-success").await;
    browser::check_page(&partner).await;

    let mail = app.mail.wait_for_to("browser@example.test", 5).await;
    let start = mail.text.find("/invitations/").unwrap();
    let rest = &mail.text[start..];
    let path = &rest[..rest.find(char::is_whitespace).unwrap_or(rest.len())];

    let customer = b.session().await;
    customer
        .goto(&format!("{}{path}", app.address))
        .await
        .unwrap();
    assert_eq!(
        browser::text_of(&customer, ".partner-name").await,
        "Northwind Distribution"
    );
    browser::check_page(&customer).await;
    fill(&customer, "#f-company", "Browser Co").await;
    fill(&customer, "#f-contact_name", "Bea Browser").await;
    fill(&customer, "#f-phone", "13812341234").await;
    fill(&customer, "#f-password", "Browser-Pass-2026").await;
    click(&customer, "#f-accept_terms").await;
    click(&customer, "form button.primary").await;
    browser::wait_for_path_change(&customer, path).await;
    assert_eq!(browser::path(&customer).await, "/fee-center");
    let body = browser::text_of(&customer, "main").await;
    assert!(body.contains("Northwind Distribution"), "{body}");
    browser::check_page(&customer).await;

    partner
        .goto(&format!(
            "{}/partner/invitations?state=accepted&q=browser%40example.test",
            app.address
        ))
        .await
        .unwrap();
    let list = browser::text_of(&partner, "table.data tbody").await;
    assert!(
        list.contains("b***@example.test") && list.contains("Accepted"),
        "{list}"
    );
    browser::check_page(&partner).await;
    // The new customer is in the partner's customer list, found by its company name.
    partner
        .goto(&format!("{}/partner/customers?q=Browser%20Co", app.address))
        .await
        .unwrap();
    let customers = browser::text_of(&partner, "#customer-list tbody").await;
    assert!(
        customers.contains("Browser Co") && !customers.contains("Acme Corp"),
        "{customers}"
    );
    browser::check_page(&partner).await;
    assert_eq!(
        app.count(
            "SELECT count(*) AS n FROM customers c JOIN organizations o ON o.id = c.partner_id
             WHERE c.email = 'browser@example.test' AND o.name = 'Northwind Distribution'
               AND c.association_type = 'advisory'"
        ),
        1
    );
    partner.close().await.unwrap();
    customer.close().await.unwrap();
}
