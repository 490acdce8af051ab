//! `/ops/quotas` (rules K1, K2a): operators grant, adjust (propose → adjusting → approve or
//! reject), freeze, unfreeze and withdraw partners' quota over HTTP with CSRF; a grant that is
//! not normal issues nothing; malformed input is refused beside its field with values kept.

mod forms;

use partner_center::services::coupons::CouponRefusal;
use partner_center::services::coupons::issue::IssueOutcome;

use super::{
    assert_ledger_verifies, coupon_cents, grant_cents, issue_to_acme, org_id, platform_cents,
    voucher_grant,
};
use crate::support::http::form_key;
use crate::support::{TestApp, spawn_app};

fn refused_with(outcome: IssueOutcome, reason: CouponRefusal) {
    match outcome {
        IssueOutcome::Refused(lines) => assert_eq!(lines[0].1, Some(reason)),
        IssueOutcome::Issued(_) => panic!("issued, expected {reason:?}"),
    }
}

fn state_of(app: &TestApp, grant: i64) -> String {
    let mut conn = app.conn();
    use diesel::prelude::*;
    use partner_center::db::schema::quota_grants;
    quota_grants::table
        .find(grant)
        .select(quota_grants::state)
        .first(&mut conn)
        .unwrap()
}

fn amount_cents(app: &TestApp, grant: i64) -> i64 {
    app.count(&format!(
        "SELECT (amount * 100)::bigint AS n FROM quota_grants WHERE id = {grant}"
    ))
}

#[tokio::test]
async fn an_operator_grants_quota_from_the_form_once_and_the_partner_finds_it_in_its_audit_log() {
    let app = spawn_app().await;
    let nw = org_id(&app, "Northwind Distribution");
    let ops = app.signed_in("ops@demo.test").await;
    let form = ops.get("/ops/quotas/new").await;
    assert_eq!(form.status, 200);
    assert!(form.contains("Northwind Distribution") && form.contains("name=\"scope\""));
    let key = form_key(&form.body);
    let today = partner_center::services::coupons::today();
    let until = (today + chrono::Duration::days(60)).to_string();
    let partner = nw.to_string();
    let fields = [
        ("partner", partner.as_str()),
        ("kind", "cash_coupon"),
        ("amount", "5,000.00"),
        ("valid_from", &today.to_string()),
        ("valid_until", until.as_str()),
        ("scope", "ECS"),
        ("scope", "OBS"),
        ("invoice_restricted", "1"),
        ("remark", "Q1 cash quota"),
        ("key", key.as_str()),
    ];
    let res = ops.submit("/ops/quotas/new", "/ops/quotas", &fields).await;
    assert_eq!(res.status, 303, "{}", res.body);
    let location = res.location.clone().unwrap();
    let id: i64 = location.rsplit('/').next().unwrap().parse().unwrap();
    assert_eq!(grant_cents(&app, id), 500_000);
    let again = ops.submit("/ops/quotas/new", "/ops/quotas", &fields).await;
    assert_eq!(
        again.location.as_deref(),
        Some(location.as_str()),
        "granted once"
    );
    assert_eq!(
        app.count("SELECT count(*) AS n FROM quota_grants WHERE remark = 'Q1 cash quota'"),
        1
    );
    let page = ops.get(&location).await;
    assert!(
        page.contains("Quota granted") || page.contains("额度已发放"),
        "flash"
    );
    assert!(page.contains("ECS, OBS") && page.contains("5,000.00"));
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) AS n FROM audit_log WHERE action = 'quota.granted' AND org_id = {nw} \
             AND subject_id = '{id}'"
        )),
        1
    );
    let admin = app.signed_in("admin@northwind.test").await;
    let audit = admin.get("/partner/audit").await;
    assert!(
        audit.contains("quota.granted"),
        "the partner's admins see it"
    );
    let list = ops
        .get("/ops/quotas?q=northwind&kind=cash_coupon&state=normal")
        .await;
    assert!(list.contains(&format!("href=\"/ops/quotas/{id}\"")));
    for other in [
        "/ops/quotas?q=Contoso",
        "/ops/quotas?kind=voucher",
        "/ops/quotas?state=frozen",
    ] {
        let list = ops.get(other).await;
        assert!(
            !list.contains(&format!("href=\"/ops/quotas/{id}\"")),
            "{other}"
        );
    }
    assert_ledger_verifies(&app);
}

