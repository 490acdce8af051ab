//! Unsubscribing (rule P3): the unused days of a completed order's term are refunded pro rata,
//! traced to the order, back to whoever paid, as reversals of the payment's own transfers —
//! the partner's cash for 代付, the customer's balance, credit line and cash coupons otherwise.
//! A voucher's share returns to the voucher while it is still valid and is forfeited after
//! (vouchers never become cash, K7). Money reaching the balance repays debts first (SPEC §6).

use chrono::{NaiveDate, Utc};
use diesel::prelude::*;
use rust_decimal::{Decimal, RoundingStrategy};

use super::order::OrderRow;
use super::{PaymentRefusal, kinds};
use crate::db::schema::{coupons, customers, debts, ledger_transfers, order_payments, orders};
use crate::domain::{Caller, CouponState, DebtKind, Money, OrderState, PaymentSource};
use crate::ledger::{self, AccountKind, TransferRequest};
use crate::services::credit::debts as debt;
use crate::services::{ServiceError, ServiceResult};

/// What an unsubscribe gave back.
#[derive(Debug, Clone)]
pub struct Refunded {
    pub order_id: i64,
    pub customer_id: i64,
    /// Returned to where it came from (or, for a credit share already repaid and a cash
    /// coupon that has ended, to the balance).
    pub amount: Decimal,
    /// A voucher's share that could not return because the voucher had ended.
    pub forfeited: Decimal,
    pub unused_days: i64,
    pub term_days: i64,
    /// `false`: the order had been unsubscribed already (a double submit).
    pub fresh: bool,
}

/// The share of `amount` for `unused` of `days` days, truncated to the cent.
pub fn pro_rata(amount: Decimal, unused: i64, days: i64) -> Decimal {
    if days <= 0 || unused <= 0 {
        return Decimal::ZERO;
    }
    (amount * Decimal::from(unused.min(days)) / Decimal::from(days))
        .round_dp_with_strategy(2, RoundingStrategy::ToZero)
}

/// Days of the term `start..=end` not yet used on `today` (today counts as used).
pub fn unused_days(start: NaiveDate, end: NaiveDate, today: NaiveDate) -> (i64, i64) {
    let days = (end - start).num_days() + 1;
    let unused = (end - today.max(start - chrono::Duration::days(1)))
        .num_days()
        .clamp(0, days);
    (unused, days)
}

type PaymentRow = (i64, String, Option<i64>, i64, Decimal);

/// The customer unsubscribes its completed order (P3).
pub fn refund(conn: &mut PgConnection, caller: &Caller, order_id: i64) -> ServiceResult<Refunded> {
    conn.transaction(|conn| {
        let customer_id = caller.customer_id()?.get();
        let order = OrderRow::lock(conn, order_id, Some(customer_id))?.order;
        let (unsubscribed, refunded, start, end): (
            Option<chrono::DateTime<Utc>>,
            Decimal,
            Option<NaiveDate>,
            Option<NaiveDate>,
        ) = orders::table
            .find(order_id)
            .select((
                orders::unsubscribed_at,
                orders::refunded,
                orders::term_start,
                orders::term_end,
            ))
            .first(conn)?;
        let today = crate::i18n::local_date(Utc::now());
        let (Some(start), Some(end)) = (start, end) else {
            return Err(PaymentRefusal::NotRefundable.into());
        };
        let (unused, days) = unused_days(start, end, today);
        if unsubscribed.is_some() {
            return Ok(Refunded {
                order_id,
                customer_id: order.customer_id,
                amount: refunded,
                forfeited: Decimal::ZERO,
                unused_days: unused,
                term_days: days,
                fresh: false,
            });
        }
        if order.state()? != OrderState::Completed {
            return Err(PaymentRefusal::NotRefundable.into());
        }
        let payments: Vec<PaymentRow> = order_payments::table
            .filter(order_payments::order_id.eq(order_id))
            .order(order_payments::id)
            .select((
                order_payments::id,
                order_payments::source,
                order_payments::coupon_id,
                order_payments::transfer_id,
                order_payments::amount,
            ))
            .load(conn)?;
        let mut back = Back::default();
        for p in &payments {
            let share = pro_rata(p.4, unused, days);
            if share > Decimal::ZERO {
                return_share(conn, caller, &order, p, share, today, &mut back)?;
            }
        }
        diesel::update(orders::table.find(order_id))
            .set((
                orders::refunded.eq(back.returned),
                orders::unsubscribed_at.eq(Some(Utc::now())),
                orders::updated_at.eq(Utc::now()),
            ))
            .execute(conn)?;
        if back.own > Decimal::ZERO {
            diesel::update(customers::table.find(order.customer_id))
                .set(customers::cash_spent.eq(customers::cash_spent - back.own))
                .execute(conn)?;
        }
        if back.to_balance {
            debt::repay_oldest(conn, caller, order.customer_id)?;
        }
        Ok(Refunded {
            order_id,
            customer_id: order.customer_id,
            amount: back.returned,
            forfeited: back.forfeited,
            unused_days: unused,
            term_days: days,
            fresh: true,
        })
    })
}

