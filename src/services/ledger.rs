//! What the ledger pages need beyond the ledger itself: one account's page of entries, the
//! CSV export, and a partner's view scoped to its own organisation (SPEC §5: an id outside
//! the organisation is 404).

use diesel::prelude::*;

use crate::domain::OrgId;
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

/// An account of the member's own organisation; any other id is "not found".
pub fn org_account(conn: &mut PgConnection, org_id: OrgId, id: i64) -> ServiceResult<AccountRow> {
    let account = query::account(conn, id)?;
    if account.owner_org_id != Some(org_id.get()) {
        return Err(ServiceError::NotFound);
    }
    Ok(account)
}

/// The kinds `/partner/account` always shows, opened or not.
pub const PARTNER_KINDS: [AccountKind; 3] = [
    AccountKind::PartnerCash,
    AccountKind::VoucherQuota,
    AccountKind::CashCouponQuota,
];

/// The organisation's accounts: the three standard ones (by kind, `None` where not opened
/// yet) and any others it holds.
pub struct PartnerAccounts {
    pub standard: Vec<(AccountKind, Option<LedgerAccount>)>,
    pub others: Vec<LedgerAccount>,
}

/// Reads the organisation's accounts; a read never opens an account.
pub fn partner_accounts(conn: &mut PgConnection, org_id: OrgId) -> QueryResult<PartnerAccounts> {
    let mut others = query::org_accounts(conn, org_id.get())?;
    let standard = PARTNER_KINDS
        .iter()
        .map(|kind| {
            let found = others.iter().position(|a| a.kind == kind.as_str());
            (*kind, found.map(|i| others.remove(i)))
        })
        .collect();
    Ok(PartnerAccounts { standard, others })
}
