//! `/ops/incentives`: every partner's incentives, newest first, keyset-paged; `q` matches the
//! partner's name, and the period, kind and stage narrow the list.

use crate::db::runtime_value::at_run_time;
use diesel::prelude::*;

use super::lines::{self, IncentiveLine, Stage};
use crate::db::schema::{incentives, organizations};
use crate::domain::Caller;
use crate::domain::incentives::{IncentiveKind, Period};
use crate::services::ServiceResult;
use crate::services::keyset::take_page;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OpsFilter {
    pub q: String,
    pub period: Option<Period>,
    pub kind: Option<IncentiveKind>,
    pub stage: Option<Stage>,
}

pub struct IncentivePage {
    pub rows: Vec<IncentiveLine>,
    pub next: Option<String>,
}

pub fn list(
    conn: &mut PgConnection,
    caller: &Caller,
    filter: &OpsFilter,
    before: Option<i64>,
    size: i64,
) -> ServiceResult<IncentivePage> {
    caller.require_operator()?;
    let mut q = lines::query().filter(incentives::id.lt(at_run_time(before.unwrap_or(i64::MAX))));
    if !filter.q.is_empty() {
        q = q.filter(organizations::name.ilike(crate::db::like_pattern(&filter.q)));
    }
    if let Some(p) = filter.period {
        q = q.filter(incentives::period.eq(p.first_day()));
    }
    if let Some(k) = filter.kind {
        q = q.filter(incentives::kind.eq(k.as_str()));
    }
    if let Some(s) = filter.stage {
        q = lines::at_stage(q, s);
    }
    let mut rows = lines::load(conn, q, size + 1)?;
    let next = take_page(&mut rows, size, |r| r.id.to_string());
    Ok(IncentivePage { rows, next })
}
