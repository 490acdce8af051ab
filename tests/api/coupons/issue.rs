//! Issuing from the form (rules K2, K2a, K5; SPEC §5 names `grant_id`, `customer_id`,
//! `face_value`, `valid_until`): all chosen customers or none, refusals beside their fields
//! with the values kept, a reason per customer, a double submit issues once, and a grant
//! never goes below zero under concurrent issues.

use partner_center::domain::CouponKind;

use super::{
    assert_ledger_verifies, coupon_cents, customer_id, grant_cents, grant_with, org_id,
    voucher_grant,
};
use crate::support::http::{Client, Page, form_key};
use crate::support::{TestApp, spawn_app};

mod concurrency;
mod html;

const FORM: &str = "/partner/coupons/issue";

/// Opens the form (for its CSRF token and key) and posts `fields` with them.
async fn issue_with_key(c: &Client, key: &str, fields: &[(&str, &str)]) -> Page {
    let token = c.get(FORM).await.csrf();
    let mut all: Vec<(&str, &str)> = vec![("csrf_token", &token), ("key", key)];
    all.push(("action", "issue"));
    all.extend_from_slice(fields);
    c.post_raw(FORM, &all).await
}

async fn issue(c: &Client, fields: &[(&str, &str)]) -> Page {
    let key = form_key(&c.get(FORM).await.body);
    issue_with_key(c, &key, fields).await
}

fn coupons_of(app: &TestApp, grant: i64) -> i64 {
    app.count(&format!(
        "SELECT count(*) AS n FROM coupons WHERE grant_id = {grant}"
    ))
}

fn day(offset: i64) -> String {
    (partner_center::services::coupons::today() + chrono::Duration::days(offset)).to_string()
}

/// Messages in English for the rest of the session (the `lang` cookie).
pub async fn english(c: &Client) {
    let res = c
        .submit(
            "/partner",
            "/language",
            &[("lang", "en"), ("back", "/partner")],
        )
        .await;
    assert_eq!(res.status, 303);
}

struct Northwind {
    app: TestApp,
    admin: Client,
    acme: String,
    globex: String,
}

async fn northwind() -> Northwind {
    let app = spawn_app().await;
    let admin = app.signed_in("admin@northwind.test").await;
    english(&admin).await;
    let acme = customer_id(&app, "it@acme.test").to_string();
    let globex = customer_id(&app, "cfo@globex.test").to_string();
    Northwind {
        app,
        admin,
        acme,
        globex,
    }
}

#[tokio::test]
async fn only_admins_open_or_post_the_issue_form() {
    let n = northwind().await;
    let page = n.admin.get(FORM).await;
    assert_eq!(page.status, 200);
    assert!(page.contains("name=\"key\""));
    for who in ["lead@northwind.test", "mgr1@northwind.test"] {
        let c = n.app.signed_in(who).await;
        assert_eq!(c.get(FORM).await.status, 403, "{who}");
        assert_eq!(c.get("/partner/coupons/bulk").await.status, 403, "{who}");
    }
}

#[tokio::test]
async fn the_form_preselects_grant_and_customer_and_defaults_validity_to_the_grants_end() {
    let n = northwind().await;
    let org = org_id(&n.app, "Northwind Distribution");
    let grant = grant_with(
        &n.app,
        org,
        CouponKind::Voucher,
        "500",
        (0, 30),
        &["ECS", "OBS"],
        false,
    );
    let page = n
        .admin
        .get(&format!("{FORM}?grant_id={grant}&customer_id={}", n.acme))
        .await;
    assert_eq!(page.status, 200);
    assert!(page.contains(&format!("<option value=\"{grant}\" selected>")));
    assert!(page.contains(&format!("value=\"{}\" checked", n.acme)));
    assert!(page.contains(&format!("value=\"{}\"", day(30))));
    // Only the grant's services are offered; e-mails are masked.
    assert!(page.contains("value=\"OBS\"") && !page.contains("value=\"RDS\""));
    assert!(page.contains("i***@acme.test") && !page.contains("it@acme.test"));
    // A search keeps the ticked customer and finds others by company or full e-mail.
    let token = page.csrf();
    let key = form_key(&page.body);
    let grant_s = grant.to_string();
    let searched = n
        .admin
        .post_raw(
            FORM,
            &[
                ("csrf_token", &token),
                ("key", &key),
                ("grant_id", &grant_s),
                ("customer_id", &n.acme),
                ("face_value", "12.50"),
                ("q", "cfo@globex.test"),
                ("action", "search"),
            ],
        )
        .await;
    assert_eq!(searched.status, 200);
    assert!(searched.contains(&format!("value=\"{}\" checked", n.acme)));
    assert!(searched.contains(&format!("name=\"customer_id\" value=\"{}\">", n.globex)));
    assert!(searched.contains("value=\"12.50\""));
    assert_eq!(coupons_of(&n.app, grant), 0);
}

