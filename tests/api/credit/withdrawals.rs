//! rule P4 on `/partner/account`: withdrawable = cash − owed in invoices − not yet posted −
//! arrears of sub-customers; a request beyond it is refused with the form kept; a pending
//! request is held at once (cash and withdrawable drop) and released on rejection or cancel;
//! approval moves it out of the platform (`/ops/withdrawals`).

use crate::credit::*;
use crate::support::html::assert_valid;
use crate::support::http::form_key;
use crate::support::{TestApp, spawn_app};

fn last_withdrawal(app: &TestApp) -> i64 {
    app.id_of("SELECT max(id) AS n FROM withdrawals")
}

fn state_of(app: &TestApp, id: i64) -> String {
    let approved = app.count(&format!(
        "SELECT count(*) AS n FROM withdrawals WHERE id = {id} AND state = 'approved'"
    ));
    let rejected = app.count(&format!(
        "SELECT count(*) AS n FROM withdrawals WHERE id = {id} AND state = 'rejected'"
    ));
    let cancelled = app.count(&format!(
        "SELECT count(*) AS n FROM withdrawals WHERE id = {id} AND state = 'cancelled'"
    ));
    match (approved, rejected, cancelled) {
        (1, _, _) => "approved",
        (_, 1, _) => "rejected",
        (_, _, 1) => "cancelled",
        _ => "pending",
    }
    .to_string()
}

#[tokio::test]
async fn a_request_beyond_the_withdrawable_amount_is_refused_with_the_form_kept() {
    let app = spawn_app().await;
    let nw = northwind(&app);
    let admin = app.signed_in("admin@northwind.test").await;
    let page = admin.get("/partner/account").await;
    let can = withdrawable_on(&page.body).replace(',', "");
    let over = (dec(&can) + dec("0.01")).to_string();
    let (cash0, rows0) = (cash(&app, nw), last_withdrawal(&app));
    let res = request(&admin, &over).await;
    assert_eq!(res.status, 422);
    assert!(
        res.contains(&format!("value=\"{over}\"")),
        "the typed amount is kept"
    );
    assert!(res.contains("more than the withdrawable amount") || res.contains("超过可提现"));
    assert_eq!((cash(&app, nw), last_withdrawal(&app)), (cash0, rows0));
    // Malformed amounts come back beside the field.
    for bad in ["", "abc", "-5", "0", "1.234", "1e3", "1,5"] {
        let res = request(&admin, bad).await;
        assert_eq!(res.status, 422, "{bad}");
        assert!(res.contains("aria-invalid=\"true\""), "{bad}");
    }
    assert_eq!(last_withdrawal(&app), rows0);
    // Only admins request: the supervisor is refused.
    let lead = app.signed_in("lead@northwind.test").await;
    assert_eq!(lead.get("/partner/account").await.status, 403);
    let token = lead.get("/partner").await.csrf();
    let res = lead
        .post_raw(
            "/partner/account/withdrawals",
            &[
                ("csrf_token", &token),
                ("amount", "1"),
                ("key", "abcdefgh-1234"),
            ],
        )
        .await;
    assert_eq!(res.status, 403);
    ledger_ok(&app);
}

