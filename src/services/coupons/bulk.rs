//! Bulk issue from a CSV file (rule K2; SPEC §6 "CSV files"): columns `customer` (id or full
//! e-mail), `face_value`, `valid_until`. The file is kept between its dry-run preview and its
//! issue (`coupon_uploads`); every showing and the issue resolve its customers in one
//! statement and check each row with `issue::Batch::check`. A file issues all rows or none.

use std::collections::HashMap;

use chrono::NaiveDate;
use diesel::prelude::*;
use rust_decimal::Decimal;

use super::CouponRefusal;
use super::grants::Grant;
use super::issue::{Batch, CustomerFacts, Line};
use crate::db::schema::customers;
use crate::domain::money::MoneyError;
use crate::domain::{MemberOf, Money};

pub mod file;
pub mod store;

pub use file::{COLUMNS, FileProblem, MAX_ROWS, RawRow, errors_csv, parse};
pub use store::{BulkOutcome, Shown, issue, preview, show};

/// Why one row cannot be issued.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowProblem {
    NoCustomer,
    FaceValue(MoneyError),
    BadDate,
    Refused(CouponRefusal),
}

impl RowProblem {
    pub fn key(self) -> &'static str {
        match self {
            RowProblem::NoCustomer => "coupon_bulk.row.no_customer",
            RowProblem::FaceValue(e) => e.message_key(),
            RowProblem::BadDate => "coupon_bulk.row.bad_date",
            RowProblem::Refused(r) => r.key(),
        }
    }
}

/// One row with its customer (when found) and its result.
#[derive(Debug, Clone)]
pub struct CheckedRow {
    pub raw: RawRow,
    pub company: Option<String>,
    /// What would be issued, when the row is fine.
    pub line: Option<Line>,
    pub problem: Option<RowProblem>,
}

/// Every row checked against one grant.
pub struct Checked {
    pub grant: Grant,
    pub rows: Vec<CheckedRow>,
    /// The face values of the rows that parse: the quota the file needs.
    pub total: Decimal,
    pub rejected: usize,
}

impl Checked {
    /// Whether the grant covers the whole file.
    pub fn covered(&self) -> bool {
        self.total <= self.grant.available
    }

    /// rule K2: a file issues only when every row is fine and the grant covers all of them.
    pub fn issuable(&self) -> bool {
        self.rejected == 0 && self.covered() && self.grant.can_issue(super::today()).is_ok()
    }
}

/// The organisation's customers the file names, by id and by lower-cased e-mail, in one
/// statement (the e-mail index is on `lower(email)`).
fn resolve(
    conn: &mut PgConnection,
    member: &MemberOf,
    rows: &[RawRow],
) -> QueryResult<(HashMap<i64, CustomerFacts>, HashMap<String, i64>)> {
    let mut ids = Vec::new();
    let mut emails = Vec::new();
    for r in rows {
        if let Ok(id) = r.customer.parse::<i64>() {
            ids.push(id);
        } else if r.customer.contains('@') {
            emails.push(r.customer.to_lowercase());
        }
    }
    ids.sort_unstable();
    ids.dedup();
    emails.sort_unstable();
    emails.dedup();
    let found: Vec<CustomerFacts> = customers::table
        .filter(customers::partner_id.eq(member.org_id.get()))
        .filter(
            customers::id
                .eq_any(&ids)
                .or(crate::db::lower(customers::email).eq_any(&emails)),
        )
        .select((
            customers::id,
            customers::company,
            customers::email,
            customers::partner_id,
            customers::association_type,
            customers::signing_entity,
        ))
        .load(conn)?;
    let by_email = found
        .iter()
        .map(|c| (c.email.to_lowercase(), c.id))
        .collect();
    Ok((found.into_iter().map(|c| (c.id, c)).collect(), by_email))
}

/// rules K2, K5: each row's result against `grant` (whose scope every coupon of a file takes).
pub fn check(
    conn: &mut PgConnection,
    member: &MemberOf,
    grant: Grant,
    rows: Vec<RawRow>,
) -> QueryResult<Checked> {
    let (facts, by_email) = resolve(conn, member, &rows)?;
    let entity = super::issue::signing_entity_of(conn, member)?;
    let batch = Batch {
        member,
        grant: &grant,
        scope: &grant.row.scope,
        partner_signing_entity: &entity,
        today: super::today(),
    };
    let mut total = Decimal::ZERO;
    let mut checked = Vec::with_capacity(rows.len());
    for raw in rows {
        let customer = match raw.customer.parse::<i64>() {
            Ok(id) => facts.get(&id),
            Err(_) => by_email
                .get(&raw.customer.to_lowercase())
                .and_then(|id| facts.get(id)),
        };
        let face = Money::parse_positive(&raw.face_value);
        if let Ok(f) = face {
            total += f.amount();
        }
        let date = match raw.valid_until.as_str() {
            "" => Ok(grant.row.valid_until),
            d => NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|_| RowProblem::BadDate),
        };
        let outcome = (|| {
            if raw.customer.is_empty() {
                return Err(RowProblem::NoCustomer);
            }
            let line = Line {
                customer_id: customer.map_or(0, |c| c.id),
                face_value: face.map_err(RowProblem::FaceValue)?,
                valid_until: date?,
            };
            batch.check(&line, customer).map_err(RowProblem::Refused)?;
            Ok(line)
        })();
        checked.push(CheckedRow {
            company: customer.map(|c| c.company.clone()),
            line: outcome.as_ref().ok().cloned(),
            problem: outcome.err(),
            raw,
        });
    }
    let rejected = checked.iter().filter(|r| r.problem.is_some()).count();
    Ok(Checked {
        grant,
        rows: checked,
        total,
        rejected,
    })
}
