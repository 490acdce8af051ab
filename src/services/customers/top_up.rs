//! Topping up a customer (rule R4, 调账): an admin moves money from the partner's cash to the
//! customer's balance through the ledger. The customer's later spending never touches the
//! partner's cash again; what reaches the balance first repays the customer's oldest debts
//! (SPEC §6 "Settlement"). ("Credit" names only a customer's credit line, SPEC §6.)

use diesel::prelude::*;
use rust_decimal::Decimal;

use crate::audit::{self, Entry};
use crate::domain::Caller;
use crate::domain::{Money, OrgId};
use crate::ledger::{self, AccountKind, LedgerError, TransferRequest};
use crate::services::customers::detail::visible;
use crate::services::{ServiceError, ServiceResult};

/// The transfer kind and audit action keep the spelling they were first stored with (SPEC §6:
/// append-only tables are never rewritten).
pub const TOP_UP_KIND: &str = "credit_customer";
pub const TOP_UP_ACTION: &str = "customer.credited";
pub const REMARK_MAX: usize = 256;

pub enum TopUpOutcome {
    Done {
        transfer_id: i64,
    },
    /// The partner's cash is smaller than the amount; nothing changed.
    NotEnough {
        available: Decimal,
    },
}

/// The form's hidden key: generated when the form is shown, so a double submit sends the
/// same key and the ledger answers the second time with the first transfer.
pub fn valid_key(key: &str) -> bool {
    (8..=64).contains(&key.len()) && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// What the top-up form shows: the customer's company and the partner's cash.
pub struct TopUpContext {
    pub company: String,
    pub cash: Decimal,
}

/// The form page of a top-up: admins only, a customer the member sees.
pub fn context(
    conn: &mut PgConnection,
    caller: &Caller,
    customer_id: i64,
) -> ServiceResult<TopUpContext> {
    let member = caller.member()?;
    member.require_admin()?;
    let company = visible(conn, member, customer_id)?.company;
    Ok(TopUpContext {
        company,
        cash: partner_cash(conn, member.org_id)?,
    })
}

pub fn partner_cash(conn: &mut PgConnection, org_id: OrgId) -> QueryResult<Decimal> {
    Ok(
        ledger::accounts::find_for_org(conn, org_id.get(), AccountKind::PartnerCash)?
            .map_or(Decimal::ZERO, |a| a.balance),
    )
}

pub fn top_up(
    conn: &mut PgConnection,
    caller: &Caller,
    customer_id: i64,
    amount: Money,
    remark: &str,
    key: &str,
) -> ServiceResult<TopUpOutcome> {
    let member = caller.member()?;
    member.require_admin()?;
    // Lock the customer, then check it is still ours: a top-up cannot commit after an
    // unassociation (which locks the same row) moved the customer away.
    crate::db::schema::customers::table
        .find(customer_id)
        .select(crate::db::schema::customers::id)
        .for_update()
        .first::<i64>(conn)
        .optional()?;
    visible(conn, member, customer_id)?;
    if !valid_key(key) {
        return Err(ServiceError::Malformed("idempotency key"));
    }
    let from = ledger::accounts::for_org(conn, member.org_id.get(), AccountKind::PartnerCash)?;
    let to = ledger::accounts::for_customer(conn, customer_id, AccountKind::CustomerBalance)?;
    // Keys are per organisation, so another partner's key can never collide with ours.
    // The key prefix, like the transfer kind, keeps its first spelling.
    let key = format!("credit:{}:{key}", member.org_id);
    let req = TransferRequest {
        from: from.id,
        to: to.id,
        amount,
        kind: TOP_UP_KIND,
        idempotency_key: &key,
        memo: remark,
        reverses: None,
    };
    match ledger::transfer_once(conn, &req, caller) {
        Ok((t, false)) => Ok(TopUpOutcome::Done { transfer_id: t.id }),
        Ok((t, true)) => {
            // SPEC §6 "Settlement": money reaching the balance repays the oldest debt first.
            let repaid = crate::services::credit::debts::repay_oldest(conn, caller, customer_id)?;
            audit::record(
                conn,
                caller,
                Entry::new(TOP_UP_ACTION, "customer", customer_id).after(serde_json::json!({
                    "transfer": t.id, "amount": t.amount.to_string(), "remark": remark,
                    "repaid": repaid.to_string(),
                })),
            )?;
            Ok(TopUpOutcome::Done { transfer_id: t.id })
        }
        Err(LedgerError::InsufficientFunds { available }) => {
            Ok(TopUpOutcome::NotEnough { available })
        }
        Err(e) => Err(e.into()),
    }
}
