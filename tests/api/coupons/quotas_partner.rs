//! `/partner/coupons/quotas` (rules K1, K2a, C10): the partner sees each grant with used and
//! available; supervisors read, managers get 403; another organisation's grant is 404; every
//! quota page is valid HTML.

use super::{assert_ledger_verifies, issue_to_acme, org_id, voucher_grant};
use crate::support::http::form_key;
use crate::support::{html, spawn_app};

/// The table row of one grant on the quotas page.
fn row<'a>(body: &'a str, id: &str) -> &'a str {
    let start = body.find(&format!("id=\"{id}\"")).expect("row");
    let end = body[start..].find("</tr>").unwrap() + start;
    &body[start..end]
}

#[tokio::test]
async fn the_partner_sees_each_grant_with_used_and_available() {
    let app = spawn_app().await;
    let nw = org_id(&app, "Northwind Distribution");
    let grant = voucher_grant(&app, nw, "1000");
    let other = voucher_grant(&app, nw, "300");
    issue_to_acme(&app, grant, "250");
    for email in ["admin@northwind.test", "lead@northwind.test"] {
        let c = app.signed_in(email).await;
        let page = c.get("/partner/coupons/quotas").await;
        assert_eq!(page.status, 200, "{email}");
        let line = row(&page.body, &format!("grant-{grant}"));
        assert!(
            line.contains("1,000.00") && line.contains("250.00") && line.contains("750.00"),
            "{line}"
        );
        assert!(row(&page.body, &format!("grant-{other}")).contains("300.00"));
        let detail = c.get(&format!("/partner/coupons/quotas/{grant}")).await;
        assert_eq!(detail.status, 200);
        assert!(
            detail.contains("-250.00") && detail.contains("+1,000.00"),
            "entries"
        );
        assert_eq!(
            detail.contains(&format!("/partner/coupons/quotas/{grant}/pass")),
            email.starts_with("admin"),
            "only admins pass"
        );
    }
    // The account page lists each grant on its own line, reading without opening anything.
    let admin = app.signed_in("admin@northwind.test").await;
    let accounts = app.count("SELECT count(*) AS n FROM ledger_accounts");
    let page = admin.get("/partner/account").await;
    assert!(page.contains(&format!("href=\"/partner/coupons/quotas/{grant}\"")));
    assert!(page.contains(&format!("href=\"/partner/coupons/quotas/{other}\"")));
    assert_eq!(
        app.count("SELECT count(*) AS n FROM ledger_accounts"),
        accounts
    );
    assert_ledger_verifies(&app);
}

#[tokio::test]
async fn managers_get_403_supervisors_only_read_and_other_organisations_grants_are_not_found() {
    let app = spawn_app().await;
    let nw = org_id(&app, "Northwind Distribution");
    let contoso = org_id(&app, "Contoso Solutions");
    let grant = voucher_grant(&app, nw, "500");
    let theirs = voucher_grant(&app, contoso, "500");
    let pages = [
        "/partner/coupons/quotas".to_string(),
        format!("/partner/coupons/quotas/{grant}"),
        format!("/partner/coupons/quotas/{grant}/pass"),
    ];
    let manager = app.signed_in("mgr1@northwind.test").await;
    for p in &pages {
        assert_eq!(manager.get(p).await.status, 403, "{p}");
    }
    let supervisor = app.signed_in("lead@northwind.test").await;
    assert_eq!(supervisor.get(&pages[0]).await.status, 200);
    assert_eq!(supervisor.get(&pages[1]).await.status, 200);
    assert_eq!(supervisor.get(&pages[2]).await.status, 403);
    let bb = org_id(&app, "Bluebird Cloud").to_string();
    for c in [&manager, &supervisor] {
        let token = c.get("/partner").await.csrf();
        let pass = c
            .post_raw(
                &pages[2],
                &[
                    ("csrf_token", token.as_str()),
                    ("reseller_id", bb.as_str()),
                    ("amount", "10"),
                    ("key", "abcdef-123456"),
                ],
            )
            .await;
        assert_eq!(pass.status, 403);
        let reclaim = c
            .post_raw(
                &format!("/partner/coupons/quotas/{grant}/reclaim"),
                &[("csrf_token", token.as_str())],
            )
            .await;
        assert_eq!(reclaim.status, 403);
    }
    // A reseller's and a solution provider's admins pass nothing.
    let bluebird_grant = voucher_grant(&app, bb.parse().unwrap(), "100");
    for (email, g) in [
        ("admin@bluebird.test", bluebird_grant),
        ("admin@contoso.test", theirs),
    ] {
        let c = app.signed_in(email).await;
        assert_eq!(
            c.get(&format!("/partner/coupons/quotas/{g}")).await.status,
            200
        );
        let pass = format!("/partner/coupons/quotas/{g}/pass");
        assert_eq!(c.get(&pass).await.status, 403, "{email}");
    }
    let admin = app.signed_in("admin@northwind.test").await;
    for p in [
        format!("/partner/coupons/quotas/{theirs}"),
        format!("/partner/coupons/quotas/{theirs}/pass"),
        "/partner/coupons/quotas/987654321".into(),
        "/partner/coupons/quotas/abc".into(),
    ] {
        assert_eq!(admin.get(&p).await.status, 404, "{p}");
    }
    assert!(
        !admin
            .get("/partner/coupons/quotas")
            .await
            .contains(&format!("grant-{theirs}\""))
    );
    assert_eq!(grant_is_untouched(&app, grant), 50_000);
}

