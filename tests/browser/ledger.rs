//! The ledger pages in a real browser: an operator verifies the ledger and reads an account's
//! entries; a partner admin reads the organisation's balances and entries. Accessibility and
//! console checks on every page.

use fantoccini::Locator;

use crate::support::browser::{self, Browser};
use crate::support::spawn_app;

#[tokio::test]
async fn an_operator_verifies_the_ledger_and_opens_an_account() {
    let app = spawn_app().await;
    let b = Browser::start().await;
    let page = b.session().await;
    browser::sign_in(&page, &app, "ops@demo.test").await;
    page.goto(&format!("{}/ops/ledger", app.address))
        .await
        .unwrap();
    assert_eq!(browser::text_of(&page, "h1").await, "Ledger");
    browser::check_page(&page).await;
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
    page.find(Locator::Css("table.data tbody a"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser::wait_for_path_change(&page, "/ops/ledger").await;
    assert!(
        browser::path(&page)
            .await
            .starts_with("/ops/ledger/accounts/")
    );
    browser::wait_for_text(&page, "table.ledger-entries tbody td.num", "+100,000.00").await;
    browser::check_page(&page).await;
}

#[tokio::test]
async fn a_partner_admin_reads_balances_and_entries() {
    let app = spawn_app().await;
    let b = Browser::start().await;
    let page = b.session().await;
    browser::sign_in(&page, &app, "admin@northwind.test").await;
    page.goto(&format!("{}/partner/account", app.address))
        .await
        .unwrap();
    assert_eq!(browser::text_of(&page, "h1").await, "Account");
    browser::check_page(&page).await;
    page.find(Locator::Css("table.data tbody a"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser::wait_for_path_change(&page, "/partner/account").await;
    browser::wait_for_text(&page, "h1", "Cash balance: entries").await;
    browser::check_page(&page).await;
}
