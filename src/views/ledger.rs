//! Template structs of the ledger pages: the operator's accounts and entries
//! (`/ops/ledger`) and a partner admin's own accounts (`/partner/account`).

use askama::Template;

use super::{Ctx, Pager};
use crate::domain::money::format_amount;
use crate::i18n::local_time;
use crate::ledger::query::{AccountRow, EntryRow};
use crate::ledger::verify::Verification;

pub struct AccountLine {
    pub id: i64,
    pub kind: String,
    pub owner: String,
    pub balance: String,
    pub credit_limit: Option<String>,
    pub frozen: bool,
}

impl From<AccountRow> for AccountLine {
    fn from(a: AccountRow) -> Self {
        AccountLine {
            id: a.id,
            kind: a.kind,
            owner: a.owner,
            balance: format_amount(a.balance),
            credit_limit: a.credit_limit.map(format_amount),
            frozen: a.frozen,
        }
    }
}

pub struct EntryLine {
    pub id: i64,
    pub at: String,
    pub transfer_id: i64,
    pub kind: String,
    /// Signed, `+` for money in.
    pub amount: String,
    pub incoming: bool,
    pub balance_after: String,
    pub counterparty: i64,
    pub memo: String,
    pub reverses: Option<i64>,
}

impl From<EntryRow> for EntryLine {
    fn from(e: EntryRow) -> Self {
        let incoming = e.amount.is_sign_positive();
        let amount = format_amount(e.amount);
        EntryLine {
            id: e.id,
            at: local_time(e.at),
            transfer_id: e.transfer_id,
            kind: e.kind,
            amount: if incoming {
                format!("+{amount}")
            } else {
                amount
            },
            incoming,
            balance_after: format_amount(e.balance_after),
            counterparty: e.counterparty,
            memo: e.memo,
            reverses: e.reverses_id,
        }
    }
}

pub struct VerificationLine {
    pub ok: bool,
    pub at: String,
    pub accounts: String,
    pub entries: String,
    /// The first problems found; the CLI prints them all.
    pub problems: Vec<String>,
}

impl From<Verification> for VerificationLine {
    fn from(v: Verification) -> Self {
        VerificationLine {
            ok: v.ok,
            at: local_time(v.finished_at),
            accounts: v.accounts_checked.to_string(),
            entries: v.entries_checked.to_string(),
            problems: v.problems.lines().take(20).map(str::to_string).collect(),
        }
    }
}

#[derive(Template)]
#[template(path = "ops/ledger.html")]
pub struct OpsLedgerPage {
    pub ctx: Ctx,
    pub q: String,
    pub kind: String,
    pub kinds: Vec<&'static str>,
    pub rows: Vec<AccountLine>,
    pub pager: Pager,
    pub last: Option<VerificationLine>,
}

#[derive(Template)]
#[template(path = "ops/ledger_account.html")]
pub struct OpsLedgerAccountPage {
    pub ctx: Ctx,
    pub account: AccountLine,
    pub entries: Vec<EntryLine>,
    pub pager: Pager,
    /// Operators follow the other side of a transfer; partners see only their own accounts.
    pub show_counterparty: bool,
}

/// One of the standard balances on `/partner/account`; `id` is `None` until the account opens.
pub struct BalanceLine {
    pub kind: &'static str,
    pub id: Option<i64>,
    pub balance: String,
    pub frozen: bool,
}

/// One quota grant on `/partner/account`: each grant has its own account (SPEC §5).
pub struct GrantBalanceLine {
    pub id: i64,
    pub kind: String,
    pub account_id: i64,
    pub balance: String,
    pub state: String,
}

#[derive(Template)]
#[template(path = "partner/account.html")]
pub struct PartnerAccountPage {
    pub ctx: Ctx,
    pub balances: Vec<BalanceLine>,
    /// The organisation's quota grants, oldest first.
    pub grants: Vec<GrantBalanceLine>,
    /// Any further accounts the organisation holds (coupons and the like).
    pub others: Vec<BalanceLine>,
    /// For a reseller: its distributor's name and the latest allocations and reclaims (R3).
    pub reseller_funds: Option<(String, Vec<crate::views::resellers::FundsRow>)>,
    /// rule P4: the withdrawable amount, the withdrawal form and the requests.
    pub withdrawals: crate::views::credit::WithdrawalPanel,
}

#[derive(Template)]
#[template(path = "partner/account_entries.html")]
pub struct PartnerAccountEntriesPage {
    pub ctx: Ctx,
    pub account: AccountLine,
    pub entries: Vec<EntryLine>,
    pub pager: Pager,
    pub show_counterparty: bool,
}

/// The column names of an account's CSV export, in the reader's language.
pub fn csv_header(ctx: &Ctx) -> Vec<String> {
    [
        "ledger.col.entry",
        "ledger.col.at",
        "ledger.col.transfer",
        "ledger.col.purpose",
        "ledger.col.amount",
        "ledger.col.balance_after",
        "ledger.col.counterparty",
        "ledger.col.reverses",
        "ledger.col.memo",
    ]
    .iter()
    .map(|k| ctx.t(k))
    .collect()
}

/// A CSV download; the byte-order mark lets spreadsheet programs read Chinese text.
pub fn csv_response(file_name: &str, body: Vec<u8>) -> actix_web::HttpResponse {
    let mut bytes = Vec::with_capacity(body.len() + 3);
    bytes.extend_from_slice(b"\xEF\xBB\xBF");
    bytes.extend_from_slice(&body);
    actix_web::HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            actix_web::http::header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{file_name}\""),
        ))
        .body(bytes)
}