#[tokio::test]
async fn issuing_reaches_every_chosen_customer_and_a_double_submit_issues_once() {
    let n = northwind().await;
    let org = org_id(&n.app, "Northwind Distribution");
    let grant = grant_with(
        &n.app,
        org,
        CouponKind::Voucher,
        "1000",
        (0, 90),
        &["ECS"],
        false,
    );
    let key = form_key(&n.admin.get(FORM).await.body);
    let g = grant.to_string();
    let fields = [
        ("grant_id", g.as_str()),
        ("customer_id", n.acme.as_str()),
        ("customer_id", n.globex.as_str()),
        ("face_value", "100.00"),
        ("valid_until", ""),
        ("remark", "welcome"),
    ];
    let first = issue_with_key(&n.admin, &key, &fields).await;
    assert_eq!(first.status, 303, "{}", first.body);
    assert_eq!(first.location.as_deref(), Some("/partner/coupons"));
    assert_eq!(coupons_of(&n.app, grant), 2);
    assert_eq!(grant_cents(&n.app, grant), 80_000);
    let newest = n.app.id_of(&format!(
        "SELECT max(id) AS n FROM coupons WHERE grant_id = {grant}"
    ));
    assert_eq!(coupon_cents(&n.app, newest), 10_000);
    // No service ticked: the coupons take the grant's scope (ECS), never "everything".
    assert_eq!(
        n.app.count(&format!(
            "SELECT count(*) AS n FROM coupons WHERE grant_id = {grant} AND scope = '{{ECS}}' \
             AND valid_until = '{}'",
            day(90)
        )),
        2
    );
    let again = issue_with_key(&n.admin, &key, &fields).await;
    assert_eq!(again.status, 303);
    assert_eq!(coupons_of(&n.app, grant), 2);
    assert_eq!(grant_cents(&n.app, grant), 80_000);
    // The same key with a customer added does not skip that customer's checks.
    let initech = customer_id(&n.app, "ops@initech.test").to_string();
    let sneaky = issue_with_key(
        &n.admin,
        &key,
        &[
            ("grant_id", &g),
            ("customer_id", &n.acme),
            ("customer_id", &initech),
            ("face_value", "100.00"),
        ],
    )
    .await;
    assert_eq!(sneaky.status, 422);
    assert_eq!(coupons_of(&n.app, grant), 2);
    assert_ledger_verifies(&n.app);
}

#[tokio::test]
async fn invalid_face_values_are_refused_beside_the_field_with_the_values_kept() {
    let n = northwind().await;
    let org = org_id(&n.app, "Northwind Distribution");
    let grant = voucher_grant(&n.app, org, "1000").to_string();
    for bad in ["", "0", "-1", "1.234", "ten", "1000.01"] {
        let res = issue(
            &n.admin,
            &[
                ("grant_id", &grant),
                ("customer_id", &n.acme),
                ("face_value", bad),
                ("remark", "kept remark"),
            ],
        )
        .await;
        assert_eq!(res.status, 422, "{bad}: {}", res.body);
        assert!(res.contains("aria-describedby=\"e-face_value\""), "{bad}");
        assert!(res.contains(&format!(
            "name=\"face_value\" type=\"text\" value=\"{bad}\""
        )));
        assert!(res.contains("value=\"kept remark\""), "{bad}");
        assert!(
            res.contains(&format!("value=\"{}\" checked", n.acme)),
            "{bad}"
        );
    }
    assert_eq!(coupons_of(&n.app, grant.parse().unwrap()), 0);
    assert_eq!(grant_cents(&n.app, grant.parse().unwrap()), 100_000);
    assert_ledger_verifies(&n.app);
}

#[tokio::test]
async fn validity_and_scope_beyond_the_grant_and_missing_customers_are_refused_beside_their_fields()
{
    let n = northwind().await;
    let org = org_id(&n.app, "Northwind Distribution");
    let grant = grant_with(
        &n.app,
        org,
        CouponKind::Voucher,
        "1000",
        (0, 30),
        &["ECS"],
        false,
    );
    let g = grant.to_string();
    let base = |extra: Vec<(&'static str, String)>| {
        let mut v = vec![
            ("grant_id", g.clone()),
            ("customer_id", n.acme.clone()),
            ("face_value", "10".to_string()),
        ];
        v.extend(extra);
        v
    };
    let cases: Vec<(Vec<(&str, String)>, &str)> = vec![
        (base(vec![("valid_until", day(31))]), "valid_until"),
        (base(vec![("valid_until", day(-1))]), "valid_until"),
        (
            base(vec![("valid_until", "2026-13-40".into())]),
            "valid_until",
        ),
        (
            base(vec![("scope", "ECS".into()), ("scope", "RDS".into())]),
            "scope",
        ),
        (
            vec![("grant_id", g.clone()), ("face_value", "10".into())],
            "customer_id",
        ),
    ];
    for (fields, field) in cases {
        let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let res = issue(&n.admin, &borrowed).await;
        assert_eq!(res.status, 422, "{field}: {fields:?}");
        assert!(
            res.contains(&format!("id=\"e-{field}\"")),
            "{field}: {fields:?}\n{}",
            res.body
        );
    }
    // More than ten customers in one form.
    let many: Vec<String> = (1..=11).map(|i| i.to_string()).collect();
    let mut fields: Vec<(&str, &str)> = vec![("grant_id", &g), ("face_value", "1")];
    fields.extend(many.iter().map(|id| ("customer_id", id.as_str())));
    let res = issue(&n.admin, &fields).await;
    assert_eq!(res.status, 422);
    assert!(res.contains("id=\"e-customer_id\""));
    assert_eq!(coupons_of(&n.app, grant), 0);
    assert_ledger_verifies(&n.app);
}

