//! Shared set-up of the ledger tests: a fresh database with demo data, a small pool (SPEC §5
//! "Concurrency tests"), and accounts opened and funded through the ledger itself.

use diesel::prelude::*;
use partner_center::domain::Money;
use partner_center::domain::{Caller, RequestMeta};
use partner_center::ledger::{self, AccountKind, Transfer, TransferRequest};
use rust_decimal::Decimal;

use crate::support::db::TestDatabase;
use crate::support::http::Page;
use crate::support::{MailServer, TestApp};

/// The harness's `TestApp` without a running server: these tests drive the ledger directly,
/// so only the database, the pool and the harness's `conn()` and `count()` are used.
pub type LedgerDb = TestApp;

const POOL: u32 = 10;

pub async fn ledger_db() -> LedgerDb {
    // The pool's connections (all opened at once) and the harness's admin connection.
    let db = TestDatabase::create_for(POOL + 1).await;
    // 1,000 tasks queue for 10 connections: on a busy machine the last ones wait a while.
    let pool = diesel::r2d2::Pool::builder()
        .max_size(POOL)
        .connection_timeout(std::time::Duration::from_secs(300))
        .build(diesel::r2d2::ConnectionManager::new(&db.url))
        .expect("pool");
    TestApp {
        address: String::new(),
        port: 0,
        pool,
        mail: MailServer::unstarted(0),
        db,
    }
}

pub fn actor() -> Caller {
    Caller {
        meta: RequestMeta {
            request_id: "test".into(),
            client_ip: "127.0.0.1".into(),
        },
        ..Caller::system("ledger-test@demo.test")
    }
}

pub fn money(raw: &str) -> Money {
    Money::parse_positive(raw).expect("valid amount")
}

pub fn dec(raw: &str) -> Decimal {
    raw.parse().expect("decimal")
}

/// A fresh account with no owner (coupon accounts may exist many times) and a zero balance.
pub fn open_account(conn: &mut PgConnection) -> i64 {
    use partner_center::db::schema::ledger_accounts;
    diesel::insert_into(ledger_accounts::table)
        .values(ledger_accounts::kind.eq("coupon"))
        .returning(ledger_accounts::id)
        .get_result(conn)
        .expect("open account")
}

/// Money entering the platform into `account`.
pub fn fund(conn: &mut PgConnection, account: i64, amount: &str) -> Transfer {
    let external = ledger::accounts::platform(conn, AccountKind::External).unwrap();
    let key = format!("fund-{account}-{}", uuid::Uuid::new_v4());
    ledger::transfer(
        conn,
        &TransferRequest {
            from: external.id,
            to: account,
            amount: money(amount),
            kind: "top_up",
            idempotency_key: &key,
            memo: "",
            reverses: None,
        },
        &actor(),
    )
    .expect("funding")
}

/// Two fresh accounts, the first funded with `amount`.
pub fn funded_pair(conn: &mut PgConnection, amount: &str) -> (i64, i64) {
    let (a, b) = (open_account(conn), open_account(conn));
    fund(conn, a, amount);
    (a, b)
}

pub fn move_money(
    conn: &mut PgConnection,
    from: i64,
    to: i64,
    amount: &str,
    key: &str,
) -> Result<Transfer, ledger::LedgerError> {
    ledger::transfer(
        conn,
        &TransferRequest {
            from,
            to,
            amount: money(amount),
            kind: "test",
            idempotency_key: key,
            memo: "",
            reverses: None,
        },
        &actor(),
    )
}

pub fn balance(conn: &mut PgConnection, account: i64) -> Decimal {
    ledger::accounts::by_id(conn, account).unwrap().balance
}

/// The sum of an account's entries, computed independently of its balance column.
pub fn entries_sum(conn: &mut PgConnection, account: i64) -> Decimal {
    use partner_center::db::schema::ledger_entries;
    ledger_entries::table
        .filter(ledger_entries::account_id.eq(account))
        .select(diesel::dsl::sum(ledger_entries::amount))
        .first::<Option<Decimal>>(conn)
        .unwrap()
        .unwrap_or_default()
}

/// Counts of everything a transfer writes.
pub fn footprint(l: &LedgerDb) -> (i64, i64, i64) {
    (
        l.count("SELECT count(*) AS n FROM ledger_transfers"),
        l.count("SELECT count(*) AS n FROM ledger_entries"),
        l.count("SELECT count(*) AS n FROM audit_log"),
    )
}

/// A response header as text.
pub fn header(page: &Page, name: &str) -> String {
    page.headers
        .get(name)
        .unwrap_or_else(|| panic!("no {name} header"))
        .to_str()
        .unwrap()
        .to_string()
}

/// The data rows of a CSV download, after its byte-order mark.
pub fn csv_rows(page: &Page) -> Vec<csv::StringRecord> {
    csv::Reader::from_reader(page.body.trim_start_matches('\u{feff}').as_bytes())
        .records()
        .map(Result::unwrap)
        .collect()
}
