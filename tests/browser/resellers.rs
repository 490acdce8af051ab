//! A distributor funds its reseller in a real browser (rule R3): the admin opens the reseller,
//! allocates with a remark, and the reseller's admin signs in to see the new balance and the
//! history line with that remark.

use fantoccini::{Client, Locator};

use crate::support::browser::{self, Browser};
use crate::support::spawn_app;

async fn click(page: &Client, at: Locator<'_>) {
    page.find(at).await.unwrap().click().await.unwrap();
}

async fn type_into(page: &Client, css: &str, text: &str) {
    page.find(Locator::Css(css))
        .await
        .unwrap()
        .send_keys(text)
        .await
        .unwrap();
}

#[tokio::test]
async fn a_distributor_allocates_and_the_reseller_sees_the_balance_and_the_remark() {
    let app = spawn_app().await;
    let b = Browser::start().await;
    let admin = b.session().await;
    browser::sign_in(&admin, &app, "admin@northwind.test").await;
    admin
        .goto(&format!("{}/partner/resellers", app.address))
        .await
        .unwrap();
    browser::check_page(&admin).await;
    click(&admin, Locator::LinkText("Bluebird Cloud")).await;
    browser::wait_for_path_change(&admin, "/partner/resellers").await;
    browser::wait_for_text(&admin, "h1", "Bluebird Cloud").await;
    browser::check_page(&admin).await;
    let detail = browser::path(&admin).await;

    // The eye reveals the contact's address in place.
    click(
        &admin,
        Locator::Css(".masked[data-field='email'] button.eye"),
    )
    .await;
    browser::wait_for_text(
        &admin,
        ".masked[data-field='email'] .masked-value",
        "admin@bluebird.test",
    )
    .await;

    click(&admin, Locator::Css("a[href$='/allocate']")).await;
    browser::wait_for_path_change(&admin, &detail).await;
    browser::check_page(&admin).await;
    type_into(&admin, "#f-amount", "1500.25").await;
    type_into(&admin, "#f-remark", "Launch fund for Bluebird").await;
    click(&admin, Locator::Css("form.stack button[type=submit]")).await;
    browser::wait_for_text(&admin, "#reseller-balance", "¥21,500.25").await;
    assert_eq!(browser::path(&admin).await, detail);
    let history = browser::text_of(&admin, "#funds-history tbody tr").await;
    assert!(
        history.contains("Launch fund for Bluebird") && history.contains("1,500.25"),
        "{history}"
    );
    browser::check_page(&admin).await;
    admin.close().await.unwrap();

    let reseller = b.session().await;
    browser::sign_in(&reseller, &app, "admin@bluebird.test").await;
    reseller
        .goto(&format!("{}/partner/account", app.address))
        .await
        .unwrap();
    let funds = browser::text_of(&reseller, "#reseller-funds tbody tr").await;
    assert!(
        funds.contains("Launch fund for Bluebird") && funds.contains("1,500.25"),
        "{funds}"
    );
    let balances = browser::text_of(&reseller, "table.data").await;
    assert!(balances.contains("21,500.25"), "{balances}");
    assert!(
        balances.contains("Reseller balance") || balances.contains("经销商余额"),
        "{balances}"
    );
    browser::check_page(&reseller).await;
    reseller.close().await.unwrap();
}

#[tokio::test]
async fn the_reseller_network_pages_pass_the_accessibility_checks() {
    let app = spawn_app().await;
    let contoso = app.id_of("SELECT id AS n FROM organizations WHERE name = 'Contoso Solutions'");
    let b = Browser::start().await;
    for (who, paths) in [
        (
            "admin@northwind.test",
            vec![
                "/partner/resellers/invitations".to_string(),
                "/partner/resellers/invitations/new".into(),
                "/partner/resellers/applications".into(),
            ],
        ),
        (
            "hello@umbrella.test",
            vec!["/fee-center/reseller-application".to_string()],
        ),
        (
            "ops@demo.test",
            vec![
                "/ops/applications".to_string(),
                format!("/ops/moves?provider={contoso}"),
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