#[tokio::test]
async fn a_frozen_grant_issues_nothing() {
    let n = northwind().await;
    let org = org_id(&n.app, "Northwind Distribution");
    let grant = voucher_grant(&n.app, org, "1000");
    n.app.count(&format!(
        "WITH u AS (UPDATE quota_grants SET state = 'frozen' WHERE id = {grant} RETURNING 1) \
         SELECT count(*) AS n FROM u"
    ));
    let g = grant.to_string();
    let res = issue(
        &n.admin,
        &[
            ("grant_id", &g),
            ("customer_id", &n.acme),
            ("face_value", "10"),
        ],
    )
    .await;
    assert_eq!(res.status, 422);
    assert!(res.contains("id=\"e-grant_id\""), "{}", res.body);
    assert_eq!(coupons_of(&n.app, grant), 0);
    assert_eq!(grant_cents(&n.app, grant), 100_000);
    assert_ledger_verifies(&n.app);
}

#[tokio::test]
async fn k5_refuses_a_restricted_cash_coupon_per_customer_and_issues_to_none_of_them() {
    let n = northwind().await;
    let org = org_id(&n.app, "Northwind Distribution");
    let grant = grant_with(
        &n.app,
        org,
        CouponKind::CashCoupon,
        "1000",
        (0, 90),
        &[],
        true,
    );
    // Globex (advisory) signs with another entity; a third customer is advisory and signs
    // with Northwind's own, so nothing stands against it.
    n.app.count(&format!(
        "WITH u AS (UPDATE customers SET signing_entity = 'Other Entity Ltd' WHERE id = {} \
         RETURNING 1) SELECT count(*) AS n FROM u",
        n.globex
    ));
    let fine = n.app.id_of(&format!(
        "WITH c AS (SELECT id FROM customers WHERE partner_id = {org} AND id NOT IN ({}, {}) \
         ORDER BY id LIMIT 1) UPDATE customers SET association_type = 'advisory', \
         signing_entity = (SELECT signing_entity FROM organizations WHERE id = {org}) \
         WHERE id = (SELECT id FROM c) RETURNING id AS n",
        n.acme, n.globex
    ));
    let initech = customer_id(&n.app, "ops@initech.test").to_string();
    let (g, f) = (grant.to_string(), fine.to_string());
    let res = issue(
        &n.admin,
        &[
            ("grant_id", &g),
            ("customer_id", &n.acme),
            ("customer_id", &n.globex),
            ("customer_id", &f),
            ("customer_id", &initech),
            ("face_value", "50"),
        ],
    )
    .await;
    assert_eq!(res.status, 422, "{}", res.body);
    let table = &res.body[res.body.find("id=\"issue-reasons\"").expect("reason table")..];
    let row_of = |needle: &str| {
        let at = table
            .find(needle)
            .unwrap_or_else(|| panic!("{needle} in {table}"));
        table[at..].split("</tr>").next().unwrap().to_string()
    };
    assert!(row_of("Acme").contains("resale customer"));
    assert!(row_of("Globex").contains("signing entity differs"));
    assert!(row_of(&format!("#{initech}")).contains("not one of your customers"));
    assert!(
        !table.contains("Initech"),
        "another organisation's customer stays unnamed"
    );
    let fine_company: String = {
        use diesel::prelude::*;
        use partner_center::db::schema::customers;
        customers::table
            .find(fine)
            .select(customers::company)
            .first(&mut n.app.conn())
            .unwrap()
    };
    assert!(row_of(&fine_company).contains("Nothing against"));
    assert_eq!(coupons_of(&n.app, grant), 0);
    assert_eq!(grant_cents(&n.app, grant), 100_000);
    // The fine customer alone gets it.
    let alone = issue(
        &n.admin,
        &[("grant_id", &g), ("customer_id", &f), ("face_value", "50")],
    )
    .await;
    assert_eq!(alone.status, 303, "{}", alone.body);
    assert_eq!(coupons_of(&n.app, grant), 1);
    assert_ledger_verifies(&n.app);
}
