//! Sign-in → home → sign-out in a real browser, for each audience, with accessibility and
//! console checks on every page.

use fantoccini::Locator;

use crate::support::browser::{self, Browser};
use crate::support::spawn_app;

#[tokio::test]
async fn each_audience_signs_in_sees_its_home_and_signs_out() {
    let app = spawn_app().await;
    let b = Browser::start().await;
    for (email, home, heading) in [
        ("admin@northwind.test", "/partner", "Dashboard"),
        ("it@acme.test", "/fee-center", "Fee Center"),
        ("ops@demo.test", "/ops", "Operator console"),
    ] {
        let page = b.session().await;
        page.goto(&format!("{}/login", app.address)).await.unwrap();
        browser::check_page(&page).await;
        browser::sign_in(&page, &app, email).await;
        assert_eq!(browser::path(&page).await, home, "{email}");
        browser::wait_for_text(&page, "h1", heading).await;
        browser::check_page(&page).await;
        page.find(Locator::Css("form[action='/logout'] button"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        browser::wait_for_path_change(&page, home).await;
        assert_eq!(browser::path(&page).await, "/login");
        page.goto(&format!("{}{home}", app.address)).await.unwrap();
        assert_eq!(browser::path(&page).await, "/login", "signed out for real");
        page.close().await.unwrap();
    }
}

#[tokio::test]
async fn a_wrong_password_shows_the_message_and_the_language_switch_works() {
    let app = spawn_app().await;
    let b = Browser::start().await;
    let page = b.session().await;
    browser::submit_sign_in(&page, &app, "mgr1@northwind.test", "wrong-password-1").await;
    browser::wait_for_text(
        &page,
        "#login-error",
        "The e-mail address or password is incorrect.",
    )
    .await;
    assert_eq!(
        page.find(Locator::Css("#f-email"))
            .await
            .unwrap()
            .prop("value")
            .await
            .unwrap()
            .as_deref(),
        Some("mgr1@northwind.test")
    );
    page.find(Locator::Css(".lang-switch button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser::wait_for_text(&page, "h1", "登录").await;
    browser::check_page(&page).await;
    page.close().await.unwrap();
}

#[tokio::test]
async fn error_pages_are_friendly_and_accessible() {
    let app = spawn_app().await;
    let b = Browser::start().await;
    let page = b.session().await;
    browser::sign_in(&page, &app, "mgr2@northwind.test").await;
    page.goto(&format!("{}/ops", app.address)).await.unwrap();
    assert_eq!(browser::text_of(&page, "h1").await, "Not allowed");
    browser::assert_accessible(&page).await;
    page.goto(&format!("{}/partner/no-such-page", app.address))
        .await
        .unwrap();
    assert_eq!(browser::text_of(&page, "h1").await, "Page not found");
    browser::assert_accessible(&page).await;
    page.close().await.unwrap();
}

#[tokio::test]
async fn the_page_checks_catch_what_they_are_meant_to_catch() {
    let app = spawn_app().await;
    let b = Browser::start().await;
    let page = b.session().await;
    page.goto(&format!("{}/login", app.address)).await.unwrap();
    assert!(browser::serious_violations(&page).await.is_empty());
    // An unlabelled field is a critical violation; a console error is an error.
    page.execute("const i = document.createElement('input'); document.querySelector('main').appendChild(i); console.error('broken');", vec![])
        .await
        .unwrap();
    assert!(
        !browser::serious_violations(&page).await.is_empty(),
        "axe-core reports the unlabelled field"
    );
    assert!(
        !browser::console_errors(&page).await.is_empty(),
        "the console error is seen"
    );
    page.close().await.unwrap();
}
