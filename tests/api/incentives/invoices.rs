//! rule B8: incentive invoices. A batch's periods (one payment request) share an invoice;
//! an incentive applied for by itself may not share one with any other; two batches do not
//! share one; only paid incentives are invoiced; the tax rate is 3% or 6% and nothing else.

use partner_center::i18n::Lang;

use super::*;
use crate::support::spawn_app;

/// The Chinese message of `key` (the test client's language).
pub fn says(page: &Page, key: &str) -> bool {
    page.contains(&Lang::ZhCn.t(key))
}

fn invoices_of(app: &TestApp, incentive: i64) -> i64 {
    app.count(&format!(
        "SELECT count(*) AS n FROM incentive_invoice_items WHERE incentive_id = {incentive}"
    ))
}

#[tokio::test]
async fn a_batch_shares_an_invoice_single_ones_and_two_batches_do_not() {
    let app = spawn_app().await;
    let admin = app.signed_in(NW_ADMIN).await;
    let ids = staff_incentives(
        &app,
        13,
        &[
            "100.00", "200.00", "300.00", "40.00", "50.00", "60.00", "70.00", "80.00", "90.00",
        ],
    );
    let (batch, singles) = (&ids[0..3], &ids[3..5]);
    let (other_a, other_b) = (&ids[5..7], &ids[7..9]);
    for b in [batch, other_a, other_b] {
        let res = apply_batch(&admin, b).await;
        assert_eq!(res.status, 303, "{}", res.body);
    }
    for s in singles {
        assert_eq!(apply_one(&admin, *s).await.status, 303);
    }
    assert_eq!(
        payout_of(&app, ids[0]),
        payout_of(&app, ids[2]),
        "one request"
    );
    assert_ne!(payout_of(&app, ids[3]), payout_of(&app, ids[4]));
    // Not paid yet: nothing can be invoiced.
    let today = today_text();
    let res = invoice(
        &admin,
        &invoice_fields(&strings(batch), "6", "B8-0", &today),
        None,
    )
    .await;
    assert_eq!(res.status, 422);
    assert!(says(&res, "incentives.refused.not_paid"), "{}", res.body);
    for i in [ids[0], ids[3], ids[4], ids[5], ids[7]] {
        approve_and_pay(&app, payout_of(&app, i));
    }

    // Two incentives applied for one by one: refused, with the reason beside the choice.
    let res = invoice(
        &admin,
        &invoice_fields(&strings(singles), "6", "B8-1", &today),
        None,
    )
    .await;
    assert_eq!(res.status, 422);
    assert!(
        says(&res, "incentives.refused.single_not_shared"),
        "{}",
        res.body
    );
    assert!(res.contains("id=\"e-incentive_id\""));
    // A single one with a batch's: refused too.
    let mixed = strings(&[ids[3], ids[0]]);
    let res = invoice(&admin, &invoice_fields(&mixed, "6", "B8-1", &today), None).await;
    assert_eq!(res.status, 422);
    assert!(says(&res, "incentives.refused.single_not_shared"));
    // Two batches: refused.
    let two = strings(&[ids[5], ids[7]]);
    let res = invoice(&admin, &invoice_fields(&two, "6", "B8-1", &today), None).await;
    assert_eq!(res.status, 422);
    assert!(says(&res, "incentives.refused.batches_not_shared"));
    assert!(res.contains("B8-1"), "the typed number is kept");
    assert_eq!(
        app.count("SELECT count(*) AS n FROM incentive_invoices WHERE number LIKE 'B8-%'"),
        0
    );

    // The batch's three periods on one invoice; each single one on its own.
    let res = invoice(
        &admin,
        &invoice_fields(&strings(batch), "6", "B8-2", &today),
        None,
    )
    .await;
    assert_eq!(res.status, 303, "{}", res.body);
    for (n, s) in singles.iter().enumerate() {
        let number = format!("B8-3{n}");
        let res = invoice(
            &admin,
            &invoice_fields(&strings(&[*s]), "3", &number, &today),
            None,
        )
        .await;
        assert_eq!(res.status, 303, "{}", res.body);
    }
    assert_eq!(
        app.count(
            "SELECT count(*) AS n FROM incentive_invoice_items ii JOIN incentive_invoices i \
                   ON i.id = ii.invoice_id WHERE i.number = 'B8-2'"
        ),
        3
    );
    assert_eq!(
        cents(
            &app,
            "SELECT (amount * 100)::bigint AS n FROM incentive_invoices WHERE number = 'B8-2'"
        ),
        dec("600.00")
    );
    // A batch may also be split: part of the other batch alone.
    let res = invoice(
        &admin,
        &invoice_fields(&strings(&[ids[5]]), "6", "B8-4", &today),
        None,
    )
    .await;
    assert_eq!(res.status, 303);
    // Once invoiced, an incentive is not invoiced again.
    let res = invoice(
        &admin,
        &invoice_fields(&strings(&[ids[0]]), "6", "B8-5", &today),
        None,
    )
    .await;
    assert_eq!(res.status, 422);
    assert!(says(&res, "incentives.refused.already_invoiced"));
    for i in &ids[0..6] {
        assert_eq!(invoices_of(&app, *i), 1);
    }
    assert_ledger_verifies(&app);
}

