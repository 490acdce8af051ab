//! Funds between a distributor and its resellers (rule R3): an allocation (拨款) moves money
//! from the distributor's cash to the reseller's balance, a reclaim (回收) moves it back, never
//! more than the reseller has. Both are one ledger transfer with the form's idempotency key, so
//! a double submit moves money once, and the ledger refuses a reclaim that would take the
//! reseller's balance below zero even when many race.

use crate::db::runtime_value::at_run_time;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use rust_decimal::Decimal;

use crate::audit::{self, Entry};
use crate::db::page_limit::limited;
use crate::db::schema::{ledger_transfers, users};
use crate::domain::{Caller, Money, OrgId};
use crate::ledger::{self, AccountKind, LedgerError, TransferRequest};
use crate::services::customers::top_up::valid_key;
use crate::services::keyset::take_page;
use crate::services::{ServiceError, ServiceResult};

/// Transfer kinds and audit actions as stored (SPEC §6: stored names are history).
pub const ALLOCATION_KIND: &str = "allocation";
pub const RECLAIM_KIND: &str = "reclaim";
pub const ALLOCATED_ACTION: &str = "reseller.funds_allocated";
pub const RECLAIMED_ACTION: &str = "reseller.funds_reclaimed";
/// The same bound as every money form's remark.
pub use crate::services::customers::top_up::REMARK_MAX;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Distributor → reseller.
    Allocate,
    /// Reseller → distributor.
    Reclaim,
}

impl Direction {
    pub fn parse(s: &str) -> Option<Direction> {
        match s {
            "allocate" => Some(Direction::Allocate),
            "reclaim" => Some(Direction::Reclaim),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Allocate => "allocate",
            Direction::Reclaim => "reclaim",
        }
    }

    fn kind(self) -> &'static str {
        match self {
            Direction::Allocate => ALLOCATION_KIND,
            Direction::Reclaim => RECLAIM_KIND,
        }
    }

    fn action(self) -> &'static str {
        match self {
            Direction::Allocate => ALLOCATED_ACTION,
            Direction::Reclaim => RECLAIMED_ACTION,
        }
    }
}

pub enum FundsOutcome {
    Done {
        transfer_id: i64,
    },
    /// The paying side has less than the amount; nothing changed.
    NotEnough {
        available: Decimal,
    },
}

/// What the funds form shows beside its fields.
pub struct FundsContext {
    pub reseller: String,
    /// The distributor's cash.
    pub cash: Decimal,
    /// The reseller's balance: at most this can be reclaimed.
    pub reseller_balance: Decimal,
}

fn cash_of(conn: &mut PgConnection, org: i64) -> QueryResult<Decimal> {
    Ok(
        ledger::accounts::find_for_org(conn, org, AccountKind::PartnerCash)?
            .map_or(Decimal::ZERO, |a| a.balance),
    )
}

/// The form page's facts: distributor admins only, one of their resellers.
pub fn context(
    conn: &mut PgConnection,
    caller: &Caller,
    reseller_id: i64,
) -> ServiceResult<FundsContext> {
    let member = super::distributor_admin(caller)?;
    let reseller = super::own_reseller(conn, member, reseller_id)?;
    Ok(FundsContext {
        reseller,
        cash: cash_of(conn, member.org_id.get())?,
        reseller_balance: cash_of(conn, reseller_id)?,
    })
}

/// rule R3: allocate to or reclaim from one of the member's resellers.
pub fn move_funds(
    conn: &mut PgConnection,
    caller: &Caller,
    reseller_id: i64,
    direction: Direction,
    amount: Money,
    remark: &str,
    key: &str,
) -> ServiceResult<FundsOutcome> {
    let member = super::distributor_admin(caller)?;
    super::own_reseller(conn, member, reseller_id)?;
    if !valid_key(key) {
        return Err(ServiceError::Malformed("idempotency key"));
    }
    if remark.chars().count() > REMARK_MAX {
        return Err(ServiceError::Malformed("remark"));
    }
    let ours = ledger::accounts::for_org(conn, member.org_id.get(), AccountKind::PartnerCash)?;
    let theirs = ledger::accounts::for_org(conn, reseller_id, AccountKind::PartnerCash)?;
    let (from, to) = match direction {
        Direction::Allocate => (ours.id, theirs.id),
        Direction::Reclaim => (theirs.id, ours.id),
    };
    // Keys are per distributor and direction: another form's key can never collide.
    let key = format!("{}:{}:{key}", direction.as_str(), member.org_id);
    let req = TransferRequest {
        from,
        to,
        amount,
        kind: direction.kind(),
        idempotency_key: &key,
        memo: remark,
        reverses: None,
    };
    match ledger::transfer_once(conn, &req, caller) {
        Ok((t, false)) => Ok(FundsOutcome::Done { transfer_id: t.id }),
        Ok((t, true)) => {
            audit::record(
                conn,
                caller,
                Entry::new(direction.action(), "organization", reseller_id).after(
                    serde_json::json!({
                        "transfer": t.id, "amount": t.amount.to_string(), "remark": remark,
                    }),
                ),
            )?;
            Ok(FundsOutcome::Done { transfer_id: t.id })
        }
        Err(LedgerError::InsufficientFunds { available }) => {
            Ok(FundsOutcome::NotEnough { available })
        }
        Err(e) => Err(e.into()),
    }
}

