//! What a customer list was asked for (rule C4): text, type, manager and verification filters,
//! the sort order and the keyset cursor, each parsed leniently (malformed values are ignored,
//! never an error) and applied to a scoped query.

use chrono::{DateTime, Utc};
use diesel::dsl::IntervalDsl;
use diesel::prelude::*;

use crate::db::schema::customers;
use crate::domain::{AssociationType, Verification};
use crate::services::scope::CustomerQuery;

const TEXT_MAX: usize = 200;
/// The `credit=` value of the "in arrears" filter.
pub const ARREARS: &str = "arrears";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sort {
    CompanyAsc,
    CompanyDesc,
    SinceAsc,
    SinceDesc,
}

impl Sort {
    /// Unknown values fall back to the default order instead of failing.
    pub fn parse(s: &str) -> Sort {
        match s {
            "-company" => Sort::CompanyDesc,
            "since" => Sort::SinceAsc,
            "-since" => Sort::SinceDesc,
            _ => Sort::CompanyAsc,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Sort::CompanyAsc => "company",
            Sort::CompanyDesc => "-company",
            Sort::SinceAsc => "since",
            Sort::SinceDesc => "-since",
        }
    }

    pub fn by_company(self) -> bool {
        matches!(self, Sort::CompanyAsc | Sort::CompanyDesc)
    }

