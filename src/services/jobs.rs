//! Periodic work run by every instance's worker loop (each job must be safe to run on several
//! instances at once: they work with row locks or idempotent deletes).

use std::time::Duration;

use diesel::PgConnection;

use crate::db::Pool;

pub type Job = fn(&mut PgConnection) -> anyhow::Result<()>;

#[derive(Clone)]
pub struct Jobs {
    jobs: Vec<(&'static str, Job)>,
}

impl Default for Jobs {
    fn default() -> Self {
        Jobs {
            jobs: vec![
                ("purge old sign-in and reveal counters", purge),
                ("expire coupons and quota grants", expire_coupons),
                ("issue last month's bills", issue_bills),
                ("cancel orders left unpaid", expire_orders),
                ("fold the shards of performance totals", fold_performance),
            ],
        }
    }
}

impl Jobs {
    pub fn with(mut self, name: &'static str, job: Job) -> Self {
        self.jobs.push((name, job));
        self
    }

    pub fn run_all(&self, pool: &Pool) {
        for (name, job) in &self.jobs {
            let result = pool
                .get()
                .map_err(anyhow::Error::from)
                .and_then(|mut conn| job(&mut conn));
            if let Err(e) = result {
                tracing::warn!(job = name, error = %format!("{e:#}"), "periodic job failed");
            }
        }
    }
}

fn purge(conn: &mut PgConnection) -> anyhow::Result<()> {
    crate::auth::throttle::purge_old(conn)?;
    Ok(())
}

/// rules K2a, K3: coupons and grants past their validity.
fn expire_coupons(conn: &mut PgConnection) -> anyhow::Result<()> {
    let caller = crate::domain::Caller::system("coupon-expiry");
    crate::services::coupons::recover::expire_due(conn, &caller)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(())
}

/// rule B2: last month's bills, once, from the 2nd of the month.
fn issue_bills(conn: &mut PgConnection) -> anyhow::Result<()> {
    let caller = crate::domain::Caller::system("monthly-bills");
    if let Some(done) = crate::services::billing::issue::issue_due(conn, &caller)
        .map_err(|e| anyhow::anyhow!("{e}"))?
    {
        tracing::info!(
            bills = done.bills,
            skipped = done.skipped,
            "monthly bills issued"
        );
    }
    Ok(())
}
/// rule P1: orders unpaid for 7 days are cancelled.
fn expire_orders(conn: &mut PgConnection) -> anyhow::Result<()> {
    let caller = crate::domain::Caller::system("order-expiry");
    crate::services::orders::jobs::expire_unpaid(conn, &caller)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(())
}

/// rule C5: the dashboard reads about one performance row per manager and month.
fn fold_performance(conn: &mut PgConnection) -> anyhow::Result<()> {
    crate::services::dashboard::fold_shards(conn)?;
    Ok(())
}

/// How long provisioning takes once woken, and how often the loop sweeps for paid orders
/// nobody woke it for (paid on another instance, or through a service call).
pub const PROVISION_DELAY: Duration = Duration::from_secs(1);
pub const PROVISION_SWEEP: Duration = Duration::from_secs(60);

/// rule P1: the provisioning loop every instance runs beside the mail worker: woken by a
/// payment on this instance (or every `PROVISION_SWEEP`), it completes the `processing`
/// orders (claimed with `SKIP LOCKED`, so instances share the work). Idle, it costs one
/// indexed read a minute.
pub async fn provision_forever(pool: Pool, wake: std::sync::Arc<tokio::sync::Notify>) {
    loop {
        let pool = pool.clone();
        let ran = tokio::task::spawn_blocking(move || -> anyhow::Result<usize> {
            let mut conn = pool.get()?;
            let caller = crate::domain::Caller::system("provisioning");
            crate::services::orders::jobs::complete_processing(&mut conn, &caller)
                .map_err(|e| anyhow::anyhow!("{e}"))
        })
        .await;
        match ran {
            Ok(Err(e)) => tracing::warn!(error = %format!("{e:#}"), "provisioning failed"),
            Err(e) => tracing::warn!(error = %e, "provisioning did not run"),
            Ok(Ok(_)) => {}
        }
        if tokio::time::timeout(PROVISION_SWEEP, wake.notified())
            .await
            .is_ok()
        {
            tokio::time::sleep(PROVISION_DELAY).await;
        }
    }
}
