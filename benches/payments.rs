//! Payments benchmark (`scripts/bench payments`): orders paid per second by their customers,
//! spread over many customers and so over the sharded revenue accounts, each payment with all
//! its transfers (a cash coupon, then the balance) in one commit — the real `pay_self`.
//! Target: ≥ 1,000 payments/s (issue: receiving accounts). Then `ledger verify`. Works in its
//! own database (`PC_BENCH_DATABASE_URL`, default `pc_bench_payments`), dropped and recreated.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::time::Instant;

use diesel::prelude::*;
use partner_center::db;
use partner_center::domain::{Caller, CustomerId, Party, UserId};
use partner_center::services::payments::{self, Choice};

#[path = "payments_setup.rs"]
mod setup;

const TARGET_PER_SEC: f64 = 1_000.0;

fn env_or(key: &str, default: u64) -> u64 {
    std::env::var(key)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() -> anyhow::Result<()> {
    let url = std::env::var("PC_BENCH_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/pc_bench_payments".into());
    let pool_size = env_or("PC_BENCH_POOL", 8) as u32;
    let workers = env_or("PC_BENCH_WORKERS", 16) as usize;
    let customers = env_or("PC_BENCH_CUSTOMERS", 2_000) as i64;
    let payments_n = env_or("PC_BENCH_PAYMENTS", 20_000) as i64;

    recreate(&url)?;
    let pool = diesel::r2d2::Pool::builder()
        .max_size(pool_size)
        .test_on_check_out(false)
        // Reached as the app reaches a loopback database (no TLS), like the yardstick.
        .build(diesel::r2d2::ConnectionManager::new(
            db::without_loopback_tls(&url),
        ))?;
    let orders = setup::run(&mut *pool.get()?, customers, payments_n)?;
    println!(
        "payments bench: {payments_n} orders of {customers} customers, each paid with a cash \
         coupon and the balance; {workers} workers over a pool of {pool_size}"
    );
    let orders = Arc::new(orders);
    let next = Arc::new(AtomicUsize::new(0));
    let start = Arc::new(Barrier::new(workers + 1));
    let handles: Vec<_> = (0..workers)
        .map(|_| {
            let (pool, orders, next, start) =
                (pool.clone(), orders.clone(), next.clone(), start.clone());
            std::thread::spawn(move || -> anyhow::Result<()> {
                start.wait();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(&(order, customer, user, coupon)) = orders.get(i) else {
                        return Ok(());
                    };
                    let caller = Caller::system("bench").as_party(
                        Party::Customer {
                            user_id: UserId(user),
                            customer_id: CustomerId(customer),
                        },
                        "bench@bench.test",
                    );
                    let choice = Choice {
                        voucher_id: None,
                        cash_coupon_ids: vec![coupon],
                    };
                    let mut conn = pool.get()?;
                    payments::pay_self(
                        &mut conn,
                        &caller,
                        order,
                        &choice,
                        &format!("bench-{i:08}"),
                    )
                    .map_err(|e| anyhow::anyhow!("payment {i}: {e:?}"))?;
                }
            })
        })
        .collect();
    start.wait();
    let clock = Instant::now();
    for h in handles {
        h.join().map_err(|_| anyhow::anyhow!("worker panicked"))??;
    }
    let secs = clock.elapsed().as_secs_f64().max(1e-6);
    let rate = payments_n as f64 / secs;
    println!(
        "spread payments: {payments_n} in {secs:.2}s = {rate:.0} payments/s (target ≥ {TARGET_PER_SEC:.0})"
    );
    verdict(
        "payments spread over customers",
        rate >= TARGET_PER_SEC,
        &format!("{rate:.0}/s, target ≥ {TARGET_PER_SEC:.0}/s"),
    );
    let report = partner_center::ledger::verify::run(&mut *pool.get()?)?;
    verdict(
        "ledger verify after the payments",
        report.ok(),
        &format!("{} entries", report.entries_checked),
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
