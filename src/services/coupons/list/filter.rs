//! What the issued-coupons list was asked for (rules K2a, X3): state, kind, customer, grant,
//! "expiring within N days" and the `q` text, each parsed leniently (a malformed value is
//! dropped, never an error), and the query string that keeps them in pager and export links.

use chrono::NaiveDate;

use crate::domain::url::url_encode;
use crate::domain::{CouponKind, CouponState};
use crate::services::keyset;

/// The longest "expiring within N days" honoured: a year (larger asks read as a year).
pub const EXPIRING_MAX_DAYS: i64 = 366;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    pub state: Option<CouponState>,
    pub kind: Option<CouponKind>,
    /// A customer id.
    pub customer: Option<i64>,
    /// A grant id.
    pub grant: Option<i64>,
    /// Usable coupons whose validity ends within this many days (0 = today).
    pub expiring: Option<i64>,
    /// Customer company (part of it) or the customer's whole e-mail address (SPEC §5).
    pub q: String,
}

/// The query values as text, straight from the URL.
#[derive(Default)]
pub struct Raw<'a> {
    pub state: &'a str,
    pub kind: &'a str,
    pub customer: &'a str,
    pub grant: &'a str,
    pub expiring: &'a str,
    pub q: &'a str,
}

fn id(raw: &str) -> Option<i64> {
    raw.trim().parse::<i64>().ok().filter(|i| *i > 0)
}

impl Filter {
    pub fn parse(raw: &Raw<'_>) -> Filter {
        Filter {
            state: CouponState::parse(raw.state),
            kind: CouponKind::parse(raw.kind),
            customer: id(raw.customer),
            grant: id(raw.grant),
            expiring: raw
                .expiring
                .trim()
                .parse::<i64>()
                .ok()
                .filter(|d| *d >= 0)
                .map(|d| d.min(EXPIRING_MAX_DAYS)),
            q: keyset::q(Some(raw.q)),
        }
    }

    /// Whether the list is planned with its values on every view: a customer, a grant or a
    /// text, whose own index is the way in when it is rare (see `list::filtered`). The kind
    /// and the expiry window keep prepared plans (a constant, and days learnt at run time
    /// on the organisation's usable-until index).
    pub fn planned_on_every_view(&self) -> bool {
        self.customer.is_some() || self.grant.is_some() || !self.q.is_empty()
    }

    /// The last day of validity that counts as "expiring" today, when asked for.
    pub fn expiring_by(&self, today: NaiveDate) -> Option<NaiveDate> {
        self.expiring
            .map(|d| today + chrono::Duration::days(d.clamp(0, EXPIRING_MAX_DAYS)))
    }

    /// The filters as a query string for pager and export links (`q` always first, SPEC §5).
    pub fn query_string(&self) -> String {
        let mut s = format!("q={}", url_encode(&self.q));
        if let Some(v) = self.state {
            s.push_str(&format!("&state={}", v.as_str()));
        }
        if let Some(v) = self.kind {
            s.push_str(&format!("&kind={}", v.as_str()));
        }
        if let Some(v) = self.customer {
            s.push_str(&format!("&customer={v}"));
        }
        if let Some(v) = self.grant {
            s.push_str(&format!("&grant={v}"));
        }
        if let Some(v) = self.expiring {
            s.push_str(&format!("&expiring={v}"));
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_values_are_dropped_and_the_rest_kept_in_links() {
        let f = Filter::parse(&Raw {
            state: "usable",
            kind: "bogus",
            customer: "12",
            grant: "-3",
            expiring: "99999",
            q: "  Acme & Co ",
        });
        assert_eq!(f.state, Some(CouponState::Usable));
        assert_eq!(f.kind, None);
        assert_eq!(f.customer, Some(12));
        assert_eq!(f.grant, None);
        assert_eq!(f.expiring, Some(EXPIRING_MAX_DAYS));
        assert_eq!(
            f.query_string(),
            "q=Acme%20%26%20Co&state=usable&customer=12&expiring=366"
        );
        assert!(f.planned_on_every_view());
        assert!(!Filter::parse(&Raw::default()).planned_on_every_view());
        let expiring = Filter::parse(&Raw {
            state: "usable",
            kind: "voucher",
            expiring: "7",
            ..Raw::default()
        });
        assert!(!expiring.planned_on_every_view());
        assert_eq!(Filter::parse(&Raw::default()).query_string(), "q=");
    }
}
