//! Bulk recovery (rules K3, C6): a result per coupon, one refusal stops nothing.

use super::*;

#[tokio::test]
async fn bulk_recovery_gives_a_result_per_coupon_and_one_refusal_stops_nothing() {
    let app = spawn_app().await;
    let nw = org_id(&app, "Northwind Distribution");
    let contoso = org_id(&app, "Contoso Solutions");
    let (acme, globex) = (
        customer_id(&app, "it@acme.test"),
        customer_id(&app, "cfo@globex.test"),
    );
    let vouchers = voucher_grant(&app, nw, "100.00");
    let cash = cash_grant(&app, nw, "100.00");
    let a = issue_one(&app, vouchers, acme, "10.00");
    let used = issue_one(&app, vouchers, acme, "11.00");
    let g = issue_one(&app, cash, globex, "12.00");
    use_up(&app, used);
    let contoso_customer = app.id_of(&format!(
        "SELECT min(id) AS n FROM customers WHERE partner_id = {contoso}"
    ));
    let theirs = issue_as(
        &app,
        "admin@contoso.test",
        voucher_grant(&app, contoso, "100.00"),
        contoso_customer,
        "10.00",
    );
    let admin = app.signed_in("admin@northwind.test").await;
    let list = admin.get("/partner/coupons?q=&size=100").await;
    assert!(list.contains(&format!("name=\"coupon_id\" value=\"{a}\"")));
    assert!(
        !list.contains(&format!("name=\"coupon_id\" value=\"{used}\"")),
        "usable only"
    );
    let token = list.csrf();
    let (a_s, used_s, g_s, theirs_s) = (
        a.to_string(),
        used.to_string(),
        g.to_string(),
        theirs.to_string(),
    );
    let res = admin
        .post_raw(
            "/partner/coupons/recover",
            &[
                ("csrf_token", &token),
                ("coupon_id", &a_s),
                ("coupon_id", &used_s),
                ("coupon_id", &theirs_s),
                ("coupon_id", &g_s),
                ("remark", "season over"),
            ],
        )
        .await;
    assert_eq!(res.status, 200);
    for (id, class) in [
        (a, "recovered"),
        (used, "refused"),
        (theirs, "refused"),
        (g, "recovered"),
    ] {
        assert!(
            res.contains(&format!("<tr class=\"{class}\" id=\"result-{id}\">")),
            "{id} {class}:\n{}",
            res.body
        );
    }
    assert!(
        res.contains("¥10.00") && res.contains("¥12.00"),
        "amounts recovered"
    );
    assert_eq!(
        grant_cents(&app, vouchers),
        10000 - 1100,
        "10.00 back, the used 11.00 not"
    );
    assert_eq!(grant_cents(&app, cash), 10000);
    assert_eq!(
        state_of(&app, theirs),
        0,
        "another organisation's coupon is untouched"
    );
    assert_eq!(state_of(&app, used), 1);
    // Nothing chosen, or more than 100, tries nothing.
    let none = admin
        .post_raw(
            "/partner/coupons/recover",
            &[("csrf_token", &token), ("remark", "")],
        )
        .await;
    assert_eq!(none.status, 422);
    let many: Vec<String> = (1..=101).map(|i| i.to_string()).collect();
    let mut fields = vec![("csrf_token", token.as_str())];
    fields.extend(many.iter().map(|i| ("coupon_id", i.as_str())));
    assert_eq!(
        admin
            .post_raw("/partner/coupons/recover", &fields)
            .await
            .status,
        422
    );
    // The service says the same per coupon.
    let again = recover_each(
        &mut app.conn(),
        &member(&app, "admin@northwind.test"),
        &[a, a, theirs],
        "",
    )
    .unwrap();
    assert_eq!(
        again,
        vec![
            (a, RecoveryResult::Refused(CouponRefusal::NotUsable)),
            (theirs, RecoveryResult::NotFound)
        ]
    );
    assert_ledger_verifies(&app);
}