#[tokio::test]
async fn an_adjustment_waits_then_approval_changes_the_balance_and_rejection_leaves_it() {
    let app = spawn_app().await;
    let nw = org_id(&app, "Northwind Distribution");
    let grant = voucher_grant(&app, nw, "1000");
    let platform = platform_cents(&app);
    let ops = app.signed_in("ops@demo.test").await;
    let page = format!("/ops/quotas/{grant}");
    let adjust = format!("/ops/quotas/{grant}/adjust");
    let res = ops
        .submit(&page, &adjust, &[("delta", "+500"), ("remark", "more")])
        .await;
    assert_eq!(res.status, 303);
    assert_eq!(state_of(&app, grant), "adjusting");
    // rule K2a: an adjusting grant issues nothing and nothing moved yet.
    refused_with(
        issue_to_acme(&app, grant, "10"),
        CouponRefusal::GrantNotNormal,
    );
    assert_eq!(grant_cents(&app, grant), 100_000);
    let second = ops.submit(&page, &adjust, &[("delta", "1")]).await;
    assert_eq!(second.status, 422, "one pending adjustment per grant");
    let adj = app.id_of(&format!(
        "SELECT id AS n FROM quota_adjustments WHERE grant_id = {grant} AND state = 'pending'"
    ));
    let shown = ops.get(&page).await;
    assert!(shown.contains(&format!("/ops/quotas/adjustments/{adj}/approve")));
    let approve = format!("/ops/quotas/adjustments/{adj}/approve");
    assert_eq!(ops.submit(&page, &approve, &[]).await.status, 303);
    assert_eq!(grant_cents(&app, grant), 150_000);
    assert_eq!(amount_cents(&app, grant), 150_000);
    assert_eq!(platform_cents(&app), platform - 50_000);
    assert_eq!(state_of(&app, grant), "normal");
    // A second decision is refused and changes nothing.
    let twice = ops.submit(&page, &approve, &[]).await;
    assert_eq!(twice.status, 303);
    let shown = ops.get(&page).await;
    assert!(shown.contains("已处理过") || shown.contains("decided already"));
    let reject_late = format!("/ops/quotas/adjustments/{adj}/reject");
    assert_eq!(ops.submit(&page, &reject_late, &[]).await.status, 303);
    assert_eq!(grant_cents(&app, grant), 150_000);
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) AS n FROM quota_adjustments WHERE id = {adj} AND state = 'approved'"
        )),
        1
    );
    // A decrease rejected leaves the balance; a decrease larger than what is left is refused.
    ops.submit(&page, &adjust, &[("delta", "-200")]).await;
    let adj2 = app.id_of(&format!(
        "SELECT id AS n FROM quota_adjustments WHERE grant_id = {grant} AND state = 'pending'"
    ));
    let reject = format!("/ops/quotas/adjustments/{adj2}/reject");
    assert_eq!(ops.submit(&page, &reject, &[]).await.status, 303);
    assert_eq!(grant_cents(&app, grant), 150_000);
    assert_eq!(state_of(&app, grant), "normal");
    let too_much = ops.submit(&page, &adjust, &[("delta", "-1500.01")]).await;
    assert_eq!(too_much.status, 422);
    assert!(too_much.contains("value=\"-1500.01\"") && too_much.contains("aria-invalid"));
    // An approved decrease goes back to the platform.
    ops.submit(&page, &adjust, &[("delta", "-0.50")]).await;
    let adj3 = app.id_of(&format!(
        "SELECT id AS n FROM quota_adjustments WHERE grant_id = {grant} AND state = 'pending'"
    ));
    let approve3 = format!("/ops/quotas/adjustments/{adj3}/approve");
    ops.submit(&page, &approve3, &[]).await;
    assert_eq!(grant_cents(&app, grant), 149_950);
    assert_eq!(platform_cents(&app), platform - 49_950);
    assert!(matches!(
        issue_to_acme(&app, grant, "10"),
        IssueOutcome::Issued(_)
    ));
    assert_ledger_verifies(&app);
}

#[tokio::test]
async fn a_frozen_grant_issues_nothing_and_a_withdrawn_one_returns_the_rest_to_the_platform() {
    let app = spawn_app().await;
    let nw = org_id(&app, "Northwind Distribution");
    let grant = voucher_grant(&app, nw, "1000");
    let platform = platform_cents(&app);
    let ops = app.signed_in("ops@demo.test").await;
    let page = format!("/ops/quotas/{grant}");
    let freeze = format!("/ops/quotas/{grant}/freeze");
    assert_eq!(
        ops.submit(&page, &freeze, &[("remark", "audit")])
            .await
            .status,
        303
    );
    assert_eq!(state_of(&app, grant), "frozen");
    refused_with(
        issue_to_acme(&app, grant, "10"),
        CouponRefusal::GrantNotNormal,
    );
    let unfreeze = format!("/ops/quotas/{grant}/unfreeze");
    assert_eq!(ops.submit(&page, &unfreeze, &[]).await.status, 303);
    assert_eq!(state_of(&app, grant), "normal");
    let IssueOutcome::Issued(coupons) = issue_to_acme(&app, grant, "100") else {
        panic!("a normal grant issues again");
    };
    assert_eq!(coupon_cents(&app, coupons[0]), 10_000);
    let withdraw = format!("/ops/quotas/{grant}/withdraw");
    assert_eq!(
        ops.submit(&page, &withdraw, &[("remark", "contract ended")])
            .await
            .status,
        303
    );
    assert_eq!(state_of(&app, grant), "invalid");
    assert_eq!(grant_cents(&app, grant), 0);
    assert_eq!(platform_cents(&app), platform + 90_000);
    refused_with(
        issue_to_acme(&app, grant, "1"),
        CouponRefusal::GrantNotNormal,
    );
    // An invalid grant is never frozen or unfrozen back to life.
    ops.submit(&page, &freeze, &[]).await;
    ops.submit(&page, &unfreeze, &[]).await;
    assert_eq!(state_of(&app, grant), "invalid");
    let shown = ops.get(&page).await;
    assert!(!shown.contains(&freeze) && !shown.contains(&withdraw));
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) AS n FROM audit_log WHERE org_id = {nw} AND subject_id = '{grant}' \
             AND action IN ('quota.frozen', 'quota.unfrozen', 'quota.invalid')"
        )),
        3
    );
    assert_ledger_verifies(&app);
}
