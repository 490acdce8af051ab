//! Money: CNY with two decimals (SPEC §5 "Ledger"). Parsed from what people type, never floats.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;

/// The largest amount any single form accepts: beyond this is a typing mistake.
pub const MAX_AMOUNT: &str = "1000000000.00";

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Money(Decimal);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoneyError {
    Empty,
    NotANumber,
    NotPositive,
    TooPrecise,
    TooLarge,
}

impl MoneyError {
    pub fn message_key(self) -> &'static str {
        match self {
            MoneyError::Empty => "money.required",
            MoneyError::NotANumber => "money.not_a_number",
            MoneyError::NotPositive => "money.not_positive",
            MoneyError::TooPrecise => "money.too_precise",
            MoneyError::TooLarge => "money.too_large",
        }
    }
}

impl Money {
    /// A positive amount with at most two decimals, as typed in a form. A thousands separator
    /// is accepted only in well-formed groups ("1,234.50"); "1,5" is not read as 15 (SPEC §5
    /// "Amounts in forms").
    pub fn parse_positive(raw: &str) -> Result<Money, MoneyError> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(MoneyError::Empty);
        }
        let cleaned = without_thousands_separators(trimmed).ok_or(MoneyError::NotANumber)?;
        let valid_chars = cleaned
            .chars()
            .enumerate()
            .all(|(i, c)| c.is_ascii_digit() || c == '.' || (i == 0 && (c == '-' || c == '+')));
        if !valid_chars || cleaned.len() > 40 {
            return Err(MoneyError::NotANumber);
        }
        let value = Decimal::from_str(&cleaned).map_err(|_| MoneyError::NotANumber)?;
        Money::from_decimal(value)
    }

    pub fn from_decimal(value: Decimal) -> Result<Money, MoneyError> {
        if value <= Decimal::ZERO {
            return Err(MoneyError::NotPositive);
        }
        if value.normalize().scale() > 2 {
            return Err(MoneyError::TooPrecise);
        }
        if value > Decimal::from_str(MAX_AMOUNT).expect("constant") {
            return Err(MoneyError::TooLarge);
        }
        Ok(Money(value.round_dp(2)))
    }

    pub fn amount(self) -> Decimal {
        self.0
    }

    /// An amount that may be zero, such as a credit limit, read by the same rules as
    /// `parse_positive`; a negative amount is `NotPositive`.
    pub fn parse_non_negative(raw: &str) -> Result<Decimal, MoneyError> {
        match Money::parse_positive(raw) {
            Ok(m) => Ok(m.amount()),
            Err(MoneyError::NotPositive) => {
                let trimmed = raw.trim();
                let cleaned =
                    without_thousands_separators(trimmed).ok_or(MoneyError::NotANumber)?;
                let value = Decimal::from_str(&cleaned).map_err(|_| MoneyError::NotANumber)?;
                if value.is_zero() && !trimmed.starts_with('-') {
                    Ok(Decimal::ZERO.round_dp(2))
                } else {
                    Err(MoneyError::NotPositive)
                }
            }
            Err(e) => Err(e),
        }
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&format_amount(self.0))
    }
}

/// `1,234,567.50` → `1234567.50`; `None` when a comma is not a well-formed thousands
/// separator: the integer part must read `d{1,3}(,ddd)*`, and the fraction has none.
pub(crate) fn without_thousands_separators(text: &str) -> Option<String> {
    if !text.contains(',') {
        return Some(text.to_string());
    }
    let unsigned = text.trim_start_matches(['+', '-']);
    let sign = &text[..text.len() - unsigned.len()];
    let (int, frac) = match unsigned.split_once('.') {
        Some((int, frac)) => (int, Some(frac)),
        None => (unsigned, None),
    };
    if frac.is_some_and(|f| f.contains(',')) {
        return None;
    }
    let mut groups = int.split(',');
    let first = groups.next()?;
    let digits = |g: &str| g.bytes().all(|b| b.is_ascii_digit());
    if first.is_empty() || first.len() > 3 || !digits(first) {
        return None;
    }
    let mut joined = format!("{sign}{first}");
    for group in groups {
        if group.len() != 3 || !digits(group) {
            return None;
        }
        joined.push_str(group);
    }
    if let Some(frac) = frac {
        joined.push('.');
        joined.push_str(frac);
    }
    Some(joined)
}

