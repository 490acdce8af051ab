//! Ledger benchmark (`scripts/bench ledger`): transfers per second with every worker draining
//! one account, and spread over many accounts; then `ledger verify` over 1,000,000 entries.
//! Works in its own database (`PC_BENCH_DATABASE_URL`, default `pc_bench_ledger`), which it
//! drops and recreates on every run.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use diesel::prelude::*;
use partner_center::db::{self, Pool};
use partner_center::domain::Caller;
use partner_center::domain::Money;
use partner_center::ledger::{self, AccountKind, TransferRequest};
use rand::Rng;

const TARGET_SPREAD_PER_SEC: f64 = 2_000.0;
const TARGET_VERIFY_SECS: f64 = 10.0;

fn env_or(key: &str, default: u64) -> u64 {
    std::env::var(key)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn actor() -> Caller {
    let mut caller = Caller::system("bench");
    caller.meta.request_id = "bench".into();
    caller
}

fn main() -> anyhow::Result<()> {
    // `cargo bench` passes `--bench`; nothing else is expected.
    let url = std::env::var("PC_BENCH_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/pc_bench_ledger".into());
    let pool_size = env_or("PC_BENCH_POOL", 8) as u32;
    let workers = env_or("PC_BENCH_WORKERS", 16) as usize;
    let accounts = env_or("PC_BENCH_ACCOUNTS", 1_000).max(2) as i64;
    let single_n = env_or("PC_BENCH_SINGLE", 5_000);
    let spread_n = env_or("PC_BENCH_SPREAD", 20_000);
    let verify_entries = env_or("PC_BENCH_VERIFY_ENTRIES", 1_000_000) as i64;

    recreate(&url)?;
    // Like `db::build_pool`, but without r2d2's `SELECT 1` on every checkout, which would
    // measure the pool rather than the ledger (PC_BENCH_CHECKOUT_TEST=1 puts it back).
    let pool = diesel::r2d2::Pool::builder()
        .max_size(pool_size)
        .test_on_check_out(env_or("PC_BENCH_CHECKOUT_TEST", 0) == 1)
        // Reached as the app reaches a loopback database (no TLS), like the yardstick.
        .build(diesel::r2d2::ConnectionManager::new(
            db::without_loopback_tls(&url),
        ))?;
    let ids = open_accounts(&mut *pool.get()?, accounts)?;
    println!("ledger bench: {accounts} accounts, {workers} workers over a pool of {pool_size}");

    let source = ids[0];
    let single = run(
        &pool,
        workers,
        single_n,
        "single",
        move |rng, ids| (source, rng.gen_range(1..ids.len())),
        &ids,
    )?;
    println!(
        "single-account contention: {single_n} transfers in {:.2}s = {:.0} transfers/s",
        single.0, single.1
    );
    let spread = run(
        &pool,
        workers,
        spread_n,
        "spread",
        move |rng, ids| {
            let from = rng.gen_range(0..ids.len());
            let mut to = rng.gen_range(0..ids.len() - 1);
            if to >= from {
                to += 1;
            }
            (ids[from], to)
        },
        &ids,
    )?;
    println!(
        "spread-out accounts: {spread_n} transfers in {:.2}s = {:.0} transfers/s (target ≥ {TARGET_SPREAD_PER_SEC:.0})",
        spread.0, spread.1
    );

    verdict(
        "ledger spread-out transfers",
        spread.1 >= TARGET_SPREAD_PER_SEC,
        &format!("{:.0}/s, target ≥ {TARGET_SPREAD_PER_SEC:.0}/s", spread.1),
    );
    if verify_entries == 0 {
        return Ok(());
    }
    let mut conn = pool.get()?;
    let loaded = Instant::now();
    bulk_load(&mut conn, verify_entries)?;
    println!(
        "bulk-loaded up to {verify_entries} entries in {:.1}s",
        loaded.elapsed().as_secs_f64()
    );
    let report = ledger::verify::run(&mut conn)?;
    println!(
        "verify: {} entries, {} accounts in {:.2}s (target < {TARGET_VERIFY_SECS:.0}s): {}",
        report.entries_checked,
        report.accounts_checked,
        report.seconds,
        if report.ok() { "ledger OK" } else { "MISMATCH" }
    );
    verdict(
        "ledger verify",
        report.seconds < TARGET_VERIFY_SECS
            && report.entries_checked >= verify_entries
            && report.ok(),
        &format!(
            "{} entries in {:.2}s, target < {TARGET_VERIFY_SECS:.0}s",
            report.entries_checked, report.seconds
        ),
    );
    Ok(())
}

/// The PASS/FAIL line every benchmark prints (see scripts/bench.d/common.sh).
fn verdict(name: &str, pass: bool, detail: &str) {
    println!("{} {name} ({detail})", if pass { "PASS" } else { "FAIL" });
}

fn recreate(url: &str) -> anyhow::Result<()> {
    let (admin, name) = db::split_database_url(url)?;
    let mut conn = PgConnection::establish(&admin)?;
    diesel::sql_query(format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
        .execute(&mut conn)?;
    db::create_database_if_missing(url)?;
    db::run_migrations(&mut PgConnection::establish(url)?)?;
    Ok(())
}

/// One organisation per account, each cash account funded through the ledger.
fn open_accounts(conn: &mut PgConnection, n: i64) -> anyhow::Result<Vec<i64>> {
    diesel::sql_query(
        "INSERT INTO organizations (name, kind, signing_entity)
         SELECT 'Bench partner ' || g, 'solution_provider', 'Bench entity' FROM generate_series(1, $1) g",
    )
    .bind::<diesel::sql_types::BigInt, _>(n)
    .execute(conn)?;
    let orgs: Vec<i64> = partner_center::db::schema::organizations::table
        .select(partner_center::db::schema::organizations::id)
        .order(partner_center::db::schema::organizations::id)
        .load(conn)?;
    let external = ledger::accounts::platform(conn, AccountKind::External)?;
    let mut ids = Vec::with_capacity(orgs.len());
    for org in orgs {
        let account = ledger::accounts::for_org(conn, org, AccountKind::PartnerCash)?;
        let key = format!("bench-fund-{org}");
        ledger::transfer(
            conn,
            &TransferRequest {
                from: external.id,
                to: account.id,
                amount: Money::parse_positive("1000000").expect("constant"),
                kind: "opening",
                idempotency_key: &key,
                memo: "",
                reverses: None,
            },
            &actor(),
        )?;
        ids.push(account.id);
    }
    Ok(ids)
}

/// Runs `total` transfers of 0.01 on `workers` threads; `pick` chooses (from, index of to).
fn run(
    pool: &Pool,
    workers: usize,
    total: u64,
    label: &'static str,
    pick: impl Fn(&mut rand::rngs::ThreadRng, &[i64]) -> (i64, usize) + Send + Sync + Copy + 'static,
    ids: &[i64],
) -> anyhow::Result<(f64, f64)> {
    let next = Arc::new(AtomicU64::new(0));
    let start = Arc::new(Barrier::new(workers + 1));
    let ids: Arc<Vec<i64>> = Arc::new(ids.to_vec());
    let amount = Money::parse_positive("0.01").expect("constant");
    let handles: Vec<_> = (0..workers)
        .map(|_| {
            let (pool, next, start, ids) = (pool.clone(), next.clone(), start.clone(), ids.clone());
            std::thread::spawn(move || -> anyhow::Result<()> {
                let mut rng = rand::thread_rng();
                let actor = actor();
                start.wait();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= total {
                        return Ok(());
                    }
                    let (from, to) = pick(&mut rng, &ids);
                    let key = format!("{label}-{i}");
                    let mut conn = pool.get()?;
                    ledger::transfer(
                        &mut conn,
                        &TransferRequest {
                            from,
                            to: ids[to],
                            amount,
                            kind: "bench",
                            idempotency_key: &key,
                            memo: "",
                            reverses: None,
                        },
                        &actor,
                    )?;
                }
            })
        })
        .collect();
    start.wait();
    let clock = Instant::now();
    for h in handles {
        h.join().map_err(|_| anyhow::anyhow!("worker panicked"))??;
    }
    let secs = clock.elapsed().max(Duration::from_micros(1)).as_secs_f64();
    Ok((secs, total as f64 / secs))
}

/// Tops the ledger up to `target` entries with SQL alone: transfers from the external
/// account and between cash accounts, two entries each with running balances, and the
/// balances they add up to; then VACUUM ANALYZE, as autovacuum would.
fn bulk_load(conn: &mut PgConnection, target: i64) -> anyhow::Result<()> {
    diesel::sql_query(include_str!("ledger_bulk.sql"))
        .bind::<diesel::sql_types::BigInt, _>(target)
        .execute(conn)?;
    diesel::sql_query(include_str!("ledger_bulk_entries.sql")).execute(conn)?;
    diesel::sql_query(
        "UPDATE ledger_accounts a SET balance = s.balance
         FROM (SELECT account_id, SUM(amount) AS balance FROM ledger_entries GROUP BY account_id) s
         WHERE a.id = s.account_id AND a.balance <> s.balance",
    )
    .execute(conn)?;
    diesel::sql_query("VACUUM ANALYZE ledger_accounts, ledger_transfers, ledger_entries")
        .execute(conn)?;
    Ok(())
}
