//! The fee center's money page, `/fee-center/account` (SPEC §6 "Settlement"): the customer's
//! balance, credit line, open debts and the movements of its balance and credit accounts,
//! newest first, keyset-paged over both accounts' ledger entries. Reads never write: an account
//! not opened shows 0.00 and no movements.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Integer, Nullable, Numeric, Text, Timestamptz};
use rust_decimal::Decimal;

use super::line::{CreditLine, CreditSummary, DEBTS_SHOWN, DebtLine, today};
use crate::domain::Caller;
use crate::ledger::AccountKind;
use crate::services::ServiceResult;
use crate::services::keyset::{SIZES, offered_size, take_page};

/// One movement of the balance or the credit line.
#[derive(Clone, Debug)]
pub struct Movement {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub account_id: i64,
    pub kind: String,
    pub memo: String,
    /// Negative when money left the account.
    pub amount: Decimal,
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

/// The whole page in one round trip, its four reads told apart by `part`:
/// 0. the customer's balance and credit accounts (`amount` the balance, `other` the limit);
/// 1. the oldest `DEBTS_SHOWN` open debts (`amount`, `other` repaid, `due_on`, `at` arisen);
/// 2. one row when some open debt is past its due day, listed or not (欠费);
/// 3. a page of the newest movements below the cursor (`other` the balance after), the two
///    accounts' entries merged: two walks of the `(account_id, id)` index, so a page costs the
///    same however long the history.
///
/// `$rows` is the page size plus one. The cursor is learnt at run time and the limits are
/// numbers of the text, so PostgreSQL keeps one generic plan per page size (as `LIMIT $n` and
/// `id < $n` the statement was planned on every view, README "Where the time goes").
macro_rules! page_sql {
    ($rows:literal) => {
        concat!(
            "WITH acc AS MATERIALIZED (
  SELECT id, kind, balance, credit_limit FROM ledger_accounts
   WHERE owner_customer_id = $1 AND kind IN ('customer_balance', 'customer_credit'))
SELECT 0 AS part, a.id, a.kind AS word, '' AS memo, a.balance AS amount, a.credit_limit AS other,
       NULL::date AS due_on, NULL::timestamptz AS at, a.id AS account_id
  FROM acc a
UNION ALL
SELECT 1, d.id, d.kind, '', d.amount, d.repaid, d.due_on, d.created_at, NULL
  FROM (SELECT id, kind, amount, repaid, due_on, created_at FROM debts
         WHERE customer_id = $1 AND settled_at IS NULL
         ORDER BY created_at, id LIMIT 20) d
UNION ALL
SELECT 2, NULL, '', '', 0, NULL, NULL, NULL, NULL
 WHERE EXISTS (SELECT 1 FROM debts
                WHERE customer_id = $1 AND ",
            $crate::services::credit::arrears::overdue_debt!(),
            "$3)
UNION ALL
SELECT 3, m.id, m.kind, m.memo, m.amount, m.balance_after, NULL, m.at, m.account_id FROM (
  (SELECT e.id, e.created_at AS at, e.account_id, t.kind, t.memo, e.amount, e.balance_after
     FROM ledger_entries e JOIN ledger_transfers t ON t.id = e.transfer_id
    WHERE e.account_id = (SELECT id FROM acc WHERE kind = 'customer_balance')
      AND e.id < (SELECT $2::bigint) ORDER BY e.id DESC LIMIT ", $rows, ")
  UNION ALL
  (SELECT e.id, e.created_at AS at, e.account_id, t.kind, t.memo, e.amount, e.balance_after
     FROM ledger_entries e JOIN ledger_transfers t ON t.id = e.transfer_id
    WHERE e.account_id = (SELECT id FROM acc WHERE kind = 'customer_credit')
      AND e.id < (SELECT $2::bigint) ORDER BY e.id DESC LIMIT ", $rows, ")
  ORDER BY id DESC LIMIT ", $rows, ") m"
        )
    };
}
const _: () = assert!(
    DEBTS_SHOWN == 20,
    "the page's statement lists DEBTS_SHOWN debts"
);
const _: () = assert!(SIZES[0] == 20 && SIZES[1] == 50 && SIZES[2] == 100);

/// The statement for a page of `size` movements (one of `keyset::SIZES`).
fn page_sql(size: i64) -> &'static str {
    match size {
        50 => page_sql!("51"),
        100 => page_sql!("101"),
        _ => page_sql!("21"),
    }
}

#[derive(QueryableByName)]
struct PageRow {
    #[diesel(sql_type = Integer)]
    part: i32,
    #[diesel(sql_type = Nullable<BigInt>)]
    id: Option<i64>,
    #[diesel(sql_type = Text)]
    word: String,
    #[diesel(sql_type = Text)]
    memo: String,
    #[diesel(sql_type = Numeric)]
    amount: Decimal,
    #[diesel(sql_type = Nullable<Numeric>)]
    other: Option<Decimal>,
    #[diesel(sql_type = Nullable<Date>)]
    due_on: Option<NaiveDate>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    at: Option<DateTime<Utc>>,
    #[diesel(sql_type = Nullable<BigInt>)]
    account_id: Option<i64>,
}

/// The signed-in customer's money page with `size` movements (SPEC §6 "List queries": 20 by
/// default, 50 or 100); `before` is the cursor of older movements.
pub fn of_customer(
    conn: &mut PgConnection,
    caller: &Caller,
    before: Option<i64>,
    size: i64,
) -> ServiceResult<CustomerAccount> {
    let customer_id = caller.customer_id()?.get();
    let today = today();
    let size = offered_size(Some(size));
    let rows: Vec<PageRow> = crate::db::prepared::sql_query(page_sql(size))
        .bind::<BigInt, _>(customer_id)
        .bind::<BigInt, _>(before.unwrap_or(i64::MAX))
        .bind::<Date, _>(today)
        .load(conn)?;
    let mut page = CustomerAccount {
        balance: Decimal::ZERO,
        credit: CreditSummary::default(),
        credit_account: None,
        movements: Vec::new(),
        next: None,
    };
    for r in rows {
        match (r.part, r.id, r.at) {
            (0, Some(id), _) if r.word == AccountKind::CustomerCredit.as_str() => {
                page.credit.line = CreditLine::of(r.amount, r.other);
                page.credit_account = Some(id);
            }
            (0, _, _) => page.balance = r.amount,
            (1, Some(id), Some(arose_at)) => page.credit.debts.push(DebtLine::as_of(
                (id, r.word, r.amount, r.other.unwrap_or_default()),
                r.due_on.unwrap_or(today),
                arose_at,
                today,
            )),
            (2, _, _) => page.credit.in_arrears = true,
            (3, Some(id), Some(at)) => page.movements.push(Movement {
                id,
                at,
                account_id: r.account_id.unwrap_or_default(),
                kind: r.word,
                memo: r.memo,
                amount: r.amount,
                balance_after: r.other.unwrap_or_default(),
            }),
            _ => {}
        }
    }
    // The parts arrive in the order of the statement; each list is put in its own order here.
    page.credit.debts.sort_by_key(|d| (d.arose_at, d.id));
    page.movements.sort_by_key(|m| std::cmp::Reverse(m.id));
    page.next = take_page(&mut page.movements, size, |m| m.id.to_string());
    Ok(page)
}
