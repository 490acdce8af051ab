//! Quota grants as partners see them (rules K1, K2a, K3; `/partner/coupons/quotas`): each of
//! the organisation's grants with amount, used and available, validity, scope and state, where
//! a passed grant came from, and for a distributor the grants it passed to its resellers under
//! each of its own. Also the one grant line both the partner's and the operator's pages read.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Bool, Date, Nullable, Numeric, Text, Timestamptz};
use rust_decimal::Decimal;

use crate::domain::{Caller, CouponKind, GrantState};
use crate::ledger::query::EntryRow;
use crate::services::keyset::{LOG_SIZE, take_page};
use crate::services::{ServiceError, ServiceResult};

/// One grant with its partner's name, its balance and (for a passed grant) where it came from.
#[derive(QueryableByName, Debug, Clone)]
pub struct GrantLine {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = BigInt)]
    pub partner_id: i64,
    #[diesel(sql_type = Text)]
    pub partner_name: String,
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub parent_id: Option<i64>,
    /// The organisation that passed this grant (a distributor), for passed grants.
    #[diesel(sql_type = Nullable<Text>)]
    pub parent_partner: Option<String>,
    #[diesel(sql_type = BigInt)]
    pub account_id: i64,
    #[diesel(sql_type = Numeric)]
    pub amount: Decimal,
    /// The balance of the grant's own account: what is left to issue or pass.
    #[diesel(sql_type = Numeric)]
    pub available: Decimal,
    #[diesel(sql_type = Date)]
    pub valid_from: NaiveDate,
    #[diesel(sql_type = Date)]
    pub valid_until: NaiveDate,
    #[diesel(sql_type = Array<Text>)]
    pub scope: Vec<String>,
    #[diesel(sql_type = Bool)]
    pub invoice_restricted: bool,
    #[diesel(sql_type = Text)]
    pub state: String,
    #[diesel(sql_type = Text)]
    pub remark: String,
    #[diesel(sql_type = Timestamptz)]
    pub created_at: DateTime<Utc>,
}

impl GrantLine {
    /// Granted and not available: issued or passed on, net of what came back.
    pub fn used(&self) -> Decimal {
        (self.amount - self.available).max(Decimal::ZERO)
    }

    pub fn kind(&self) -> Option<CouponKind> {
        CouponKind::parse(&self.kind)
    }

    pub fn state(&self) -> Option<GrantState> {
        GrantState::parse(&self.state)
    }
}

/// The columns of a `GrantLine`; `g` is the grant, `p` its parent.
pub(crate) const GRANT_LINES: &str = "
SELECT g.id, g.partner_id, o.name AS partner_name, g.kind, g.parent_id,
       po.name AS parent_partner, g.account_id, g.amount, a.balance AS available,
       g.valid_from, g.valid_until, g.scope, g.invoice_restricted, g.state, g.remark,
       g.created_at
FROM quota_grants g
JOIN organizations o ON o.id = g.partner_id
JOIN ledger_accounts a ON a.id = g.account_id
LEFT JOIN quota_grants p ON p.id = g.parent_id
LEFT JOIN organizations po ON po.id = p.partner_id";

/// One grant by id, within one organisation when `org` is given.
pub(crate) fn line(conn: &mut PgConnection, org: Option<i64>, id: i64) -> ServiceResult<GrantLine> {
    diesel::sql_query(format!(
        "{GRANT_LINES} WHERE g.id = $1 AND ($2 = 0 OR g.partner_id = $2)"
    ))
    .bind::<BigInt, _>(id)
    .bind::<BigInt, _>(org.unwrap_or(0))
    .get_result(conn)
    .optional()?
    .ok_or(ServiceError::NotFound)
}

/// The grants passed from any of `parents`, by reseller name.
pub(crate) fn children_of(conn: &mut PgConnection, parents: &[i64]) -> QueryResult<Vec<GrantLine>> {
    if parents.is_empty() {
        return Ok(Vec::new());
    }
    diesel::sql_query(format!(
        "{GRANT_LINES} WHERE g.parent_id = ANY($1) ORDER BY o.name, g.id"
    ))
    .bind::<Array<BigInt>, _>(parents)
    .load(conn)
}

/// A grant with the grants passed from it.
pub struct GrantWithChildren {
    pub grant: GrantLine,
    pub children: Vec<GrantLine>,
}

/// rule K1, K2a: the organisation's grants of both kinds, newest first, each with the grants
/// it passed to resellers. Two statements whatever the number of grants.
pub fn partner_view(
    conn: &mut PgConnection,
    caller: &Caller,
) -> ServiceResult<Vec<GrantWithChildren>> {
    let member = super::reader(caller)?;
    let grants: Vec<GrantLine> = diesel::sql_query(format!(
        "{GRANT_LINES} WHERE g.partner_id = $1 ORDER BY g.id DESC"
    ))
    .bind::<BigInt, _>(member.org_id.get())
    .load(conn)?;
    let ids: Vec<i64> = grants.iter().map(|g| g.id).collect();
    let mut by_parent: HashMap<i64, Vec<GrantLine>> = HashMap::new();
    for child in children_of(conn, &ids)? {
        if let Some(parent) = child.parent_id {
            by_parent.entry(parent).or_default().push(child);
        }
    }
    Ok(grants
        .into_iter()
        .map(|grant| GrantWithChildren {
            children: by_parent.remove(&grant.id).unwrap_or_default(),
            grant,
        })
        .collect())
}

/// One grant of the organisation with its ledger entries (a keyset page, newest first) and
/// the grants passed from it.
pub struct GrantDetail {
    pub grant: GrantWithChildren,
    pub entries: Vec<EntryRow>,
    /// The cursor of the next (older) page of entries.
    pub next: Option<String>,
}

/// rule K1, K3: one of the organisation's grants; another organisation's is "not found".
pub fn partner_grant(
    conn: &mut PgConnection,
    caller: &Caller,
    id: i64,
    before: Option<i64>,
) -> ServiceResult<GrantDetail> {
    let member = super::reader(caller)?;
    let grant = line(conn, Some(member.org_id.get()), id)?;
    detail(conn, grant, before)
}

/// A grant's children and a page of its entries.
pub(crate) fn detail(
    conn: &mut PgConnection,
    grant: GrantLine,
    before: Option<i64>,
) -> ServiceResult<GrantDetail> {
    let children = children_of(conn, &[grant.id])?;
    let mut entries =
        crate::ledger::query::entries_page(conn, grant.account_id, before, LOG_SIZE + 1)?;
    let next = take_page(&mut entries, LOG_SIZE, |e| e.id.to_string());
    Ok(GrantDetail {
        grant: GrantWithChildren { grant, children },
        entries,
        next,
    })
}

/// One line of `/partner/account`'s quota section: a grant and its account's balance.
#[derive(Debug, Clone)]
pub struct GrantBalance {
    pub id: i64,
    pub kind: String,
    pub account_id: i64,
    pub balance: Decimal,
    pub state: String,
}
