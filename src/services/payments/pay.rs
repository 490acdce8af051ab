//! Paying an order: by the customer (rule K7: voucher, cash coupons, balance, then credit) or
//! by its partner on its behalf (rule P2: all from the partner's cash, never the customer's
//! coupons). One transaction moves every part to the platform's revenue, records the parts,
//! the credit debt, the customer's cash spending (C8) and the order's new state; the order row
//! is locked first, so two payments of one order queue and the second finds it paid.

use chrono::{Months, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Date, Nullable, Numeric, Text, Timestamptz};
use rust_decimal::Decimal;

use super::order::OrderRow;
use super::split::{Funds, split};
use super::{Choice, Paid, Part, PaymentRefusal, Plan, choice, kinds};
use crate::db::schema::{ledger_accounts, ledger_transfers, order_payments, orders};
use crate::domain::{
    Caller, CouponState, DebtKind, Money, OrderState, PayRequest, PaymentSource, Term,
};
use crate::ledger::{self, AccountKind, LedgerError, TransferRequest};
use crate::services::credit::debts::{self, DebtSource};
use crate::services::customers::top_up::valid_key;
use crate::services::orders::OrderRefusal;
use crate::services::{ServiceError, ServiceResult};

/// The split the customer would pay with this choice, without paying (the confirm step).
pub fn plan(
    conn: &mut PgConnection,
    caller: &Caller,
    order_id: i64,
    choice: &Choice,
) -> ServiceResult<Plan> {
    let order = OrderRow::of_customer(conn, caller, order_id)?;
    require_payable(&order)?;
    let (chosen, _) = choice::chosen(conn, &order, choice)?;
    let (funds, _) = with_own_money(conn, order.customer_id, chosen)?;
    Ok(split(order.amount, &funds))
}

/// The customer pays its own order (rule K7).
pub fn pay_self(
    conn: &mut PgConnection,
    caller: &Caller,
    order_id: i64,
    choice: &Choice,
    key: &str,
) -> ServiceResult<Paid> {
    if !valid_key(key) {
        return Err(ServiceError::Malformed("idempotency key"));
    }
    let customer_id = caller.customer_id()?.get();
    conn.transaction(|conn| {
        crate::db::prepared::generic_plans(conn)?;
        let order = OrderRow::lock(conn, order_id, Some(customer_id))?;
        let key = format!("pay:{order_id}:{key}");
        if let Some(paid) = replay(conn, &order, &key)? {
            return Ok(paid);
        }
        require_payable(&order)?;
        let (chosen, mut accounts) = choice::chosen(conn, &order, choice)?;
        let (funds, own) = with_own_money(conn, order.customer_id, chosen)?;
        let plan = split(order.amount, &funds);
        if plan.short > Decimal::ZERO {
            return Err(PaymentRefusal::NotEnoughFunds.into());
        }
        accounts.extend(own);
        // The order's own rows first: the revenue shard's row lock, taken by the first
        // transfer, is then held only through the last few statements and the commit.
        mark_paid(conn, caller, &order, "customer", &plan.parts)?;
        write_parts(conn, caller, &order, &plan.parts, &key, &accounts)?;
        Ok(Paid {
            order_id,
            customer_id: order.customer_id,
            parts: plan.parts,
            fresh: true,
        })
    })
}

