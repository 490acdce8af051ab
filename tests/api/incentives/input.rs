//! Nothing a user sends gives a 500 (SPEC §4): malformed periods, kinds, amounts, partners and
//! remarks on the operator's form, and malformed invoice fields and files, come back beside
//! their fields with the values kept (422); forged ids are 400; odd list filters fall back.

use super::invoices::says;
use super::*;
use crate::support::spawn_app;

#[tokio::test]
async fn malformed_incentive_forms_get_field_errors_never_a_500() {
    let app = spawn_app().await;
    let ops = app.signed_in(OPS).await;
    let nw = northwind(&app).to_string();
    let ahead = period(0).first_day() + chrono::Months::new(1);
    let ahead = ahead.format("%Y-%m").to_string();
    let long = "r".repeat(257);
    let cases: Vec<(&str, &str, &str, &str, &str, &str)> = vec![
        // (field in error, partner, period, kind, amount, remark)
        ("period", &nw, "2026-13", "staff", "10.00", ""),
        ("period", &nw, "2026-1", "staff", "10.00", ""),
        ("period", &nw, "abc", "staff", "10.00", ""),
        ("period", &nw, "", "staff", "10.00", ""),
        ("period", &nw, "1999-12", "staff", "10.00", ""),
        ("period", &nw, "２０２６-01", "staff", "10.00", ""),
        ("period", &nw, &ahead, "staff", "10.00", ""),
        ("amount", &nw, "2025-01", "staff", "-5", ""),
        ("amount", &nw, "2025-01", "staff", "0", ""),
        ("amount", &nw, "2025-01", "staff", "1.234", ""),
        ("amount", &nw, "2025-01", "staff", "1e3", ""),
        ("amount", &nw, "2025-01", "staff", "abc", ""),
        ("amount", &nw, "2025-01", "staff", "", ""),
        ("amount", &nw, "2025-01", "staff", "99999999999999", ""),
        ("kind", &nw, "2025-01", "bonus", "10.00", ""),
        ("partner", "x", "2025-01", "staff", "10.00", ""),
        ("partner", "999999999", "2025-01", "staff", "10.00", ""),
        ("partner", "", "2025-01", "staff", "10.00", ""),
        ("remark", &nw, "2025-01", "staff", "10.00", &long),
    ];
    for (field, partner, period, kind, amount, remark) in cases {
        let key = form_key(&ops.get("/ops/incentives/new").await.body);
        let res = ops
            .submit(
                "/ops/incentives/new",
                "/ops/incentives",
                &[
                    ("partner", partner),
                    ("period", period),
                    ("kind", kind),
                    ("amount", amount),
                    ("remark", remark),
                    ("key", &key),
                ],
            )
            .await;
        assert_eq!(
            res.status, 422,
            "{field}: {period:?} {amount:?} {partner:?}"
        );
        assert!(
            res.contains(&format!("id=\"e-{field}\"")),
            "{field}: {}",
            res.body
        );
    }
    assert_eq!(
        app.count("SELECT count(*) AS n FROM incentives WHERE kind = 'staff'"),
        0
    );
    let res = ops
        .submit(
            "/ops/incentives/new",
            "/ops/incentives",
            &[("period", "2025-01"), ("key", "bad")],
        )
        .await;
    assert_eq!(res.status, 400);
    for path in [
        "/ops/incentives?period=zz&kind=zz&stage=zz&after=zz&size=zz&q=%25",
        "/ops/incentives?period=2025-01&kind=sales&stage=paid&size=100",
        "/ops/incentives/payouts?state=zz&after=-3&q=%00",
        "/ops/incentives/invoices?state=all&after=abc",
    ] {
        let s = ops.get(path).await.status;
        assert!(s == 200 || s == 400, "{path}: {s}");
    }
    let admin = app.signed_in(NW_ADMIN).await;
    for path in [
        "/partner/incentives?stage=zz&after=-1&q=%25&size=7",
        "/partner/incentives?q=2025-13",
        "/partner/incentives/payouts?q=2025-01&after=zz",
        "/partner/incentives/invoices?q=%25&size=abc",
    ] {
        assert_eq!(admin.get(path).await.status, 200, "{path}");
    }
}

/// The field in error, the form's fields and its file.
type Case<'a> = (&'a str, Vec<(&'a str, &'a str)>, Option<&'a [u8]>);