#[derive(Default)]
struct Back {
    returned: Decimal,
    forfeited: Decimal,
    /// The customer's own money given back (balance and credit), for C8.
    own: Decimal,
    to_balance: bool,
}

fn return_share(
    conn: &mut PgConnection,
    caller: &Caller,
    order: &OrderRow,
    p: &PaymentRow,
    share: Decimal,
    today: NaiveDate,
    back: &mut Back,
) -> ServiceResult<()> {
    let (payment_id, source, coupon_id, transfer_id, _) = p;
    let source = PaymentSource::parse(source).ok_or_else(|| ServiceError::internal("source"))?;
    let (revenue, paid_from): (i64, i64) = ledger_transfers::table
        .find(transfer_id)
        .select((
            ledger_transfers::to_account_id,
            ledger_transfers::from_account_id,
        ))
        .first(conn)?;
    let mut forfeited = Decimal::ZERO;
    let move_ = |conn: &mut PgConnection, to: i64, amount: Decimal, reverses: bool, n: u8| {
        transfer_back(
            conn,
            caller,
            revenue,
            to,
            amount,
            (*payment_id, n),
            reverses.then_some(*transfer_id),
        )
    };
    match source {
        PaymentSource::Voucher | PaymentSource::CashCoupon => {
            let coupon = coupon_id.ok_or_else(|| ServiceError::internal("coupon part"))?;
            if reopen_if_valid(conn, coupon, today)? {
                move_(conn, paid_from, share, true, 0)?;
            } else if source == PaymentSource::CashCoupon {
                // A cash coupon that has ended: its share is the customer's cash now.
                let balance = ledger::accounts::for_customer(
                    conn,
                    order.customer_id,
                    AccountKind::CustomerBalance,
                )?;
                move_(conn, balance.id, share, false, 0)?;
                back.to_balance = true;
            } else {
                forfeited = share;
            }
        }
        PaymentSource::Balance => {
            move_(conn, paid_from, share, true, 0)?;
            back.own += share;
            back.to_balance = true;
        }
        PaymentSource::Credit => {
            // What of the order's credit debt is still open goes back to the credit line and
            // closes that much of the debt; what was repaid already comes back as balance.
            let to_line = close_debt(conn, order.id, share)?;
            if to_line > Decimal::ZERO {
                move_(conn, paid_from, to_line, true, 0)?;
            }
            if share > to_line {
                let balance = ledger::accounts::for_customer(
                    conn,
                    order.customer_id,
                    AccountKind::CustomerBalance,
                )?;
                move_(conn, balance.id, share - to_line, false, 1)?;
                back.to_balance = true;
            }
            back.own += share;
        }
        PaymentSource::PartnerCash => {
            move_(conn, paid_from, share, true, 0)?;
        }
    }
    let returned = share - forfeited;
    back.returned += returned;
    back.forfeited += forfeited;
    diesel::update(order_payments::table.find(payment_id))
        .set((
            order_payments::refunded.eq(returned),
            order_payments::forfeited.eq(forfeited),
        ))
        .execute(conn)?;
    Ok(())
}

