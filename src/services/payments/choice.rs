//! The coupons that can pay an order (rule K7): the customer's own, usable, valid today, and
//! scoped to the product's service (an empty scope covers every service). The form offers
//! these; a chosen id that is not among them is refused, whatever the form sent.

use chrono::NaiveDate;
use diesel::prelude::*;
use rust_decimal::Decimal;

use super::PaymentRefusal;
use super::order::OrderRow;
use crate::db::schema::{coupons, ledger_accounts};
use crate::domain::{Caller, CouponKind, CouponState};
use crate::services::ServiceResult;

/// One coupon the customer may choose.
#[derive(Debug, Clone, Queryable)]
pub struct CouponChoice {
    pub id: i64,
    pub kind: String,
    pub balance: Decimal,
    pub valid_until: NaiveDate,
    /// The coupon's own ledger account, which pays.
    pub account_id: i64,
}

impl CouponChoice {
    pub fn kind(&self) -> Option<CouponKind> {
        CouponKind::parse(&self.kind)
    }
}

/// The coupons that fit the order, vouchers first, each kind soonest-ending first.
pub fn usable_coupons(
    conn: &mut PgConnection,
    caller: &Caller,
    order_id: i64,
) -> ServiceResult<Vec<CouponChoice>> {
    let order = OrderRow::of_customer(conn, caller, order_id)?;
    Ok(fitting(conn, &order, None)?)
}

/// The coupons of `order`'s customer that can pay it today; `only` narrows to chosen ids.
pub(super) fn fitting(
    conn: &mut PgConnection,
    order: &OrderRow,
    only: Option<&[i64]>,
) -> QueryResult<Vec<CouponChoice>> {
    let today = crate::i18n::local_date(chrono::Utc::now());
    let mut query = coupons::table
        .inner_join(ledger_accounts::table)
        .filter(coupons::customer_id.eq(order.customer_id))
        .filter(coupons::state.eq(CouponState::Usable.as_str()))
        .filter(coupons::valid_from.le(today))
        .filter(coupons::valid_until.ge(today))
        .filter(ledger_accounts::balance.gt(Decimal::ZERO))
        .filter(
            coupons::scope
                .eq(Vec::<String>::new())
                .or(coupons::scope.contains(vec![order.service_code.clone()])),
        )
        .select((
            coupons::id,
            coupons::kind,
            ledger_accounts::balance,
            coupons::valid_until,
            coupons::account_id,
        ))
        .order((coupons::kind.desc(), coupons::valid_until, coupons::id))
        .limit(200)
        .into_boxed();
    if let Some(ids) = only {
        query = query.filter(coupons::id.eq_any(ids.to_vec()));
    }
    query.load(conn)
}

/// The chosen coupons with their balances, in the order chosen, and each one's ledger account;
/// or why they cannot pay: more than one voucher (K7), or an id that is not a fitting coupon
/// of the right kind.
pub(super) fn chosen(
    conn: &mut PgConnection,
    order: &OrderRow,
    choice: &super::Choice,
) -> ServiceResult<(super::split::Funds, Vec<(i64, i64)>)> {
    let mut ids: Vec<i64> = choice.cash_coupon_ids.clone();
    ids.extend(choice.voucher_id);
    ids.sort_unstable();
    ids.dedup();
    if ids.len() > 50 {
        return Err(PaymentRefusal::CouponNotApplicable.into());
    }
    let found = if ids.is_empty() {
        Vec::new()
    } else {
        fitting(conn, order, Some(&ids))?
    };
    let kind_of = |id: i64| {
        found
            .iter()
            .find(|c| c.id == id)
            .map(|c| (c.kind(), c.balance))
    };
    let voucher = match choice.voucher_id {
        None => None,
        Some(id) => match kind_of(id) {
            Some((Some(CouponKind::Voucher), balance)) => Some((id, balance)),
            _ => return Err(PaymentRefusal::CouponNotApplicable.into()),
        },
    };
    let mut cash_coupons: Vec<(i64, Decimal)> = Vec::new();
    for &id in &choice.cash_coupon_ids {
        if cash_coupons.iter().any(|(c, _)| *c == id) {
            continue;
        }
        match kind_of(id) {
            Some((Some(CouponKind::CashCoupon), balance)) => cash_coupons.push((id, balance)),
            // A voucher sent as a cash coupon would be a second voucher (K7).
            Some((Some(CouponKind::Voucher), _)) if choice.voucher_id.is_some() => {
                return Err(PaymentRefusal::OneVoucher.into());
            }
            _ => return Err(PaymentRefusal::CouponNotApplicable.into()),
        }
    }
    let accounts = found.iter().map(|c| (c.id, c.account_id)).collect();
    Ok((
        super::split::Funds {
            voucher,
            cash_coupons,
            ..Default::default()
        },
        accounts,
    ))
}
