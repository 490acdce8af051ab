//! rule K2, SPEC §4: a grant never goes below zero, also under concurrent issues.

use super::super::{assert_ledger_verifies, customer_id, grant_cents, org_id, voucher_grant};
use super::{FORM, coupons_of};
use crate::support::{Options, spawn_app_with};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_grant_never_goes_below_zero_under_twenty_concurrent_issues() {
    let app = spawn_app_with(Options::default().env("PC_DB_POOL", "8")).await;
    let org = org_id(&app, "Northwind Distribution");
    let grant = voucher_grant(&app, org, "1000");
    let admin = app.signed_in("admin@northwind.test").await;
    let token = admin.get(FORM).await.csrf();
    let acme = customer_id(&app, "it@acme.test").to_string();
    let mut tasks = Vec::new();
    for _ in 0..20 {
        let http = admin.http.clone();
        let url = format!("{}{FORM}", admin.base);
        let (token, acme, g) = (token.clone(), acme.clone(), grant.to_string());
        tasks.push(tokio::spawn(async move {
            let key = uuid::Uuid::new_v4().to_string();
            let res = http
                .post(url)
                .form(&[
                    ("csrf_token", token.as_str()),
                    ("key", &key),
                    ("action", "issue"),
                    ("grant_id", &g),
                    ("customer_id", &acme),
                    ("face_value", "150.00"),
                ])
                .send()
                .await
                .expect("POST");
            res.status().as_u16()
        }));
    }
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.unwrap());
    }
    let issued = statuses.iter().filter(|s| **s == 303).count();
    assert_eq!(
        issued + statuses.iter().filter(|s| **s == 422).count(),
        20,
        "{statuses:?}"
    );
    // 1000 / 150: six fit, the rest are refused.
    assert_eq!(issued, 6, "{statuses:?}");
    assert_eq!(coupons_of(&app, grant), 6);
    let sum = app.count(&format!(
        "SELECT (COALESCE(sum(face_value), 0) * 100)::bigint AS n FROM coupons WHERE grant_id = {grant}"
    ));
    assert!(sum <= 100_000);
    assert_eq!(grant_cents(&app, grant), 100_000 - sum);
    assert!(grant_cents(&app, grant) >= 0);
    assert_ledger_verifies(&app);
}
