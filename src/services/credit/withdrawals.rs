//! A partner's withdrawal requests (rule P4; form field `amount`): an admin asks to take money
//! out, never beyond the withdrawable amount. The amount moves at once from the partner's cash
//! to its `partner_hold` account (so it leaves the withdrawable amount, and for a reseller the
//! balance its distributor may reclaim, R3); the partner may cancel while it is pending (the
//! hold is reversed back). Operators decide the rest (`decide`).

use crate::db::runtime_value::at_run_time;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use rust_decimal::Decimal;
use serde_json::json;

use super::CreditRefusal;
use super::decide::{self, Decision};
use super::line::today;
use super::withdrawable;
use crate::audit::{self, Entry};
use crate::db::schema::{ledger_accounts, withdrawals};
use crate::domain::{Caller, MemberOf, Money};
use crate::ledger::{self, AccountKind, LedgerError, TransferRequest};
use crate::services::customers::top_up::valid_key;
use crate::services::keyset::take_page;
use crate::services::{ServiceError, ServiceResult};

/// Transfer kinds of a withdrawal; stored, so their spelling stays.
pub const HOLD_KIND: &str = "withdrawal_hold";
pub const REQUEST_ACTION: &str = "withdrawal.requested";

#[derive(Queryable, Selectable, Clone, Debug)]
#[diesel(table_name = withdrawals)]
pub struct WithdrawalRow {
    pub id: i64,
    pub partner_id: i64,
    pub amount: Decimal,
    pub state: String,
    pub hold_transfer_id: i64,
    pub release_transfer_id: Option<i64>,
    pub reason: String,
    pub created_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
}

fn admin(caller: &Caller) -> ServiceResult<&MemberOf> {
    let member = caller.member()?;
    member.require_admin()?;
    Ok(member)
}

/// rule P4: requests a withdrawal of `amount`; returns its id. The form's hidden `key` makes
/// a double submit find the first request. Concurrent requests queue on the cash account's
/// row lock, and each checks the withdrawable amount as the one before it left it.
pub fn request(
    conn: &mut PgConnection,
    caller: &Caller,
    amount: Money,
    key: &str,
) -> ServiceResult<i64> {
    let member = admin(caller)?;
    if !valid_key(key) {
        return Err(ServiceError::Malformed("idempotency key"));
    }
    let org = member.org_id.get();
    let request_key = format!("withdraw:{org}:{key}");
    conn.transaction(|conn| {
        let cash = ledger::accounts::for_org(conn, org, AccountKind::PartnerCash)?;
        ledger_accounts::table
            .find(cash.id)
            .select(ledger_accounts::id)
            .for_update()
            .first::<i64>(conn)?;
        let earlier: Option<i64> = withdrawals::table
            .filter(withdrawals::request_key.eq(&request_key))
            .select(withdrawals::id)
            .first(conn)
            .optional()?;
        if let Some(id) = earlier {
            return Ok(id);
        }
        let terms = withdrawable::of_partner(conn, org, today())?;
        if amount.amount() > terms.amount() {
            return Err(CreditRefusal::BeyondWithdrawable.into());
        }
        let hold = ledger::accounts::for_org(conn, org, AccountKind::PartnerHold)?;
        let transfer_key = format!("{request_key}:hold");
        let moved = ledger::transfer(
            conn,
            &TransferRequest {
                from: cash.id,
                to: hold.id,
                amount,
                kind: HOLD_KIND,
                idempotency_key: &transfer_key,
                memo: "",
                reverses: None,
            },
            caller,
        );
        let t = match moved {
            Ok(t) => t,
            Err(LedgerError::InsufficientFunds { .. }) => {
                return Err(CreditRefusal::BeyondWithdrawable.into());
            }
            Err(e) => return Err(e.into()),
        };
        let id: i64 = diesel::insert_into(withdrawals::table)
            .values((
                withdrawals::partner_id.eq(org),
                withdrawals::amount.eq(amount.amount()),
                withdrawals::hold_transfer_id.eq(t.id),
                withdrawals::request_key.eq(&request_key),
                withdrawals::requested_by.eq(caller.user_id().map(i64::from)),
            ))
            .returning(withdrawals::id)
            .get_result(conn)?;
        audit::record(
            conn,
            caller,
            Entry::new(REQUEST_ACTION, "withdrawal", id).after(json!({
                "amount": amount.amount().to_string(), "hold_transfer": t.id,
                "withdrawable": terms.amount().to_string(),
            })),
        )?;
        Ok(id)
    })
}

/// The partner cancels its pending request: the hold goes back to the cash.
pub fn cancel(conn: &mut PgConnection, caller: &Caller, id: i64) -> ServiceResult<()> {
    let member = admin(caller)?;
    conn.transaction(|conn| {
        let w = decide::lock(conn, id)?;
        if w.partner_id != member.org_id.get() {
            return Err(ServiceError::NotFound);
        }
        decide::apply(conn, caller, &w, Decision::Cancel)
    })
}

/// One page of the partner's requests, newest first (`withdrawals_partner_idx`).
pub struct WithdrawalsPage {
    pub rows: Vec<WithdrawalRow>,
    pub next: Option<String>,
}

pub fn of_partner(
    conn: &mut PgConnection,
    caller: &Caller,
    before: Option<i64>,
    size: i64,
) -> ServiceResult<WithdrawalsPage> {
    let member = admin(caller)?;
    let mut rows = crate::db::page_limit::limited(
        withdrawals::table
            .filter(withdrawals::partner_id.eq(member.org_id.get()))
            .filter(withdrawals::id.lt(at_run_time(before.unwrap_or(i64::MAX))))
            .order(withdrawals::id.desc())
            .select(WithdrawalRow::as_select()),
        size + 1,
    )
    .load(conn)?;
    let next = take_page(&mut rows, size, |r| r.id.to_string());
    Ok(WithdrawalsPage { rows, next })
}

/// What `/partner/account` shows of rule P4: the withdrawable amount's terms and a page of the
/// partner's requests.
pub struct Overview {
    pub terms: withdrawable::Withdrawable,
    pub page: WithdrawalsPage,
}

pub fn overview(
    conn: &mut PgConnection,
    caller: &Caller,
    before: Option<i64>,
    size: i64,
) -> ServiceResult<Overview> {
    let org = admin(caller)?.org_id.get();
    Ok(Overview {
        terms: withdrawable::of_partner(conn, org, today())?,
        page: of_partner(conn, caller, before, size)?,
    })
}
