//! rule B6: the match, item by item.

use chrono::{TimeZone, Utc};
use rust_decimal::Decimal;

use super::*;
use crate::services::invoices::items::ItemKind;

fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn item(id: i64, kind: ItemKind, rate: i16, amount: &str) -> Item {
    Item {
        id,
        kind,
        bill_id: None,
        order_id: None,
        group: Group {
            signing_entity: "E".into(),
            tax_rate: rate,
        },
        period: None,
        occurred_at: Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap()
            + chrono::Duration::days(id),
        amount: dec(amount),
        voucher_excluded: Decimal::ZERO,
    }
}

fn taken(picks: &[Pick]) -> Vec<(i64, String)> {
    picks
        .iter()
        .map(|p| (p.item_id, p.taken.to_string()))
        .collect()
}

#[test]
fn refunds_first_then_oldest_bills_and_the_last_bill_gives_back_the_rest() {
    let items = vec![
        item(1, ItemKind::Refund, 6, "-300.00"),
        item(2, ItemKind::Bill, 6, "1000.00"),
        item(3, ItemKind::Bill, 6, "1000.00"),
        item(4, ItemKind::Bill, 6, "1000.00"),
    ];
    let picks = by_amount(&items, dec("1500.00")).unwrap();
    assert_eq!(
        taken(&picks),
        vec![
            (1, "-300.00".into()),
            (2, "1000.00".into()),
            (3, "800.00".into())
        ]
    );
    let total: Decimal = picks.iter().map(|p| p.taken).sum();
    assert_eq!(total, dec("1500.00"));
}

#[test]
fn a_small_amount_still_carries_the_refund() {
    let items = vec![
        item(1, ItemKind::Refund, 6, "-300.00"),
        item(2, ItemKind::Bill, 6, "1000.00"),
    ];
    let picks = by_amount(&items, dec("100.00")).unwrap();
    assert_eq!(
        taken(&picks),
        vec![(1, "-300.00".into()), (2, "400.00".into())]
    );
}

#[test]
fn a_refund_nothing_can_carry_waits() {
    let items = vec![
        item(1, ItemKind::Refund, 13, "-50.00"),
        item(2, ItemKind::Bill, 6, "100.00"),
    ];
    let picks = by_amount(&items, dec("60.00")).unwrap();
    assert_eq!(taken(&picks), vec![(2, "60.00".into())]);
}

#[test]
fn more_than_there_is_is_refused() {
    let items = vec![item(1, ItemKind::Bill, 6, "10.00")];
    assert_eq!(
        by_amount(&items, dec("10.01")),
        Err(BillingRefusal::AmountOverInvoiceable)
    );
    assert_eq!(
        by_amount(&[], dec("1.00")),
        Err(BillingRefusal::AmountOverInvoiceable)
    );
}

#[test]
fn refund_groups_never_drop_to_zero() {
    // Two groups each carrying a refund; the amount asked is tiny.
    let items = vec![
        item(1, ItemKind::Refund, 6, "-300.00"),
        item(2, ItemKind::Refund, 13, "-50.00"),
        item(3, ItemKind::Bill, 6, "1000.00"),
        item(4, ItemKind::Bill, 13, "60.00"),
    ];
    let picks = by_amount(&items, dec("100.00")).unwrap();
    let mut per_rate = std::collections::BTreeMap::new();
    for p in &picks {
        *per_rate.entry(p.group.tax_rate).or_insert(Decimal::ZERO) += p.taken;
    }
    assert!(per_rate.values().all(|t| *t >= dec("0.01")), "{per_rate:?}");
    assert_eq!(per_rate.values().copied().sum::<Decimal>(), dec("100.00"));
    assert_eq!(
        by_amount(&items, dec("0.01")),
        Err(BillingRefusal::AmountBelowRefunds)
    );
}

#[test]
fn orders_come_after_bills() {
    let items = vec![
        item(1, ItemKind::Bill, 6, "10.00"),
        item(2, ItemKind::Order, 6, "10.00"),
    ];
    assert_eq!(
        taken(&by_amount(&items, dec("15.00")).unwrap()),
        vec![(1, "10.00".into()), (2, "5.00".into())]
    );
}

#[test]
fn picking_takes_items_whole_and_refuses_a_negative_group() {
    let items = vec![
        item(1, ItemKind::Refund, 6, "-30.00"),
        item(2, ItemKind::Bill, 6, "20.00"),
        item(3, ItemKind::Bill, 13, "50.00"),
    ];
    assert_eq!(by_pick(&items, &[]), Err(BillingRefusal::NothingPicked));
    assert_eq!(
        by_pick(&items, &[1, 2, 3]),
        Err(BillingRefusal::RefundsOutweighItems)
    );
    let picks = by_pick(&items, &[3, 2]).unwrap();
    assert_eq!(
        taken(&picks),
        vec![(2, "20.00".into()), (3, "50.00".into())]
    );
    assert_ne!(fingerprint(&picks), fingerprint(&picks[..1]));
}
