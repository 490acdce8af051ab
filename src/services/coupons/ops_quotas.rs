//! `/ops/quotas` reads (rules K1, K2a): every partner's grants with filters and keyset pages,
//! one grant with its adjustments, ledger entries and passed children, and what the grant
//! form offers (partner organisations, the services catalogue). Operators only.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Numeric, Text, Timestamptz};
use rust_decimal::Decimal;

use super::quotas::{GRANT_LINES, GrantDetail, GrantLine};
use crate::db::like_pattern;
use crate::db::schema::organizations;
use crate::domain::{Caller, CouponKind, GrantState};
use crate::services::ServiceResult;
use crate::services::keyset::take_page;

/// The operator's filters: partner name contains `q`, one kind, one state.
#[derive(Debug, Clone, Default)]
pub struct OpsFilter {
    pub q: String,
    pub kind: Option<CouponKind>,
    pub state: Option<GrantState>,
}

pub struct OpsGrantPage {
    pub rows: Vec<GrantLine>,
    /// The cursor of the next page (grants with smaller ids), when there is one.
    pub next: Option<String>,
}

/// Every partner's grants, newest first, one keyset page in one statement.
pub fn list(
    conn: &mut PgConnection,
    caller: &Caller,
    filter: &OpsFilter,
    after: Option<i64>,
    size: i64,
) -> ServiceResult<OpsGrantPage> {
    caller.require_operator()?;
    let mut rows: Vec<GrantLine> = diesel::sql_query(format!(
        "{GRANT_LINES}
         WHERE g.id < $1 AND ($2 = '' OR g.kind = $2) AND ($3 = '' OR g.state = $3)
           AND ($4 = '' OR o.name ILIKE $5)
         ORDER BY g.id DESC LIMIT $6"
    ))
    .bind::<BigInt, _>(after.unwrap_or(i64::MAX))
    .bind::<Text, _>(filter.kind.map_or("", CouponKind::as_str))
    .bind::<Text, _>(filter.state.map_or("", GrantState::as_str))
    .bind::<Text, _>(&filter.q)
    .bind::<Text, _>(like_pattern(&filter.q))
    .bind::<BigInt, _>(size + 1)
    .load(conn)?;
    let next = take_page(&mut rows, size, |r| r.id.to_string());
    Ok(OpsGrantPage { rows, next })
}

/// An operator's change of a grant's amount and what became of it (rule K2a).
#[derive(QueryableByName, Debug, Clone)]
pub struct AdjustmentLine {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Numeric)]
    pub delta: Decimal,
    #[diesel(sql_type = Text)]
    pub remark: String,
    #[diesel(sql_type = Text)]
    pub state: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub proposed_by: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub decided_by: Option<String>,
    #[diesel(sql_type = Timestamptz)]
    pub created_at: DateTime<Utc>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub decided_at: Option<DateTime<Utc>>,
}

/// The most adjustments one grant's page lists.
const ADJUSTMENTS_SHOWN: i64 = 50;

pub struct OpsGrantDetail {
    pub detail: GrantDetail,
    /// Newest first; a pending one (at most one) is first.
    pub adjustments: Vec<AdjustmentLine>,
}

/// One grant with its adjustment history, a page of its ledger entries and its passed
/// children: four statements.
pub fn detail(
    conn: &mut PgConnection,
    caller: &Caller,
    id: i64,
    before: Option<i64>,
) -> ServiceResult<OpsGrantDetail> {
    caller.require_operator()?;
    let grant = super::quotas::line(conn, None, id)?;
    let adjustments = diesel::sql_query(
        "SELECT q.id, q.delta, q.remark, q.state, pu.email AS proposed_by,
                du.email AS decided_by, q.created_at, q.decided_at
         FROM quota_adjustments q
         LEFT JOIN users pu ON pu.id = q.proposed_by
         LEFT JOIN users du ON du.id = q.decided_by
         WHERE q.grant_id = $1
         ORDER BY q.state = 'pending' DESC, q.id DESC LIMIT $2",
    )
    .bind::<BigInt, _>(id)
    .bind::<BigInt, _>(ADJUSTMENTS_SHOWN)
    .load(conn)?;
    Ok(OpsGrantDetail {
        detail: super::quotas::detail(conn, grant, before)?,
        adjustments,
    })
}

/// What the grant form offers: every partner organisation `(id, name)` by name, and the
/// services catalogue.
pub struct GrantFormChoices {
    pub partners: Vec<(i64, String)>,
    pub services: Vec<super::scope::Service>,
}

pub fn form_choices(conn: &mut PgConnection, caller: &Caller) -> ServiceResult<GrantFormChoices> {
    caller.require_operator()?;
    let partners = organizations::table
        .order((organizations::name, organizations::id))
        .select((organizations::id, organizations::name))
        .load(conn)?;
    Ok(GrantFormChoices {
        partners,
        services: super::scope::services(conn)?,
    })
}

/// The grant an adjustment belongs to (for the page a decision returns to).
pub fn adjustment_grant(conn: &mut PgConnection, caller: &Caller, id: i64) -> ServiceResult<i64> {
    use crate::db::schema::quota_adjustments;
    caller.require_operator()?;
    Ok(quota_adjustments::table
        .find(id)
        .select(quota_adjustments::grant_id)
        .first(conn)?)
}
