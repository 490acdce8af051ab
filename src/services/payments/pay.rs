//! Paying an order: by the customer (rule K7: voucher, cash coupons, balance, then credit) or
//! by its partner on its behalf (rule P2: all from the partner's cash, never the customer's
//! coupons). One transaction moves every part to the platform's revenue, records the parts,
//! the credit debt, the customer's cash spending (C8) and the order's new state; the order row
//! is locked first, so two payments of one order queue and the second finds it paid.

use chrono::{Months, NaiveDate, Utc};
use diesel::prelude::*;
use rust_decimal::Decimal;

use super::order::OrderRow;
use super::split::{Funds, split};
use super::{Choice, Paid, Part, PaymentRefusal, Plan, choice, kinds};
use crate::db::schema::{coupons, customers, ledger_transfers, order_payments, orders};
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
    let chosen = choice::chosen(conn, &order, choice)?;
    let funds = with_own_money(conn, order.customer_id, chosen)?;
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
    conn.transaction(|conn| {
        OrderRow::of_customer(conn, caller, order_id)?;
        let order = OrderRow::lock(conn, order_id)?;
        let key = format!("pay:{order_id}:{key}");
        if let Some(paid) = replay(conn, &order, &key)? {
            return Ok(paid);
        }
        require_payable(&order)?;
        let chosen = choice::chosen(conn, &order, choice)?;
        let funds = with_own_money(conn, order.customer_id, chosen)?;
        let plan = split(order.amount, &funds);
        if plan.short > Decimal::ZERO {
            return Err(PaymentRefusal::NotEnoughFunds.into());
        }
        write_parts(conn, caller, &order, &plan.parts, &key)?;
        mark_paid(conn, caller, &order, "customer", &plan.parts)?;
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
        let order = OrderRow::lock(conn, order_id)?;
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
        match write_parts(conn, caller, &order, &parts, &key) {
            Err(ServiceError::Ledger(LedgerError::InsufficientFunds { .. })) => {
                return Err(PaymentRefusal::PartnerCashShort.into());
            }
            other => other?,
        }
        mark_paid(conn, caller, &order, "partner", &parts)?;
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

/// The chosen coupons plus the customer's balance and available credit (0.00 for accounts
/// not opened yet).
fn with_own_money(
    conn: &mut PgConnection,
    customer_id: i64,
    mut funds: Funds,
) -> ServiceResult<Funds> {
    let find = ledger::accounts::find_for_customer;
    funds.balance =
        find(conn, customer_id, AccountKind::CustomerBalance)?.map_or(Decimal::ZERO, |a| a.balance);
    funds.credit = find(conn, customer_id, AccountKind::CustomerCredit)?
        .and_then(|a| a.available())
        .unwrap_or_default();
    Ok(funds)
}

/// One transfer per part into the customer's revenue shard, and its `order_payments` row.
fn write_parts(
    conn: &mut PgConnection,
    caller: &Caller,
    order: &OrderRow,
    parts: &[Part],
    key: &str,
) -> ServiceResult<()> {
    let revenue = ledger::revenue::account_for(conn, &order.signing_entity, order.customer_id)?;
    for (i, part) in parts.iter().enumerate() {
        let (from, kind) = source_account(conn, caller, order, part)?;
        let part_key = format!("{key}:{i}");
        let memo = format!("order {}", order.id);
        let amount = Money::from_decimal(part.amount)
            .map_err(|_| ServiceError::internal("payment part is not money"))?;
        let transfer = match ledger::transfer(
            conn,
            &TransferRequest {
                from,
                to: revenue,
                amount,
                kind,
                idempotency_key: &part_key,
                memo: &memo,
                reverses: None,
            },
            caller,
        ) {
            // A balance, coupon or credit line spent elsewhere since it was read.
            Err(LedgerError::InsufficientFunds { .. })
                if part.source != PaymentSource::PartnerCash =>
            {
                return Err(PaymentRefusal::NotEnoughFunds.into());
            }
            other => other?,
        };
        diesel::insert_into(order_payments::table)
            .values((
                order_payments::order_id.eq(order.id),
                order_payments::source.eq(part.source.as_str()),
                order_payments::coupon_id.eq(part.coupon_id),
                order_payments::transfer_id.eq(transfer.id),
                order_payments::amount.eq(part.amount),
            ))
            .execute(conn)?;
        if let Some(coupon_id) = part.coupon_id {
            mark_used_when_empty(conn, coupon_id, from)?;
        }
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
    Ok(())
}

/// The account a part comes from and the transfer kind it moves with.
fn source_account(
    conn: &mut PgConnection,
    caller: &Caller,
    order: &OrderRow,
    part: &Part,
) -> ServiceResult<(i64, &'static str)> {
    let customer = order.customer_id;
    Ok(match (part.source, part.coupon_id) {
        (PaymentSource::Voucher | PaymentSource::CashCoupon, Some(id)) => (
            coupons::table
                .find(id)
                .select(coupons::account_id)
                .first(conn)?,
            crate::services::coupons::kinds::USE,
        ),
        (PaymentSource::Balance, _) => (
            ledger::accounts::for_customer(conn, customer, AccountKind::CustomerBalance)?.id,
            kinds::PAY,
        ),
        (PaymentSource::Credit, _) => (
            ledger::accounts::for_customer(conn, customer, AccountKind::CustomerCredit)?.id,
            kinds::PAY,
        ),
        (PaymentSource::PartnerCash, _) => {
            let org = caller.org_id().ok_or(ServiceError::Forbidden)?.get();
            (
                ledger::accounts::for_org(conn, org, AccountKind::PartnerCash)?.id,
                kinds::PAY,
            )
        }
        _ => return Err(ServiceError::internal("coupon part without a coupon")),
    })
}

/// A coupon whose whole balance has paid is used (rule K2a states).
fn mark_used_when_empty(conn: &mut PgConnection, coupon_id: i64, account: i64) -> QueryResult<()> {
    let left = ledger::accounts::by_id(conn, account)?.balance;
    if left == Decimal::ZERO {
        diesel::update(coupons::table.find(coupon_id))
            .set((
                coupons::state.eq(CouponState::Used.as_str()),
                coupons::ended_at.eq(Some(Utc::now())),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// The order is paid: processing until provisioned, its term starting today, the partner and
/// manager of this moment credited with it (C5), and the customer's own money spent counted
/// for C8.
fn mark_paid(
    conn: &mut PgConnection,
    caller: &Caller,
    order: &OrderRow,
    payer: &str,
    parts: &[Part],
) -> ServiceResult<()> {
    let today = crate::i18n::local_date(Utc::now());
    let term = Term::parse(&order.term).ok_or_else(|| ServiceError::internal("order term"))?;
    let (partner_id, manager_id, association_type): (Option<i64>, Option<i64>, Option<String>) =
        customers::table
            .find(order.customer_id)
            .select((
                customers::partner_id,
                customers::manager_id,
                customers::association_type,
            ))
            .first(conn)?;
    let on_behalf = payer == "partner";
    diesel::update(orders::table.find(order.id))
        .set((
            orders::state.eq(OrderState::Processing.as_str()),
            orders::payer.eq(payer),
            orders::paid_at.eq(Some(Utc::now())),
            orders::paid_by.eq(caller.user_id().map(i64::from)),
            orders::partner_id.eq(partner_id),
            orders::association_type.eq(association_type),
            orders::manager_id.eq(manager_id),
            orders::term_start.eq(Some(today)),
            orders::term_end.eq(Some(term_end(today, term))),
            orders::updated_at.eq(Utc::now()),
            orders::pay_request.eq(if on_behalf {
                Some(PayRequest::Paid.as_str().to_string())
            } else {
                order.pay_request.clone()
            }),
        ))
        .execute(conn)?;
    let own: Decimal = parts
        .iter()
        .filter(|p| matches!(p.source, PaymentSource::Balance | PaymentSource::Credit))
        .map(|p| p.amount)
        .sum();
    if own > Decimal::ZERO {
        diesel::update(customers::table.find(order.customer_id))
            .set(customers::cash_spent.eq(customers::cash_spent + own))
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