/// An admin of the customer's partner pays a requested order from the partner's cash (P2).
pub fn pay_on_behalf(
    conn: &mut PgConnection,
    caller: &Caller,
    order_id: i64,
    key: &str,
) -> ServiceResult<Paid> {
    let member = caller.member()?;
    if !valid_key(key) {
        return Err(ServiceError::Malformed("idempotency key"));
    }
    conn.transaction(|conn| {
        crate::db::prepared::generic_plans(conn)?;
        let customer_id: i64 = orders::table
            .find(order_id)
            .select(orders::customer_id)
            .first(conn)
            .optional()?
            .ok_or(ServiceError::NotFound)?;
        crate::services::customers::detail::visible(conn, member, customer_id)?;
        member.require_admin()?;
        let order = OrderRow::lock(conn, order_id, None)?;
        let key = format!("behalf:{order_id}:{key}");
        if let Some(paid) = replay(conn, &order, &key)? {
            return Ok(paid);
        }
        require_payable(&order)?;
        if order.pay_request.as_deref() != Some(PayRequest::Requested.as_str()) {
            return Err(OrderRefusal::IllegalTransition.into());
        }
        let parts = vec![Part {
            source: PaymentSource::PartnerCash,
            coupon_id: None,
            amount: order.amount,
        }];
        let cash = ledger::accounts::for_org(conn, member.org_id.get(), AccountKind::PartnerCash)?;
        mark_paid(conn, caller, &order, "partner", &parts)?;
        match write_parts(
            conn,
            caller,
            &order,
            &parts,
            &key,
            &[(PARTNER_CASH, cash.id)],
        ) {
            Err(ServiceError::Ledger(LedgerError::InsufficientFunds { .. })) => {
                return Err(PaymentRefusal::PartnerCashShort.into());
            }
            other => other?,
        }
        Ok(Paid {
            order_id,
            customer_id,
            parts,
            fresh: true,
        })
    })
}

fn require_payable(order: &OrderRow) -> ServiceResult<()> {
    if order.state()? == OrderState::PendingPayment {
        Ok(())
    } else {
        Err(OrderRefusal::IllegalTransition.into())
    }
}

/// The payment this key already made, when a double submit or a racing tab sends it again.
fn replay(conn: &mut PgConnection, order: &OrderRow, key: &str) -> ServiceResult<Option<Paid>> {
    if order.state()? == OrderState::PendingPayment {
        // Not paid yet, so nobody paid it with this key.
        return Ok(None);
    }
    let first = format!("{key}:0");
    let done: bool = diesel::select(diesel::dsl::exists(
        ledger_transfers::table.filter(ledger_transfers::idempotency_key.eq(&first)),
    ))
    .get_result(conn)?;
    if !done {
        return Ok(None);
    }
    let rows: Vec<(String, Option<i64>, Decimal)> = order_payments::table
        .filter(order_payments::order_id.eq(order.id))
        .order(order_payments::id)
        .select((
            order_payments::source,
            order_payments::coupon_id,
            order_payments::amount,
        ))
        .load(conn)?;
    let parts = rows
        .into_iter()
        .filter_map(|(source, coupon_id, amount)| {
            Some(Part {
                source: PaymentSource::parse(&source)?,
                coupon_id,
                amount,
            })
        })
        .collect();
    Ok(Some(Paid {
        order_id: order.id,
        customer_id: order.customer_id,
        parts,
        fresh: false,
    }))
}

// Keys of the account map besides coupon ids (which are positive).
const BALANCE: i64 = -1;
const CREDIT: i64 = -2;
const PARTNER_CASH: i64 = -3;

/// The chosen coupons plus the customer's balance and available credit (0.00 for accounts
/// not opened yet), and the accounts that hold them, in one statement.
fn with_own_money(
    conn: &mut PgConnection,
    customer_id: i64,
    mut funds: Funds,
) -> ServiceResult<(Funds, Vec<(i64, i64)>)> {
    let rows: Vec<(i64, String, Decimal, Option<Decimal>)> = ledger_accounts::table
        .filter(ledger_accounts::owner_customer_id.eq(customer_id))
        .filter(crate::ledger::accounts::customer_money_kinds())
        .select((
            ledger_accounts::id,
            ledger_accounts::kind,
            ledger_accounts::balance,
            ledger_accounts::credit_limit,
        ))
        .load(conn)?;
    let mut accounts = Vec::new();
    for (id, kind, balance, limit) in rows {
        if kind == AccountKind::CustomerBalance.as_str() {
            funds.balance = balance;
            accounts.push((BALANCE, id));
        } else {
            funds.credit = balance + limit.unwrap_or_default();
            accounts.push((CREDIT, id));
        }
    }
    Ok((funds, accounts))
}

