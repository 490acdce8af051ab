//! The deduction order of rule K7, as one pure function: the voucher first, then cash
//! coupons in the order chosen, then the balance, then available credit. A partner paying on
//! a customer's behalf pays everything from its cash (P2), which is not a split.

use rust_decimal::Decimal;

use super::{Part, Plan};
use crate::domain::PaymentSource;

/// What each source can give: coupons by id with their balances, the balance, and the
/// credit still available (limit − used).
#[derive(Debug, Clone, Default)]
pub struct Funds {
    pub voucher: Option<(i64, Decimal)>,
    pub cash_coupons: Vec<(i64, Decimal)>,
    pub balance: Decimal,
    pub credit: Decimal,
}

/// Splits `amount` over `funds` in K7 order; sources that give nothing are left out.
pub fn split(amount: Decimal, funds: &Funds) -> Plan {
    let mut rest = amount;
    let mut parts = Vec::new();
    let mut take = |source: PaymentSource, coupon_id: Option<i64>, available: Decimal| {
        let share = rest.min(available.max(Decimal::ZERO));
        if share > Decimal::ZERO {
            parts.push(Part {
                source,
                coupon_id,
                amount: share,
            });
            rest -= share;
        }
    };
    if let Some((id, balance)) = funds.voucher {
        take(PaymentSource::Voucher, Some(id), balance);
    }
    for (id, balance) in &funds.cash_coupons {
        take(PaymentSource::CashCoupon, Some(*id), *balance);
    }
    take(PaymentSource::Balance, None, funds.balance);
    take(PaymentSource::Credit, None, funds.credit);
    Plan {
        amount,
        parts,
        short: rest,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn voucher_then_cash_coupons_then_balance_then_credit() {
        // rule K7
        let funds = Funds {
            voucher: Some((7, dec!(10.00))),
            cash_coupons: vec![(8, dec!(5.25)), (9, dec!(1.00))],
            balance: dec!(20.00),
            credit: dec!(100.00),
        };
        let plan = split(dec!(49.99), &funds);
        let amounts: Vec<_> = plan.parts.iter().map(|p| (p.source, p.amount)).collect();
        assert_eq!(
            amounts,
            vec![
                (PaymentSource::Voucher, dec!(10.00)),
                (PaymentSource::CashCoupon, dec!(5.25)),
                (PaymentSource::CashCoupon, dec!(1.00)),
                (PaymentSource::Balance, dec!(20.00)),
                (PaymentSource::Credit, dec!(13.74)),
            ]
        );
        assert_eq!(plan.short, Decimal::ZERO);
        let total: Decimal = plan.parts.iter().map(|p| p.amount).sum();
        assert_eq!(total, dec!(49.99));
    }

    #[test]
    fn a_voucher_larger_than_the_order_pays_only_the_order() {
        let funds = Funds {
            voucher: Some((1, dec!(500.00))),
            balance: dec!(3.00),
            ..Funds::default()
        };
        let plan = split(dec!(12.34), &funds);
        assert_eq!(plan.parts.len(), 1);
        assert_eq!(plan.parts[0].amount, dec!(12.34));
    }

    #[test]
    fn what_nothing_covers_is_short() {
        let funds = Funds {
            balance: dec!(1.50),
            credit: dec!(0.49),
            ..Funds::default()
        };
        let plan = split(dec!(2.00), &funds);
        assert_eq!(plan.short, dec!(0.01));
    }

    #[test]
    fn a_negative_balance_gives_nothing() {
        let funds = Funds {
            balance: dec!(-5.00),
            credit: dec!(10.00),
            ..Funds::default()
        };
        let plan = split(dec!(4.00), &funds);
        assert_eq!(plan.parts.len(), 1);
        assert_eq!(plan.parts[0].source, PaymentSource::Credit);
    }
}