    pub fn descending(self) -> bool {
        matches!(self, Sort::CompanyDesc | Sort::SinceDesc)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ManagerFilter {
    Any,
    Unassigned,
    Is(i64),
}

impl ManagerFilter {
    /// The `manager=` value that asks for this filter: empty, `none` or the manager's id.
    pub fn param(self) -> String {
        match self {
            ManagerFilter::Any => String::new(),
            ManagerFilter::Unassigned => "none".into(),
            ManagerFilter::Is(id) => id.to_string(),
        }
    }
}

/// What the list was asked for, already cleaned: anything malformed is dropped, never an error.
#[derive(Clone, Debug)]
pub struct Filter {
    pub q: String,
    pub kind: Option<&'static str>,
    pub manager: ManagerFilter,
    pub verification: Option<&'static str>,
    pub sort: Sort,
    /// The available-credit filter's "in arrears" (欠费, seed 001; `credit=arrears`).
    pub arrears: bool,
}

impl Filter {
    /// Whether a type, manager or verification filter is set.
    pub fn narrows(&self) -> bool {
        self.kind.is_some()
            || self.verification.is_some()
            || self.manager != ManagerFilter::Any
            || self.arrears
    }

    /// Whether the text filter is long enough for the trigram indexes (three characters).
    pub fn uses_trigrams(&self) -> bool {
        self.q.chars().count() >= 3
    }

    pub fn parse(q: &str, kind: &str, manager: &str, verification: &str, sort: &str) -> Filter {
        Filter {
            q: q.trim().chars().take(TEXT_MAX).collect(),
            kind: AssociationType::parse(kind).map(AssociationType::as_str),
            manager: match manager {
                "none" => ManagerFilter::Unassigned,
                m => m
                    .parse::<i64>()
                    .ok()
                    .filter(|id| *id > 0)
                    .map_or(ManagerFilter::Any, ManagerFilter::Is),
            },
            verification: Verification::parse(verification).map(Verification::as_str),
            sort: Sort::parse(sort),
            arrears: false,
        }
    }

    /// The available-credit filter (`credit=`): `arrears` or nothing.
    pub fn with_credit(mut self, credit: &str) -> Filter {
        self.arrears = credit.trim() == ARREARS;
        self
    }

    /// The filters as a query string, for pager links and the export link (`q` always first).
    pub fn query_string(&self) -> String {
        let mut s = format!("q={}", crate::domain::url::url_encode(&self.q));
        if let Some(k) = self.kind {
            s.push_str(&format!("&type={k}"));
        }
        let manager = self.manager.param();
        if !manager.is_empty() {
            s.push_str(&format!("&manager={manager}"));
        }
        if let Some(v) = self.verification {
            s.push_str(&format!("&verification={v}"));
        }
        if self.arrears {
            s.push_str(&format!("&credit={ARREARS}"));
        }
        if self.sort != Sort::CompanyAsc {
            s.push_str(&format!("&sort={}", self.sort.as_str()));
        }
        s
    }
}

/// Where the next page starts: the sort key and id of the last row shown.
#[derive(Clone, Debug, PartialEq)]
pub enum Cursor {
    Company(String, i64),
    Since(DateTime<Utc>, i64),
}

impl Cursor {
    pub fn encode(&self) -> String {
        match self {
            Cursor::Company(c, id) => format!("c{id}.{c}"),
            Cursor::Since(t, id) => format!("s{id}.{}", t.timestamp_micros()),
        }
    }

    /// A cursor that does not fit the sort, or does not parse, starts the list over.
    pub fn parse(raw: &str, sort: Sort) -> Option<Cursor> {
        let (tag, rest) = raw.split_at_checked(1)?;
        let (id, key) = rest.split_once('.')?;
        let id: i64 = id.parse().ok().filter(|i| *i > 0)?;
        match (tag, sort.by_company()) {
            ("c", true) if key.chars().count() <= 500 && !key.contains('\0') => {
                Some(Cursor::Company(key.to_string(), id))
            }
            ("s", false) => {
                let micros: i64 = key.parse().ok()?;
                Some(Cursor::Since(DateTime::from_timestamp_micros(micros)?, id))
            }
            _ => None,
        }
    }
}

pub use crate::db::like_pattern;

/// Text filter (SPEC §5): company or contact name containing it, or the full e-mail address.
pub fn apply_filter<'a>(mut query: CustomerQuery<'a>, f: &Filter) -> CustomerQuery<'a> {
    if !f.q.is_empty() {
        let pattern = like_pattern(&f.q);
        query = query.filter(
            customers::company
                .ilike(pattern.clone())
                .or(customers::contact_name.ilike(pattern))
                .or(crate::db::whole_address(customers::email, &f.q)),
        );
    }
    // The type, verification and manager filters are constants of the statement, like the
    // organisation and the member in scope (`scope::visible_customers`): whether walking the
    // sort index or collecting the filter's matches is cheaper depends on those values (a
    // generic plan that did not know them made a manager's resale + verified page fall to 90
    // req/s), so each combination keeps a prepared plan of its own that knows them, planned
    // once with the filter statistics. The cursor is learnt at run time (`order_after`), so a
    // deep page shares the first page's plan.
    use crate::db::constant_sql::{id_is, word_is};
    if let Some(k) = f.kind {
        query = query.filter(word_is("customers", "association_type", k));
    }
    match f.manager {
        ManagerFilter::Any => {}
        ManagerFilter::Unassigned => query = query.filter(customers::manager_id.is_null()),
        ManagerFilter::Is(id) => query = query.filter(id_is("customers", "manager_id", id)),
    }
    if let Some(v) = f.verification {
        query = query.filter(word_is("customers", "verification", v));
    }
    // The customers in arrears are read from the overdue debts inside the statement (SPEC §6
    // "Settlement", seed 001: 可用额度 › 欠费).
    if f.arrears {
        query = query.filter(crate::services::credit::arrears::customer_in_arrears(
            crate::services::credit::line::today(),
        ));
    }
    query
}

