//! Prices with 8 decimals (rule B1) and the one rule that turns a price into what is charged:
//! truncated toward zero to the cent, the discarded part recorded as the line's cut-off (抹零,
//! SPEC §6 "Cents"). Orders and bill lines both charge through `charge`.

use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};

/// Decimal places a price or rated amount carries (rule B1).
pub const PRICE_SCALE: u32 = 8;
/// The largest price a form accepts: beyond this is a typing mistake.
pub const MAX_PRICE: &str = "1000000000";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PriceError {
    Empty,
    NotANumber,
    NotPositive,
    TooPrecise,
    TooLarge,
}

impl PriceError {
    pub fn message_key(self) -> &'static str {
        match self {
            PriceError::Empty => "price.required",
            PriceError::NotANumber => "price.not_a_number",
            PriceError::NotPositive => "price.not_positive",
            PriceError::TooPrecise => "price.too_precise",
            PriceError::TooLarge => "price.too_large",
        }
    }
}

/// A positive price with at most 8 decimals, as typed in a form (rule B1). Thousands separators
/// are read as for amounts (SPEC §5 "Amounts in forms"): only in well-formed groups.
pub fn parse_price(raw: &str) -> Result<Decimal, PriceError> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err(PriceError::Empty);
    }
    let cleaned =
        super::money::without_thousands_separators(trimmed).ok_or(PriceError::NotANumber)?;
    let valid_chars = cleaned
        .chars()
        .enumerate()
        .all(|(i, c)| c.is_ascii_digit() || c == '.' || (i == 0 && (c == '-' || c == '+')));
    if !valid_chars || cleaned.len() > 40 || cleaned.matches('.').count() > 1 {
        return Err(PriceError::NotANumber);
    }
    let value = Decimal::from_str(&cleaned).map_err(|_| PriceError::NotANumber)?;
    if value <= Decimal::ZERO {
        return Err(PriceError::NotPositive);
    }
    if value.normalize().scale() > PRICE_SCALE {
        return Err(PriceError::TooPrecise);
    }
    if value > Decimal::from_str(MAX_PRICE).expect("constant") {
        return Err(PriceError::TooLarge);
    }
    Ok(value.normalize())
}

/// rule B1, SPEC §6 "Cents": what a line of `price` charges, truncated toward zero to the
/// cent, and the discarded part (抹零). `amount + cut_off == price` always holds; for a
/// negative line (a credit) both are negative or zero.
pub fn charge(price: Decimal) -> (Decimal, Decimal) {
    let mut amount = price.round_dp_with_strategy(2, RoundingStrategy::ToZero);
    amount.rescale(2);
    let mut cut_off = price - amount;
    cut_off.rescale(PRICE_SCALE);
    (amount, cut_off)
}

/// A price for display: its 8 decimals without trailing zeros, at least two.
pub fn format_price(price: Decimal) -> String {
    let mut p = price.normalize();
    if p.scale() < 2 {
        p.rescale(2);
    }
    p.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn charging_truncates_toward_zero_to_the_cent_and_keeps_the_rest() {
        assert_eq!(charge(dec!(12.34567891)), (dec!(12.34), dec!(0.00567891)));
        assert_eq!(charge(dec!(99.99999999)), (dec!(99.99), dec!(0.00999999)));
        assert_eq!(charge(dec!(5)), (dec!(5.00), dec!(0)));
        assert_eq!(charge(dec!(0.009)), (dec!(0.00), dec!(0.009)));
        // Toward zero, not down: a credit line loses its fraction the same way.
        assert_eq!(charge(dec!(-1.239)), (dec!(-1.23), dec!(-0.009)));
        for p in [dec!(0.01), dec!(1234.5678), dec!(0.00000001), dec!(7.1)] {
            let (amount, cut_off) = charge(p);
            assert_eq!(amount + cut_off, p);
            assert_eq!(amount.scale(), 2);
            assert!(cut_off >= Decimal::ZERO && cut_off < dec!(0.01));
        }
    }

    #[test]
    fn prices_take_eight_decimals_and_refuse_more() {
        assert_eq!(parse_price(" 12.34567891 "), Ok(dec!(12.34567891)));
        assert_eq!(parse_price("1,234.5"), Ok(dec!(1234.5)));
        assert_eq!(parse_price("0.000000001"), Err(PriceError::TooPrecise));
        assert_eq!(parse_price(""), Err(PriceError::Empty));
        assert_eq!(parse_price("abc"), Err(PriceError::NotANumber));
        assert_eq!(parse_price("1e3"), Err(PriceError::NotANumber));
        assert_eq!(parse_price("1.2.3"), Err(PriceError::NotANumber));
        assert_eq!(parse_price("1,5"), Err(PriceError::NotANumber));
        assert_eq!(parse_price("0"), Err(PriceError::NotPositive));
        assert_eq!(parse_price("-3"), Err(PriceError::NotPositive));
        assert_eq!(parse_price("10000000000"), Err(PriceError::TooLarge));
        assert_eq!(parse_price(&"9".repeat(60)), Err(PriceError::NotANumber));
    }

    #[test]
    fn prices_show_their_decimals_and_at_least_two() {
        assert_eq!(format_price(dec!(12.34567890)), "12.3456789");
        assert_eq!(format_price(dec!(5)), "5.00");
        assert_eq!(format_price(dec!(5.10000000)), "5.10");
    }
}
