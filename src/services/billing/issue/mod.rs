//! Issuing a closed month's bills (rule B2; SPEC §6 "Cents", "Attribution", "Settlement"): one
//! bill per customer with usage in the month, its lines rated by `rating` (B1), discounted,
//! attributed to the managers of the month (C5), settled at once (`settle`), and added to the
//! kept monthly totals. Customers go in chunks of `CHUNK`, each chunk one transaction of a
//! fixed number of set-based statements plus the transfers and debts its bills need.
//! Idempotent per customer and month: a customer already billed for the month is skipped,
//! also when two runs race (the insert skips what the other wrote).

mod build;
mod facts;
pub mod funds;
pub mod settle;
mod write;

use std::collections::HashMap;

use chrono::Utc;
use diesel::prelude::*;
use serde_json::json;

use super::{BillingRefusal, Month};
use crate::audit::{self, Entry};
use crate::domain::Caller;
use crate::services::ServiceResult;

pub use build::{NewBill, NewLine};

/// Customers billed per transaction.
pub const CHUNK: i64 = 500;
/// The monthly job bills last month from this day of the month (platform time), leaving the
/// first day for late usage files.
pub const ISSUE_FROM_DAY: u32 = 2;

/// What a run did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Issued {
    /// Bills written by this run.
    pub bills: i64,
    /// Customers with usage in the month that already had their bill.
    pub skipped: i64,
}

/// rule B2: issues the bills of `month` (operators, or the system's monthly job). Refused
/// while the month is not over.
pub fn issue_month(
    conn: &mut PgConnection,
    caller: &Caller,
    month: Month,
) -> ServiceResult<Issued> {
    super::usage::operator(caller)?;
    if !month.is_closed(Utc::now()) {
        return Err(BillingRefusal::MonthNotClosed.into());
    }
    let mut total = Issued::default();
    let mut after = 0i64;
    loop {
        let ids = facts::next_customers(conn, month.first_day(), after, CHUNK)?;
        let Some(last) = ids.last().copied() else {
            break;
        };
        let done = conn.transaction(|conn| issue_chunk(conn, caller, month, &ids))?;
        total.bills += done.bills;
        total.skipped += done.skipped;
        after = last;
    }
    audit::record(
        conn,
        caller,
        Entry::new("bills.issued", "month", month.label())
            .after(json!({ "bills": total.bills, "skipped": total.skipped })),
    )?;
    Ok(total)
}

/// rule B2, the system's monthly run: from `ISSUE_FROM_DAY`, last month's bills, once (a run
/// that finished is in the audit log as `bills.issued` for the month). One instance at a time
/// (an advisory lock); safe to call every minute.
pub fn issue_due(conn: &mut PgConnection, caller: &Caller) -> ServiceResult<Option<Issued>> {
    use chrono::Datelike;
    use diesel::sql_types::{BigInt, Bool};
    let now = Utc::now();
    if crate::i18n::local_date(now).day() < ISSUE_FROM_DAY {
        return Ok(None);
    }
    let month = Month::at(now).previous();
    let done: bool = diesel::select(diesel::dsl::exists(
        crate::db::schema::audit_log::table
            .filter(crate::db::schema::audit_log::subject_type.eq("month"))
            .filter(crate::db::schema::audit_log::subject_id.eq(month.label()))
            .filter(crate::db::schema::audit_log::action.eq("bills.issued")),
    ))
    .get_result(conn)?;
    if done {
        return Ok(None);
    }
    #[derive(QueryableByName)]
    struct Locked {
        #[diesel(sql_type = Bool)]
        locked: bool,
    }
    const LOCK: i64 = 0x6269_6c6c_7300; // "bills"
    let got: Locked = diesel::sql_query("SELECT pg_try_advisory_lock($1) AS locked")
        .bind::<BigInt, _>(LOCK)
        .get_result(conn)?;
    if !got.locked {
        return Ok(None);
    }
    let outcome = issue_month(conn, caller, month);
    diesel::sql_query("SELECT pg_advisory_unlock($1)")
        .bind::<BigInt, _>(LOCK)
        .execute(conn)?;
    outcome.map(Some)
}