/// Orders the query and starts it after the cursor: `(key, id)` compared as a pair, with a
/// plain bound on the key first so PostgreSQL can walk the index from there.
pub fn order_after<'a>(
    mut query: CustomerQuery<'a>,
    sort: Sort,
    after: Option<Cursor>,
    text_search: bool,
) -> CustomerQuery<'a> {
    use crate::db::runtime_value::{at_run_time, text_at_run_time, time_at_run_time};
    use customers::{associated_at as since, company, id};
    // The cursor's values are learnt at run time (`db::runtime_value`): a deep page keeps the
    // prepared plan of the first one instead of being planned on every view.
    match after {
        Some(Cursor::Company(k, i)) if sort.descending() => {
            let (k, i) = (text_at_run_time(k), at_run_time(i));
            query = query.filter(company.le(k.clone()).and(company.lt(k).or(id.lt(i))))
        }
        Some(Cursor::Company(k, i)) => {
            let (k, i) = (text_at_run_time(k), at_run_time(i));
            query = query.filter(company.ge(k.clone()).and(company.gt(k).or(id.gt(i))))
        }
        Some(Cursor::Since(t, i)) if sort.descending() => {
            let (t, i) = (time_at_run_time(t).nullable(), at_run_time(i));
            query = query.filter(since.le(t).and(since.lt(t).or(id.lt(i))))
        }
        Some(Cursor::Since(t, i)) => {
            let (t, i) = (time_at_run_time(t).nullable(), at_run_time(i));
            query = query.filter(since.ge(t).and(since.gt(t).or(id.gt(i))))
        }
        None => {}
    }
    // With a text filter of three or more characters the trigram indexes find the few matches
    // fastest; ordering by an expression keeps PostgreSQL from walking the whole sort index
    // and filtering row by row (seconds at 100k customers when the matches sort last).
    if text_search {
        return match sort {
            Sort::CompanyAsc => query.order((company.concat("").asc(), id.asc())),
            Sort::CompanyDesc => query.order((company.concat("").desc(), id.desc())),
            Sort::SinceAsc => query.order(((since + 0.days()).asc(), id.asc())),
            Sort::SinceDesc => query.order(((since + 0.days()).desc(), id.desc())),
        };
    }
    match sort {
        Sort::CompanyAsc => query.order((company.asc(), id.asc())),
        Sort::CompanyDesc => query.order((company.desc(), id.desc())),
        Sort::SinceAsc => query.order((since.asc(), id.asc())),
        Sort::SinceDesc => query.order((since.desc(), id.desc())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sql_of(filter: &Filter) -> String {
        let query = apply_filter(customers::table.into_boxed(), filter).select(customers::id);
        diesel::debug_query::<diesel::pg::Pg, _>(&query).to_string()
    }

    #[test]
    fn word_filters_are_constants_and_no_filter_is_planned_on_every_view() {
        // The raw `TRUE` is what keeps diesel from preparing the statement.
        let plain = Filter::parse("", "", "", "", "");
        assert!(!plain.narrows());
        assert!(!sql_of(&plain).contains("TRUE"));
        let narrowed = Filter::parse("", "resale", "7", "verified", "");
        assert!(narrowed.narrows());
        let sql = sql_of(&narrowed);
        assert!(!sql.contains("TRUE"), "{sql}");
        assert!(
            sql.contains("\"customers\".\"association_type\" = 'resale'"),
            "{sql}"
        );
        assert!(sql.contains("\"customers\".\"manager_id\" = 7"), "{sql}");
        assert!(
            sql.contains("\"customers\".\"verification\" = 'verified'"),
            "{sql}"
        );
        assert!(sql.contains("binds: []"), "{sql}");
        // rule: the arrears filter reads the overdue debts in the statement, the day bound at
        // run time, so it keeps a plan too.
        let arrears = Filter::parse("", "", "", "", "").with_credit("arrears");
        let sql = sql_of(&arrears);
        assert!(!sql.contains("TRUE"), "{sql}");
        assert!(
            sql.contains(
                "\"customers\".\"id\" = ANY(ARRAY(SELECT customer_id FROM debts \
                 WHERE settled_at IS NULL AND due_on < (SELECT $1::date)))"
            ),
            "{sql}"
        );
    }

    #[test]
    fn the_cursor_is_learnt_at_run_time() {
        let after = Cursor::parse("c12.Acme", Sort::CompanyAsc);
        let query = order_after(
            customers::table.into_boxed(),
            Sort::CompanyAsc,
            after,
            false,
        )
        .select(customers::id);
        let sql = diesel::debug_query::<diesel::pg::Pg, _>(&query).to_string();
        assert!(sql.contains(">= (SELECT $1::text)"), "{sql}");
        assert!(sql.contains("> (SELECT $3::bigint)"), "{sql}");
    }
}
