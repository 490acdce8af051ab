//! Invoice requests (rules B5, B6): one invoice per signing entity and tax rate, e-invoices
//! split beyond 1,000,000.00, the match takes refunds and adjustments first then the oldest
//! bills, a double submit makes one request, and nothing a user sends gives a 500.

use super::{
    ENTITY_A, ENTITY_B, bill, confirm, exec, free_items, invoices_of, item_of, january_bill,
    preview, request_amount, request_in, setup,
};

#[tokio::test]
async fn a_request_spanning_two_tax_rates_and_two_signing_entities_becomes_one_invoice_each() {
    let s = setup(false).await;
    let jan = bill(
        &s.app,
        s.customer,
        "2025-01",
        ENTITY_A,
        &[(s.p6, "100.00"), (s.p13, "50.00")],
        "0",
    );
    let feb = bill(
        &s.app,
        s.customer,
        "2025-02",
        ENTITY_B,
        &[(s.p6, "80.00")],
        "0",
    );
    let t = s.title.to_string();
    let ids: Vec<String> = [
        item_of(&s.app, jan, 6),
        item_of(&s.app, jan, 13),
        item_of(&s.app, feb, 6),
    ]
    .iter()
    .map(|i| i.to_string())
    .collect();
    let mut fields = vec![
        ("title_id", t.as_str()),
        ("medium", "electronic"),
        ("mode", "items"),
    ];
    fields.extend(ids.iter().map(|i| ("item_id", i.as_str())));
    let p = preview(&s.client, &fields).await;
    assert_eq!(p.status, 200, "{}", p.body);
    let done = confirm(&s.client, &p).await;
    assert_eq!(done.status, 303, "{}", done.body);
    let made = invoices_of(&s.app, request_in(&done));
    assert_eq!(
        made,
        vec![
            (ENTITY_A.into(), 6, "100.00".into(), "pending".into()),
            (ENTITY_A.into(), 13, "50.00".into(), "pending".into()),
            (ENTITY_B.into(), 6, "80.00".into(), "pending".into()),
        ]
    );
    assert!(free_items(&s.app, s.customer).is_empty());
}

#[tokio::test]
async fn an_electronic_request_over_a_million_splits_and_a_paper_one_does_not() {
    let s = setup(false).await;
    january_bill(&s, "3500000.00");
    let e = request_amount(&s.client, s.title, "2,300,000.00", "electronic").await;
    let amounts: Vec<String> = invoices_of(&s.app, e).into_iter().map(|i| i.2).collect();
    assert_eq!(amounts, vec!["1000000.00", "1000000.00", "300000.00"]);
    let paper = request_amount(&s.client, s.title, "1200000.00", "paper").await;
    let amounts: Vec<String> = invoices_of(&s.app, paper)
        .into_iter()
        .map(|i| i.2)
        .collect();
    assert_eq!(amounts, vec!["1200000.00"]);
    // What is left stays invoiceable.
    assert!(free_items(&s.app, s.customer).is_empty());
    assert_eq!(
        s.app.count(&format!(
            "SELECT count(*) AS n FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id
             WHERE i.customer_id = {}",
            s.customer
        )),
        4
    );
}

#[tokio::test]
async fn the_match_takes_refunds_and_adjustments_first_then_the_oldest_bills() {
    let s = setup(false).await;
    let mar = bill(
        &s.app,
        s.customer,
        "2025-03",
        ENTITY_A,
        &[(s.p6, "100.00")],
        "0",
    );
    let jan = january_bill(&s, "100.00");
    let feb = bill(
        &s.app,
        s.customer,
        "2025-02",
        ENTITY_A,
        &[(s.p6, "100.00")],
        "0",
    );
    let nw = super::org(&s.app, "Northwind Distribution");
    exec(
        &s.app,
        &format!(
            "INSERT INTO invoice_items (customer_id, kind, issuer_org_id, signing_entity, tax_rate,
                                        rank, occurred_at, amount, note)
             VALUES ({}, 'adjustment', {nw}, '{ENTITY_A}', 6, 0, now(), -30.00, 'credit note')",
            s.customer
        ),
    );
    let t = s.title.to_string();
    let p = preview(
        &s.client,
        &[
            ("title_id", &t),
            ("medium", "electronic"),
            ("mode", "amount"),
            ("amount", "150.00"),
        ],
    )
    .await;
    assert_eq!(p.status, 200, "{}", p.body);
    let table = &p.body[p.body.find("id=\"match\"").unwrap()..];
    let order: Vec<usize> = ["Adjustment", "Bill 2025-01", "Bill 2025-02"]
        .iter()
        .map(|l| table.find(l).unwrap_or_else(|| panic!("{l} in the match")))
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    assert!(!table[..table.find("</table>").unwrap()].contains("Bill 2025-03"));
    let request = request_in(&confirm(&s.client, &p).await);
    assert_eq!(invoices_of(&s.app, request)[0].2, "150.00");
    let taken = |bill: i64| {
        s.app.count(&format!(
            "SELECT COALESCE(sum(l.amount * 100), 0)::bigint AS n FROM invoice_lines l
             JOIN invoice_items i ON i.id = l.item_id WHERE i.bill_id = {bill}"
        ))
    };
    assert_eq!((taken(jan), taken(feb), taken(mar)), (10000, 8000, 0));
    // February's rest and March stay invoiceable, oldest first.
    assert_eq!(
        free_items(&s.app, s.customer),
        vec![
            ("bill".into(), 6, "20.00".into()),
            ("bill".into(), 6, "100.00".into())
        ]
    );
}

#[tokio::test]
async fn a_double_submit_makes_one_request_and_a_changed_match_is_shown_again() {
    let s = setup(false).await;
    january_bill(&s, "100.00");
    bill(
        &s.app,
        s.customer,
        "2025-02",
        ENTITY_A,
        &[(s.p6, "100.00")],
        "0",
    );
    let t = s.title.to_string();
    let fields = [
        ("title_id", t.as_str()),
        ("medium", "electronic"),
        ("mode", "amount"),
        ("amount", "60.00"),
    ];
    let first = preview(&s.client, &fields).await;
    let stale = preview(&s.client, &fields).await;
    let a = confirm(&s.client, &first).await;
    let b = confirm(&s.client, &first).await;
    assert_eq!((a.status, b.status), (303, 303));
    assert_eq!(a.location, b.location);
    let requests = format!(
        "SELECT count(*) AS n FROM invoice_requests WHERE customer_id = {}",
        s.customer
    );
    assert_eq!(s.app.count(&requests), 1);
    // The second preview matched the part of January the first request took: the match is
    // made again and shown, nothing is sent.
    let changed = confirm(&s.client, &stale).await;
    assert_eq!(changed.status, 409, "{}", changed.body);
    assert!(changed.contains("changed"));
    assert_eq!(s.app.count(&requests), 1);
    let again = confirm(&s.client, &changed).await;
    assert_eq!(again.status, 303);
    assert_eq!(s.app.count(&requests), 2);
}
