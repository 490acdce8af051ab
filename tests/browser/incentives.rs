//! Incentives in a real browser (rules B8, P4): a partner's admin applies for two periods in
//! one batch, the operator approves and pays the request, the admin invoices both periods on
//! one invoice and the operator confirms receipt; every page passes the accessibility checks
//! and keeps the console clean.

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

async fn open(page: &Client, base: &str, path: &str) {
    page.goto(&format!("{base}{path}")).await.unwrap();
    browser::check_page(page).await;
}

#[tokio::test]
async fn a_batch_is_applied_for_paid_invoiced_on_one_invoice_and_received() {
    let app = spawn_app().await;
    let base = app.address.clone();
    // The demo's two Northwind incentives not applied for yet.
    let open_ids: Vec<i64> = (0..2)
        .map(|n| {
            app.id_of(&format!(
                "SELECT i.id AS n FROM incentives i JOIN organizations o ON o.id = i.partner_id \
                 WHERE o.name = 'Northwind Distribution' AND i.payout_id IS NULL \
                 ORDER BY i.id OFFSET {n} LIMIT 1"
            ))
        })
        .collect();
    let b = Browser::start().await;
    let admin = b.session().await;
    browser::sign_in(&admin, &app, "admin@northwind.test").await;
    open(&admin, &base, "/partner/incentives").await;
    for id in &open_ids {
        click(&admin, &format!("#c-{id}")).await;
    }
    click(&admin, "#apply-form > p button[type=submit]").await;
    browser::wait_for_path_change(&admin, "/partner/incentives").await;
    assert_eq!(browser::path(&admin).await, "/partner/incentives/payouts");
    browser::check_page(&admin).await;
    let payout = app.id_of(&format!(
        "SELECT payout_id AS n FROM incentives WHERE id = {}",
        open_ids[0]
    ));

    let ops = b.session().await;
    browser::sign_in(&ops, &app, "ops@demo.test").await;
    open(&ops, &base, "/ops/incentives").await;
    open(&ops, &base, "/ops/incentives/payouts").await;
    let one = format!("/ops/incentives/payouts/{payout}");
    for step in ["approve", "pay"] {
        open(&ops, &base, &one).await;
        click(
            &ops,
            &format!("form[action$='/{step}'] button[type=submit]"),
        )
        .await;
        browser::wait_for_path_change(&ops, &one).await;
    }
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) AS n FROM incentive_payouts WHERE id = {payout} AND state = 'paid'"
        )),
        1
    );

    open(&admin, &base, "/partner/incentives/invoices/new").await;
    for id in &open_ids {
        click(&admin, &format!("#i-{id}")).await;
    }
    let number = admin.find(Locator::Css("#f-number")).await.unwrap();
    number.send_keys("BROWSER-001").await.unwrap();
    click(&admin, "#invoice-form button[type=submit]").await;
    browser::wait_for_path_change(&admin, "/partner/incentives/invoices/new").await;
    browser::check_page(&admin).await;
    let invoice = app.id_of("SELECT id AS n FROM incentive_invoices WHERE number = 'BROWSER-001'");
    let one = format!("/ops/incentives/invoices/{invoice}");
    open(&ops, &base, "/ops/incentives/invoices").await;
    open(&ops, &base, &one).await;
    click(&ops, "form[action$='/receive'] button[type=submit]").await;
    browser::wait_for_path_change(&ops, &one).await;
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) AS n FROM incentives WHERE invoice_id = {invoice} \
             AND invoiced_at IS NOT NULL"
        )),
        2
    );
    open(&admin, &base, "/partner/account").await;
}
