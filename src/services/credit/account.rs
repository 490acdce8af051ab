//! The fee center's money page, `/fee-center/account` (SPEC §6 "Settlement"): the customer's
//! balance, credit line, open debts and the movements of its balance and credit accounts,
//! newest first, keyset-paged over both accounts' ledger entries. Reads never write: an account
//! not opened shows 0.00 and no movements.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Numeric, Text, Timestamptz};
use rust_decimal::Decimal;

use super::line::{self, CreditLine, CreditSummary, today};
use crate::db::schema::ledger_accounts;
use crate::domain::Caller;
use crate::ledger::AccountKind;
use crate::services::ServiceResult;
use crate::services::keyset::{LOG_SIZE, take_page};

/// One movement of the balance or the credit line.
#[derive(QueryableByName, Clone, Debug)]
pub struct Movement {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Timestamptz)]
    pub at: DateTime<Utc>,
    #[diesel(sql_type = BigInt)]
    pub account_id: i64,
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = Text)]
    pub memo: String,
    /// Negative when money left the account.
    #[diesel(sql_type = Numeric)]
    pub amount: Decimal,
    #[diesel(sql_type = Numeric)]
    pub balance_after: Decimal,
}

pub struct CustomerAccount {
    pub balance: Decimal,
    pub credit: CreditSummary,
    /// The credit account's id, to tell its movements from the balance's.
    pub credit_account: Option<i64>,
    pub movements: Vec<Movement>,
    pub next: Option<String>,
}

/// The balance and credit accounts' newest entries below the cursor, merged: two walks of the
/// `(account_id, id)` index, so a page costs the same however long the history. The cursor is
/// learnt at run time and the page size (`LOG_SIZE + 1`) is a number of the text, so PostgreSQL
/// keeps one generic plan (as `LIMIT $n` and `id < $n` the statement was planned on every view,
/// README "Where the time goes").
const MOVEMENTS: &str = "
SELECT * FROM (
  (SELECT e.id, e.created_at AS at, e.account_id, t.kind, t.memo, e.amount, e.balance_after
     FROM ledger_entries e JOIN ledger_transfers t ON t.id = e.transfer_id
    WHERE e.account_id = $1 AND e.id < (SELECT $3::bigint) ORDER BY e.id DESC LIMIT 51)
  UNION ALL
  (SELECT e.id, e.created_at AS at, e.account_id, t.kind, t.memo, e.amount, e.balance_after
     FROM ledger_entries e JOIN ledger_transfers t ON t.id = e.transfer_id
    WHERE e.account_id = $2 AND e.id < (SELECT $3::bigint) ORDER BY e.id DESC LIMIT 51)
) m ORDER BY id DESC LIMIT 51";
const _: () = assert!(LOG_SIZE + 1 == 51, "MOVEMENTS reads LOG_SIZE + 1 rows");

/// The signed-in customer's money page; `before` is the cursor of older movements.
pub fn of_customer(
    conn: &mut PgConnection,
    caller: &Caller,
    before: Option<i64>,
) -> ServiceResult<CustomerAccount> {
    let customer_id = caller.customer_id()?.get();
    let accounts: Vec<(i64, String, Decimal, Option<Decimal>)> = ledger_accounts::table
        .filter(ledger_accounts::owner_customer_id.eq(customer_id))
        .filter(crate::ledger::accounts::customer_money_kinds())
        .select((
            ledger_accounts::id,
            ledger_accounts::kind,
            ledger_accounts::balance,
            ledger_accounts::credit_limit,
        ))
        .load(conn)?;
    let find = |kind: AccountKind| accounts.iter().find(|a| a.1 == kind.as_str());
    let balance_account = find(AccountKind::CustomerBalance);
    let credit_account = find(AccountKind::CustomerCredit);
    let today = today();
    let credit = CreditSummary {
        line: credit_account.map_or_else(CreditLine::default, |a| CreditLine::of(a.2, a.3)),
        ..line::summary_debts(conn, customer_id, today)?
    };
    let mut movements: Vec<Movement> = crate::db::prepared::sql_query(MOVEMENTS)
        .bind::<BigInt, _>(balance_account.map_or(0, |a| a.0))
        .bind::<BigInt, _>(credit_account.map_or(0, |a| a.0))
        .bind::<BigInt, _>(before.unwrap_or(i64::MAX))
        .load(conn)?;
    let next = take_page(&mut movements, LOG_SIZE, |m| m.id.to_string());
    Ok(CustomerAccount {
        balance: balance_account.map_or(Decimal::ZERO, |a| a.2),
        credit,
        credit_account: credit_account.map(|a| a.0),
        movements,
        next,
    })
}
