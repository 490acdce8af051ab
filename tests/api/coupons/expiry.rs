//! The expiry job (rules K2a, K3): usable coupons past their validity expire, an expired cash
//! coupon's value returns to its grant (a voucher's lapses), past grants become invalid; once,
//! however many times or instances run it.

use partner_center::domain::Caller;
use partner_center::services::coupons::recover::expire_due;

use super::{
    assert_ledger_verifies, cash_grant, coupon_cents, customer_id, grant_cents, ids_on, issue_one,
    make_past, org_id, use_up, voucher_grant,
};
use crate::support::{TestApp, spawn_app};

fn state_is(app: &TestApp, table: &str, id: i64, state: &str) -> bool {
    app.count(&format!(
        "SELECT count(*) AS n FROM {table} WHERE id = {id} AND state = '{state}'"
    )) == 1
}

fn expiry_audits(app: &TestApp, coupon: i64) -> i64 {
    app.count(&format!(
        "SELECT count(*) AS n FROM ledger_transfers WHERE kind = 'coupon_expiry' \
         AND idempotency_key = 'coupon_expiry:{coupon}'"
    ))
}

#[tokio::test]
async fn the_expiry_job_returns_cash_coupon_value_lets_vouchers_lapse_and_invalidates_past_grants()
{
    let app = spawn_app().await;
    let nw = org_id(&app, "Northwind Distribution");
    let acme = customer_id(&app, "it@acme.test");
    let vouchers = voucher_grant(&app, nw, "100.00");
    let cash = cash_grant(&app, nw, "100.00");
    let voucher = issue_one(&app, vouchers, acme, "10.00");
    let cash_coupon = issue_one(&app, cash, acme, "20.00");
    let current = issue_one(&app, cash, acme, "5.00");
    let used = issue_one(&app, cash, acme, "6.00");
    use_up(&app, used);
    for c in [voucher, cash_coupon, used] {
        make_past(&app, c);
    }
    let past_grant = voucher_grant(&app, nw, "50.00");
    app.count(&format!(
        "WITH u AS (UPDATE quota_grants SET valid_from = current_date - 30, \
         valid_until = current_date - 2 WHERE id = {past_grant} RETURNING 1) \
         SELECT count(*) AS n FROM u"
    ));
    let expired = expire_due(&mut app.conn(), &Caller::system("expiry")).unwrap();
    assert!(expired >= 2, "{expired}");
    assert!(state_is(&app, "coupons", voucher, "expired"));
    assert!(state_is(&app, "coupons", cash_coupon, "expired"));
    assert!(state_is(&app, "coupons", current, "usable"), "still valid");
    assert!(
        state_is(&app, "coupons", used, "used"),
        "a used coupon stays used"
    );
    // rule K3: the cash coupon's value is back on its grant; the voucher's lapsed with it.
    assert_eq!(grant_cents(&app, cash), 10000 - 500 - 600);
    assert_eq!(coupon_cents(&app, cash_coupon), 0);
    assert_eq!(grant_cents(&app, vouchers), 10000 - 1000);
    assert_eq!(coupon_cents(&app, voucher), 1000);
    assert!(state_is(&app, "quota_grants", past_grant, "invalid"));
    // Every state change is audited (rule X1): the lapsed voucher and the invalid grant too.
    for (action, id) in [
        ("coupon.expired", voucher),
        ("coupon.expired", cash_coupon),
        ("quota.invalid", past_grant),
    ] {
        assert_eq!(
            app.count(&format!(
                "SELECT count(*) AS n FROM audit_log WHERE action = '{action}' AND subject_id = '{id}'"
            )),
            1,
            "{action} {id}"
        );
    }
    assert!(state_is(&app, "quota_grants", vouchers, "normal"));
    // The coupon's page shows the expiry in its history.
    let admin = app.signed_in("admin@northwind.test").await;
    let page = admin.get(&format!("/partner/coupons/{cash_coupon}")).await;
    assert!(page.contains("entry-coupon_expiry") && page.contains("state-expired"));
    let list = admin
        .get(&format!("/partner/coupons?state=expired&grant={cash}"))
        .await;
    assert_eq!(ids_on(&list.body), vec![cash_coupon]);
    assert_ledger_verifies(&app);
}

#[tokio::test]
async fn running_the_expiry_job_twice_or_from_two_connections_at_once_expires_once() {
    let app = spawn_app().await;
    let nw = org_id(&app, "Northwind Distribution");
    let acme = customer_id(&app, "it@acme.test");
    let cash = cash_grant(&app, nw, "1000.00");
    let coupons: Vec<i64> = (0..30)
        .map(|_| issue_one(&app, cash, acme, "10.00"))
        .collect();
    for c in &coupons {
        make_past(&app, *c);
    }
    let run = |app: &TestApp| {
        let mut conn = app.conn();
        move || expire_due(&mut conn, &Caller::system("expiry")).unwrap()
    };
    let (one, two) = (run(&app), run(&app));
    let a = std::thread::spawn(one);
    let b = std::thread::spawn(two);
    let total = a.join().unwrap() + b.join().unwrap();
    assert!(total >= 30, "{total}");
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) AS n FROM coupons WHERE grant_id = {cash} AND state = 'expired'"
        )),
        30
    );
    let again = expire_due(&mut app.conn(), &Caller::system("expiry")).unwrap();
    assert_eq!(again, 0, "nothing left to expire");
    for c in &coupons {
        assert_eq!(expiry_audits(&app, *c), 1, "one transfer for {c}");
        assert_eq!(coupon_cents(&app, *c), 0);
    }
    assert_eq!(
        grant_cents(&app, cash),
        100000,
        "every cash coupon's value back once"
    );
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) AS n FROM audit_log WHERE action = 'coupon.expired' \
             AND subject_id IN ({})",
            coupons
                .iter()
                .map(|c| format!("'{c}'"))
                .collect::<Vec<_>>()
                .join(",")
        )),
        30,
        "one audit row per coupon"
    );
    assert_ledger_verifies(&app);
}
