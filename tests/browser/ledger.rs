//! The ledger pages in a real browser: an operator verifies the ledger and reads an account's
//! entries; a partner admin reads the organisation's balances and entries. Accessibility and
//! console checks on every page.

use fantoccini::{Client, Locator};

use crate::support::browser::{self, Browser};
use crate::support::{TestApp, spawn_app};

/// A fresh app and browser, signed in as `email` on `path`, whose heading is `h1`; the page
/// passes the accessibility and console checks. The browser lives as long as the result.
async fn open_as(email: &str, path: &str, h1: &str) -> (TestApp, Browser, Client) {
    let app = spawn_app().await;
    let b = Browser::start().await;
    let page = b.session().await;
    browser::sign_in(&page, &app, email).await;
    page.goto(&format!("{}{path}", app.address)).await.unwrap();
    assert_eq!(browser::text_of(&page, "h1").await, h1);
    browser::check_page(&page).await;
    (app, b, page)
}

/// Follows the first account link of the list on `from` and waits for the account's page.
async fn open_first_account(page: &Client, from: &str) {
    page.find(Locator::Css("table.data tbody a"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser::wait_for_path_change(page, from).await;
}

#[tokio::test]
async fn an_operator_verifies_the_ledger_and_opens_an_account() {
    let (app, _b, page) = open_as("ops@demo.test", "/ops/ledger", "Ledger").await;
    page.find(Locator::Css("form[action='/ops/ledger/verify'] button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let flash = page
        .wait()
        .for_element(Locator::Css(".flash-success"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(flash.starts_with("Verification passed"), "{flash}");
    browser::check_page(&page).await;
    page.goto(&format!(
        "{}/ops/ledger?q=Northwind&kind=partner_cash",
        app.address
    ))
    .await
    .unwrap();
    open_first_account(&page, "/ops/ledger").await;
    assert!(
        browser::path(&page)
            .await
            .starts_with("/ops/ledger/accounts/")
    );
    // SPEC §5: the opening cash stays the first (oldest, last listed) entry; the demo's later
    // movements come after it.
    browser::wait_for_text(
        &page,
        "table.ledger-entries tbody tr:last-child td.num",
        "+100,000.00",
    )
    .await;
    browser::check_page(&page).await;
    page.close().await.unwrap();
}

#[tokio::test]
async fn a_partner_admin_reads_balances_and_entries() {
    let (_app, _b, page) = open_as("admin@northwind.test", "/partner/account", "Account").await;
    open_first_account(&page, "/partner/account").await;
    browser::wait_for_text(&page, "h1", "Cash balance: entries").await;
    browser::check_page(&page).await;
    page.close().await.unwrap();
}