/// One transfer per part into the customer's revenue shard (one batch statement), then the parts' rows, the debt of
/// the credit part, and the coupons the payment emptied marked used. `accounts` maps coupon
/// ids and the `BALANCE`, `CREDIT`, `PARTNER_CASH` keys to the paying accounts.
fn write_parts(
    conn: &mut PgConnection,
    caller: &Caller,
    order: &OrderRow,
    parts: &[Part],
    key: &str,
    accounts: &[(i64, i64)],
) -> ServiceResult<()> {
    let revenue = ledger::revenue::account_for(conn, &order.signing_entity, order.customer_id)?;
    let memo = format!("order {}", order.id);
    let keys: Vec<String> = (0..parts.len()).map(|i| format!("{key}:{i}")).collect();
    let mut requests = Vec::with_capacity(parts.len());
    for (part, part_key) in parts.iter().zip(&keys) {
        let (slot, kind) = match (part.source, part.coupon_id) {
            (PaymentSource::Voucher | PaymentSource::CashCoupon, Some(id)) => {
                (id, crate::services::coupons::kinds::USE)
            }
            (PaymentSource::Balance, _) => (BALANCE, kinds::PAY),
            (PaymentSource::Credit, _) => (CREDIT, kinds::PAY),
            (PaymentSource::PartnerCash, _) => (PARTNER_CASH, kinds::PAY),
            _ => return Err(ServiceError::internal("coupon part without a coupon")),
        };
        let from = accounts
            .iter()
            .find(|(k, _)| *k == slot)
            .map(|(_, a)| *a)
            .ok_or_else(|| ServiceError::internal("no account for a payment part"))?;
        let amount = Money::from_decimal(part.amount)
            .map_err(|_| ServiceError::internal("payment part is not money"))?;
        requests.push(TransferRequest {
            from,
            to: revenue,
            amount,
            kind,
            idempotency_key: part_key,
            memo: &memo,
            reverses: None,
        });
    }
    // Every part in one statement: the revenue shard is locked and updated once.
    let transfers = match ledger::transfer_all_in_transaction(conn, &requests, caller) {
        // A balance, coupon or credit line spent elsewhere since it was read.
        Err(LedgerError::InsufficientFunds { .. })
            if parts.iter().all(|p| p.source != PaymentSource::PartnerCash) =>
        {
            return Err(PaymentRefusal::NotEnoughFunds.into());
        }
        other => other?,
    };
    let mut rows = PaymentRows::default();
    for (part, transfer) in parts.iter().zip(&transfers) {
        rows.source.push(part.source.as_str());
        rows.coupon_id.push(part.coupon_id);
        rows.transfer_id.push(transfer.id);
        rows.amount.push(part.amount);
        if part.source == PaymentSource::Credit {
            // SPEC §6: credit an order uses is a debt due at the end of the next month.
            debts::record(
                conn,
                order.customer_id,
                DebtKind::Credit,
                DebtSource::Order(order.id),
                part.amount,
                crate::i18n::local_date(Utc::now()),
            )?;
        }
    }
    rows.insert(conn, order.id)?;
    let coupon_ids: Vec<i64> = parts.iter().filter_map(|p| p.coupon_id).collect();
    if !coupon_ids.is_empty() {
        mark_used_when_empty(conn, &coupon_ids)?;
    }
    Ok(())
}

/// The payment's parts as columns, written in one prepared statement whatever their number
/// (diesel's multi-row insert is planned again on every execution).
#[derive(Default)]
struct PaymentRows {
    source: Vec<&'static str>,
    coupon_id: Vec<Option<i64>>,
    transfer_id: Vec<i64>,
    amount: Vec<Decimal>,
}

impl PaymentRows {
    fn insert(&self, conn: &mut PgConnection, order_id: i64) -> QueryResult<usize> {
        crate::db::prepared::sql_query(
            "INSERT INTO order_payments (order_id, source, coupon_id, transfer_id, amount) \
             SELECT $1, s, c, t, a FROM unnest($2::text[], $3::bigint[], $4::bigint[], \
                                               $5::numeric[]) AS p (s, c, t, a)",
        )
        .bind::<BigInt, _>(order_id)
        .bind::<Array<Text>, _>(&self.source)
        .bind::<Array<Nullable<BigInt>>, _>(&self.coupon_id)
        .bind::<Array<BigInt>, _>(&self.transfer_id)
        .bind::<Array<Numeric>, _>(&self.amount)
        .execute(conn)
    }
}

