//! Settling a bill when it is issued (SPEC §6 "Settlement", rule K7): the customer's usable
//! coupons first — at most one voucher, then cash coupons, soonest to end first, each only on
//! the services of its scope — then the balance, then the available credit; what remains is
//! unpaid, a debt due at the end of the next month. Money moves only by `ledger::transfer`, to
//! the revenue account of the bill's signing entity; credit use and the unpaid rest become
//! debts (`credit::debts::record`) that later money repays oldest first.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use diesel::prelude::*;
use rust_decimal::Decimal;

use super::build::NewBill;
use crate::db::schema::coupons;
use crate::domain::{Caller, CouponKind, CouponState, DebtKind, Money};
use crate::ledger::{self, TransferRequest};
use crate::services::credit::debts::{self, DebtSource};
use crate::services::{ServiceError, ServiceResult};

/// Transfer kinds as stored (SPEC §6: stored names are history).
pub const PAY_FROM_BALANCE: &str = "bill_payment";
pub const PAY_FROM_CREDIT: &str = "bill_credit";

/// A coupon that may pay: usable, valid today, with money left.
#[derive(Debug, Clone)]
pub struct Coupon {
    pub id: i64,
    pub kind: CouponKind,
    pub account_id: i64,
    pub balance: Decimal,
    /// Services it pays for; empty: every service.
    pub scope: Vec<String>,
}

/// A customer's money accounts as locked for the chunk (zero when not opened).
#[derive(Debug, Clone, Default)]
pub struct Wallet {
    pub balance_account: Option<i64>,
    pub balance: Decimal,
    pub credit_account: Option<i64>,
    /// What the credit line can still give: balance + limit.
    pub credit_available: Decimal,
}

/// How a bill will be paid.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Plan {
    /// (coupon id, its account, amount, whether this empties it)
    pub coupons: Vec<(i64, i64, Decimal, bool)>,
    pub voucher: Decimal,
    pub cash_coupons: Decimal,
    pub from_balance: Decimal,
    pub from_credit: Decimal,
    pub unpaid: Decimal,
}

/// rule K7, SPEC §6: the split of `bill.amount` over coupons, balance, credit and the unpaid
/// rest. `coupons` in the order they are offered (soonest to end first).
pub fn plan(bill: &NewBill, coupons: &[&Coupon], wallet: &Wallet) -> Plan {
    let mut left: BTreeMap<&str, Decimal> = BTreeMap::new();
    for l in &bill.lines {
        *left.entry(l.service_code.as_str()).or_default() += l.charged;
    }
    let mut p = Plan::default();
    let mut voucher_used = false;
    for c in coupons {
        let voucher = c.kind == CouponKind::Voucher;
        if voucher && voucher_used {
            continue;
        }
        let mut room = c.balance;
        let mut taken = Decimal::ZERO;
        for (service, owed) in left.iter_mut() {
            if room.is_zero() {
                break;
            }
            if !c.scope.is_empty() && !c.scope.iter().any(|s| s == service) {
                continue;
            }
            let part = room.min(*owed);
            *owed -= part;
            room -= part;
            taken += part;
        }
        if taken.is_zero() {
            continue;
        }
        p.coupons.push((c.id, c.account_id, taken, room.is_zero()));
        if voucher {
            voucher_used = true;
            p.voucher += taken;
        } else {
            p.cash_coupons += taken;
        }
    }
    let rest = bill.amount - p.voucher - p.cash_coupons;
    p.from_balance = rest.min(wallet.balance.max(Decimal::ZERO));
    p.from_credit = (rest - p.from_balance).min(wallet.credit_available.max(Decimal::ZERO));
    p.unpaid = rest - p.from_balance - p.from_credit;
    p
}

fn money(amount: Decimal) -> ServiceResult<Money> {
    Money::from_decimal(amount).map_err(|_| ServiceError::internal("bill part is not money"))
}

fn pay(
    conn: &mut PgConnection,
    caller: &Caller,
    from: i64,
    to: i64,
    amount: Decimal,
    kind: &str,
    key: &str,
) -> ServiceResult<()> {
    ledger::transfer(
        conn,
        &TransferRequest {
            from,
            to,
            amount: money(amount)?,
            kind,
            idempotency_key: key,
            memo: "",
            reverses: None,
        },
        caller,
    )?;
    Ok(())
}

/// Moves the money of `plan` for bill `bill_id` and records its debts (issued `today`).
pub fn apply(
    conn: &mut PgConnection,
    caller: &Caller,
    bill_id: i64,
    bill: &NewBill,
    plan: &Plan,
    wallet: &Wallet,
    today: NaiveDate,
) -> ServiceResult<()> {
    let paying =
        !plan.coupons.is_empty() || !plan.from_balance.is_zero() || !plan.from_credit.is_zero();
    if !paying && plan.unpaid.is_zero() {
        return Ok(());
    }
    let revenue = if paying {
        ledger::revenue::account_for(conn, &bill.signing_entity, bill.customer_id)?
    } else {
        0
    };
    for (coupon, account, amount, emptied) in &plan.coupons {
        let key = format!("bill:{bill_id}:coupon:{coupon}");
        let kind = crate::services::coupons::kinds::USE;
        pay(conn, caller, *account, revenue, *amount, kind, &key)?;
        if *emptied {
            diesel::update(coupons::table.find(coupon))
                .set((
                    coupons::state.eq(CouponState::Used.as_str()),
                    coupons::ended_at.eq(chrono::Utc::now()),
                ))
                .execute(conn)?;
        }
    }
    if let (Some(from), false) = (wallet.balance_account, plan.from_balance.is_zero()) {
        let key = format!("bill:{bill_id}:balance");
        pay(
            conn,
            caller,
            from,
            revenue,
            plan.from_balance,
            PAY_FROM_BALANCE,
            &key,
        )?;
    }
    if let (Some(from), false) = (wallet.credit_account, plan.from_credit.is_zero()) {
        let key = format!("bill:{bill_id}:credit");
        pay(
            conn,
            caller,
            from,
            revenue,
            plan.from_credit,
            PAY_FROM_CREDIT,
            &key,
        )?;
        let source = DebtSource::Bill(bill_id);
        debts::record(
            conn,
            bill.customer_id,
            DebtKind::Credit,
            source,
            plan.from_credit,
            today,
        )?;
    }
    if !plan.unpaid.is_zero() {
        let source = DebtSource::Bill(bill_id);
        debts::record(
            conn,
            bill.customer_id,
            DebtKind::Unpaid,
            source,
            plan.unpaid,
            today,
        )?;
    }
    Ok(())
}
