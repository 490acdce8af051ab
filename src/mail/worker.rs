//! The background loop of one instance: delivers due mail (picking new messages up within a
//! second, or at once when this instance enqueued them) and runs periodic housekeeping jobs.

use std::sync::Arc;
use std::time::{Duration, Instant};

use lettre::message::Mailbox;
use tokio::sync::Notify;

use super::outbox::{self, OutboxMessage};
use super::transport::Transport;
use crate::db::Pool;

const POLL: Duration = Duration::from_millis(1000);
const BATCH: i64 = 20;
const HOUSEKEEPING_EVERY: Duration = Duration::from_secs(60);

pub struct Worker {
    pub pool: Pool,
    pub transport: Transport,
    pub from: Mailbox,
    pub retry_base: Duration,
    pub wake: Arc<Notify>,
    /// The periodic jobs the worker loop runs every minute; the application decides which.
    pub housekeeping: Housekeeping,
}

/// Periodic work handed to the worker loop by whoever starts it.
pub type Housekeeping = Arc<dyn Fn(&Pool) + Send + Sync>;

impl Worker {
    pub async fn run(self) {
        let mut last_housekeeping = Instant::now() - HOUSEKEEPING_EVERY;
        loop {
            if last_housekeeping.elapsed() >= HOUSEKEEPING_EVERY {
                last_housekeeping = Instant::now();
                self.housekeeping().await;
            }
            let delivered = self.deliver_due().await;
            if delivered == 0 {
                let _ = tokio::time::timeout(POLL, self.wake.notified()).await;
            }
        }
    }

    async fn housekeeping(&self) {
        let (pool, jobs) = (self.pool.clone(), self.housekeeping.clone());
        let res = actix_web::web::block(move || jobs(&pool)).await;
        if let Err(e) = res {
            tracing::warn!(error = %e, "housekeeping did not run");
        }
    }

    /// Returns how many messages were attempted.
    pub async fn deliver_due(&self) -> usize {
        let pool = self.pool.clone();
        let claimed = actix_web::web::block(move || -> anyhow::Result<Vec<OutboxMessage>> {
            let mut conn = pool.get()?;
            Ok(outbox::claim_due(&mut conn, BATCH)?)
        })
        .await;
        let messages = match claimed {
            Ok(Ok(m)) => m,
            Ok(Err(e)) => {
                tracing::warn!(error = %e, "could not read the outbox");
                return 0;
            }
            Err(e) => {
                tracing::warn!(error = %e, "outbox task failed");
                return 0;
            }
        };
        let count = messages.len();
        for msg in messages {
            let result = self.transport.send(&self.from, &msg).await;
            let (pool, base) = (self.pool.clone(), self.retry_base);
            let outcome = actix_web::web::block(move || -> anyhow::Result<()> {
                let mut conn = pool.get()?;
                match result {
                    Ok(()) => {
                        tracing::info!(id = msg.id, kind = %msg.kind, "mail delivered");
                        outbox::mark_sent(&mut conn, msg.id)?
                    }
                    Err(e) => {
                        tracing::warn!(id = msg.id, attempt = msg.attempts, error = %format!("{e:#}"), "mail delivery failed; will retry");
                        outbox::mark_failed(&mut conn, &msg, &format!("{e:#}"), base)?
                    }
                }
                Ok(())
            })
            .await;
            if let Ok(Err(e)) | Err(e) = outcome.map_err(anyhow::Error::from) {
                tracing::warn!(error = %e, "could not record a delivery outcome");
            }
        }
        count
    }
}
