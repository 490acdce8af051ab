//! Building one customer's bill from its facts, without the database (rules B1, C5): each
//! usage group is split between the managers who held the customer during the month in
//! proportion to the time each held it (SPEC §6 "Attribution"; the rest of the month, when no
//! manager of the bill's partner held it, goes to no manager), then discounted and charged by
//! `rating`. The bill's figures are the sums of its lines.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

use super::facts::{Assignment, UsageGroup};
use crate::services::billing::rating;

/// A line as it will be stored.
#[derive(Debug, Clone, PartialEq)]
pub struct NewLine {
    pub product_id: i64,
    pub service_code: String,
    pub manager_id: Option<i64>,
    pub quantity: Decimal,
    pub unit_price: Decimal,
    pub list_amount: Decimal,
    pub amount: Decimal,
    pub charged: Decimal,
    pub cut_off: Decimal,
}

/// A bill before it is settled.
#[derive(Debug, Clone, PartialEq)]
pub struct NewBill {
    pub customer_id: i64,
    pub partner: Option<(i64, String)>,
    pub signing_entity: String,
    pub lines: Vec<NewLine>,
    pub subtotal: Decimal,
    pub discount: Decimal,
    pub cut_off: Decimal,
    /// The total: the sum of the lines' charged cents.
    pub amount: Decimal,
}

impl NewBill {
    /// Charged cents per manager (0 = none), for `bill_managers`.
    pub fn manager_split(&self) -> Vec<(i64, Decimal)> {
        let mut split: Vec<(i64, Decimal)> = Vec::new();
        for l in &self.lines {
            let m = l.manager_id.unwrap_or(0);
            match split.iter_mut().find(|(id, _)| *id == m) {
                Some(entry) => entry.1 += l.charged,
                None => split.push((m, l.charged)),
            }
        }
        split.sort_by_key(|(m, _)| *m);
        split
    }
}

