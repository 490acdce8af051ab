//! Associating a customer with a partner (rules C2, C7, C8): the checks that may refuse it and
//! the change itself (customer row, association history, ledger accounts, audit), shared by
//! invitation acceptance and the public offline-expansion page.

use chrono::{Duration, Utc};
use diesel::dsl::exists;
use diesel::prelude::*;
use serde_json::json;

use crate::audit::{self, Entry};
use crate::db::schema::{associations, bills, customers, manager_assignments, pre_registrations};
use crate::domain::Caller;
use crate::domain::OrgId;
use crate::ledger::{self, AccountKind};
use crate::services::ServiceResult;

/// How long after registration a customer may still be associated without a
/// pre-registration (rule C8).
pub const FRESH_ACCOUNT_DAYS: i64 = 7;

pub use crate::domain::AssociationType;

/// Why a customer cannot be associated; each has its own page and message (rule C2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Already the customer of another partner.
    OtherPartner,
    /// Already the customer of this very partner.
    AlreadyYours,
    SpecialContract,
    UnpaidBills,
    /// A debt open past its due day (欠费; seed 003 IS_DEBT).
    InArrears,
    /// The credit account owes money (seed 003 IS_CREDIT_ACCOUNT).
    CreditInDebt,
    /// Registered more than 7 days ago or has cash spending, and no open pre-registration (C8).
    NeedsPreRegistration,
}

impl Refusal {
    pub fn key(self) -> &'static str {
        match self {
            Refusal::OtherPartner => "other_partner",
            Refusal::AlreadyYours => "already_yours",
            Refusal::SpecialContract => "special_contract",
            Refusal::UnpaidBills => "unpaid_bills",
            Refusal::InArrears => "in_arrears",
            Refusal::CreditInDebt => "credit_in_debt",
            Refusal::NeedsPreRegistration => "needs_pre_registration",
        }
    }
}

/// Whether the customer has a bill not paid yet: it keeps a customer where it is (C2, R1, R5).
pub fn unpaid_bills(conn: &mut PgConnection, customer_id: i64) -> QueryResult<bool> {
    diesel::select(exists(
        bills::table
            .filter(bills::customer_id.eq(customer_id))
            .filter(bills::paid_at.is_null()),
    ))
    .get_result(conn)
}

/// What the customer's debts say against a move (rule C2, seed 003): in arrears (IS_DEBT), or
/// a credit account in debt (IS_CREDIT_ACCOUNT). Association, reseller conversion and moves ask
/// it beside `unpaid_bills`.
pub fn open_debts(conn: &mut PgConnection, customer_id: i64) -> QueryResult<Option<Refusal>> {
    use crate::services::credit::{debts, line};
    if debts::in_arrears(conn, customer_id, line::today())? {
        return Ok(Some(Refusal::InArrears));
    }
    if line::read(conn, customer_id)?.in_debt() {
        return Ok(Some(Refusal::CreditInDebt));
    }
    Ok(None)
}

/// The first reason (in the order of rule C2) that keeps `customer_id` from joining `partner_id`.
pub fn refusal(
    conn: &mut PgConnection,
    customer_id: i64,
    partner_id: i64,
) -> QueryResult<Option<Refusal>> {
    let (current, special, cash_spent, registered_at): (
        Option<i64>,
        bool,
        rust_decimal::Decimal,
        chrono::DateTime<Utc>,
    ) = customers::table
        .find(customer_id)
        .select((
            customers::partner_id,
            customers::special_contract,
            customers::cash_spent,
            customers::registered_at,
        ))
        .first(conn)?;
    match current {
        Some(p) if p == partner_id => return Ok(Some(Refusal::AlreadyYours)),
        Some(_) => return Ok(Some(Refusal::OtherPartner)),
        None => {}
    }
    if special {
        return Ok(Some(Refusal::SpecialContract));
    }
    if unpaid_bills(conn, customer_id)? {
        return Ok(Some(Refusal::UnpaidBills));
    }
    if let Some(debt) = open_debts(conn, customer_id)? {
        return Ok(Some(debt));
    }
    // rule C8: an established account needs this partner's open pre-registration.
    let established = registered_at < Utc::now() - Duration::days(FRESH_ACCOUNT_DAYS)
        || cash_spent > rust_decimal::Decimal::ZERO;
    if established && open_pre_registration(conn, customer_id, partner_id)?.is_none() {
        return Ok(Some(Refusal::NeedsPreRegistration));
    }
    Ok(None)
}