fn grant_is_untouched(app: &crate::support::TestApp, grant: i64) -> i64 {
    super::grant_cents(app, grant)
}

#[tokio::test]
async fn quota_pages_are_valid_html() {
    let app = spawn_app().await;
    let nw = org_id(&app, "Northwind Distribution");
    let bb = org_id(&app, "Bluebird Cloud");
    let grant = voucher_grant(&app, nw, "1000");
    let mut pages = Vec::new();
    let admin = app.signed_in("admin@northwind.test").await;
    let pass = format!("/partner/coupons/quotas/{grant}/pass");
    let form = admin.get(&pass).await;
    let key = form_key(&form.body);
    let bbs = bb.to_string();
    let result = admin
        .submit(
            &pass,
            &pass,
            &[
                ("reseller_id", bbs.as_str()),
                ("amount", "100"),
                ("key", key.as_str()),
            ],
        )
        .await;
    assert_eq!(result.status, 200);
    pages.push(("pass-result".to_string(), result.body));
    let refused = admin
        .submit(&pass, &pass, &[("amount", "1.234"), ("key", key.as_str())])
        .await;
    assert_eq!(refused.status, 422);
    pages.push(("pass-refused".into(), refused.body));
    for p in [
        "/partner/coupons/quotas".to_string(),
        format!("/partner/coupons/quotas/{grant}"),
        pass.clone(),
        "/partner/account".into(),
    ] {
        let res = admin.get(&p).await;
        assert_eq!(res.status, 200, "{p}");
        pages.push((p, res.body));
    }
    let reseller = app.signed_in("admin@bluebird.test").await;
    pages.push((
        "bluebird-quotas".into(),
        reseller.get("/partner/coupons/quotas").await.body,
    ));
    let ops = app.signed_in("ops@demo.test").await;
    let adjust = format!("/ops/quotas/{grant}/adjust");
    let bad = ops
        .submit(&format!("/ops/quotas/{grant}"), &adjust, &[("delta", "x")])
        .await;
    pages.push(("ops-adjust-refused".into(), bad.body));
    ops.submit(&format!("/ops/quotas/{grant}"), &adjust, &[("delta", "5")])
        .await;
    let refused_grant = ops
        .submit(
            "/ops/quotas/new",
            "/ops/quotas",
            &[("amount", "x"), ("scope", "ECS"), ("key", key.as_str())],
        )
        .await;
    assert_eq!(refused_grant.status, 422);
    pages.push(("ops-grant-refused".into(), refused_grant.body));
    for p in [
        "/ops/quotas".to_string(),
        "/ops/quotas/new".into(),
        format!("/ops/quotas/{grant}"),
    ] {
        let res = ops.get(&p).await;
        assert_eq!(res.status, 200, "{p}");
        pages.push((p, res.body));
    }
    html::assert_valid(&pages);
}
