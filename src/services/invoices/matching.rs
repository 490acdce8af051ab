//! Which items a request takes (rule B6), without the database. Items come in match order
//! (`items::free`: refunds and adjustments, then bills oldest first, then orders by payment).
//!
//! **By amount.** Refunds and adjustments are matched first: each is taken whole when the
//! bills and orders of its signing entity and tax rate can carry it (an invoice is never
//! negative, B5), oldest first. The oldest items of each such group are then taken until the
//! group is positive again; then every group's items in match order until the amount is
//! covered. What is taken beyond the amount is given back from the last item taken (taking
//! only part of it: the rest stays invoiceable), never leaving a group with refunds at zero.
//!
//! **By pick.** The items chosen, whole; every group must stay positive.

use std::collections::{BTreeMap, HashMap};

use rust_decimal::Decimal;

use super::items::{Group, Item};
use crate::services::billing::BillingRefusal;

/// One item taken: `taken` of its `whole` amount (all of it unless the amount ended in it).
#[derive(Debug, Clone, PartialEq)]
pub struct Pick {
    pub item_id: i64,
    pub group: Group,
    pub whole: Decimal,
    pub taken: Decimal,
}

fn cent() -> Decimal {
    Decimal::new(1, 2)
}

/// rule B6: the items covering exactly `asked`.
pub fn by_amount(items: &[Item], asked: Decimal) -> Result<Vec<Pick>, BillingRefusal> {
    let mut room: HashMap<&Group, Decimal> = HashMap::new();
    for i in items.iter().filter(|i| i.amount > Decimal::ZERO) {
        *room.entry(&i.group).or_default() += i.amount;
    }
    // Group totals of what is taken, and the order things were taken in.
    let mut totals: BTreeMap<Group, Decimal> = BTreeMap::new();
    let mut carries: HashMap<Group, bool> = HashMap::new();
    let mut picks: Vec<Pick> = Vec::new();
    let mut taken = vec![false; items.len()];
    let take = |i: usize, picks: &mut Vec<Pick>, totals: &mut BTreeMap<Group, Decimal>| {
        let it = &items[i];
        *totals.entry(it.group.clone()).or_default() += it.amount;
        picks.push(Pick {
            item_id: it.id,
            group: it.group.clone(),
            whole: it.amount,
            taken: it.amount,
        });
    };
    for (i, it) in items.iter().enumerate() {
        if it.amount >= Decimal::ZERO {
            continue;
        }
        let carried = totals.get(&it.group).copied().unwrap_or_default();
        let can = room.get(&it.group).copied().unwrap_or_default();
        if can + carried + it.amount >= cent() {
            take(i, &mut picks, &mut totals);
            taken[i] = true;
            carries.insert(it.group.clone(), true);
        }
    }
    // The oldest items of each group with refunds until it is positive again.
    let with_refunds: Vec<Group> = totals.keys().cloned().collect();
    for g in &with_refunds {
        for (i, it) in items.iter().enumerate() {
            if totals[g] >= cent() {
                break;
            }
            if !taken[i] && it.amount > Decimal::ZERO && it.group == *g {
                take(i, &mut picks, &mut totals);
                taken[i] = true;
            }
        }
    }
    let mut total: Decimal = totals.values().sum();
    for (i, it) in items.iter().enumerate() {
        if total >= asked {
            break;
        }
        if !taken[i] && it.amount > Decimal::ZERO {
            take(i, &mut picks, &mut totals);
            taken[i] = true;
            total += it.amount;
        }
    }
    if total < asked {
        return Err(BillingRefusal::AmountOverInvoiceable);
    }
    give_back(&mut picks, &mut totals, &carries, total - asked)?;
    Ok(picks)
}

/// Gives `excess` back from the last positive picks, keeping each group with refunds at 0.01
/// or more; a pick given back whole is dropped.
fn give_back(
    picks: &mut Vec<Pick>,
    totals: &mut BTreeMap<Group, Decimal>,
    carries: &HashMap<Group, bool>,
    mut excess: Decimal,
) -> Result<(), BillingRefusal> {
    for p in picks.iter_mut().rev() {
        if excess.is_zero() {
            break;
        }
        if p.taken <= Decimal::ZERO {
            continue;
        }
        let total = totals[&p.group];
        let keep = if carries.contains_key(&p.group) {
            cent()
        } else {
            Decimal::ZERO
        };
        let back = p.taken.min(excess).min((total - keep).max(Decimal::ZERO));
        p.taken -= back;
        excess -= back;
        *totals.get_mut(&p.group).expect("taken group") -= back;
    }
    picks.retain(|p| !p.taken.is_zero());
    if excess > Decimal::ZERO {
        return Err(BillingRefusal::AmountBelowRefunds);
    }
    Ok(())
}

/// rule B6 (picking): the chosen items whole, in match order; `chosen` must all be among
/// `items` (the caller says why one is not).
pub fn by_pick(items: &[Item], chosen: &[i64]) -> Result<Vec<Pick>, BillingRefusal> {
    if chosen.is_empty() {
        return Err(BillingRefusal::NothingPicked);
    }
    let chosen: std::collections::HashSet<i64> = chosen.iter().copied().collect();
    let picks: Vec<Pick> = items
        .iter()
        .filter(|i| chosen.contains(&i.id))
        .map(|i| Pick {
            item_id: i.id,
            group: i.group.clone(),
            whole: i.amount,
            taken: i.amount,
        })
        .collect();
    let mut totals: BTreeMap<&Group, Decimal> = BTreeMap::new();
    for p in &picks {
        *totals.entry(&p.group).or_default() += p.taken;
    }
    if totals.values().any(|t| *t < cent()) {
        return Err(BillingRefusal::RefundsOutweighItems);
    }
    Ok(picks)
}

/// What the requester saw: the picks as `id:taken` in order, hashed, so the submission can
/// tell whether the match it would make now is the one shown (B6).
pub fn fingerprint(picks: &[Pick]) -> String {
    use sha2::{Digest, Sha256};
    use std::fmt::Write;
    let mut h = Sha256::new();
    let mut part = String::with_capacity(48);
    for p in picks {
        part.clear();
        let _ = write!(part, "{}:{};", p.item_id, p.taken.normalize());
        h.update(part.as_bytes());
    }
    hex::encode(&h.finalize()[..12])
}

#[cfg(test)]
#[path = "matching_tests.rs"]
mod tests;
