//! The vocabulary of incentives (rules B8, P4): their kinds, the states of a payment request
//! and of an incentive invoice, the two tax rates B8 allows, and the period (`YYYY-MM`, a
//! calendar month) an incentive is owed for.

use chrono::{Datelike, NaiveDate};

use super::states::text_enum;

text_enum! {
    /// What an incentive rewards; one incentive per partner, period and kind.
    IncentiveKind {
        Sales => "sales",
        Development => "development",
        Staff => "staff",
        Nre => "nre",
    }
}

text_enum! {
    /// A payment request (申付单): pending → approved (approved, not yet paid: rule P4's
    /// 未入账) → paid; pending or approved → rejected (its incentives may be applied for again).
    PayoutState {
        Pending => "pending",
        Approved => "approved",
        Paid => "paid",
        Rejected => "rejected",
    }
}

text_enum! {
    /// An incentive invoice (rule B8): pending until an operator confirms receipt or rejects
    /// it (its incentives may be invoiced again).
    IncentiveInvoiceState {
        Pending => "pending",
        Received => "received",
        Rejected => "rejected",
    }
}

/// rule B8: incentive invoices use a 3% or a 6% tax rate, nothing else.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TaxRate {
    Three,
    Six,
}

impl TaxRate {
    pub const ALL: [TaxRate; 2] = [TaxRate::Three, TaxRate::Six];

    /// The percentage, as stored.
    pub fn percent(self) -> i16 {
        match self {
            TaxRate::Three => 3,
            TaxRate::Six => 6,
        }
    }

    /// `3`, `6`, `3%` or `6%` as typed; anything else is not a rate B8 allows.
    pub fn parse(raw: &str) -> Option<TaxRate> {
        match raw.trim().trim_end_matches('%').trim() {
            "3" => Some(TaxRate::Three),
            "6" => Some(TaxRate::Six),
            _ => None,
        }
    }

    pub fn from_percent(p: i16) -> Option<TaxRate> {
        TaxRate::ALL.into_iter().find(|r| r.percent() == p)
    }
}

/// A billing period: a calendar month, stored as its first day, written `YYYY-MM`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Period(NaiveDate);

impl Period {
    /// `2026-03` → March 2026; anything else (another shape, month 13, year before 2000) is
    /// `None`.
    pub fn parse(raw: &str) -> Option<Period> {
        let raw = raw.trim();
        let (y, m) = raw.split_once('-')?;
        if y.len() != 4 || m.len() != 2 || !(y.bytes().chain(m.bytes())).all(|b| b.is_ascii_digit())
        {
            return None;
        }
        let (y, m) = (y.parse::<i32>().ok()?, m.parse::<u32>().ok()?);
        if y < 2000 {
            return None;
        }
        NaiveDate::from_ymd_opt(y, m, 1).map(Period)
    }

    /// The month `d` falls in.
    pub fn of(d: NaiveDate) -> Period {
        Period(d.with_day(1).expect("every month has a first day"))
    }

    pub fn first_day(self) -> NaiveDate {
        self.0
    }

    pub fn label(self) -> String {
        self.0.format("%Y-%m").to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_are_calendar_months_written_year_dash_month() {
        let p = Period::parse(" 2026-03 ").unwrap();
        assert_eq!(p.first_day(), NaiveDate::from_ymd_opt(2026, 3, 1).unwrap());
        assert_eq!(p.label(), "2026-03");
        for bad in [
            "2026-13",
            "2026-00",
            "2026-3",
            "26-03",
            "2026/03",
            "",
            "1999-12",
            "２０２６-03",
        ] {
            assert_eq!(Period::parse(bad), None, "{bad}");
        }
        let d = NaiveDate::from_ymd_opt(2026, 7, 31).unwrap();
        assert_eq!(Period::of(d).label(), "2026-07");
    }

    #[test]
    fn only_three_and_six_percent_are_incentive_invoice_rates() {
        // rule B8
        assert_eq!(TaxRate::parse("3"), Some(TaxRate::Three));
        assert_eq!(TaxRate::parse("6%"), Some(TaxRate::Six));
        for bad in ["13", "0", "9", "", "3.0", "six"] {
            assert_eq!(TaxRate::parse(bad), None, "{bad}");
        }
        assert_eq!(TaxRate::from_percent(6), Some(TaxRate::Six));
        assert_eq!(TaxRate::from_percent(13), None);
    }
}
