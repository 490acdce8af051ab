//! Credit and withdrawals in a real browser (SPEC §6 "Settlement", rule P4): a partner's admin
//! sets a customer's credit limit and requests a withdrawal, the operator rejects it, the
//! customer reads its balance and credit page; every page passes the accessibility checks.

use fantoccini::{Client, Locator};

use crate::support::browser::{self, Browser};
use crate::support::spawn_app;

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

#[tokio::test]
async fn a_limit_a_withdrawal_and_its_rejection_and_the_customers_money_page() {
    let app = spawn_app().await;
    let acme = app.id_of("SELECT id AS n FROM customers WHERE company = 'Acme Corp'");
    let b = Browser::start().await;
    let admin = b.session().await;
    browser::sign_in(&admin, &app, "admin@northwind.test").await;
    let form = format!("/partner/customers/{acme}/credit-limit");
    admin.goto(&format!("{}{form}", app.address)).await.unwrap();
    browser::check_page(&admin).await;
    type_into(&admin, "#f-credit_limit", "2000").await;
    click(&admin, "form[action$='/credit-limit'] button[type=submit]").await;
    browser::wait_for_path_change(&admin, &form).await;
    assert!(
        browser::text_of(&admin, "#credit-limit")
            .await
            .ends_with("2,000.00")
    );
    browser::check_page(&admin).await;

    admin
        .goto(&format!("{}/partner/account", app.address))
        .await
        .unwrap();
    browser::check_page(&admin).await;
    type_into(&admin, "#f-amount", "321.00").await;
    click(&admin, "#withdraw-form button[type=submit]").await;
    let id = loop {
        let id = app.id_of("SELECT COALESCE(max(id), 0) AS n FROM withdrawals WHERE amount = 321");
        if id > 0 {
            break id;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    let ops = b.session().await;
    browser::sign_in(&ops, &app, "ops@demo.test").await;
    ops.goto(&format!("{}/ops/withdrawals", app.address))
        .await
        .unwrap();
    browser::check_page(&ops).await;
    let one = format!("/ops/withdrawals/{id}");
    ops.goto(&format!("{}{one}", app.address)).await.unwrap();
    browser::check_page(&ops).await;
    type_into(&ops, "#f-reason", "Bank account not verified").await;
    click(&ops, "form[action$='/reject'] button[type=submit]").await;
    browser::wait_for_path_change(&ops, &one).await;
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) AS n FROM withdrawals WHERE id = {id} AND state = 'rejected'"
        )),
        1
    );

    let customer = b.session().await;
    browser::sign_in(&customer, &app, "it@acme.test").await;
    click(&customer, "a.tile[href='/fee-center/account']").await;
    browser::wait_for_path_change(&customer, "/fee-center").await;
    assert!(
        browser::text_of(&customer, "#credit-available")
            .await
            .ends_with("2,000.00")
    );
    browser::check_page(&customer).await;
}
