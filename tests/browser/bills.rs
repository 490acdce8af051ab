//! Usage and bills in a real browser (rules B1, B2): an operator uploads a usage file through
//! the form and watches the import finish (the progress script polls, then the page reloads
//! with the report link); the customer and its partner open their bills. Every page passes the
//! accessibility checks with a clean console (the progress script obeys the CSP).

use fantoccini::Locator;

use crate::support::browser::{self, Browser};
use crate::support::spawn_app;

#[tokio::test]
async fn an_operator_imports_usage_and_customers_and_partners_read_their_bills() {
    let app = spawn_app().await;
    let browser = Browser::start().await;
    let acme = app.id_of("SELECT id AS n FROM customers WHERE email = 'it@acme.test'");
    let month = partner_center::services::billing::Month::at(chrono::Utc::now()).label();
    let file = std::env::temp_dir().join(format!("usage-{}.csv", uuid::Uuid::new_v4()));
    let mut rows = String::from("record_id,customer,product,period,quantity,unit_price\n");
    for i in 0..200 {
        rows.push_str(&format!("br-{i},{acme},cdn.gb,{month},{i}.12345678,0.2\n"));
    }
    rows.push_str("br-bad,nobody@nowhere.test,cdn.gb,2026-01,1,1\n");
    std::fs::write(&file, rows).unwrap();

    let ops = browser.session().await;
    browser::sign_in(&ops, &app, "ops@demo.test").await;
    ops.goto(&format!("{}/ops/usage", app.address))
        .await
        .unwrap();
    browser::check_page(&ops).await;
    let input = ops.find(Locator::Css("#f-file")).await.unwrap();
    input.send_keys(file.to_str().unwrap()).await.unwrap();
    ops.find(Locator::Css(
        "form[enctype='multipart/form-data'] button[type=submit]",
    ))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    browser::wait_for_path_change(&ops, "/ops/usage").await;
    // The page follows the import until it is done, then shows the report link.
    for _ in 0..200 {
        if ops.find(Locator::Css("#rejected-report")).await.is_ok() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(browser::text_of(&ops, "#rows-imported").await, "200");
    assert_eq!(browser::text_of(&ops, "#rows-rejected").await, "1");
    browser::check_page(&ops).await;
    let _ = std::fs::remove_file(&file);

    let customer = browser.session().await;
    browser::sign_in(&customer, &app, "it@acme.test").await;
    customer
        .goto(&format!("{}/fee-center/bills", app.address))
        .await
        .unwrap();
    browser::check_page(&customer).await;
    customer
        .find(Locator::Css("#own-bills tbody a"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser::wait_for_path_change(&customer, "/fee-center/bills").await;
    assert!(
        !browser::text_of(&customer, "#bill-cut-off")
            .await
            .is_empty()
    );
    browser::check_page(&customer).await;

    let partner = browser.session().await;
    browser::sign_in(&partner, &app, "admin@northwind.test").await;
    partner
        .goto(&format!("{}/partner/bills", app.address))
        .await
        .unwrap();
    browser::check_page(&partner).await;
    partner
        .find(Locator::Css("#bill-list tbody a"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser::wait_for_path_change(&partner, "/partner/bills").await;
    browser::check_page(&partner).await;
}
