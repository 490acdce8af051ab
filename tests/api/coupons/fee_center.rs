//! The customer's coupon pages (rule K6): `/fee-center/coupons` (vouchers),
//! `/fee-center/cash-coupons` and `/fee-center/coupons/{id}`; and the demo coupons' promises.

mod demo;
mod pages;

use partner_center::domain::CouponKind;
use partner_center::services::coupons::issue::IssueInput;
use partner_center::services::coupons::today;

use super::{
    NW_ADMIN, assert_ledger_verifies, coupon_cents, customer_id, grant_cents, grant_with,
    issue_input, issue_input_as, org_id, pay_with, voucher_grant,
};
use crate::support::{TestApp, spawn_app};

/// Issues one coupon from Northwind's grant to a customer, valid for `days` more days.
fn issue_to(
    app: &TestApp,
    grant: i64,
    customer: i64,
    face: &str,
    days: i64,
    scope: &[&str],
) -> i64 {
    let input = IssueInput {
        valid_until: Some(today() + chrono::Duration::days(days)),
        scope: scope.iter().map(|s| s.to_string()).collect(),
        ..issue_input(grant, customer, face)
    };
    issue_input_as(app, NW_ADMIN, &input)
}

const WRITES: &str = "SELECT (SELECT count(*) FROM ledger_accounts) \
    + (SELECT count(*) FROM ledger_transfers) + (SELECT count(*) FROM coupons) \
    + (SELECT count(*) FROM audit_log) AS n";

#[tokio::test]
async fn a_customer_sees_only_its_own_coupons_and_another_customers_coupon_is_404() {
    let app = spawn_app().await;
    let nw = org_id(&app, "Northwind Distribution");
    let grant = voucher_grant(&app, nw, "5000");
    let acme = customer_id(&app, "it@acme.test");
    let globex = customer_id(&app, "cfo@globex.test");
    let mine = issue_to(&app, grant, acme, "123.41", 30, &[]);
    let theirs = issue_to(&app, grant, globex, "678.92", 30, &[]);

    let writes = app.count(WRITES);
    let it = app.signed_in("it@acme.test").await;
    let page = it.get("/fee-center/coupons").await;
    assert_eq!(page.status, 200);
    assert!(page.contains("¥123.41"), "its own voucher is listed");
    assert!(page.contains(&format!("href=\"/fee-center/coupons/{mine}\"")));
    assert!(!page.contains("678.92"), "not Globex's");
    assert!(!page.contains(&format!("/fee-center/coupons/{theirs}\"")));
    let all = it.get("/fee-center/coupons?state=all").await;
    assert!(all.contains("¥123.41") && !all.contains("678.92"));
    assert_eq!(
        it.get(&format!("/fee-center/coupons/{mine}")).await.status,
        200
    );
    assert_eq!(
        it.get(&format!("/fee-center/coupons/{theirs}"))
            .await
            .status,
        404,
        "another customer's coupon"
    );
    assert_eq!(it.get("/fee-center/coupons/999999999").await.status, 404);
    let cfo = app.signed_in("cfo@globex.test").await;
    let page = cfo.get("/fee-center/coupons").await;
    assert!(page.contains("¥678.92") && !page.contains("123.41"));
    assert_eq!(
        cfo.get(&format!("/fee-center/coupons/{mine}")).await.status,
        404
    );
    // Reads never write (sign-ins audit, so count after them).
    let signed_in = app.count(WRITES);
    for p in [
        "/fee-center/coupons".to_string(),
        "/fee-center/cash-coupons".into(),
        format!("/fee-center/coupons/{theirs}"),
        "/fee-center".into(),
    ] {
        cfo.get(&p).await;
    }
    assert_eq!(app.count(WRITES), signed_in, "pages wrote nothing");
    assert!(signed_in >= writes);
}

