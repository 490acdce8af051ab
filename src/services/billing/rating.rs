//! Rating and cents (rule B1; SPEC §6 "Cents"): the one place that decides how 8-decimal
//! amounts become money. Rated usage, discounts and shares of a month keep 8 decimals, each
//! truncated toward zero; a charged line is its amount truncated toward zero to the cent, and
//! the discarded part is that line's cut-off (抹零, seed 004: 第3位到第8位…舍弃). A bill's total is
//! the sum of its charged lines, so a line's amount is always `charged + cut_off`, exactly.
//!
//! Everything here works on non-negative amounts (usage has a positive quantity and a price of
//! zero or more) and is exact: products and shares are computed on integer mantissas, never
//! through a division that rounds. The usage import computes `rate` in SQL as
//! `trunc(quantity * unit_price, 8)`; a test holds the two to the same answers.

use rust_decimal::Decimal;

/// Decimals of prices, quantities and rated amounts (B1).
pub const RATED_SCALE: u32 = 8;
/// The largest rated amount a line may carry (it must fit `NUMERIC(20,8)`).
pub const MAX_RATED: i64 = 1_000_000_000_000;

/// One charged line: whole cents and the cut-off part (抹零).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Charge {
    pub charged: Decimal,
    pub cut_off: Decimal,
}

/// rule B1: `amount` (8 decimals) charged in whole cents, truncated toward zero; the cut-off
/// is what the truncation discarded, so `charged + cut_off == amount`.
pub fn charge(amount: Decimal) -> Charge {
    let charged = amount.trunc_with_scale(2);
    Charge {
        charged,
        cut_off: amount - charged,
    }
}

/// The mantissa of `v` at `RATED_SCALE` decimals, when `v` has at most that many.
fn mantissa8(v: Decimal) -> Option<i128> {
    let v = v.normalize();
    if v.scale() > RATED_SCALE {
        return None;
    }
    Some(v.mantissa() * 10i128.pow(RATED_SCALE - v.scale()))
}

fn from_mantissa8(m: i128) -> Decimal {
    Decimal::from_i128_with_scale(m, RATED_SCALE)
}

/// rule B1: a usage line's rated amount, quantity × unit price truncated toward zero to 8
/// decimals; `None` when either has more than 8 decimals or the amount is beyond `MAX_RATED`.
pub fn rate(quantity: Decimal, unit_price: Decimal) -> Option<Decimal> {
    let (q, p) = (mantissa8(quantity)?, mantissa8(unit_price)?);
    let exact = q.checked_mul(p)?; // 16 decimals
    let amount = exact / 10i128.pow(RATED_SCALE);
    (amount.abs() < i128::from(MAX_RATED) * 10i128.pow(RATED_SCALE)).then(|| from_mantissa8(amount))
}

/// The amount after the customer's discount (`0.95` = 95% of the list amount), truncated
/// toward zero to 8 decimals.
pub fn discounted(list_amount: Decimal, discount: Decimal) -> Decimal {
    let d = discount.normalize();
    let (Some(a), scale) = (mantissa8(list_amount), d.scale()) else {
        return list_amount;
    };
    from_mantissa8(a * d.mantissa() / 10i128.pow(scale))
}

/// `amount` split in proportion to `parts` (C5: the seconds each manager held the customer in
/// the month): every share but the last truncated to 8 decimals, the last taking the rest, so
/// the shares always sum to `amount`. Parts of zero get a zero share.
pub fn split(amount: Decimal, parts: &[i64]) -> Vec<Decimal> {
    let whole: i128 = parts.iter().map(|p| i128::from((*p).max(0))).sum();
    let Some(total) = mantissa8(amount) else {
        return parts.iter().map(|_| Decimal::ZERO).collect();
    };
    if whole == 0 || parts.is_empty() {
        return parts.iter().map(|_| Decimal::ZERO).collect();
    }
    let mut shares = Vec::with_capacity(parts.len());
    let mut given = 0i128;
    for (i, p) in parts.iter().enumerate() {
        let share = if i + 1 == parts.len() {
            total - given
        } else {
            total * i128::from((*p).max(0)) / whole
        };
        given += share;
        shares.push(from_mantissa8(share));
    }
    shares
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn a_line_is_truncated_toward_zero_to_the_cent_and_keeps_its_cut_off() {
        let c = charge(d("12.34999999"));
        assert_eq!(c.charged, d("12.34"));
        assert_eq!(c.cut_off, d("0.00999999"));
        assert_eq!(charge(d("0.00999999")).charged, Decimal::ZERO);
        assert_eq!(charge(d("7")).cut_off, Decimal::ZERO);
    }

    #[test]
    fn many_eight_decimal_lines_sum_exactly() {
        // A deterministic spread of 8-decimal amounts: charged + cut-off is each line's
        // amount, and the bill's figures add up to the cent and the 1e-8.
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let (mut total, mut charged, mut cut) = (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
        for _ in 0..100_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let amount = Decimal::from_i128_with_scale(i128::from(seed % 10_000_000_000_000), 8);
            let c = charge(amount);
            assert_eq!(c.charged + c.cut_off, amount);
            assert!(c.cut_off >= Decimal::ZERO && c.cut_off < d("0.01"));
            assert!(c.charged.scale() <= 2);
            total += amount;
            charged += c.charged;
            cut += c.cut_off;
        }
        assert_eq!(charged + cut, total);
        assert_eq!(charged.trunc_with_scale(2), charged);
    }

    #[test]
    fn rating_truncates_to_eight_decimals_and_bounds_the_amount() {
        assert_eq!(rate(d("3"), d("0.33333333")), Some(d("0.99999999")));
        assert_eq!(rate(d("0.5"), d("0.00000001")), Some(Decimal::ZERO));
        assert_eq!(rate(d("1.23456789"), d("2.5")), Some(d("3.08641972")));
        assert_eq!(rate(d("1.000000001"), d("1")), None);
        assert_eq!(rate(d("1000000"), d("1000000")), None);
    }

    #[test]
    fn a_discount_truncates_and_never_adds() {
        assert_eq!(discounted(d("10.00000001"), d("0.95")), d("9.50000000"));
        assert_eq!(discounted(d("10"), d("1")), d("10"));
        assert_eq!(discounted(d("0.00000001"), d("0.9999")), Decimal::ZERO);
    }

    #[test]
    fn shares_sum_to_the_whole() {
        let s = split(d("100.00000001"), &[1, 1, 1]);
        assert_eq!(
            s,
            vec![d("33.33333333"), d("33.33333333"), d("33.33333335")]
        );
        assert_eq!(s.iter().copied().sum::<Decimal>(), d("100.00000001"));
        assert_eq!(split(d("5"), &[0, 10]), vec![Decimal::ZERO, d("5")]);
        assert_eq!(split(d("5"), &[]), Vec::<Decimal>::new());
    }
}