#[tokio::test]
async fn a_pending_request_is_held_and_released_on_rejection_and_on_cancel_and_paid_on_approval() {
    let app = spawn_app().await;
    let nw = northwind(&app);
    let admin = app.signed_in("admin@northwind.test").await;
    let ops = app.signed_in("ops@demo.test").await;
    let w0 = dec(&withdrawable_on(&admin.get("/partner/account").await.body).replace(',', ""));
    let (cash0, held0) = (cash(&app, nw), held(&app, nw));

    // Requested: held at once, out of the withdrawable amount; a double submit is one request.
    let key = form_key(&admin.get("/partner/account").await.body);
    for _ in 0..2 {
        let res = admin
            .submit(
                "/partner/account",
                "/partner/account/withdrawals",
                &[("amount", "1000.00"), ("key", &key)],
            )
            .await;
        assert_eq!(res.status, 303, "{}", res.body);
    }
    let id = last_withdrawal(&app);
    assert_eq!(
        app.count("SELECT count(*) AS n FROM withdrawals WHERE state = 'pending'"),
        2
    );
    assert_eq!(cash(&app, nw), cash0 - dec("1000.00"));
    assert_eq!(held(&app, nw), held0 + dec("1000.00"));
    let page = admin.get("/partner/account").await;
    assert_eq!(withdrawable_on(&page.body), shown(w0 - dec("1000.00")));
    assert!(page.contains(&format!("id=\"withdrawal-{id}\"")));

    // The operator lists it (pending first) and rejects it with a reason: released.
    let list = ops.get("/ops/withdrawals").await;
    assert!(list.contains(&format!("id=\"withdrawal-{id}\"")));
    let one = format!("/ops/withdrawals/{id}");
    let res = ops
        .submit(&one, &format!("{one}/reject"), &[("reason", " ")])
        .await;
    assert_eq!(res.status, 422, "a reason is required");
    assert_eq!(state_of(&app, id), "pending");
    let res = ops
        .submit(
            &one,
            &format!("{one}/reject"),
            &[("reason", "bank details missing")],
        )
        .await;
    assert_eq!(res.status, 303);
    assert_eq!(state_of(&app, id), "rejected");
    assert_eq!((cash(&app, nw), held(&app, nw)), (cash0, held0));
    let res = ops
        .submit("/ops/withdrawals", &format!("{one}/approve"), &[])
        .await;
    assert_eq!(res.status, 409, "decided once");
    assert!(
        admin
            .get("/partner/account")
            .await
            .contains("bank details missing")
    );

    // Requested again and cancelled by the partner: released.
    assert_eq!(request(&admin, "400.00").await.status, 303);
    let id = last_withdrawal(&app);
    assert_eq!(cash(&app, nw), cash0 - dec("400.00"));
    let cancel = format!("/partner/account/withdrawals/{id}/cancel");
    let res = admin.submit("/partner/account", &cancel, &[]).await;
    assert_eq!(res.status, 303);
    assert_eq!(state_of(&app, id), "cancelled");
    assert_eq!((cash(&app, nw), held(&app, nw)), (cash0, held0));
    assert_eq!(
        admin.submit("/partner/account", &cancel, &[]).await.status,
        409
    );

    // Requested and approved: the money leaves the platform, the cash stays lower.
    assert_eq!(request(&admin, "250.00").await.status, 303);
    let id = last_withdrawal(&app);
    let one = format!("/ops/withdrawals/{id}");
    let res = ops.submit(&one, &format!("{one}/approve"), &[]).await;
    assert_eq!(res.status, 303);
    assert_eq!(state_of(&app, id), "approved");
    assert_eq!(cash(&app, nw), cash0 - dec("250.00"));
    assert_eq!(held(&app, nw), held0);
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) AS n FROM withdrawals w JOIN ledger_transfers t \
             ON t.id = w.release_transfer_id JOIN ledger_accounts a ON a.id = t.to_account_id \
             WHERE w.id = {id} AND a.kind = 'external' AND t.amount = 250"
        )),
        1
    );
    for action in [
        "withdrawal.requested",
        "withdrawal.rejected",
        "withdrawal.cancelled",
        "withdrawal.approved",
    ] {
        assert!(audits(&app, action) >= 1, "{action} audited");
    }
    // Another partner cannot cancel Northwind's request; partners cannot open the ops pages.
    assert_eq!(request(&admin, "10.00").await.status, 303);
    let id = last_withdrawal(&app);
    let contoso = app.signed_in("admin@contoso.test").await;
    let cancel = format!("/partner/account/withdrawals/{id}/cancel");
    assert_eq!(
        contoso
            .submit("/partner/account", &cancel, &[])
            .await
            .status,
        404
    );
    assert_eq!(admin.get("/ops/withdrawals").await.status, 403);
    let page = ops.get(&format!("/ops/withdrawals/{id}")).await;
    assert_valid(&[
        (
            "ops-list".into(),
            ops.get("/ops/withdrawals?state=all").await.body,
        ),
        ("ops-one".into(), page.body),
    ]);
    ledger_ok(&app);
}
