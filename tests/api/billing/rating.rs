//! rule B1 (SPEC §6 "Cents"): many 8-decimal usage lines rated, discounted and charged; every
//! line's charged cents plus its cut-off (抹零) is its amount, and the bill's figures are the
//! exact sums of its lines. The import's SQL rating agrees with `rating::rate`.

use diesel::prelude::*;
use partner_center::db::schema::{bill_lines, bills, customers, usage_lines};
use partner_center::services::billing::rating;
use rust_decimal::Decimal;

use super::{bill_of, csv, customer_with, import, issue, month};
use crate::support::spawn_app;

const PRODUCTS: [&str; 5] = [
    "ecs.vcpu-hour",
    "evs.gb-month",
    "obs.gb-month",
    "cdn.gb",
    "rds.instance-hour",
];

#[tokio::test]
async fn many_eight_decimal_lines_truncate_and_cut_off_to_exact_sums() {
    let app = spawn_app().await;
    let id = customer_with(&app, "Rating Test Co", &[], &[]);
    diesel::update(customers::table.find(id))
        .set(customers::discount.eq(Decimal::new(9123, 4)))
        .execute(&mut app.conn())
        .unwrap();
    let m = month(2);
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let rows: Vec<String> = (0..400)
        .map(|i| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let (q, p) = (seed % 100_000_000_000, (seed >> 24) % 1_000_000_000);
            format!(
                "rate-{i},{id},{},{m},{}.{:08},{}.{:08}",
                PRODUCTS[i % 5],
                q / 100_000_000,
                q % 100_000_000,
                p / 100_000_000,
                p % 100_000_000
            )
        })
        .collect();
    let done = import(&app, &csv(&rows));
    assert_eq!(
        (done.rows_imported, done.rows_rejected),
        (400, 0),
        "{done:?}"
    );
    // The import's SQL rating is `rating::rate`, line by line.
    let lines: Vec<(Decimal, Decimal, Decimal)> = usage_lines::table
        .filter(usage_lines::customer_id.eq(id))
        .select((
            usage_lines::quantity,
            usage_lines::unit_price,
            usage_lines::amount,
        ))
        .load(&mut app.conn())
        .unwrap();
    for (q, p, amount) in &lines {
        assert_eq!(rating::rate(*q, *p), Some(*amount), "{q} × {p}");
    }
    assert_eq!(issue(&app, m).bills, 1);
    let bill = bill_of(&app, id, m);
    let charged: Vec<(Decimal, Decimal, Decimal, Decimal)> = bill_lines::table
        .filter(bill_lines::bill_id.eq(bill))
        .select((
            bill_lines::list_amount,
            bill_lines::amount,
            bill_lines::charged,
            bill_lines::cut_off,
        ))
        .load(&mut app.conn())
        .unwrap();
    assert!(!charged.is_empty());
    for (list, amount, c, cut) in &charged {
        assert_eq!(*c + *cut, *amount, "charged + cut-off is the line's amount");
        assert_eq!(c.trunc_with_scale(2), *c, "whole cents");
        assert!(*cut >= Decimal::ZERO && *cut < Decimal::new(1, 2));
        assert_eq!(*amount, rating::discounted(*list, Decimal::new(9123, 4)));
    }
    let sum = |f: fn(&(Decimal, Decimal, Decimal, Decimal)) -> Decimal| {
        charged.iter().map(f).sum::<Decimal>()
    };
    let (subtotal, discount, cut_off, total): (Decimal, Decimal, Decimal, Decimal) = bills::table
        .find(bill)
        .select((
            bills::subtotal,
            bills::discount,
            bills::cut_off,
            bills::amount,
        ))
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(subtotal, lines.iter().map(|l| l.2).sum::<Decimal>());
    assert_eq!(subtotal, sum(|l| l.0));
    assert_eq!(discount, sum(|l| l.0 - l.1));
    assert_eq!(cut_off, sum(|l| l.3));
    assert_eq!(
        total,
        sum(|l| l.2),
        "the total is the sum of the truncated lines"
    );
    assert_eq!(subtotal - discount - cut_off, total);
}
