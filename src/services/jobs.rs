//! Periodic work run by every instance's worker loop (each job must be safe to run on several
//! instances at once: they work with row locks or idempotent deletes).

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