/// `1234567.5` → `1,234,567.50`: rounded to the cent (half to even, as `round_dp`), grouped
/// by thousands. Written from the integer number of cents into one buffer: lists format a few
/// amounts per row, and going through `Display` twice cost a tenth of a list page's own work.
pub fn format_amount(value: Decimal) -> String {
    let rounded = value.round_dp(2);
    // After `round_dp(2)` the scale is at most 2: the mantissa in cents.
    let cents = rounded.mantissa().unsigned_abs() * 10u128.pow(2 - rounded.scale().min(2));
    let digits = (cents / 100).to_string();
    let mut out = String::with_capacity(digits.len() * 4 / 3 + 5);
    if rounded.is_sign_negative() && cents != 0 {
        out.push('-');
    }
    for (i, c) in digits.char_indices() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    let frac = (cents % 100) as u8;
    out.push('.');
    out.push(char::from(b'0' + frac / 10));
    out.push(char::from(b'0' + frac % 10));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_what_people_type() {
        assert_eq!(
            Money::parse_positive("1,234.5").unwrap().to_string(),
            "1,234.50"
        );
        assert_eq!(
            Money::parse_positive(" 10 ").unwrap().amount(),
            Decimal::from(10)
        );
    }

    // SPEC §5 "Amounts in forms": separators only in well-formed thousands groups.
    #[test]
    fn accepts_well_formed_thousands_groups() {
        for (typed, shown) in [
            ("1,234.50", "1,234.50"),
            ("12,345,678", "12,345,678.00"),
            ("999,999.99", "999,999.99"),
            ("1,000", "1,000.00"),
            ("+1,000", "1,000.00"),
            ("1234.50", "1,234.50"),
        ] {
            assert_eq!(
                Money::parse_positive(typed).map(|m| m.to_string()),
                Ok(shown.to_string()),
                "{typed}"
            );
        }
    }

    #[test]
    fn refuses_commas_that_are_not_thousands_groups() {
        for typed in [
            "1,5",
            "1,,000",
            ",100",
            "1000,000",
            "1,00",
            "1,0000",
            "100,",
            "1,000.5,0",
            "1.000,50",
            "1_000",
            "1,000 000",
            ",",
            "-,100",
        ] {
            assert_eq!(
                Money::parse_positive(typed),
                Err(MoneyError::NotANumber),
                "{typed}"
            );
        }
        assert_eq!(MoneyError::NotANumber.message_key(), "money.not_a_number");
        assert_eq!(
            Money::parse_positive("-1,000"),
            Err(MoneyError::NotPositive)
        );
    }

    #[test]
    fn refuses_every_bad_amount_with_its_own_reason() {
        assert_eq!(Money::parse_positive(""), Err(MoneyError::Empty));
        assert_eq!(Money::parse_positive("abc"), Err(MoneyError::NotANumber));
        assert_eq!(Money::parse_positive("NaN"), Err(MoneyError::NotANumber));
        assert_eq!(Money::parse_positive("1e5"), Err(MoneyError::NotANumber));
        assert_eq!(Money::parse_positive("0"), Err(MoneyError::NotPositive));
        assert_eq!(Money::parse_positive("-5"), Err(MoneyError::NotPositive));
        assert_eq!(Money::parse_positive("1.005"), Err(MoneyError::TooPrecise));
        assert_eq!(
            Money::parse_positive("99999999999999999999"),
            Err(MoneyError::TooLarge)
        );
        assert_eq!(
            Money::parse_positive(&"9".repeat(60)),
            Err(MoneyError::NotANumber)
        );
    }

    #[test]
    fn a_limit_may_be_zero_but_not_negative() {
        assert_eq!(Money::parse_non_negative("0"), Ok(Decimal::ZERO));
        assert_eq!(Money::parse_non_negative("0.00"), Ok(Decimal::ZERO));
        assert_eq!(
            Money::parse_non_negative("1,500.5"),
            Ok(Decimal::new(150050, 2))
        );
        assert_eq!(
            Money::parse_non_negative("-0"),
            Err(MoneyError::NotPositive)
        );
        assert_eq!(
            Money::parse_non_negative("-1"),
            Err(MoneyError::NotPositive)
        );
        assert_eq!(
            Money::parse_non_negative("1.001"),
            Err(MoneyError::TooPrecise)
        );
        assert_eq!(Money::parse_non_negative("x"), Err(MoneyError::NotANumber));
        assert_eq!(Money::parse_non_negative(" "), Err(MoneyError::Empty));
    }

    #[test]
    fn formats_with_grouping_and_sign() {
        assert_eq!(format_amount(Decimal::new(-123456789, 2)), "-1,234,567.89");
        assert_eq!(format_amount(Decimal::ZERO), "0.00");
        assert_eq!(format_amount(Decimal::new(-4, 3)), "0.00");
        assert_eq!(format_amount(Decimal::new(5, 0)), "5.00");
        assert_eq!(format_amount(Decimal::new(1005, 1)), "100.50");
        assert_eq!(format_amount(Decimal::new(999_995, 3)), "1,000.00");
        assert_eq!(format_amount(Decimal::new(12_345, 4)), "1.23");
        assert_eq!(format_amount(Decimal::new(125, 3)), "0.12");
        assert_eq!(format_amount(Decimal::new(135, 3)), "0.14");
        assert_eq!(
            format_amount(Decimal::MAX),
            "79,228,162,514,264,337,593,543,950,335.00"
        );
    }

    /// The grouped text reads back as the amount rounded to the cent, for amounts of every
    /// length and scale.
    #[test]
    fn formatted_amounts_read_back() {
        let mut n: i64 = 7;
        for _ in 0..2_000 {
            n = n
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let scale = (n.rem_euclid(9)) as u32;
            let value = Decimal::new(n >> (n.rem_euclid(50)), scale);
            let text = format_amount(value);
            let back: Decimal = text.replace(',', "").parse().unwrap();
            assert_eq!(back, value.round_dp(2), "{value} → {text}");
            assert_eq!(text.split_once('.').unwrap().1.len(), 2, "{text}");
            let int = text.trim_start_matches('-').split_once('.').unwrap().0;
            assert!(int.split(',').skip(1).all(|g| g.len() == 3), "{text}");
            assert!(
                int.split(',')
                    .next()
                    .is_some_and(|g| (1..=3).contains(&g.len())),
                "{text}"
            );
        }
    }
}
