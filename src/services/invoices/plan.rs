//! The invoices a request becomes (rule B5), without the database: one per signing entity and
//! tax rate, and an electronic invoice at most `E_INVOICE_MAX`: a larger group is cut into
//! invoices of exactly that much and one for the rest, an item at a cut giving each side its
//! part. Refunds go on a group's first invoice, so every invoice is positive.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::items::Group;
use super::matching::Pick;
use super::state::Medium;

/// rule B5: the most one electronic invoice may carry.
pub fn e_invoice_max() -> Decimal {
    Decimal::new(100_000_000, 2)
}

/// One invoice to write: its group, amount and `(item id, amount)` lines.
#[derive(Debug, Clone, PartialEq)]
pub struct Planned {
    pub group: Group,
    pub amount: Decimal,
    pub lines: Vec<(i64, Decimal)>,
}

/// rule B5: the picks as invoices, groups in (signing entity, tax rate) order.
pub fn invoices(picks: &[Pick], medium: Medium) -> Vec<Planned> {
    let mut groups: BTreeMap<&Group, Vec<&Pick>> = BTreeMap::new();
    for p in picks {
        groups.entry(&p.group).or_default().push(p);
    }
    let limit = match medium {
        Medium::Electronic => Some(e_invoice_max()),
        Medium::Paper => None,
    };
    let mut out = Vec::new();
    for (group, mut members) in groups {
        // Refunds first (stable: the match order stays within each sign).
        members.sort_by_key(|p| p.taken >= Decimal::ZERO);
        let mut current = Planned {
            group: group.clone(),
            amount: Decimal::ZERO,
            lines: Vec::new(),
        };
        for p in members {
            let mut left = p.taken;
            while !left.is_zero() {
                let part = match limit {
                    Some(max) if left > Decimal::ZERO => left.min(max - current.amount),
                    _ => left,
                };
                current.amount += part;
                current.lines.push((p.item_id, part));
                left -= part;
                if limit.is_some_and(|max| current.amount >= max) {
                    let next = Planned {
                        group: group.clone(),
                        amount: Decimal::ZERO,
                        lines: Vec::new(),
                    };
                    out.push(std::mem::replace(&mut current, next));
                }
            }
        }
        if !current.lines.is_empty() {
            out.push(current);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pick(id: i64, entity: &str, rate: i16, taken: &str) -> Pick {
        let taken: Decimal = taken.parse().unwrap();
        Pick {
            item_id: id,
            group: Group {
                signing_entity: entity.into(),
                tax_rate: rate,
            },
            whole: taken,
            taken,
        }
    }

    // rule B5: one invoice per signing entity and per tax rate.
    #[test]
    fn two_entities_or_two_rates_make_two_invoices() {
        let rates = invoices(
            &[pick(1, "A", 6, "10"), pick(2, "A", 13, "5")],
            Medium::Paper,
        );
        assert_eq!(rates.len(), 2);
        let entities = invoices(
            &[
                pick(1, "A", 6, "10"),
                pick(2, "B", 6, "5"),
                pick(3, "A", 6, "1"),
            ],
            Medium::Electronic,
        );
        assert_eq!(entities.len(), 2);
        assert_eq!(entities[0].amount, Decimal::from(11));
        assert_eq!(
            entities[0].lines,
            vec![(1, Decimal::from(10)), (3, Decimal::from(1))]
        );
    }

    // rule B5: an electronic invoice carries at most 1,000,000.00; paper ones are not cut.
    #[test]
    fn a_large_electronic_group_splits_at_the_limit_and_cuts_an_item() {
        let picks = [
            pick(1, "A", 6, "-100.00"),
            pick(2, "A", 6, "700000.00"),
            pick(3, "A", 6, "1500000.00"),
        ];
        let out = invoices(&picks, Medium::Electronic);
        let amounts: Vec<String> = out.iter().map(|p| p.amount.to_string()).collect();
        assert_eq!(amounts, vec!["1000000.00", "1000000.00", "199900.00"]);
        assert_eq!(out[0].lines[0], (1, "-100.00".parse().unwrap()));
        assert_eq!(out[0].lines[2], (3, "300100.00".parse().unwrap()));
        assert_eq!(out[1].lines, vec![(3, "1000000.00".parse().unwrap())]);
        assert_eq!(invoices(&picks, Medium::Paper).len(), 1);
        let exact = invoices(&[pick(1, "A", 6, "1000000.00")], Medium::Electronic);
        assert_eq!(exact.len(), 1);
    }
}
