//! Billing months (SPEC §5 "Times": calendar months in the platform's time zone): `YYYY-MM` as
//! typed in usage files and commands, the instants a month starts and ends, and whether it is
//! closed (only a closed month is billed, rule B2).

use chrono::{DateTime, Datelike, Months, NaiveDate, TimeZone, Utc};

/// A calendar month, held as its first day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month(NaiveDate);

impl Month {
    /// `2026-11` → November 2026; anything else (a day, a 13th month, spaces inside) is `None`.
    pub fn parse(raw: &str) -> Option<Month> {
        let raw = raw.trim();
        let (y, m) = raw.split_once('-')?;
        if y.len() != 4 || m.len() != 2 || !(y.bytes().chain(m.bytes())).all(|b| b.is_ascii_digit())
        {
            return None;
        }
        NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, 1).map(Month)
    }

    /// The month holding a stored first-of-month date (or any day of it).
    pub fn of(day: NaiveDate) -> Month {
        Month(day.with_day(1).unwrap_or(day))
    }

    /// The month holding `t` in the platform's time zone.
    pub fn at(t: DateTime<Utc>) -> Month {
        Month(crate::i18n::billing_month(t))
    }

    pub fn first_day(self) -> NaiveDate {
        self.0
    }

    pub fn next(self) -> Month {
        Month(self.0 + Months::new(1))
    }

    pub fn previous(self) -> Month {
        Month(self.0 - Months::new(1))
    }

    /// When the month starts, as an instant (midnight in the platform's zone).
    pub fn start(self) -> DateTime<Utc> {
        let zone = chrono::FixedOffset::east_opt(8 * 3600).expect("valid offset");
        zone.from_local_datetime(&self.0.and_hms_opt(0, 0, 0).expect("midnight"))
            .single()
            .expect("a fixed offset has one midnight")
            .with_timezone(&Utc)
    }

    /// When the next month starts: the month is `[start, end)`.
    pub fn end(self) -> DateTime<Utc> {
        self.next().start()
    }

    /// Whether the month has ended at `now` (rule B2: only closed months are billed).
    pub fn is_closed(self, now: DateTime<Utc>) -> bool {
        self.end() <= now
    }

    /// `2026-11`, as files and pages write it.
    pub fn label(self) -> String {
        crate::i18n::iso_month(self.0)
    }
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_parse_strictly_and_end_at_local_midnight() {
        let m = Month::parse("2026-11").unwrap();
        assert_eq!(m.label(), "2026-11");
        assert_eq!(m.next().label(), "2026-12");
        assert_eq!(Month::parse("2026-12").unwrap().next().label(), "2027-01");
        for bad in [
            "2026-13",
            "2026-1",
            "26-11",
            "2026-11-01",
            "2026-00",
            "x",
            "",
            "2026 -11",
        ] {
            assert_eq!(Month::parse(bad), None, "{bad}");
        }
        // November in China Standard Time starts on 31 October, 16:00 UTC.
        assert_eq!(m.start().to_rfc3339(), "2026-10-31T16:00:00+00:00");
        assert!(m.is_closed(m.end()));
        assert!(!m.is_closed(m.end() - chrono::Duration::seconds(1)));
    }
}