/// C5: who held the customer for how many seconds of `[start, end)`, among the assignments of
/// `partner`; the seconds no manager of it held go to `None`. Managers in id order, `None`
/// last; a month nobody shares is one `None` share.
pub fn shares(
    partner: Option<i64>,
    assignments: &[&Assignment],
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Vec<(Option<i64>, i64)> {
    let whole = (end - start).num_seconds().max(1);
    let mut held: Vec<(Option<i64>, i64)> = Vec::new();
    if let Some(p) = partner {
        for a in assignments.iter().filter(|a| a.partner_id == p) {
            let Some(m) = a.manager_id else { continue };
            let from = a.from_at.max(start);
            let to = a.to_at.unwrap_or(end).min(end);
            let secs = (to - from).num_seconds();
            if secs <= 0 {
                continue;
            }
            match held.iter_mut().find(|(id, _)| *id == Some(m)) {
                Some(entry) => entry.1 += secs,
                None => held.push((Some(m), secs)),
            }
        }
    }
    held.sort_by_key(|(m, _)| *m);
    let taken: i64 = held.iter().map(|(_, s)| s).sum();
    if taken < whole {
        held.push((None, whole - taken));
    }
    held
}

/// rule B1, C5: the bill of one customer from its usage groups of the month.
pub fn bill(
    customer_id: i64,
    partner: Option<(i64, String)>,
    signing_entity: String,
    discount: Decimal,
    groups: &[&UsageGroup],
    shares: &[(Option<i64>, i64)],
) -> NewBill {
    let parts: Vec<i64> = shares.iter().map(|(_, s)| *s).collect();
    let mut lines = Vec::new();
    for g in groups {
        let quantities = rating::split(g.quantity, &parts);
        let amounts = rating::split(g.list_amount, &parts);
        for (i, (manager, _)) in shares.iter().enumerate() {
            let (quantity, list_amount) = (quantities[i], amounts[i]);
            if quantity.is_zero() && list_amount.is_zero() {
                continue;
            }
            let amount = rating::discounted(list_amount, discount);
            let c = rating::charge(amount);
            lines.push(NewLine {
                product_id: g.product_id,
                service_code: g.service_code.clone(),
                manager_id: *manager,
                quantity,
                unit_price: g.unit_price,
                list_amount,
                amount,
                charged: c.charged,
                cut_off: c.cut_off,
            });
        }
    }
    let sum = |f: fn(&NewLine) -> Decimal| lines.iter().map(f).sum::<Decimal>();
    let subtotal = sum(|l| l.list_amount);
    let discount_total = subtotal - sum(|l| l.amount);
    let cut_off = sum(|l| l.cut_off);
    let amount = sum(|l| l.charged);
    NewBill {
        customer_id,
        partner,
        signing_entity,
        lines,
        subtotal,
        discount: discount_total,
        cut_off,
        amount,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn at(day: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, day, 0, 0, 0).unwrap()
    }

    fn assignment(manager: i64, from: u32, to: Option<u32>) -> Assignment {
        Assignment {
            customer_id: 1,
            partner_id: 7,
            manager_id: Some(manager),
            from_at: at(from),
            to_at: to.map(at),
        }
    }

    #[test]
    fn a_change_of_manager_splits_the_month_by_time_held() {
        // rule C5: mgr 10 held days 1–11 (10 days), mgr 20 from the 11th to the month's end.
        let (a, b) = (assignment(10, 1, Some(11)), assignment(20, 11, None));
        let s = shares(
            Some(7),
            &[&a, &b],
            at(1),
            at(1) + chrono::Duration::days(30),
        );
        assert_eq!(s, vec![(Some(10), 864_000), (Some(20), 1_728_000)]);
        let g = UsageGroup {
            customer_id: 1,
            product_id: 3,
            service_code: "ECS".into(),
            unit_price: d("0.5"),
            quantity: d("30"),
            list_amount: d("15.00000001"),
        };
        let b = bill(1, Some((7, "resale".into())), "E".into(), d("1"), &[&g], &s);
        assert_eq!(b.lines.len(), 2);
        assert_eq!(b.lines[0].quantity, d("10"));
        assert_eq!(b.lines[0].list_amount, d("5.00000000"));
        assert_eq!(b.lines[1].list_amount, d("10.00000001"));
        assert_eq!(b.amount, d("15.00"));
        assert_eq!(b.cut_off, d("0.00000001"));
        assert_eq!(b.manager_split(), vec![(10, d("5.00")), (20, d("10.00"))]);
    }

    #[test]
    fn another_partners_assignment_or_an_unassigned_stretch_goes_to_no_manager() {
        let mut other = assignment(30, 1, Some(5));
        other.partner_id = 8;
        let late = assignment(10, 16, None);
        let s = shares(
            Some(7),
            &[&other, &late],
            at(1),
            at(1) + chrono::Duration::days(30),
        );
        assert_eq!(s, vec![(Some(10), 15 * 86_400), (None, 15 * 86_400)]);
        assert_eq!(shares(None, &[&late], at(1), at(2)), vec![(None, 86_400)]);
    }

    #[test]
    fn the_bill_adds_up_after_the_discount() {
        let g = |p: i64, amount: &str| UsageGroup {
            customer_id: 1,
            product_id: p,
            service_code: "OBS".into(),
            unit_price: d("0.12345678"),
            quantity: d("1"),
            list_amount: d(amount),
        };
        let (g1, g2) = (g(1, "100.12345678"), g(2, "0.00999999"));
        let b = bill(1, None, "E".into(), d("0.95"), &[&g1, &g2], &[(None, 1)]);
        assert_eq!(b.subtotal, d("100.13345677"));
        assert_eq!(b.lines[0].amount, d("95.11728394"));
        assert_eq!(b.amount, d("95.11"));
        assert_eq!(b.subtotal - b.discount - b.cut_off, b.amount);
        for l in &b.lines {
            assert_eq!(l.charged + l.cut_off, l.amount);
        }
    }
}
