//! A file larger than one fan-out (`ledger::fan_out::MAX_LEGS` legs) issues in chunks inside
//! its one transaction: every row a coupon with its own transfer, entries and audit rows, the
//! grant's running balance intact, and a second confirm issues nothing more.

use super::{admin, confirm, upload, upload_id};
use crate::coupons::{assert_ledger_verifies, customer_id, grant_cents, org_id, voucher_grant};
use crate::support::spawn_app;

#[tokio::test]
async fn a_file_of_two_and_a_half_thousand_rows_issues_every_row_once_in_chunks() {
    let app = spawn_app().await;
    let c = admin(&app).await;
    let org = org_id(&app, "Northwind Distribution");
    let grant = voucher_grant(&app, org, "10000");
    let acme = customer_id(&app, "it@acme.test");
    let globex = customer_id(&app, "cfo@globex.test");
    let mut csv = String::from("customer,face_value,valid_until\n");
    let mut cents = 0;
    for i in 0..2_500 {
        // 1.00 … 3.00 in turn.
        let who = if i % 2 == 0 { acme } else { globex };
        csv.push_str(&format!("{who},{}.00,\n", i % 3 + 1));
        cents += (i % 3 + 1) * 100;
    }
    let preview = upload(&c, grant, csv.as_bytes()).await;
    assert_eq!(preview.status, 200, "{}", preview.body);
    let id = upload_id(&preview);
    let done = confirm(&c, id).await;
    assert_eq!(done.status, 303, "{}", done.body);

    let of_grant = format!("FROM coupons WHERE grant_id = {grant}");
    assert_eq!(
        app.count(&format!("SELECT count(*) AS n {of_grant}")),
        2_500
    );
    assert_eq!(grant_cents(&app, grant), 1_000_000 - cents);
    // Each coupon holds its face value, received by exactly one transfer from the grant.
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) AS n FROM coupons c JOIN ledger_accounts a ON a.id = c.account_id \
             JOIN quota_grants g ON g.id = c.grant_id \
             JOIN ledger_transfers t ON t.to_account_id = a.id \
               AND t.from_account_id = g.account_id AND t.kind = 'coupon_issue' \
               AND t.amount = c.face_value AND t.idempotency_key = 'issue:' || c.issue_key \
             WHERE c.grant_id = {grant} AND a.balance = c.face_value"
        )),
        2_500
    );
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) AS n FROM audit_log WHERE action = 'coupon.issued' \
             AND subject_type = 'coupon' AND subject_id IN (SELECT id::text {of_grant})"
        )),
        2_500,
        "one audit row per coupon"
    );
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) AS n FROM audit_log a JOIN ledger_transfers t \
               ON a.action = 'ledger.transfer' AND a.subject_id = t.id::text \
             JOIN quota_grants g ON g.account_id = t.from_account_id WHERE g.id = {grant} \
               AND t.kind = 'coupon_issue'"
        )),
        2_500,
        "one ledger audit row per transfer"
    );
    // The grant's entries carry its running balance in entry order.
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) AS n FROM (SELECT e.balance_after, \
               sum(e.amount) OVER (ORDER BY e.id ROWS UNBOUNDED PRECEDING) AS running \
             FROM ledger_entries e JOIN quota_grants g ON g.account_id = e.account_id \
             WHERE g.id = {grant}) x WHERE balance_after <> running"
        )),
        0
    );

    let again = confirm(&c, id).await;
    assert_eq!(again.status, 303);
    assert_eq!(
        app.count(&format!("SELECT count(*) AS n {of_grant}")),
        2_500
    );
    assert_eq!(grant_cents(&app, grant), 1_000_000 - cents);
    assert_ledger_verifies(&app);
}