#[tokio::test]
async fn malformed_applications_and_invoices_are_refused_clearly() {
    let app = spawn_app().await;
    let admin = app.signed_in(NW_ADMIN).await;
    let ids = staff_incentives(&app, 13, &["10.00", "20.00"]);
    // A batch of one is refused with the reason, the box kept checked.
    let res = apply_batch(&admin, &ids[..1]).await;
    assert_eq!(res.status, 422);
    assert!(says(&res, "incentives.refused.batch_too_small"));
    assert!(res.contains(&format!("value=\"{}\" checked", ids[0])));
    let res = apply_batch(&admin, &[]).await;
    assert_eq!(res.status, 422);
    assert!(says(&res, "incentives.refused.none_chosen"));
    let token = admin.get("/partner/incentives").await.csrf();
    let res = admin
        .post_raw(
            "/partner/incentives/apply",
            &[
                ("csrf_token", &token),
                ("key", "0123456789abcdef"),
                ("incentive_id", "abc"),
            ],
        )
        .await;
    assert_eq!(res.status, 400);
    let res = admin
        .post_raw(
            "/partner/incentives/apply",
            &[
                ("csrf_token", &token),
                ("key", "no"),
                ("incentive_id", &ids[0].to_string()),
            ],
        )
        .await;
    assert_eq!(res.status, 400);

    assert_eq!(apply_one(&admin, ids[0]).await.status, 303);
    let res = apply_one(&admin, ids[0]).await;
    assert_eq!(res.status, 422, "applied already");
    assert!(says(&res, "incentives.refused.already_applied"));
    approve_and_pay(&app, payout_of(&app, ids[0]));
    let one = strings(&ids[..1]);
    let today = today_text();
    let tomorrow = (partner_center::services::credit::line::today() + chrono::Days::new(1))
        .format("%Y-%m-%d")
        .to_string();
    let nines = "9".repeat(41);
    let cases: Vec<Case> = vec![
        ("number", invoice_fields(&one, "6", "", &today), None),
        (
            "number",
            invoice_fields(&one, "6", "with space", &today),
            None,
        ),
        ("number", invoice_fields(&one, "6", "发票123", &today), None),
        ("number", invoice_fields(&one, "6", &nines, &today), None),
        (
            "issued_on",
            invoice_fields(&one, "6", "N-1", "2026-02-30"),
            None,
        ),
        ("issued_on", invoice_fields(&one, "6", "N-1", "today"), None),
        (
            "issued_on",
            invoice_fields(&one, "6", "N-1", &tomorrow),
            None,
        ),
        (
            "file",
            invoice_fields(&one, "6", "N-1", &today),
            Some(b"<html>not an invoice"),
        ),
        (
            "incentive_id",
            vec![
                ("incentive_id", "abc"),
                ("tax_rate", "6"),
                ("number", "N-1"),
                ("issued_on", &today),
            ],
            None,
        ),
        (
            "incentive_id",
            vec![("tax_rate", "6"), ("number", "N-1"), ("issued_on", &today)],
            None,
        ),
    ];
    for (field, fields, file) in cases {
        let res = invoice(&admin, &fields, file).await;
        assert_eq!(res.status, 422, "{field}: {fields:?}");
        assert!(
            res.contains(&format!("id=\"e-{field}\"")),
            "{field}: {}",
            res.body
        );
    }
    let big = vec![b'%'; 2 * 1024 * 1024 + 10];
    let res = invoice(
        &admin,
        &invoice_fields(&one, "6", "N-1", &today),
        Some(&big),
    )
    .await;
    assert!(res.status == 413 || res.status == 422, "{}", res.status);
    assert!(res.contains("id=\"e-file\""));
    assert_eq!(
        app.count("SELECT count(*) AS n FROM incentive_invoices WHERE number = 'N-1'"),
        0
    );
    // A double submit of one form makes one invoice.
    let page = admin.get("/partner/incentives/invoices/new").await;
    let (token, key) = (page.csrf(), form_key(&page.body));
    for _ in 0..2 {
        let res = invoice_with(
            &admin,
            &token,
            &key,
            &invoice_fields(&one, "6", "N-2", &today),
            None,
        )
        .await;
        assert_eq!(res.status, 303);
    }
    assert_eq!(
        app.count("SELECT count(*) AS n FROM incentive_invoices WHERE number = 'N-2'"),
        1
    );
}
