//! `partner-center ledger verify`: recomputes every balance from its entries and checks that
//! every transfer is exactly two entries summing to zero that match the transfer. The result
//! is stored so the operator console can show it.

use std::time::Instant;

use chrono::Utc;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Numeric, Text};
use rust_decimal::Decimal;

use crate::db::schema::ledger_verifications;

pub struct Report {
    pub accounts_checked: i64,
    pub entries_checked: i64,
    pub problems: Vec<String>,
    pub seconds: f64,
}

impl Report {
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }

    pub fn summary(&self) -> String {
        format!(
            "ledger verify: {} — {} accounts, {} entries, {} problem(s), {:.2}s",
            if self.ok() { "OK" } else { "MISMATCH" },
            self.accounts_checked,
            self.entries_checked,
            self.problems.len(),
            self.seconds
        )
    }
}

#[derive(QueryableByName)]
struct BalanceMismatch {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Numeric)]
    balance: Decimal,
    #[diesel(sql_type = Numeric)]
    computed: Decimal,
}

#[derive(QueryableByName)]
struct BadTransfer {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    reason: String,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// Keeps the report readable when something is badly wrong.
const MAX_LISTED: i64 = 100;

/// Every transfer must have exactly two entries: the amount leaving `from` and the same
/// amount arriving at `to`.
const TRANSFERS: &str = "
SELECT t.id,
       CASE WHEN COALESCE(e.n, 0) <> 2 THEN 'has ' || COALESCE(e.n, 0) || ' entries'
            WHEN e.total <> 0 THEN 'entries sum to ' || e.total
            ELSE 'entries do not match the transfer' END AS reason
FROM ledger_transfers t
LEFT JOIN (SELECT transfer_id, count(*) AS n, SUM(amount) AS total,
                  MAX(CASE WHEN amount < 0 THEN account_id END) AS debited,
                  MAX(CASE WHEN amount > 0 THEN account_id END) AS credited,
                  MAX(amount) AS credit
           FROM ledger_entries GROUP BY transfer_id) e ON e.transfer_id = t.id
WHERE COALESCE(e.n, 0) <> 2 OR e.total <> 0 OR e.credit <> t.amount
   OR e.debited IS DISTINCT FROM t.from_account_id
   OR e.credited IS DISTINCT FROM t.to_account_id
ORDER BY t.id LIMIT $1";

/// Every balance must equal the sum of its account's entries.
const BALANCES: &str = "
SELECT a.id, a.balance, COALESCE(s.total, 0) AS computed
FROM ledger_accounts a
LEFT JOIN (SELECT account_id, SUM(amount) AS total FROM ledger_entries GROUP BY account_id) s
       ON s.account_id = a.id
WHERE a.balance <> COALESCE(s.total, 0)
ORDER BY a.id LIMIT $1";

pub fn run(conn: &mut PgConnection) -> QueryResult<Report> {
    let started_at = Utc::now();
    let clock = Instant::now();
    // One consistent snapshot for all checks.
    let report = conn
        .build_transaction()
        .repeatable_read()
        .read_only()
        .run(|conn| {
            let accounts: Count =
                diesel::sql_query("SELECT count(*) AS n FROM ledger_accounts").get_result(conn)?;
            let entries: Count =
                diesel::sql_query("SELECT count(*) AS n FROM ledger_entries").get_result(conn)?;
            let balances: Vec<BalanceMismatch> = diesel::sql_query(BALANCES)
                .bind::<BigInt, _>(MAX_LISTED)
                .load(conn)?;
            let transfers: Vec<BadTransfer> = diesel::sql_query(TRANSFERS)
                .bind::<BigInt, _>(MAX_LISTED)
                .load(conn)?;
            let mut problems: Vec<String> = balances
                .iter()
                .map(|b| {
                    format!(
                        "account {}: balance {} but entries sum to {}",
                        b.id, b.balance, b.computed
                    )
                })
                .collect();
            problems.extend(
                transfers
                    .iter()
                    .map(|t| format!("transfer {}: {}", t.id, t.reason)),
            );
            Ok::<_, diesel::result::Error>(Report {
                accounts_checked: accounts.n,
                entries_checked: entries.n,
                problems,
                seconds: 0.0,
            })
        })?;
    let report = Report {
        seconds: clock.elapsed().as_secs_f64(),
        ..report
    };
    diesel::insert_into(ledger_verifications::table)
        .values((
            ledger_verifications::started_at.eq(started_at),
            ledger_verifications::finished_at.eq(Utc::now()),
            ledger_verifications::ok.eq(report.ok()),
            ledger_verifications::accounts_checked.eq(report.accounts_checked),
            ledger_verifications::entries_checked.eq(report.entries_checked),
            ledger_verifications::problems.eq(report.problems.join("\n")),
        ))
        .execute(conn)?;
    Ok(report)
}

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = ledger_verifications)]
pub struct Verification {
    pub id: i64,
    pub started_at: chrono::DateTime<Utc>,
    pub finished_at: chrono::DateTime<Utc>,
    pub ok: bool,
    pub accounts_checked: i64,
    pub entries_checked: i64,
    pub problems: String,
}

/// The most recent verification, for the operator console.
pub fn last(conn: &mut PgConnection) -> QueryResult<Option<Verification>> {
    ledger_verifications::table
        .order(ledger_verifications::id.desc())
        .select(Verification::as_select())
        .first(conn)
        .optional()
}