/// Coupons whose whole balance has paid are used (rule K2a states).
fn mark_used_when_empty(conn: &mut PgConnection, coupon_ids: &[i64]) -> QueryResult<()> {
    crate::db::prepared::sql_query(
        "UPDATE coupons c SET state = $2, ended_at = $3 FROM ledger_accounts a \
         WHERE c.id = ANY($1) AND a.id = c.account_id AND a.balance = 0",
    )
    .bind::<Array<BigInt>, _>(coupon_ids)
    .bind::<Text, _>(CouponState::Used.as_str())
    .bind::<Timestamptz, _>(Utc::now())
    .execute(conn)?;
    Ok(())
}

/// The order is paid: processing until provisioned, its term starting today, the partner and
/// manager of this moment credited with it (C5), what a voucher paid kept for its invoice item
/// (K7), and the customer's own money spent counted for C8.
fn mark_paid(
    conn: &mut PgConnection,
    caller: &Caller,
    order: &OrderRow,
    payer: &str,
    parts: &[Part],
) -> ServiceResult<()> {
    let today = crate::i18n::local_date(Utc::now());
    let term = Term::parse(&order.term).ok_or_else(|| ServiceError::internal("order term"))?;
    let pay_request = if payer == "partner" {
        Some(PayRequest::Paid.as_str())
    } else {
        order.pay_request.as_deref()
    };
    // The partner, association and manager of this moment, read in the same statement.
    crate::db::prepared::sql_query(
        "UPDATE orders o SET state = $2, payer = $3, paid_at = now(), paid_by = $4, \
             partner_id = c.partner_id, association_type = c.association_type, \
             manager_id = c.manager_id, term_start = $5, term_end = $6, pay_request = $7, \
             voucher_paid = $8, updated_at = now() \
         FROM customers c WHERE o.id = $1 AND c.id = o.customer_id",
    )
    .bind::<BigInt, _>(order.id)
    .bind::<Text, _>(OrderState::Processing.as_str())
    .bind::<Text, _>(payer)
    .bind::<Nullable<BigInt>, _>(caller.user_id().map(i64::from))
    .bind::<Date, _>(today)
    .bind::<Date, _>(term_end(today, term))
    .bind::<Nullable<Text>, _>(pay_request)
    .bind::<Numeric, _>(
        parts
            .iter()
            .filter(|p| p.source == PaymentSource::Voucher)
            .map(|p| p.amount)
            .sum::<Decimal>(),
    )
    .execute(conn)?;
    let own: Decimal = parts
        .iter()
        .filter(|p| matches!(p.source, PaymentSource::Balance | PaymentSource::Credit))
        .map(|p| p.amount)
        .sum();
    if own > Decimal::ZERO {
        crate::db::prepared::sql_query(
            "UPDATE customers SET cash_spent = cash_spent + $2 WHERE id = $1",
        )
        .bind::<BigInt, _>(order.customer_id)
        .bind::<Numeric, _>(own)
        .execute(conn)?;
    }
    Ok(())
}

/// The last day of a term that starts on `start` (rule P1: each order shows its term).
pub fn term_end(start: NaiveDate, term: Term) -> NaiveDate {
    let months = match term {
        Term::Month => Months::new(1),
        Term::Year => Months::new(12),
    };
    start
        .checked_add_months(months)
        .and_then(|d| d.pred_opt())
        .unwrap_or(start)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_term_ends_the_day_before_the_same_date_a_month_or_year_on() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(term_end(d(2026, 1, 15), Term::Month), d(2026, 2, 14));
        assert_eq!(term_end(d(2026, 1, 31), Term::Month), d(2026, 2, 27));
        assert_eq!(term_end(d(2028, 2, 29), Term::Year), d(2029, 2, 27));
        assert_eq!(term_end(d(2026, 12, 6), Term::Year), d(2027, 12, 5));
    }
}