#[tokio::test]
async fn tax_rates_other_than_three_or_six_percent_are_refused_beside_the_field() {
    let app = spawn_app().await;
    let admin = app.signed_in(NW_ADMIN).await;
    let id = staff_incentives(&app, 13, &["500.00"])[0];
    assert_eq!(apply_one(&admin, id).await.status, 303);
    approve_and_pay(&app, payout_of(&app, id));
    let ids = strings(&[id]);
    let today = today_text();
    for rate in ["13", "9", "0", "1", "", "3.5", "six", "-3", "06 ", "300"] {
        let res = invoice(&admin, &invoice_fields(&ids, rate, "RATE-1", &today), None).await;
        assert_eq!(res.status, 422, "rate {rate:?}");
        assert!(res.contains("id=\"e-tax_rate\""), "rate {rate:?}");
        assert!(says(&res, "incentives.refused.tax_rate"));
    }
    assert_eq!(
        app.count("SELECT count(*) AS n FROM incentive_invoices WHERE number = 'RATE-1'"),
        0
    );
    let res = invoice(&admin, &invoice_fields(&ids, "3", "RATE-1", &today), None).await;
    assert_eq!(res.status, 303);
    assert_eq!(
        app.count("SELECT tax_rate::bigint AS n FROM incentive_invoices WHERE number = 'RATE-1'"),
        3
    );
}

#[tokio::test]
async fn an_invoice_number_is_used_once_until_its_invoice_is_rejected() {
    let app = spawn_app().await;
    let admin = app.signed_in(NW_ADMIN).await;
    let ids = staff_incentives(&app, 13, &["10.00", "20.00"]);
    for i in &ids {
        assert_eq!(apply_one(&admin, *i).await.status, 303);
        approve_and_pay(&app, payout_of(&app, *i));
    }
    let today = today_text();
    let res = invoice(
        &admin,
        &invoice_fields(&strings(&ids[..1]), "6", "NO-1", &today),
        None,
    )
    .await;
    assert_eq!(res.status, 303);
    let res = invoice(
        &admin,
        &invoice_fields(&strings(&ids[1..]), "6", "NO-1", &today),
        None,
    )
    .await;
    assert_eq!(res.status, 422);
    assert!(res.contains("id=\"e-number\""));
    assert!(says(&res, "incentives.refused.duplicate_number"));
    let invoice_id = app.id_of("SELECT id AS n FROM incentive_invoices WHERE number = 'NO-1'");
    partner_center::services::incentives::invoice_decide::reject(
        &mut app.conn(),
        &operator(&app),
        invoice_id,
        "wrong title",
        "http://t",
    )
    .unwrap();
    let res = invoice(
        &admin,
        &invoice_fields(&strings(&ids[1..]), "6", "NO-1", &today),
        None,
    )
    .await;
    assert_eq!(res.status, 303, "a rejected invoice frees its number");
}