/// One allocation or reclaim as both sides list it.
#[derive(Debug, Clone)]
pub struct FundsLine {
    pub id: i64,
    pub direction: Direction,
    pub amount: Decimal,
    pub remark: String,
    pub by: Option<String>,
    pub at: DateTime<Utc>,
}

pub struct FundsHistory {
    pub rows: Vec<FundsLine>,
    pub next: Option<String>,
}

/// The allocations and reclaims of one reseller, newest first, keyset-paged by id. Read from
/// the reseller's side, so the reseller's own admins read the same lines (`for_reseller`).
fn history_of(
    conn: &mut PgConnection,
    reseller: OrgId,
    before: Option<i64>,
    size: i64,
) -> ServiceResult<FundsHistory> {
    let account = ledger::accounts::find_for_org(conn, reseller.get(), AccountKind::PartnerCash)?;
    history_of_account(conn, account.map(|a| a.id), before, size)
}

/// The allocations and reclaims to and from one cash account (none while it is not opened).
fn history_of_account(
    conn: &mut PgConnection,
    account: Option<i64>,
    before: Option<i64>,
    size: i64,
) -> ServiceResult<FundsHistory> {
    let Some(account) = account else {
        return Ok(FundsHistory {
            rows: vec![],
            next: None,
        });
    };
    let mut query = ledger_transfers::table
        .left_join(users::table.on(ledger_transfers::actor_user_id.eq(users::id.nullable())))
        .filter(crate::db::constant_sql::words_are_one_of(
            "ledger_transfers",
            "kind",
            &[ALLOCATION_KIND, RECLAIM_KIND],
        ))
        // The account as a value learnt at run time: as a parameter, PostgreSQL planned the
        // statement again on every view (`pg_prepared_statements`: 0 generic plans of 8).
        .filter(
            ledger_transfers::to_account_id
                .eq(at_run_time(account))
                .or(ledger_transfers::from_account_id.eq(at_run_time(account))),
        )
        .into_boxed();
    if let Some(id) = before {
        query = query.filter(ledger_transfers::id.lt(at_run_time(id)));
    }
    let query = query.order(ledger_transfers::id.desc()).select((
        ledger_transfers::id,
        ledger_transfers::to_account_id,
        ledger_transfers::amount,
        ledger_transfers::memo,
        users::display_name.nullable(),
        ledger_transfers::created_at,
    ));
    type Row = (i64, i64, Decimal, String, Option<String>, DateTime<Utc>);
    let mut rows: Vec<Row> = limited(query, size + 1).load(conn)?;
    let next = take_page(&mut rows, size, |r| r.0.to_string());
    Ok(FundsHistory {
        rows: rows
            .into_iter()
            .map(|(id, to, amount, remark, by, at)| FundsLine {
                id,
                direction: if to == account {
                    Direction::Allocate
                } else {
                    Direction::Reclaim
                },
                amount,
                remark,
                by,
                at,
            })
            .collect(),
        next,
    })
}

/// rule R3: one of the distributor's resellers as the list shows it, with its funds history
/// (three statements: the reseller, its customer count, the history page).
pub fn detail(
    conn: &mut PgConnection,
    caller: &Caller,
    reseller_id: i64,
    before: Option<i64>,
    size: i64,
) -> ServiceResult<(super::list::ResellerLine, FundsHistory)> {
    let line = super::list::one(conn, caller, reseller_id)?;
    let history = history_of_account(conn, line.account_id, before, size)?;
    Ok((line, history))
}

/// A reseller admin's view: its distributor's name and what that distributor allocated and
/// reclaimed.
pub fn for_reseller(
    conn: &mut PgConnection,
    caller: &Caller,
    before: Option<i64>,
    size: i64,
) -> ServiceResult<(String, FundsHistory)> {
    use crate::db::schema::organizations;
    let member = caller.member()?;
    member.require_admin()?;
    if member.org_kind != crate::domain::OrgKind::Reseller {
        return Err(ServiceError::Forbidden);
    }
    let parent = diesel::alias!(organizations as parent);
    let distributor: Option<String> = organizations::table
        .inner_join(
            parent.on(organizations::parent_id.eq(parent.field(organizations::id).nullable())),
        )
        .filter(organizations::id.eq(member.org_id))
        .select(parent.field(organizations::name))
        .first(conn)
        .optional()?;
    Ok((
        distributor.unwrap_or_default(),
        history_of(conn, member.org_id, before, size)?,
    ))
}
