//! What can be invoiced (rules B4, B5, K7): a bill's items per tax rate never carry what
//! vouchers paid, a month is invoiceable from the 3rd of the next, and nothing else is offered.

use super::{ENTITY_A, bill, free_items, item_of, preview, setup};

#[tokio::test]
async fn voucher_paid_amounts_are_never_invoiced() {
    let s = setup(false).await;
    // 300.00 over two rates, 100.01 of it paid by a voucher (K7): the deduction is shared in
    // proportion (33.34 + 66.67) and 199.99 can be invoiced.
    bill(
        &s.app,
        s.customer,
        "2025-01",
        ENTITY_A,
        &[(s.p6, "100.00"), (s.p13, "150.00"), (s.p13, "50.00")],
        "100.01",
    );
    // A bill paid entirely by a voucher gives nothing to invoice.
    bill(
        &s.app,
        s.customer,
        "2025-02",
        ENTITY_A,
        &[(s.p6, "80.00")],
        "80.00",
    );
    assert_eq!(
        free_items(&s.app, s.customer),
        vec![
            ("bill".into(), 6, "66.66".into()),
            ("bill".into(), 13, "133.33".into())
        ]
    );
    assert_eq!(
        s.app.count(&format!(
            "SELECT sum(voucher_excluded * 100)::bigint AS n FROM invoice_items WHERE customer_id = {}",
            s.customer
        )),
        10001
    );
    let t = s.title.to_string();
    let over = preview(
        &s.client,
        &[
            ("issuer", ""),
            ("title_id", &t),
            ("medium", "electronic"),
            ("mode", "amount"),
            ("amount", "200.00"),
        ],
    )
    .await;
    assert_eq!(over.status, 422, "{}", over.body);
    assert!(over.contains("id=\"e-amount\""));
    let all = preview(
        &s.client,
        &[
            ("title_id", &t),
            ("medium", "electronic"),
            ("mode", "amount"),
            ("amount", "199.99"),
        ],
    )
    .await;
    assert_eq!(all.status, 200, "{}", all.body);
    assert!(all.contains("199.99"));
}

#[tokio::test]
async fn a_month_is_refused_before_the_third_of_the_next_and_left_out_of_the_match() {
    let s = setup(false).await;
    let this_month = partner_center::services::billing::Month::of(
        partner_center::services::invoices::items::today(),
    );
    let current = bill(
        &s.app,
        s.customer,
        &this_month.label(),
        ENTITY_A,
        &[(s.p6, "50.00")],
        "0",
    );
    bill(
        &s.app,
        s.customer,
        "2025-03",
        ENTITY_A,
        &[(s.p6, "20.00")],
        "0",
    );
    let item = item_of(&s.app, current, 6).to_string();
    let t = s.title.to_string();
    // Picked by hand: refused (B4), beside the items.
    let picked = preview(
        &s.client,
        &[
            ("title_id", &t),
            ("medium", "electronic"),
            ("mode", "items"),
            ("item_id", &item),
        ],
    )
    .await;
    assert_eq!(picked.status, 422, "{}", picked.body);
    assert!(
        picked.contains("from the 3rd of the following month"),
        "{}",
        picked.body
    );
    // The form offers no box for it and says when it can be invoiced.
    let form = s.client.get("/fee-center/invoices/new").await;
    assert!(!form.contains(&format!("value=\"{item}\"")));
    let from = partner_center::services::invoices::items::invoiceable_from(this_month);
    assert!(form.contains(&format!("from {from}")), "{}", form.body);
    // The match leaves it out: only the older 20.00 can be asked for.
    let ask = |amount: &'static str| {
        let t = t.clone();
        let c = &s.client;
        async move {
            preview(
                c,
                &[
                    ("title_id", &t),
                    ("medium", "electronic"),
                    ("mode", "amount"),
                    ("amount", amount),
                ],
            )
            .await
            .status
        }
    };
    assert_eq!(ask("20.00").await, 200);
    assert_eq!(ask("20.01").await, 422);
}
