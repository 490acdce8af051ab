//! `/ops/withdrawals` (rule P4): the operators' list of withdrawal requests, pending ones first
//! (the default view, read from `withdrawals_pending_idx`), or every request; newest first,
//! keyset-paged, `q` matching the partner's name. One request with its partner for the
//! decision page.

use crate::db::runtime_value::at_run_time;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use rust_decimal::Decimal;

use crate::db::schema::{organizations, withdrawals};
use crate::domain::{Caller, WithdrawalState};
use crate::services::keyset::take_page;
use crate::services::{ServiceError, ServiceResult};

/// One request as operators see it.
#[derive(Queryable, Clone, Debug)]
pub struct OpsLine {
    pub id: i64,
    pub partner: String,
    pub partner_id: i64,
    pub amount: Decimal,
    pub state: String,
    pub reason: String,
    pub created_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpsFilter {
    pub q: String,
    /// `None`: every request.
    pub state: Option<WithdrawalState>,
}

pub struct OpsPage {
    pub rows: Vec<OpsLine>,
    pub next: Option<String>,
}

type Columns = (
    withdrawals::id,
    organizations::name,
    withdrawals::partner_id,
    withdrawals::amount,
    withdrawals::state,
    withdrawals::reason,
    withdrawals::created_at,
    withdrawals::decided_at,
);

const COLUMNS: Columns = (
    withdrawals::id,
    organizations::name,
    withdrawals::partner_id,
    withdrawals::amount,
    withdrawals::state,
    withdrawals::reason,
    withdrawals::created_at,
    withdrawals::decided_at,
);

pub fn list(
    conn: &mut PgConnection,
    caller: &Caller,
    filter: &OpsFilter,
    before: Option<i64>,
    size: i64,
) -> ServiceResult<OpsPage> {
    caller.require_operator()?;
    let mut query = withdrawals::table
        .inner_join(organizations::table)
        .filter(withdrawals::id.lt(at_run_time(before.unwrap_or(i64::MAX))))
        .into_boxed();
    if let Some(s) = filter.state {
        query = query.filter(withdrawals::state.eq(s.as_str()));
    }
    if !filter.q.is_empty() {
        query = query.filter(organizations::name.ilike(crate::db::like_pattern(&filter.q)));
    }
    let mut rows: Vec<OpsLine> = crate::db::page_limit::limited(
        query.order(withdrawals::id.desc()).select(COLUMNS),
        size + 1,
    )
    .load(conn)?;
    let next = take_page(&mut rows, size, |r| r.id.to_string());
    Ok(OpsPage { rows, next })
}

/// One request for the decision page.
pub fn one(conn: &mut PgConnection, caller: &Caller, id: i64) -> ServiceResult<OpsLine> {
    caller.require_operator()?;
    withdrawals::table
        .inner_join(organizations::table)
        .filter(withdrawals::id.eq(id))
        .select(COLUMNS)
        .first(conn)
        .optional()?
        .ok_or(ServiceError::NotFound)
}
