//! Paying an order: by the customer (rule K7: voucher, cash coupons, balance, then credit) or
//! by its partner on its behalf (rule P2: all from the partner's cash, never the customer's
//! coupons). One transaction moves every part to the platform's revenue, records the parts,
//! the credit debt, the customer's cash spending (C8) and the order's new state; the order row
//! is locked first, so two payments of one order queue and the second finds it paid.

use chrono::{Months, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Date, Nullable, Numeric, Text};
use rust_decimal::Decimal;

use super::choice::{BALANCE, CREDIT, PARTNER_CASH};
use super::order::{Locked, OrderRow};
use super::split::split;
use super::{Choice, Paid, Part, PaymentRefusal, Plan, choice, kinds};
use crate::db::schema::{ledger_transfers, order_payments, orders};
use crate::domain::{
    Caller, CouponState, DebtKind, Money, OrderState, PayRequest, Payer, PaymentSource, Term,
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
    let (funds, _) = choice::chosen(conn, &order, choice)?;
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
        let locked = OrderRow::lock(conn, order_id, Some(customer_id))?;
        let order = &locked.order;
        let key = format!("pay:{order_id}:{key}");
        if let Some(paid) = replay(conn, order, &key)? {
            return Ok(paid);
        }
        require_payable(order)?;
        let (funds, accounts) = choice::chosen(conn, order, choice)?;
        let plan = split(order.amount, &funds);
        if plan.short > Decimal::ZERO {
            return Err(PaymentRefusal::NotEnoughFunds.into());
        }
        write_payment(
            conn,
            caller,
            &locked,
            Payer::Customer,
            &plan.parts,
            &key,
            &accounts,
        )?;
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
        let customer_id: i64 = orders::table
            .find(order_id)
            .select(orders::customer_id)
            .first(conn)
            .optional()?
            .ok_or(ServiceError::NotFound)?;
        crate::services::customers::detail::visible(conn, member, customer_id)?;
        member.require_admin()?;
        let locked = OrderRow::lock(conn, order_id, None)?;
        let order = &locked.order;
        let key = format!("behalf:{order_id}:{key}");
        if let Some(paid) = replay(conn, order, &key)? {
            return Ok(paid);
        }
        require_payable(order)?;
        if order.pay_request.as_deref() != Some(PayRequest::Requested.as_str()) {
            return Err(OrderRefusal::IllegalTransition.into());
        }
        let parts = vec![Part {
            source: PaymentSource::PartnerCash,
            coupon_id: None,
            amount: order.amount,
        }];
        let cash = ledger::accounts::for_org(conn, member.org_id.get(), AccountKind::PartnerCash)?;
        match write_payment(
            conn,
            caller,
            &locked,
            Payer::Partner,
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

/// The payment of the locked order: one transfer per part into the customer's revenue shard
/// (one batch statement), the debt of a credit part, then the rest in one statement
/// (`record`). `accounts` maps coupon ids and the `BALANCE`, `CREDIT`, `PARTNER_CASH` keys to
/// the paying accounts.
fn write_payment(
    conn: &mut PgConnection,
    caller: &Caller,
    locked: &Locked,
    payer: Payer,
    parts: &[Part],
    key: &str,
    accounts: &[(i64, i64)],
) -> ServiceResult<()> {
    let order = &locked.order;
    let revenue = match locked.revenue_account {
        Some(id) => id,
        None => ledger::revenue::account_for(conn, &order.signing_entity, order.customer_id)?,
    };
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
    for part in parts.iter().filter(|p| p.source == PaymentSource::Credit) {
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
    let transfer_ids: Vec<i64> = transfers.iter().map(|t| t.id).collect();
    record(conn, caller, order, payer, parts, &transfer_ids)
}

/// The order is paid, in one statement after its transfers: processing until provisioned,
/// its term starting today, the partner, association and manager of this moment credited
/// with it (C5, read from the customer row as it was before the statement, which changes
/// none of the columns read), what a voucher paid kept for its invoice item (K7), the
/// customer's own money counted in its cash spending (C8), the parts' rows, and the coupons
/// the payment emptied marked used (rule K2a states; the transfers have set the balances).
fn record(
    conn: &mut PgConnection,
    caller: &Caller,
    order: &OrderRow,
    payer: Payer,
    parts: &[Part],
    transfer_ids: &[i64],
) -> ServiceResult<()> {
    let today = crate::i18n::local_date(Utc::now());
    let term = Term::parse(&order.term).ok_or_else(|| ServiceError::internal("order term"))?;
    let pay_request = match payer {
        Payer::Partner => Some(PayRequest::Paid.as_str()),
        Payer::Customer => order.pay_request.as_deref(),
    };
    let sum_of = |sources: &[PaymentSource]| -> Decimal {
        parts
            .iter()
            .filter(|p| sources.contains(&p.source))
            .map(|p| p.amount)
            .sum()
    };
    let source: Vec<&str> = parts.iter().map(|p| p.source.as_str()).collect();
    let coupon_id: Vec<Option<i64>> = parts.iter().map(|p| p.coupon_id).collect();
    let amount: Vec<Decimal> = parts.iter().map(|p| p.amount).collect();
    crate::db::prepared::sql_query(
        "WITH spent AS ( \
             UPDATE customers SET cash_spent = cash_spent + $9 WHERE id = $10 AND $9 > 0 \
         ), used AS ( \
             UPDATE coupons u SET state = $11, ended_at = now() FROM ledger_accounts a \
             WHERE u.id = ANY($13::bigint[]) AND a.id = u.account_id AND a.balance = 0 \
         ), parts AS ( \
             INSERT INTO order_payments (order_id, source, coupon_id, transfer_id, amount) \
             SELECT $1, s, c, t, a FROM unnest($12::text[], $13::bigint[], $14::bigint[], \
                                               $15::numeric[]) AS p (s, c, t, a) \
         ) \
         UPDATE orders o SET state = $2, payer = $3, paid_at = now(), paid_by = $4, \
             partner_id = c.partner_id, association_type = c.association_type, \
             manager_id = c.manager_id, term_start = $5, term_end = $6, pay_request = $7, \
             voucher_paid = $8, updated_at = now() \
         FROM customers c WHERE o.id = $1 AND c.id = o.customer_id",
    )
    .bind::<BigInt, _>(order.id)
    .bind::<Text, _>(OrderState::Processing.as_str())
    .bind::<Text, _>(payer.as_str())
    .bind::<Nullable<BigInt>, _>(caller.user_id().map(i64::from))
    .bind::<Date, _>(today)
    .bind::<Date, _>(term_end(today, term))
    .bind::<Nullable<Text>, _>(pay_request)
    .bind::<Numeric, _>(sum_of(&[PaymentSource::Voucher]))
    .bind::<Numeric, _>(sum_of(&[PaymentSource::Balance, PaymentSource::Credit]))
    .bind::<BigInt, _>(order.customer_id)
    .bind::<Text, _>(CouponState::Used.as_str())
    .bind::<Array<Text>, _>(source)
    .bind::<Array<Nullable<BigInt>>, _>(coupon_id)
    .bind::<Array<BigInt>, _>(transfer_ids)
    .bind::<Array<Numeric>, _>(amount)
    .execute(conn)?;
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