fn open_pre_registration(
    conn: &mut PgConnection,
    customer_id: i64,
    partner_id: i64,
) -> QueryResult<Option<i64>> {
    pre_registrations::table
        .filter(pre_registrations::customer_id.eq(customer_id))
        .filter(pre_registrations::partner_id.eq(partner_id))
        .filter(pre_registrations::closed_at.is_null())
        .filter(pre_registrations::expires_at.gt(Utc::now()))
        .select(pre_registrations::id)
        .first(conn)
        .optional()
}

/// Associates the customer with the partner (rule C2). Locks the customer row, so two
/// concurrent attempts cannot both succeed; call inside a transaction.
pub fn associate(
    conn: &mut PgConnection,
    customer_id: i64,
    partner_id: i64,
    association_type: AssociationType,
    caller: &Caller,
) -> ServiceResult<()> {
    customers::table
        .find(customer_id)
        .select(customers::id)
        .for_update()
        .first::<i64>(conn)?;
    if let Some(r) = refusal(conn, customer_id, partner_id)? {
        return Err(r.into());
    }
    let now = Utc::now();
    diesel::update(customers::table.find(customer_id))
        .set((
            customers::partner_id.eq(Some(partner_id)),
            customers::association_type.eq(Some(association_type.as_str())),
            customers::associated_at.eq(Some(now)),
            customers::manager_id.eq(None::<i64>),
        ))
        .execute(conn)?;
    diesel::insert_into(associations::table)
        .values((
            associations::customer_id.eq(customer_id),
            associations::partner_id.eq(partner_id),
            associations::association_type.eq(association_type.as_str()),
            associations::started_at.eq(now),
        ))
        .execute(conn)?;
    // A pre-registration has done its job once the customer is associated (C8).
    diesel::update(
        pre_registrations::table
            .filter(pre_registrations::customer_id.eq(customer_id))
            .filter(pre_registrations::partner_id.eq(partner_id))
            .filter(pre_registrations::closed_at.is_null()),
    )
    .set(pre_registrations::closed_at.eq(Some(now)))
    .execute(conn)?;
    ledger::accounts::for_customer(conn, customer_id, AccountKind::CustomerBalance)?;
    ledger::accounts::for_customer(conn, customer_id, AccountKind::CustomerCredit)?;
    audit::record_for_org(
        conn,
        caller,
        Some(OrgId(partner_id)),
        Entry::new("customer.associate", "customer", customer_id).after(json!({
            "partner_id": partner_id,
            "association_type": association_type.as_str(),
        })),
    )?;
    Ok(())
}

/// Gives a freshly associated customer to a customer manager (the one who invited it).
pub fn assign_manager(
    conn: &mut PgConnection,
    customer_id: i64,
    partner_id: i64,
    manager_id: i64,
    caller: &Caller,
) -> QueryResult<()> {
    diesel::update(customers::table.find(customer_id))
        .set(customers::manager_id.eq(Some(manager_id)))
        .execute(conn)?;
    diesel::insert_into(manager_assignments::table)
        .values((
            manager_assignments::customer_id.eq(customer_id),
            manager_assignments::partner_id.eq(partner_id),
            manager_assignments::manager_id.eq(Some(manager_id)),
            manager_assignments::assigned_by.eq(Some(manager_id)),
        ))
        .execute(conn)?;
    audit::record_for_org(
        conn,
        caller,
        Some(OrgId(partner_id)),
        Entry::new("customer.assign", "customer", customer_id)
            .after(json!({ "manager_id": manager_id })),
    )
}
