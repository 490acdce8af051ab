//! Setting a resale customer's credit limit (SPEC §6 "Settlement"; form field `credit_limit`):
//! an admin of the customer's partner sets the `credit_limit` of its `customer_credit` account,
//! opening the account if needed. A limit below the credit already used is refused
//! (`CreditRefusal::BelowCreditUsed`): checked under the account's row lock, so a payment
//! using credit and a lowering cannot pass each other, and the balance's CHECK constraint
//! never has to refuse it.

use diesel::prelude::*;
use rust_decimal::Decimal;
use serde_json::json;

use super::CreditRefusal;
use super::line::{self, CreditLine};
use crate::audit::{self, Entry};
use crate::db::schema::{customers, ledger_accounts};
use crate::domain::{AssociationType, Caller, MemberOf};
use crate::ledger::{self, AccountKind};
use crate::services::customers::detail::visible;
use crate::services::customers::list::CustomerRow;
use crate::services::{ServiceError, ServiceResult};

/// The audit action of a change of limit.
pub const LIMIT_ACTION: &str = "customer.credit_limit";

/// What the form shows beside the field.
pub struct LimitContext {
    pub company: String,
    /// Credit lines are for resale customers only; the form is not offered otherwise.
    pub resale: bool,
    pub line: CreditLine,
}

fn is_resale(c: &CustomerRow) -> bool {
    c.association_type.as_deref() == Some(AssociationType::Resale.as_str())
}

fn admin(caller: &Caller) -> ServiceResult<&MemberOf> {
    let member = caller.member()?;
    member.require_admin()?;
    Ok(member)
}

/// The form page: admins of the customer's partner (others 403, another partner's customer
/// 404). Reads only.
pub fn context(
    conn: &mut PgConnection,
    caller: &Caller,
    customer_id: i64,
) -> ServiceResult<LimitContext> {
    let member = admin(caller)?;
    let customer = visible(conn, member, customer_id)?;
    Ok(LimitContext {
        resale: is_resale(&customer),
        company: customer.company,
        line: line::read(conn, customer_id)?,
    })
}

/// Sets the limit; returns the line as it now stands.
pub fn set_limit(
    conn: &mut PgConnection,
    caller: &Caller,
    customer_id: i64,
    limit: Decimal,
) -> ServiceResult<CreditLine> {
    let member = admin(caller)?;
    if limit < Decimal::ZERO || limit.normalize().scale() > 2 {
        return Err(ServiceError::Malformed("credit limit"));
    }
    conn.transaction(|conn| {
        // The customer row first (as unassociation and top-ups lock it): the customer stays ours
        // and resale until this commits.
        customers::table
            .find(customer_id)
            .select(customers::id)
            .for_update()
            .first::<i64>(conn)
            .optional()?;
        let customer = visible(conn, member, customer_id)?;
        if !is_resale(&customer) {
            return Err(CreditRefusal::NotResale.into());
        }
        let account = ledger::accounts::for_customer(conn, customer_id, AccountKind::CustomerCredit)?;
        // Under this lock no transfer moves the balance, so the check below still holds at
        // commit.
        let (balance, old): (Decimal, Option<Decimal>) = ledger_accounts::table
            .find(account.id)
            .select((ledger_accounts::balance, ledger_accounts::credit_limit))
            .for_update()
            .first(conn)?;
        let before = CreditLine::of(balance, old);
        if limit < before.used {
            return Err(CreditRefusal::BelowCreditUsed.into());
        }
        if old != Some(limit) {
            diesel::update(ledger_accounts::table.find(account.id))
                .set(ledger_accounts::credit_limit.eq(Some(limit)))
                .execute(conn)?;
            audit::record(
                conn,
                caller,
                Entry::new(LIMIT_ACTION, "customer", customer_id)
                    .before(json!({ "credit_limit": old.unwrap_or_default().to_string() }))
                    .after(json!({ "credit_limit": limit.to_string(), "used": before.used.to_string() })),
            )?;
        }
        Ok(CreditLine::of(balance, Some(limit)))
    })
}
