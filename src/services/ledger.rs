//! What the ledger pages need beyond the ledger itself: one account's page of entries, the
//! CSV export, and a partner's view scoped to its own organisation (SPEC §5: an id outside
//! the organisation is 404).

use diesel::prelude::*;

use crate::domain::{Caller, OrgId, Party};
use crate::ledger::query::{self, AccountRow, EntryRow};
use crate::ledger::{AccountKind, LedgerAccount};
use crate::services::keyset::{LOG_SIZE, take_page};
use crate::services::{ServiceError, ServiceResult};

pub const ENTRIES_PER_PAGE: i64 = LOG_SIZE;

pub struct EntriesPage {
    pub account: AccountRow,
    pub entries: Vec<EntryRow>,
    /// The cursor of the next (older) page, when there is one.
    pub next: Option<String>,
}

/// The account and its entries older than `before`, newest first.
pub fn entries_page(
    conn: &mut PgConnection,
    account: AccountRow,
    before: Option<i64>,
) -> ServiceResult<EntriesPage> {
    let mut entries = query::entries_page(conn, account.id, before, ENTRIES_PER_PAGE + 1)?;
    let next = take_page(&mut entries, ENTRIES_PER_PAGE, |e| e.id.to_string());
    Ok(EntriesPage {
        account,
        entries,
        next,
    })
}

/// An account the caller may read: any account for an operator, an account of its own
/// organisation for a partner admin; any other id is "not found" (SPEC §5).
pub fn readable_account(
    conn: &mut PgConnection,
    caller: &Caller,
    id: i64,
) -> ServiceResult<AccountRow> {
    match caller.party {
        Party::Operator { .. } => Ok(query::account(conn, id)?),
        Party::Member(m) => {
            m.require_admin()?;
            org_account(conn, m.org_id, id)
        }
        _ => Err(ServiceError::Forbidden),
    }
}

/// One page of an account's entries, newest first, for whoever may read it.
pub fn account_entries(
    conn: &mut PgConnection,
    caller: &Caller,
    id: i64,
    before: Option<i64>,
) -> ServiceResult<EntriesPage> {
    let account = readable_account(conn, caller, id)?;
    entries_page(conn, account, before)
}

/// The account's entries as CSV under `header`, for whoever may read it.
pub fn export_entries(
    conn: &mut PgConnection,
    caller: &Caller,
    id: i64,
    header: &[String],
) -> ServiceResult<Vec<u8>> {
    readable_account(conn, caller, id)?;
    query::export_csv(conn, id, header).map_err(|e| ServiceError::internal(e.to_string()))
}

/// The operator's list of every account, keyset-paged by id, with the last verification.
pub struct OpsAccounts {
    pub rows: Vec<AccountRow>,
    pub next: Option<String>,
    pub last: Option<crate::ledger::verify::Verification>,
}

pub fn ops_accounts(
    conn: &mut PgConnection,
    caller: &Caller,
    q: &str,
    kind: Option<AccountKind>,
    after: Option<i64>,
    size: i64,
) -> ServiceResult<OpsAccounts> {
    caller.require_operator()?;
    let mut rows = query::accounts_page(conn, q, kind, after, size + 1)?;
    let next = take_page(&mut rows, size, |r| r.id.to_string());
    Ok(OpsAccounts {
        rows,
        next,
        last: crate::ledger::verify::last(conn)?,
    })
}

/// An account of the member's own organisation; any other id is "not found".
pub fn org_account(conn: &mut PgConnection, org_id: OrgId, id: i64) -> ServiceResult<AccountRow> {
    let account = query::account(conn, id)?;
    if account.owner_org_id != Some(org_id.get()) {
        return Err(ServiceError::NotFound);
    }
    Ok(account)
}

/// The kinds `/partner/account` always shows, opened or not. Quota accounts are one per grant
/// (SPEC §5 "Quota grants") and show as the grants' own section.
pub const PARTNER_KINDS: [AccountKind; 1] = [AccountKind::PartnerCash];

/// The organisation's accounts: the standard ones (by kind, `None` where not opened yet), its
/// quota grants with their accounts' balances, and any others it holds.
pub struct PartnerAccounts {
    pub standard: Vec<(AccountKind, Option<LedgerAccount>)>,
    pub grants: Vec<crate::services::coupons::quotas::GrantBalance>,
    pub others: Vec<LedgerAccount>,
}

/// A quota account's grant: id, kind and state.
type GrantOf = (i64, String, String);

/// Reads the admin's organisation's accounts in one statement, each quota account with the
/// grant it belongs to (its own account, opened by the grant under the grant's partner); a
/// read never opens an account.
pub fn partner_accounts(
    conn: &mut PgConnection,
    caller: &Caller,
) -> ServiceResult<PartnerAccounts> {
    use crate::db::schema::{ledger_accounts, quota_grants};
    use crate::services::coupons::quotas::GrantBalance;
    let member = caller.member()?;
    member.require_admin()?;
    let rows: Vec<(LedgerAccount, Option<GrantOf>)> = ledger_accounts::table
        .left_join(quota_grants::table.on(quota_grants::account_id.eq(ledger_accounts::id)))
        .filter(ledger_accounts::owner_org_id.eq(member.org_id.get()))
        .order(ledger_accounts::id)
        .select((
            LedgerAccount::as_select(),
            (quota_grants::id, quota_grants::kind, quota_grants::state).nullable(),
        ))
        .load(conn)?;
    let mut others = Vec::with_capacity(rows.len());
    let mut grants = Vec::new();
    for (account, grant) in rows {
        match grant {
            Some((id, kind, state)) => grants.push(GrantBalance {
                id,
                kind,
                account_id: account.id,
                balance: account.balance,
                state,
            }),
            None => others.push(account),
        }
    }
    grants.sort_by_key(|g| g.id);
    let standard = PARTNER_KINDS
        .iter()
        .map(|kind| {
            let found = others.iter().position(|a| a.kind == kind.as_str());
            (*kind, found.map(|i| others.remove(i)))
        })
        .collect();
    // Quota accounts belong to grants: they show once, in the grants' section.
    others.retain(|a| {
        !matches!(
            AccountKind::parse(&a.kind),
            Some(AccountKind::VoucherQuota | AccountKind::CashCouponQuota)
        )
    });
    Ok(PartnerAccounts {
        standard,
        grants,
        others,
    })
}
