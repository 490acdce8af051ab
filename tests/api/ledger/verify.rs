//! `partner-center ledger verify`: passes on a healthy ledger, finds tampered balances and
//! broken transfers, exits non-zero, and records every result for the operator console.

use diesel::prelude::*;
use partner_center::config::Settings;
use partner_center::ledger;

use crate::ledger::helpers::*;

fn settings(url: &str) -> Settings {
    let url = url.to_string();
    Settings::from_lookup(move |k| (k == "DATABASE_URL").then(|| url.clone())).unwrap()
}

fn verify_cli(url: &str) -> std::process::ExitStatus {
    std::process::Command::new(env!("CARGO_BIN_EXE_partner-center"))
        .args(["ledger", "verify"])
        .env("DATABASE_URL", url)
        .env("RUST_LOG", "warn")
        .output()
        .expect("the binary runs")
        .status
}

#[tokio::test]
async fn verify_passes_on_a_healthy_ledger_and_records_the_result() {
    let l = ledger_db().await;
    let mut conn = l.conn();
    let (a, b) = funded_pair(&mut conn, "10.00");
    move_money(&mut conn, a, b, "2.50", "healthy").unwrap();
    let report = ledger::verify::run(&mut conn).unwrap();
    assert!(report.ok(), "{:?}", report.problems);
    assert!(report.entries_checked >= 4 && report.accounts_checked >= 3);
    let last = ledger::verify::last(&mut conn).unwrap().expect("recorded");
    assert!(last.ok);
    assert_eq!(last.entries_checked, report.entries_checked);
    let url = l.db.url.clone();
    let code = tokio::task::spawn_blocking(move || {
        partner_center::cli::run(&settings(&url), &["ledger".into(), "verify".into()]).unwrap()
    })
    .await
    .unwrap();
    assert_eq!(code, 0);
    assert!(verify_cli(&l.db.url).success());
    assert_eq!(
        l.count("SELECT count(*) AS n FROM ledger_verifications WHERE ok"),
        3
    );
}

#[tokio::test]
async fn a_tampered_balance_is_reported_and_the_command_exits_non_zero() {
    let l = ledger_db().await;
    let mut conn = l.conn();
    let a = open_account(&mut conn);
    fund(&mut conn, a, "10.00");
    diesel::sql_query(format!(
        "UPDATE ledger_accounts SET balance = balance + 1 WHERE id = {a}"
    ))
    .execute(&mut conn)
    .unwrap();
    let report = ledger::verify::run(&mut conn).unwrap();
    assert!(!report.ok());
    assert_eq!(report.problems.len(), 1, "{:?}", report.problems);
    assert!(
        report.problems[0].contains(&format!("account {a}")),
        "{:?}",
        report.problems
    );
    assert!(report.summary().contains("MISMATCH"));
    let last = ledger::verify::last(&mut conn).unwrap().unwrap();
    assert!(!last.ok);
    assert!(
        last.problems
            .contains(&format!("account {a}: balance 11.00")),
        "{}",
        last.problems
    );
    let status = verify_cli(&l.db.url);
    assert_eq!(status.code(), Some(1));
    assert_eq!(
        l.count("SELECT count(*) AS n FROM ledger_verifications WHERE NOT ok"),
        2
    );
}

#[tokio::test]
async fn an_entry_written_outside_a_transfer_is_reported() {
    let l = ledger_db().await;
    let mut conn = l.conn();
    let (a, b) = (open_account(&mut conn), open_account(&mut conn));
    let t = fund(&mut conn, a, "10.00");
    // A third entry on an existing transfer, with the balance "kept in step" by hand.
    diesel::sql_query(format!(
        "INSERT INTO ledger_entries (transfer_id, account_id, amount, balance_after) \
         VALUES ({}, {b}, 5, 5)",
        t.id
    ))
    .execute(&mut conn)
    .unwrap();
    diesel::sql_query(format!(
        "UPDATE ledger_accounts SET balance = 5 WHERE id = {b}"
    ))
    .execute(&mut conn)
    .unwrap();
    let report = ledger::verify::run(&mut conn).unwrap();
    assert!(!report.ok());
    assert!(
        report
            .problems
            .iter()
            .any(|p| p == &format!("transfer {}: has 3 entries", t.id)),
        "{:?}",
        report.problems
    );
}
