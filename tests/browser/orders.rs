//! 代付 in a real browser (rule P2): a customer orders a product and asks its partner to pay;
//! the partner's admin finds the request under "to pay" and pays it; the customer sees the
//! order completed (provisioned within seconds) and the partner's cash is lower by the order's
//! amount. Every page on the way passes the accessibility and console checks.

use fantoccini::{Client, Locator};

use crate::support::browser::{self, Browser};
use crate::support::spawn_app;

async fn click(page: &Client, css: &str) {
    page.find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .click()
        .await
        .unwrap();
}

/// The partner's cash as its dashboard tile shows it, in cents.
async fn cash_tile(page: &Client, base: &str) -> i64 {
    page.goto(&format!("{base}/partner")).await.unwrap();
    let text = browser::text_of(page, "a.tile[href='/partner/account'] .tile-value").await;
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    digits
        .parse()
        .unwrap_or_else(|_| panic!("cash tile {text:?}"))
}

async fn state_class(page: &Client) -> String {
    page.find(Locator::Css("#order-state"))
        .await
        .unwrap()
        .attr("class")
        .await
        .unwrap()
        .unwrap_or_default()
}

#[tokio::test]
async fn the_customer_asks_the_partner_to_pay_and_sees_the_order_completed() {
    let app = spawn_app().await;
    let b = Browser::start().await;
    let customer = b.session().await;
    browser::sign_in(&customer, &app, "it@acme.test").await;
    customer
        .goto(&format!("{}/fee-center/orders/new", app.address))
        .await
        .unwrap();
    browser::check_page(&customer).await;
    click(&customer, "#p-ecs\\.c7\\.xlarge").await;
    click(&customer, "#t-month").await;
    click(&customer, "#order-form button[type=submit]").await;
    browser::wait_for_path_change(&customer, "/fee-center/orders/new").await;
    let path = browser::path(&customer).await;
    let id: i64 = path
        .rsplit('/')
        .next()
        .unwrap()
        .parse()
        .expect("an order page");
    browser::check_page(&customer).await;
    click(&customer, "#request-form button[type=submit]").await;
    for _ in 0..100 {
        if customer.find(Locator::Css("#request-form")).await.is_err() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) AS n FROM orders WHERE id = {id} AND pay_request = 'requested'"
        )),
        1
    );

    let admin = b.session().await;
    browser::sign_in(&admin, &app, "admin@northwind.test").await;
    let before = cash_tile(&admin, &app.address).await;
    browser::check_page(&admin).await;
    admin
        .goto(&format!("{}/partner/orders", app.address))
        .await
        .unwrap();
    browser::check_page(&admin).await;
    click(&admin, &format!("a[href='/partner/orders/{id}']")).await;
    browser::wait_for_path_change(&admin, "/partner/orders").await;
    browser::check_page(&admin).await;
    click(&admin, "#pay-form button[type=submit]").await;
    for _ in 0..100 {
        if admin.find(Locator::Css("#pay-form")).await.is_err() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    browser::check_page(&admin).await;
    let after = cash_tile(&admin, &app.address).await;
    let amount = app.count(&format!(
        "SELECT (amount * 100)::bigint AS n FROM orders WHERE id = {id}"
    ));
    assert_eq!(after, before - amount, "the partner's cash paid the order");
    admin.close().await.unwrap();

    let mut completed = false;
    for _ in 0..50 {
        customer
            .goto(&format!("{}/fee-center/orders/{id}", app.address))
            .await
            .unwrap();
        if state_class(&customer).await.contains("state-completed") {
            completed = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    assert!(completed, "the order was provisioned");
    assert!(customer.find(Locator::Css("#order-payer")).await.is_ok());
    browser::check_page(&customer).await;
    customer.close().await.unwrap();
}

#[tokio::test]
async fn the_order_pages_pass_the_accessibility_checks() {
    let app = spawn_app().await;
    let acme_order = app.id_of(
        "SELECT max(o.id) AS n FROM orders o JOIN customers c ON c.id = o.customer_id \
         WHERE c.email = 'it@acme.test' AND o.state = 'pending_payment'",
    );
    let request = app.id_of("SELECT max(id) AS n FROM orders WHERE pay_request = 'requested'");
    let product = app.id_of("SELECT min(id) AS n FROM products");
    let b = Browser::start().await;
    for (who, paths) in [
        (
            "it@acme.test",
            vec![
                "/fee-center/orders".to_string(),
                format!("/fee-center/orders/{acme_order}"),
            ],
        ),
        (
            "admin@northwind.test",
            vec![
                "/partner/orders?tab=all".to_string(),
                format!("/partner/orders/{request}"),
            ],
        ),
        (
            "ops@demo.test",
            vec![
                "/ops/catalog".to_string(),
                format!("/ops/catalog/{product}"),
                "/ops/orders".into(),
            ],
        ),
    ] {
        let page = b.session().await;
        browser::sign_in(&page, &app, who).await;
        for p in paths {
            page.goto(&format!("{}{p}", app.address)).await.unwrap();
            browser::check_page(&page).await;
        }
        page.close().await.unwrap();
    }
}
