//! Invoicing in a real browser (rules B5–B7): a resale customer asks for a specified amount,
//! sees the match, submits; its partner issues the invoice; the customer sees it issued. The
//! same for an advisory customer, whose invoice the platform's operator issues. Every page
//! passes the accessibility and console checks.

use fantoccini::{Client, Locator};

use crate::support::browser::{self, Browser};
use crate::support::{TestApp, spawn_app};

async fn click(page: &Client, css: &str) {
    page.find(Locator::Css(css))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

async fn type_into(page: &Client, css: &str, text: &str) {
    let field = page.find(Locator::Css(css)).await.unwrap();
    field.clear().await.unwrap();
    field.send_keys(text).await.unwrap();
}

/// The customer asks for `amount` from its own issuer; returns the request's page path.
async fn request(b: &Browser, app: &TestApp, email: &str, amount: &str) -> (Client, String) {
    let c = b.session().await;
    browser::sign_in(&c, app, email).await;
    c.goto(&format!("{}/fee-center", app.address))
        .await
        .unwrap();
    click(&c, "nav a[href='/fee-center/invoices']").await;
    browser::wait_for_path_change(&c, "/fee-center").await;
    browser::check_page(&c).await;
    click(&c, "a[href='/fee-center/invoices/new']").await;
    browser::wait_for_path_change(&c, "/fee-center/invoices").await;
    browser::check_page(&c).await;
    type_into(&c, "#f-amount", amount).await;
    click(&c, "#show-match").await;
    browser::wait_for_path_change(&c, "/fee-center/invoices/new").await;
    assert_eq!(browser::path(&c).await, "/fee-center/invoices/preview");
    // rule B6: the match, shown before anything is sent.
    let matched = browser::text_of(&c, "#match tbody").await;
    assert!(matched.contains("Bill"), "{matched}");
    assert!(browser::text_of(&c, "#match-total").await.contains(amount));
    browser::check_page(&c).await;
    click(&c, "#submit-request").await;
    browser::wait_for_path_change(&c, "/fee-center/invoices/preview").await;
    let at = browser::path(&c).await;
    assert!(at.starts_with("/fee-center/invoices/"), "{at}");
    assert!(browser::text_of(&c, "main").await.contains("Pending"));
    browser::check_page(&c).await;
    (c, at)
}

/// The issuer opens the newest invoice of its list and issues it with `number`.
async fn issue(b: &Browser, app: &TestApp, email: &str, list: &str, number: &str) {
    let c = b.session().await;
    browser::sign_in(&c, app, email).await;
    c.goto(&format!("{}{list}", app.address)).await.unwrap();
    browser::check_page(&c).await;
    click(&c, "#invoice-list tbody tr:first-child a").await;
    browser::wait_for_path_change(&c, list).await;
    browser::check_page(&c).await;
    type_into(&c, "#f-number", number).await;
    let page = browser::path(&c).await;
    click(&c, "#issue-form button[type=submit]").await;
    browser::wait_for_text(&c, "#invoice-state", "Issued").await;
    assert_eq!(browser::path(&c).await, page);
    assert_eq!(browser::text_of(&c, "#invoice-number").await, number);
    browser::check_page(&c).await;
    c.close().await.unwrap();
}

async fn sees_issued(c: Client, app: &TestApp, at: &str, number: &str) {
    c.goto(&format!("{}{at}", app.address)).await.unwrap();
    let main = browser::text_of(&c, "main").await;
    assert!(main.contains("Issued") && main.contains(number), "{main}");
    assert!(
        c.find(Locator::Css("a[href^='/fee-center/invoices/files/']"))
            .await
            .is_ok()
    );
    browser::check_page(&c).await;
    c.close().await.unwrap();
}

#[tokio::test]
async fn a_resale_customer_asks_its_partner_for_an_amount_and_sees_it_issued() {
    let app = spawn_app().await;
    let b = Browser::start().await;
    let (customer, at) = request(&b, &app, "it@acme.test", "100.00").await;
    issue(
        &b,
        &app,
        "admin@northwind.test",
        "/partner/invoices",
        "NW-BROWSER-1",
    )
    .await;
    sees_issued(customer, &app, &at, "NW-BROWSER-1").await;
}

#[tokio::test]
async fn an_advisory_customer_asks_the_platform_and_an_operator_issues_it() {
    let app = spawn_app().await;
    let b = Browser::start().await;
    let (customer, at) = request(&b, &app, "cfo@globex.test", "80.00").await;
    issue(&b, &app, "ops@demo.test", "/ops/invoices", "PF-BROWSER-1").await;
    sees_issued(customer, &app, &at, "PF-BROWSER-1").await;
}
