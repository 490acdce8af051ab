//! What a bills list was asked for (rule B2, SPEC §5 "Lists"): month, customer, state (paid or
//! unpaid) and the `q` text, each parsed leniently (a malformed value is dropped, never an
//! error), and the query string that keeps them in pager and export links.

use crate::domain::BillState;
use crate::domain::url::url_encode;
use crate::services::billing::Month;
use crate::services::keyset;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    pub month: Option<Month>,
    /// A customer id.
    pub customer: Option<i64>,
    pub state: Option<BillState>,
    /// Customer company (part of it) or the customer's whole e-mail address (SPEC §5).
    pub q: String,
}

/// The query values as text, straight from the URL.
#[derive(Default)]
pub struct Raw<'a> {
    pub month: &'a str,
    pub customer: &'a str,
    pub state: &'a str,
    pub q: &'a str,
}

impl Filter {
    pub fn parse(raw: &Raw<'_>) -> Filter {
        Filter {
            month: Month::parse(raw.month),
            customer: raw.customer.trim().parse::<i64>().ok().filter(|i| *i > 0),
            state: BillState::parse(raw.state),
            q: keyset::q(Some(raw.q)),
        }
    }

    /// Whether a customer or text narrows the list: such a list is planned with its values on
    /// every view (`db::constant_sql::planned_every_time`).
    pub fn narrows(&self) -> bool {
        self.customer.is_some() || !self.q.is_empty()
    }

    /// The filters as a query string for pager and export links (`q` always first, SPEC §5).
    pub fn query_string(&self) -> String {
        let mut s = format!("q={}", url_encode(&self.q));
        if let Some(m) = self.month {
            s.push_str(&format!("&month={m}"));
        }
        if let Some(c) = self.customer {
            s.push_str(&format!("&customer={c}"));
        }
        if let Some(v) = self.state {
            s.push_str(&format!("&state={}", v.as_str()));
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
            month: "2026-11",
            customer: "x",
            state: "unpaid",
            q: " Acme & Co ",
        });
        assert_eq!(
            f.query_string(),
            "q=Acme%20%26%20Co&month=2026-11&state=unpaid"
        );
        let f = Filter::parse(&Raw {
            month: "2026-13",
            customer: "-4",
            state: "owing",
            q: "",
        });
        assert_eq!(f, Filter::default());
        assert!(!f.narrows());
    }
}