fn transfer_back(
    conn: &mut PgConnection,
    caller: &Caller,
    from: i64,
    to: i64,
    amount: Decimal,
    (payment_id, n): (i64, u8),
    reverses: Option<i64>,
) -> ServiceResult<()> {
    let key = format!("refund:{payment_id}:{n}");
    let memo = format!("refund of payment {payment_id}");
    let money =
        Money::from_decimal(amount).map_err(|_| ServiceError::internal("refund is not money"))?;
    ledger::transfer(
        conn,
        &TransferRequest {
            from,
            to,
            amount: money,
            kind: kinds::REFUND,
            idempotency_key: &key,
            memo: &memo,
            reverses,
        },
        caller,
    )?;
    Ok(())
}

/// Whether the coupon can take its share back: still within its validity and neither
/// recovered nor expired. A used coupon that takes value back is usable again.
fn reopen_if_valid(
    conn: &mut PgConnection,
    coupon_id: i64,
    today: NaiveDate,
) -> ServiceResult<bool> {
    let (state, valid_until): (String, NaiveDate) = coupons::table
        .find(coupon_id)
        .select((coupons::state, coupons::valid_until))
        .for_update()
        .first(conn)?;
    let state = CouponState::parse(&state).ok_or_else(|| ServiceError::internal("coupon state"))?;
    let valid = valid_until >= today && matches!(state, CouponState::Usable | CouponState::Used);
    if valid && state == CouponState::Used {
        diesel::update(coupons::table.find(coupon_id))
            .set((
                coupons::state.eq(CouponState::Usable.as_str()),
                coupons::ended_at.eq(None::<chrono::DateTime<Utc>>),
            ))
            .execute(conn)?;
    }
    Ok(valid)
}

/// Closes up to `share` of the order's open credit debt; returns how much it closed.
fn close_debt(conn: &mut PgConnection, order_id: i64, share: Decimal) -> ServiceResult<Decimal> {
    let open: Option<(i64, Decimal, Decimal)> = debts::table
        .filter(debts::order_id.eq(order_id))
        .filter(debts::kind.eq(DebtKind::Credit.as_str()))
        .filter(debts::settled_at.is_null())
        .select((debts::id, debts::amount, debts::repaid))
        .for_update()
        .first(conn)
        .optional()?;
    let Some((id, amount, repaid)) = open else {
        return Ok(Decimal::ZERO);
    };
    let closed = (amount - repaid).min(share);
    let now_repaid = repaid + closed;
    diesel::update(debts::table.find(id))
        .set((
            debts::repaid.eq(now_repaid),
            debts::settled_at.eq((now_repaid == amount).then(Utc::now)),
        ))
        .execute(conn)?;
    Ok(closed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn the_refund_is_the_unused_share_truncated_to_the_cent() {
        assert_eq!(pro_rata(dec!(100.00), 10, 30), dec!(33.33));
        assert_eq!(pro_rata(dec!(0.05), 1, 3), dec!(0.01));
        assert_eq!(pro_rata(dec!(99.99), 0, 30), Decimal::ZERO);
        assert_eq!(pro_rata(dec!(99.99), 31, 30), dec!(99.99));
    }

    #[test]
    fn today_counts_as_used() {
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        assert_eq!(unused_days(d(1, 1), d(1, 30), d(1, 1)), (29, 30));
        assert_eq!(unused_days(d(1, 1), d(1, 30), d(1, 30)), (0, 30));
        assert_eq!(unused_days(d(1, 1), d(1, 30), d(2, 15)), (0, 30));
        // Unsubscribed before the term started: every day is unused.
        assert_eq!(unused_days(d(1, 10), d(1, 19), d(1, 5)), (10, 10));
    }
}