fn issue_chunk(
    conn: &mut PgConnection,
    caller: &Caller,
    month: Month,
    ids: &[i64],
) -> ServiceResult<Issued> {
    let period = month.first_day();
    let billed = facts::already_billed(conn, period, ids)?;
    let ids: Vec<i64> = ids
        .iter()
        .copied()
        .filter(|i| !billed.contains(i))
        .collect();
    let skipped = billed.len() as i64;
    if ids.is_empty() {
        return Ok(Issued { bills: 0, skipped });
    }
    let (start, end) = (month.start(), month.end());
    let usage = facts::usage(conn, period, &ids)?;
    let customers = facts::customers(conn, &ids)?;
    let partners: HashMap<i64, facts::MonthPartner> = facts::partners(conn, start, end, &ids)?
        .into_iter()
        .map(|p| (p.customer_id, p))
        .collect();
    let mut held: HashMap<i64, Vec<facts::Assignment>> = HashMap::new();
    for a in facts::assignments(conn, start, end, &ids)? {
        held.entry(a.customer_id).or_default().push(a);
    }
    let mut groups: HashMap<i64, Vec<facts::UsageGroup>> = HashMap::new();
    for g in usage {
        groups.entry(g.customer_id).or_default().push(g);
    }
    let mut bills = Vec::with_capacity(customers.len());
    for (id, entity, discount) in customers {
        let partner = partners
            .get(&id)
            .map(|p| (p.partner_id, p.association_type.clone()));
        let held: Vec<&facts::Assignment> = held.get(&id).into_iter().flatten().collect();
        let shares = build::shares(partner.as_ref().map(|p| p.0), &held, start, end);
        let groups: Vec<&facts::UsageGroup> = groups.get(&id).into_iter().flatten().collect();
        bills.push(build::bill(id, partner, entity, discount, &groups, &shares));
    }
    let today = crate::i18n::local_date(Utc::now());
    let wallets = funds::wallets(conn, &ids)?;
    let coupons = funds::coupons(conn, &ids, today)?;
    let none = settle::Wallet::default();
    let plans: Vec<settle::Plan> = bills
        .iter()
        .map(|b| {
            let offered: Vec<&settle::Coupon> = coupons
                .get(&b.customer_id)
                .map(|c| c.iter().collect())
                .unwrap_or_default();
            settle::plan(b, &offered, wallets.get(&b.customer_id).unwrap_or(&none))
        })
        .collect();
    let pairs: Vec<(&NewBill, &settle::Plan)> = bills.iter().zip(plans.iter()).collect();
    let due = crate::services::credit::debts::due_on(today);
    let written = write::bills(conn, period, due, &pairs)?;
    let by_customer: HashMap<i64, usize> = bills
        .iter()
        .enumerate()
        .map(|(i, b)| (b.customer_id, i))
        .collect();
    let mut lines = Vec::with_capacity(written.len());
    let mut spent = Vec::with_capacity(written.len());
    let mut entries = Vec::with_capacity(written.len());
    for (bill_id, customer) in &written {
        let i = by_customer[customer];
        let (bill, plan) = (&bills[i], &plans[i]);
        let wallet = wallets.get(customer).unwrap_or(&none);
        settle::apply(conn, caller, *bill_id, bill, plan, wallet, today)?;
        lines.push((*bill_id, bill));
        spent.push((*customer, plan.from_balance + plan.from_credit));
        entries.push(Entry::new("bill.issued", "bill", bill_id).after(json!({
            "customer": customer, "month": month.label(), "amount": bill.amount,
            "vouchers": plan.voucher, "cash_coupons": plan.cash_coupons,
            "balance": plan.from_balance, "credit": plan.from_credit, "unpaid": plan.unpaid,
        })));
    }
    write::lines(conn, period, &lines)?;
    let ids: Vec<i64> = written.iter().map(|(id, _)| *id).collect();
    write::totals(conn, &ids)?;
    write::cash_spent(conn, &spent)?;
    audit::record_many(conn, caller, entries)?;
    let skipped = skipped + (bills.len() - written.len()) as i64;
    Ok(Issued {
        bills: written.len() as i64,
        skipped,
    })
}