#[tokio::test]
async fn vouchers_and_cash_coupons_land_on_their_own_pages_with_balance_validity_and_issuer() {
    let app = spawn_app().await;
    let nw = org_id(&app, "Northwind Distribution");
    let vouchers = voucher_grant(&app, nw, "5000");
    let cash = grant_with(
        &app,
        nw,
        CouponKind::CashCoupon,
        "5000",
        (0, 90),
        &["ECS", "OBS"],
        false,
    );
    let acme = customer_id(&app, "it@acme.test");
    let voucher = issue_to(&app, vouchers, acme, "345.67", 20, &[]);
    let cash_coupon = issue_to(&app, cash, acme, "234.56", 30, &["ECS"]);
    let until = (today() + chrono::Duration::days(30))
        .format("%Y-%m-%d")
        .to_string();

    let it = app.signed_in("it@acme.test").await;
    let page = it.get("/fee-center/coupons").await;
    assert!(page.contains("¥345.67") && !page.contains("234.56"));
    assert!(
        page.contains("aria-current=\"page\">优惠券<"),
        "the coupons tab"
    );
    let page = it.get("/fee-center/cash-coupons").await;
    assert_eq!(page.status, 200);
    assert!(page.contains("¥234.56") && !page.contains("345.67"));
    assert!(
        page.contains("aria-current=\"page\">现金券<"),
        "the cash tab"
    );
    assert!(page.contains(&until), "valid until");
    assert!(page.contains("Northwind Distribution"), "the issuer");
    assert!(page.contains("弹性云服务器"), "the scope by name");

    let en = it
        .get_with(
            &format!("/fee-center/coupons/{cash_coupon}"),
            &[("Accept-Language", "en")],
        )
        .await;
    assert_eq!(en.status, 200);
    assert!(en.contains("¥234.56") && en.contains(&until));
    assert!(en.contains("Elastic Cloud Server") && en.contains("Northwind Distribution"));
    let en = it
        .get_with(
            &format!("/fee-center/coupons/{voucher}"),
            &[("Accept-Language", "en")],
        )
        .await;
    assert!(en.contains("All services"), "an unlimited voucher");
    assert!(
        en.contains("href=\"/fee-center/coupons\""),
        "back to its list"
    );

    // The home shows what the usable coupons hold, with links.
    let sum = |kind: &str| {
        let cents = app.count(&format!(
            "SELECT COALESCE(SUM(a.balance * 100), 0)::bigint AS n FROM coupons c \
             JOIN ledger_accounts a ON a.id = c.account_id \
             WHERE c.customer_id = {acme} AND c.kind = '{kind}' AND c.state = 'usable'"
        ));
        partner_center::domain::money::format_amount(rust_decimal::Decimal::new(cents, 2))
    };
    let home = it.get("/fee-center").await;
    assert!(home.contains(&format!("id=\"home-vouchers\">¥{}<", sum("voucher"))));
    assert!(home.contains(&format!(
        "id=\"home-cash-coupons\">¥{}<",
        sum("cash_coupon")
    )));
    assert!(home.contains("href=\"/fee-center/cash-coupons\""));
}

#[tokio::test]
async fn the_history_shows_issue_and_use_newest_first_and_the_balance_left() {
    let app = spawn_app().await;
    let nw = org_id(&app, "Northwind Distribution");
    let grant = voucher_grant(&app, nw, "5000");
    let acme = customer_id(&app, "it@acme.test");
    let coupon = issue_to(&app, grant, acme, "300.00", 30, &[]);
    pay_with(&app, coupon, "120.00");
    assert_eq!(coupon_cents(&app, coupon), 18_000);
    assert_eq!(grant_cents(&app, grant), 470_000, "the issue took 300.00");

    let it = app.signed_in("it@acme.test").await;
    let page = it.get(&format!("/fee-center/coupons/{coupon}")).await;
    assert_eq!(page.status, 200);
    assert!(page.contains("id=\"coupon-balance\">¥180.00<"));
    let used = page.body.find("event-used").expect("the use");
    let issued = page.body.find("event-issued").expect("the issue");
    assert!(used < issued, "newest first");
    assert!(page.contains("¥-120.00"), "the use takes value out");
    assert!(page.contains("¥300.00"), "face value and the issue");
    // A partly used coupon stays usable.
    assert!(
        it.get("/fee-center/coupons")
            .await
            .contains(&format!("/fee-center/coupons/{coupon}\""))
    );
    assert_ledger_verifies(&app);
}

#[tokio::test]
async fn partner_members_and_operators_get_403_on_the_customer_coupon_pages() {
    let app = spawn_app().await;
    let coupon = app.id_of("SELECT min(id) AS n FROM coupons");
    for email in [
        "admin@northwind.test",
        "lead@northwind.test",
        "ops@demo.test",
    ] {
        let c = app.signed_in(email).await;
        for p in [
            "/fee-center/coupons".to_string(),
            "/fee-center/cash-coupons".into(),
            format!("/fee-center/coupons/{coupon}"),
        ] {
            assert_eq!(c.get(&p).await.status, 403, "{email} {p}");
        }
    }
    let anonymous = app.client().get("/fee-center/coupons").await;
    assert_eq!(anonymous.status, 303, "to sign-in");
}
