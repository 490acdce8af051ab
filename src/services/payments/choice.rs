//! The coupons that can pay an order (rule K7): the customer's own, usable, valid today, and
//! scoped to the product's service (an empty scope covers every service). The form offers
//! these; a chosen id that is not among them is refused, whatever the form sent.

use chrono::NaiveDate;
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable};
use rust_decimal::Decimal;

use super::PaymentRefusal;
use super::order::OrderRow;
use crate::db::schema::{coupons, ledger_accounts};
use crate::domain::{Caller, CouponKind, CouponState};
use crate::ledger::AccountKind;
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
    Ok(fitting(conn, &order)?)
}

/// The coupons of `order`'s customer that can pay it today, vouchers first, each kind
/// soonest-ending first (at most 200: the form's list).
pub(super) fn fitting(conn: &mut PgConnection, order: &OrderRow) -> QueryResult<Vec<CouponChoice>> {
    fitting_query(order)
        .select((
            coupons::id,
            coupons::kind,
            ledger_accounts::balance,
            coupons::valid_until,
            coupons::account_id,
        ))
        .order((coupons::kind.desc(), coupons::valid_until, coupons::id))
        .limit(200)
        .load(conn)
}

type CouponsAndAccounts = diesel::dsl::InnerJoin<coupons::table, ledger_accounts::table>;

/// The rule K7 coupons must meet to pay `order`: the customer's own, usable, valid today,
/// with money left, and scoped to the product's service (an empty scope covers every service).
fn fitting_query<'a>(order: &OrderRow) -> diesel::dsl::IntoBoxed<'a, CouponsAndAccounts, Pg> {
    let today = crate::i18n::local_date(chrono::Utc::now());
    coupons::table
        .inner_join(ledger_accounts::table)
        .into_boxed()
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
}

// Keys of the account map besides coupon ids (which are positive).
pub(super) const BALANCE: i64 = -1;
pub(super) const CREDIT: i64 = -2;
pub(super) const PARTNER_CASH: i64 = -3;

/// One source that can pay: a chosen coupon, or the customer's balance or credit account.
#[derive(Queryable)]
struct Source {
    coupon_id: Option<i64>,
    kind: String,
    balance: Decimal,
    account_id: i64,
    credit_limit: Option<Decimal>,
}

/// The chosen coupons that fit the order and the customer's balance and credit accounts, in
/// one statement.
fn sources(conn: &mut PgConnection, order: &OrderRow, ids: &[i64]) -> QueryResult<Vec<Source>> {
    let own = ledger_accounts::table
        .filter(ledger_accounts::owner_customer_id.eq(order.customer_id))
        .filter(crate::ledger::accounts::customer_money_kinds())
        .select((
            None::<i64>.into_sql::<Nullable<BigInt>>(),
            ledger_accounts::kind,
            ledger_accounts::balance,
            ledger_accounts::id,
            ledger_accounts::credit_limit,
        ));
    fitting_query(order)
        .filter(coupons::id.eq_any(ids.to_vec()))
        .select((
            coupons::id.nullable(),
            coupons::kind,
            ledger_accounts::balance,
            ledger_accounts::id,
            ledger_accounts::credit_limit,
        ))
        .union_all(own)
        .load(conn)
}

/// What the customer can pay with: the chosen coupons with their balances, in the order
/// chosen, its balance and available credit (0.00 for accounts not opened yet), and the
/// accounts that hold them (coupon ids and `BALANCE`, `CREDIT` → account); or why the coupons
/// cannot pay: more than one voucher (K7), or an id that is not a fitting coupon of the right
/// kind.
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
    let found = sources(conn, order, &ids)?;
    let mut funds = super::split::Funds::default();
    let mut accounts = Vec::with_capacity(found.len());
    for source in &found {
        match source.coupon_id {
            Some(id) => accounts.push((id, source.account_id)),
            None if source.kind == AccountKind::CustomerBalance.as_str() => {
                funds.balance = source.balance;
                accounts.push((BALANCE, source.account_id));
            }
            None => {
                funds.credit = source.balance + source.credit_limit.unwrap_or_default();
                accounts.push((CREDIT, source.account_id));
            }
        }
    }
    let kind_of = |id: i64| {
        found
            .iter()
            .find(|c| c.coupon_id == Some(id))
            .map(|c| (CouponKind::parse(&c.kind), c.balance))
    };
    funds.voucher = match choice.voucher_id {
        None => None,
        Some(id) => match kind_of(id) {
            Some((Some(CouponKind::Voucher), balance)) => Some((id, balance)),
            _ => return Err(PaymentRefusal::CouponNotApplicable.into()),
        },
    };
    for &id in &choice.cash_coupon_ids {
        if funds.cash_coupons.iter().any(|(c, _)| *c == id) {
            continue;
        }
        match kind_of(id) {
            Some((Some(CouponKind::CashCoupon), balance)) => funds.cash_coupons.push((id, balance)),
            // A voucher sent as a cash coupon would be a second voucher (K7).
            Some((Some(CouponKind::Voucher), _)) if choice.voucher_id.is_some() => {
                return Err(PaymentRefusal::OneVoucher.into());
            }
            _ => return Err(PaymentRefusal::CouponNotApplicable.into()),
        }
    }
    Ok((funds, accounts))
}
