//! The whole way of an incentive (rules B8, P4): the operator records it on the form, the
//! partner applies, the operator approves and pays it into the partner's cash (once, however
//! often the button is pressed), the partner invoices it with a file, the operator rejects the
//! invoice with a reason and receives the next one; each step mails the partner's admins and
//! is audited.

use super::invoices::says;
use super::*;
use crate::support::html::assert_valid;
use crate::support::spawn_app;

fn audits(app: &TestApp, action: &str) -> i64 {
    app.count(&format!(
        "SELECT count(*) AS n FROM audit_log WHERE action = '{action}'"
    ))
}

#[tokio::test]
async fn an_incentive_is_recorded_applied_for_paid_once_and_invoiced_with_mail_at_each_step() {
    let app = spawn_app().await;
    let nw = northwind(&app);
    let ops = app.signed_in(OPS).await;
    let admin = app.signed_in(NW_ADMIN).await;
    let mut pages = Vec::new();

    let form = ops.get("/ops/incentives/new").await;
    assert_eq!(form.status, 200);
    pages.push(("ops new".to_string(), form.body.clone()));
    let key = form_key(&form.body);
    let label = period(1).label();
    let nw_text = nw.to_string();
    let fields = [
        ("partner", nw_text.as_str()),
        ("period", label.as_str()),
        ("kind", "nre"),
        ("amount", "1,234.50"),
        ("remark", "Migration project"),
        ("key", key.as_str()),
    ];
    let res = ops
        .submit("/ops/incentives/new", "/ops/incentives", &fields)
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    let again = ops
        .submit("/ops/incentives/new", "/ops/incentives", &fields)
        .await;
    assert_eq!(again.status, 303, "a double submit finds the first");
    let id = app.id_of("SELECT id AS n FROM incentives WHERE remark = 'Migration project'");
    assert_eq!(
        app.count("SELECT count(*) AS n FROM incentives WHERE remark = 'Migration project'"),
        1
    );
    // One per partner, period and kind: another form is refused beside the kind.
    let other_key = form_key(&ops.get("/ops/incentives/new").await.body);
    let mut dup = fields;
    dup[5] = ("key", other_key.as_str());
    let res = ops
        .submit("/ops/incentives/new", "/ops/incentives", &dup)
        .await;
    assert_eq!(res.status, 422);
    assert!(res.contains("id=\"e-kind\"") && says(&res, "incentives.refused.duplicate"));
    assert!(res.contains("Migration project"), "values kept");

    let list = ops.get("/ops/incentives?q=northwind&kind=nre").await;
    assert!(list.contains(&format!("id=\"incentive-{id}\"")));
    pages.push(("ops list".into(), list.body));
    let list = ops.get("/ops/incentives?q=contoso&kind=nre").await;
    assert!(!list.contains(&format!("id=\"incentive-{id}\"")));

    let list = admin.get("/partner/incentives").await;
    assert_eq!(list.status, 200);
    assert!(list.contains(&format!("formaction=\"/partner/incentives/{id}/apply\"")));
    pages.push(("partner list".into(), list.body));
    assert_eq!(apply_one(&admin, id).await.status, 303);
    let payout = payout_of(&app, id);
    let page = admin.get("/partner/incentives/payouts").await;
    assert!(page.contains(&format!("id=\"payout-{payout}\"")));
    pages.push(("partner payouts".into(), page.body));

    let detail = format!("/ops/incentives/payouts/{payout}");
    let page = ops.get(&detail).await;
    assert_eq!(page.status, 200);
    pages.push(("ops payout".into(), page.body));
    pages.push((
        "ops payouts".into(),
        ops.get("/ops/incentives/payouts").await.body,
    ));
    let res = ops.submit(&detail, &format!("{detail}/approve"), &[]).await;
    assert_eq!(res.status, 303);
    let mail = app.mail.wait_for_to(NW_ADMIN, 10).await;
    assert!(
        mail.subject.contains(&format!("#{payout}")),
        "{}",
        mail.subject
    );

    let cash_before = cash(&app, nw);
    let res = ops.submit(&detail, &format!("{detail}/pay"), &[]).await;
    assert_eq!(res.status, 303);
    let res = ops
        .submit(
            "/ops/incentives/payouts?state=all",
            &format!("{detail}/pay"),
            &[],
        )
        .await;
    assert_eq!(res.status, 303, "a second click pays nothing more");
    assert_eq!(cash(&app, nw), cash_before + dec("1234.50"));
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) AS n FROM ledger_transfers t JOIN incentive_payouts p \
             ON p.transfer_id = t.id WHERE p.id = {payout} AND t.kind = 'incentive_payout'"
        )),
        1
    );
    app.mail.wait_for(2, 10).await;

    // The invoice, with its file; the operator rejects it with a reason.
    let form = admin.get("/partner/incentives/invoices/new").await;
    assert!(form.contains(&format!("id=\"i-{id}\"")));
    pages.push(("invoice form".into(), form.body));
    let pdf = b"%PDF-1.7\n% incentive invoice\n";
    let today = today_text();
    let ids = strings(&[id]);
    let res = invoice(
        &admin,
        &invoice_fields(&ids, "6", "FLOW-001", &today),
        Some(pdf),
    )
    .await;
    assert_eq!(res.status, 303, "{}", res.body);
    let inv = app.id_of("SELECT id AS n FROM incentive_invoices WHERE number = 'FLOW-001'");
    let file = admin
        .get(&format!("/partner/incentives/invoices/{inv}/file"))
        .await;
    assert_eq!(file.status, 200);
    assert_eq!(file.body.as_bytes(), pdf);
    assert_eq!(file.headers["content-type"], "application/pdf");
    let page = admin.get("/partner/incentives/invoices").await;
    assert!(page.contains("FLOW-001"));
    pages.push(("partner invoices".into(), page.body));

    let detail = format!("/ops/incentives/invoices/{inv}");
    let page = ops.get(&detail).await;
    assert!(page.contains("FLOW-001") && page.contains(&format!("{detail}/file")));
    pages.push(("ops invoice".into(), page.body));
    pages.push((
        "ops invoices".into(),
        ops.get("/ops/incentives/invoices?q=FLOW").await.body,
    ));
    assert_eq!(
        ops.get(&format!("{detail}/file")).await.body.as_bytes(),
        pdf
    );
    let res = ops
        .submit(&detail, &format!("{detail}/reject"), &[("reason", "  ")])
        .await;
    assert_eq!(res.status, 422);
    assert!(res.contains("id=\"e-reason\""));
    let res = ops
        .submit(
            &detail,
            &format!("{detail}/reject"),
            &[("reason", "Wrong tax id on the title")],
        )
        .await;
    assert_eq!(res.status, 303);
    let mails = app.mail.wait_for(3, 10).await;
    assert!(
        mails
            .iter()
            .any(|m| m.text.contains("Wrong tax id on the title"))
    );
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) AS n FROM incentives WHERE id = {id} AND invoice_id IS NULL"
        )),
        1,
        "a rejected invoice frees its incentives"
    );
    let res = ops.submit(&detail, &format!("{detail}/receive"), &[]).await;
    assert_eq!(res.status, 303);
    assert_eq!(
        res.location.as_deref(),
        Some(detail.as_str()),
        "refused: not pending"
    );

    let res = invoice(&admin, &invoice_fields(&ids, "6", "FLOW-002", &today), None).await;
    assert_eq!(res.status, 303);
    let inv = app.id_of("SELECT id AS n FROM incentive_invoices WHERE number = 'FLOW-002'");
    let detail = format!("/ops/incentives/invoices/{inv}");
    assert_eq!(
        ops.submit(&detail, &format!("{detail}/receive"), &[])
            .await
            .status,
        303
    );
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) AS n FROM incentives WHERE id = {id} AND invoiced_at IS NOT NULL"
        )),
        1
    );
    let mails = app.mail.wait_for(4, 10).await;
    assert_eq!(
        mails.len(),
        4,
        "approved, paid, invoice rejected, invoice received"
    );
    assert!(
        mails.iter().all(|m| m.to == vec![NW_ADMIN.to_string()]),
        "only the partner's admins"
    );
    for action in [
        "incentive.recorded",
        "incentive_payout.requested",
        "incentive_payout.approved",
        "incentive_payout.paid",
        "incentive_invoice.submitted",
        "incentive_invoice.rejected",
        "incentive_invoice.received",
    ] {
        assert!(audits(&app, action) >= 1, "{action}");
    }
    pages.push(("account".into(), admin.get("/partner/account").await.body));
    assert_valid(&pages);
    assert_ledger_verifies(&app);
}
