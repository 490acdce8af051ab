//! Operator console actions (SPEC §5 "Mail", "Ledger"): retrying a message, sending a test
//! message and verifying the ledger, each audited.

use diesel::prelude::*;

use crate::audit::{self, Entry};
use crate::domain::Caller;
use crate::i18n::Lang;
use crate::ledger::verify::{self, Report};
use crate::mail::test_message::TestMessageEmail;
use crate::mail::{MailTemplate, outbox};
use crate::services::{ServiceError, ServiceResult};

/// Queues a failed or waiting message for delivery now.
pub fn retry_message(conn: &mut PgConnection, caller: &Caller, id: i64) -> ServiceResult<()> {
    caller.require_operator()?;
    if outbox::retry_now(conn, id)? == 0 {
        return Err(ServiceError::NotFound);
    }
    audit::record(conn, caller, Entry::new("outbox.retry", "outbox", id))?;
    Ok(())
}

/// Queues the test message to the operator's own address.
pub fn send_test_message(
    conn: &mut PgConnection,
    caller: &Caller,
    lang: Lang,
    public_url: &str,
) -> ServiceResult<i64> {
    caller.require_operator()?;
    let mail = TestMessageEmail {
        lang,
        operator: caller.email.clone(),
        public_url: public_url.to_string(),
    }
    .render_mail()?;
    let id = outbox::enqueue(conn, "test_message", &caller.email, &mail)?;
    audit::record(
        conn,
        caller,
        Entry::new("outbox.test_message", "outbox", id),
    )?;
    Ok(id)
}

/// Re-adds every account from its entries and checks every transfer sums to zero; the
/// result is audited.
pub fn verify_ledger(conn: &mut PgConnection, caller: &Caller) -> ServiceResult<Report> {
    caller.require_operator()?;
    let report = verify::run(conn)?;
    let result = serde_json::json!({
        "ok": report.ok(), "accounts": report.accounts_checked,
        "entries": report.entries_checked, "problems": report.problems.len(),
    });
    audit::record(
        conn,
        caller,
        Entry::new("ledger.verify", "ledger", "all").after(result),
    )?;
    Ok(report)
}
