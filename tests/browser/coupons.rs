//! Coupons in a real browser (rules K2, K6): a partner's admin issues a voucher to a customer
//! from the issue form, and the customer signs in to find it under fee center › discounts with
//! the right balance and validity; every coupon page passes the accessibility checks.

use fantoccini::{Client, Locator};
use partner_center::domain::{Caller, CouponKind, Money};
use partner_center::services::coupons::grants::{self, NewGrant};

use crate::support::browser::{self, Browser};
use crate::support::{TestApp, spawn_app};

async fn click(page: &Client, at: Locator<'_>) {
    page.find(at).await.unwrap().click().await.unwrap();
}

async fn type_into(page: &Client, css: &str, text: &str) {
    let field = page.find(Locator::Css(css)).await.unwrap();
    field.clear().await.unwrap();
    field.send_keys(text).await.unwrap();
}

/// Waits until the element's text contains `part` (the search result replaces the page).
async fn wait_for_part(page: &Client, css: &str, part: &str) {
    for _ in 0..100 {
        if let Ok(el) = page.find(Locator::Css(css)).await
            && el.text().await.is_ok_and(|t| t.contains(part))
        {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("{css} never showed {part:?}");
}

/// A voucher grant for Northwind valid for the next 60 days; returns its id.
fn northwind_grant(app: &TestApp) -> i64 {
    let org = app.id_of("SELECT id AS n FROM organizations WHERE name = 'Northwind Distribution'");
    let today = partner_center::services::coupons::today();
    let mut conn = app.conn();
    grants::create(
        &mut conn,
        &Caller::system("test"),
        &NewGrant {
            partner_id: org,
            kind: CouponKind::Voucher,
            amount: Money::parse_positive("1000.00").unwrap(),
            valid_from: today,
            valid_until: today + chrono::Duration::days(60),
            scope: vec![],
            invoice_restricted: false,
            remark: "browser test".into(),
        },
        "browser-test-grant",
    )
    .unwrap()
}

#[tokio::test]
async fn a_partner_issues_a_voucher_and_the_customer_sees_it_with_its_balance_and_validity() {
    let app = spawn_app().await;
    let grant = northwind_grant(&app);
    let until = (partner_center::services::coupons::today() + chrono::Duration::days(20))
        .format("%Y-%m-%d")
        .to_string();
    let b = Browser::start().await;
    let admin = b.session().await;
    browser::sign_in(&admin, &app, "admin@northwind.test").await;
    admin
        .goto(&format!("{}/partner/coupons/issue", app.address))
        .await
        .unwrap();
    browser::check_page(&admin).await;
    admin
        .find(Locator::Css("#f-grant_id"))
        .await
        .unwrap()
        .select_by_value(&grant.to_string())
        .await
        .unwrap();
    // The search posts the form back and keeps what was typed.
    type_into(&admin, "#f-face_value", "88.80").await;
    type_into(&admin, "#f-q", "Acme").await;
    click(&admin, Locator::Css("button[value=search]")).await;
    wait_for_part(&admin, "#chosen", "Acme Corp").await;
    click(
        &admin,
        Locator::XPath("//ul[@id='chosen']//label[contains(., 'Acme Corp')]/input"),
    )
    .await;
    type_into(&admin, "#f-valid_until", &until).await;
    type_into(&admin, "#f-remark", "Welcome voucher").await;
    click(&admin, Locator::Css("button[value=issue]")).await;
    browser::wait_for_path_change(&admin, "/partner/coupons/issue").await;
    assert_eq!(browser::path(&admin).await, "/partner/coupons");
    let list = browser::text_of(&admin, "table.data tbody").await;
    assert!(
        list.contains("Acme Corp") && list.contains("88.80"),
        "{list}"
    );
    browser::check_page(&admin).await;
    admin.close().await.unwrap();
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) AS n FROM coupons WHERE grant_id = {grant} AND face_value = 88.80"
        )),
        1
    );

    let customer = b.session().await;
    browser::sign_in(&customer, &app, "it@acme.test").await;
    customer
        .goto(&format!("{}/fee-center", app.address))
        .await
        .unwrap();
    click(&customer, Locator::Css("nav a[href='/fee-center/coupons']")).await;
    browser::wait_for_path_change(&customer, "/fee-center").await;
    let rows = browser::text_of(&customer, "table.data tbody").await;
    let line = rows
        .lines()
        .find(|l| l.contains("88.80"))
        .unwrap_or_else(|| panic!("the new voucher is listed:\n{rows}"));
    assert!(line.contains(&until), "its validity: {line}");
    assert!(line.contains("Northwind"), "its issuer: {line}");
    browser::check_page(&customer).await;
    customer.close().await.unwrap();
}

#[tokio::test]
async fn the_coupon_pages_pass_the_accessibility_checks() {
    let app = spawn_app().await;
    let grant = northwind_grant(&app);
    let coupon = app.id_of("SELECT min(id) AS n FROM coupons");
    let acme_coupon = app.id_of(
        "SELECT min(c.id) AS n FROM coupons c JOIN customers u ON u.id = c.customer_id \
         WHERE u.email = 'it@acme.test'",
    );
    let b = Browser::start().await;
    for (who, paths) in [
        (
            "admin@northwind.test",
            vec![
                "/partner/coupons".to_string(),
                format!("/partner/coupons/{coupon}"),
                "/partner/coupons/quotas".into(),
                format!("/partner/coupons/quotas/{grant}"),
                format!("/partner/coupons/quotas/{grant}/pass"),
                format!("/partner/coupons/issue?grant_id={grant}"),
                "/partner/coupons/bulk".into(),
            ],
        ),
        (
            "it@acme.test",
            vec![
                "/fee-center/coupons".to_string(),
                "/fee-center/cash-coupons".into(),
                format!("/fee-center/coupons/{acme_coupon}"),
            ],
        ),
        (
            "ops@demo.test",
            vec![
                "/ops/quotas".to_string(),
                "/ops/quotas/new".into(),
                format!("/ops/quotas/{grant}"),
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
