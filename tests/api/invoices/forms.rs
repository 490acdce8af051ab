//! The request form refuses what no user should get a 500 for (SPEC §4): malformed amounts
//! beside the field with the typed value kept, malformed or foreign ids as 404, a broken key
//! as 400.

use super::{ENTITY_A, bill, january_bill, preview, setup};

#[tokio::test]
async fn malformed_amounts_are_refused_beside_the_field_and_malformed_ids_are_not_found() {
    let s = setup(false).await;
    january_bill(&s, "10.00");
    let t = s.title.to_string();
    for amount in [
        "",
        "abc",
        "1.005",
        "-5",
        "0",
        "1,0",
        "9".repeat(60).as_str(),
    ] {
        let p = preview(
            &s.client,
            &[
                ("title_id", &t),
                ("medium", "electronic"),
                ("mode", "amount"),
                ("amount", amount),
            ],
        )
        .await;
        assert_eq!(p.status, 422, "{amount}: {}", p.body);
        assert!(p.contains("id=\"e-amount\""), "{amount}");
        assert!(
            p.contains(&format!("value=\"{amount}\"")),
            "the typed {amount} is kept"
        );
    }
    let bad = [
        vec![
            ("title_id", t.as_str()),
            ("medium", "electronic"),
            ("mode", "items"),
            ("item_id", "abc"),
        ],
        vec![
            ("title_id", t.as_str()),
            ("medium", "electronic"),
            ("mode", "items"),
            ("item_id", "999999999"),
        ],
        vec![
            ("title_id", "999999999"),
            ("medium", "electronic"),
            ("mode", "amount"),
            ("amount", "1"),
        ],
        vec![
            ("issuer", "x1"),
            ("title_id", t.as_str()),
            ("medium", "electronic"),
            ("mode", "amount"),
            ("amount", "1"),
        ],
    ];
    for fields in &bad {
        assert_eq!(preview(&s.client, fields).await.status, 404, "{fields:?}");
    }
    let no_title = preview(
        &s.client,
        &[
            ("title_id", "x"),
            ("medium", "fax"),
            ("mode", "amount"),
            ("amount", "1"),
        ],
    )
    .await;
    assert_eq!(no_title.status, 422);
    assert!(no_title.contains("id=\"e-title_id\"") && no_title.contains("id=\"e-medium\""));
    // Another customer's item is not found either.
    let acme_item = s.app.id_of(
        "SELECT min(i.id) AS n FROM invoice_items i JOIN customers c ON c.id = i.customer_id
         WHERE c.email = 'it@acme.test'",
    );
    let other = preview(
        &s.client,
        &[
            ("title_id", &t),
            ("medium", "electronic"),
            ("mode", "items"),
            ("item_id", &acme_item.to_string()),
        ],
    )
    .await;
    assert_eq!(other.status, 404);
    for path in [
        "/fee-center/invoices/abc",
        "/fee-center/invoices/999999999",
        "/fee-center/invoices/files/1x",
    ] {
        assert_eq!(s.client.get(path).await.status, 404, "{path}");
    }
    let no_key = s
        .client
        .submit(
            "/fee-center/invoices/new",
            "/fee-center/invoices",
            &[("key", "<x>")],
        )
        .await;
    assert_eq!(no_key.status, 400);
}

#[tokio::test]
async fn the_picker_lists_the_oldest_items_up_to_its_limit_and_an_amount_reaches_the_rest() {
    use partner_center::services::invoices::request::PICKER_MAX;
    let s = setup(false).await;
    // One more monthly bill than the picker lists, each one item of 10.00.
    let months = PICKER_MAX + 1;
    for m in 0..months {
        let month = format!("{}-{:02}", 2020 + m / 12, m % 12 + 1);
        bill(
            &s.app,
            s.customer,
            &month,
            ENTITY_A,
            &[(s.p6, "10.00")],
            "0",
        );
    }
    let form = s.client.get("/fee-center/invoices/new").await;
    assert_eq!(form.status, 200);
    assert_eq!(
        form.body.matches("name=\"item_id\"").count() as i64,
        PICKER_MAX,
        "the picker lists {PICKER_MAX} items"
    );
    assert!(
        form.contains(&format!("Only the oldest {PICKER_MAX} items"))
            || form.contains(&format!("仅列出最早的{PICKER_MAX}项")),
        "{}",
        form.body
    );
    // The newest bill's item is not in the picker; an amount covering every item matches it.
    let t = s.title.to_string();
    let total = format!("{}.00", months * 10);
    let all = preview(
        &s.client,
        &[
            ("title_id", &t),
            ("medium", "electronic"),
            ("mode", "amount"),
            ("amount", &total),
        ],
    )
    .await;
    assert_eq!(all.status, 200, "{}", all.body);
    // One invoice (one entity, one rate) of every item, the newest month's included.
    assert!(
        all.contains(&format!("<td class=\"num\">{months}</td>")),
        "{}",
        all.body
    );
    assert!(all.contains(&total));
}
