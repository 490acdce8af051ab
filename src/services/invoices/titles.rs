//! Invoice titles (rule B3): a customer's (fee center) or a partner organisation's (its
//! admins'), several per owner, exactly one default (the first one, until another is made
//! default). Enterprise titles take VAT normal or VAT special invoices, organisation titles VAT
//! normal only (refused with `BillingRefusal::SpecialForOrganisation`); a special invoice needs
//! the tax id, bank, account, registered address and phone. The name defaults to the verified
//! company name. The form's own checks are in `input`.

pub mod input;

use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::state::{InvoiceKind, TitleType};
use crate::audit::{self, Entry};
use crate::db::schema::{customers, invoice_titles as t, organizations};
use crate::domain::Caller;
use crate::services::billing::BillingRefusal;
use crate::services::{ServiceError, ServiceResult};

pub use input::{TitleFields, TitleInput, validate};

/// Whose titles: a customer's or a partner organisation's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    Customer(i64),
    Org(i64),
}

/// The titles of the caller: a customer's own, or an organisation's for its admins (others
/// 403).
pub fn owner_of(caller: &Caller) -> ServiceResult<Owner> {
    if let Ok(c) = caller.customer_id() {
        return Ok(Owner::Customer(c.get()));
    }
    let member = caller.member()?;
    member.require_admin()?;
    Ok(Owner::Org(member.org_id.get()))
}

/// A title as stored, and as copied into a request (the request keeps it as it was).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Queryable)]
pub struct Title {
    pub id: i64,
    pub title_type: String,
    pub invoice_kind: String,
    pub name: String,
    pub tax_id: String,
    pub bank_name: String,
    pub bank_account: String,
    pub registered_address: String,
    pub registered_phone: String,
    pub postal_recipient: String,
    pub postal_phone: String,
    pub postal_address: String,
    pub is_default: bool,
}

impl Title {
    /// rule B7: a paper invoice is mailed to this address.
    pub fn has_postal_address(&self) -> bool {
        !self.postal_address.is_empty() && !self.postal_recipient.is_empty()
    }
}

type Columns = (
    t::id,
    t::title_type,
    t::invoice_kind,
    t::name,
    t::tax_id,
    t::bank_name,
    t::bank_account,
    t::registered_address,
    t::registered_phone,
    t::postal_recipient,
    t::postal_phone,
    t::postal_address,
    t::is_default,
);

const COLUMNS: Columns = (
    t::id,
    t::title_type,
    t::invoice_kind,
    t::name,
    t::tax_id,
    t::bank_name,
    t::bank_account,
    t::registered_address,
    t::registered_phone,
    t::postal_recipient,
    t::postal_phone,
    t::postal_address,
    t::is_default,
);

fn of_owner<'a>(owner: Owner) -> t::BoxedQuery<'a, diesel::pg::Pg> {
    match owner {
        Owner::Customer(c) => t::table.filter(t::customer_id.eq(c)).into_boxed(),
        Owner::Org(o) => t::table.filter(t::org_id.eq(o)).into_boxed(),
    }
}

/// The owner's titles, the default first.
pub fn list(conn: &mut PgConnection, caller: &Caller) -> ServiceResult<Vec<Title>> {
    let owner = owner_of(caller)?;
    Ok(of_owner(owner)
        .order((t::is_default.desc(), t::id))
        .select(COLUMNS)
        .load(conn)?)
}

/// One of the owner's titles; another owner's is 404.
pub fn get(conn: &mut PgConnection, owner: Owner, id: i64) -> ServiceResult<Title> {
    Ok(of_owner(owner)
        .filter(t::id.eq(id))
        .select(COLUMNS)
        .first(conn)?)
}

/// rule B3: the name a new title starts with: the verified company name of a customer (empty
/// while unverified), an organisation's name.
pub fn default_name(conn: &mut PgConnection, caller: &Caller) -> ServiceResult<String> {
    Ok(match owner_of(caller)? {
        Owner::Customer(c) => {
            let (company, verification): (String, String) = customers::table
                .find(c)
                .select((customers::company, customers::verification))
                .first(conn)?;
            if verification == "verified" {
                company
            } else {
                String::new()
            }
        }
        Owner::Org(o) => organizations::table
            .find(o)
            .select(organizations::name)
            .first(conn)?,
    })
}

fn check(input: &TitleInput) -> ServiceResult<()> {
    // rule B3: organisations take VAT normal invoices only.
    if input.title_type == TitleType::Organisation && input.invoice_kind == InvoiceKind::VatSpecial
    {
        return Err(BillingRefusal::SpecialForOrganisation.into());
    }
    Ok(())
}

/// Adds a title; the owner's first is its default.
pub fn create(conn: &mut PgConnection, caller: &Caller, input: &TitleInput) -> ServiceResult<i64> {
    let owner = owner_of(caller)?;
    check(input)?;
    conn.transaction(|conn| {
        let first = of_owner(owner)
            .select(t::id)
            .first::<i64>(conn)
            .optional()?
            .is_none();
        let default = first || input.make_default;
        if default {
            clear_default(conn, owner)?;
        }
        let (customer, org) = match owner {
            Owner::Customer(c) => (Some(c), None),
            Owner::Org(o) => (None, Some(o)),
        };
        let id: i64 = diesel::insert_into(t::table)
            .values((
                t::customer_id.eq(customer),
                t::org_id.eq(org),
                input.values(),
                t::is_default.eq(default),
            ))
            .returning(t::id)
            .get_result(conn)?;
        audit(conn, caller, "invoice_title.created", id, input)?;
        Ok(id)
    })
}

/// Changes one of the owner's titles.
pub fn update(
    conn: &mut PgConnection,
    caller: &Caller,
    id: i64,
    input: &TitleInput,
) -> ServiceResult<()> {
    let owner = owner_of(caller)?;
    check(input)?;
    conn.transaction(|conn| {
        get(conn, owner, id)?;
        if input.make_default {
            clear_default(conn, owner)?;
        }
        diesel::update(t::table.find(id))
            .set((input.values(), t::updated_at.eq(diesel::dsl::now)))
            .execute(conn)?;
        if input.make_default {
            diesel::update(t::table.find(id))
                .set(t::is_default.eq(true))
                .execute(conn)?;
        }
        audit(conn, caller, "invoice_title.updated", id, input)
    })
}

/// Makes one of the owner's titles the default (the one before stops being it).
pub fn make_default(conn: &mut PgConnection, caller: &Caller, id: i64) -> ServiceResult<()> {
    let owner = owner_of(caller)?;
    conn.transaction(|conn| {
        get(conn, owner, id)?;
        clear_default(conn, owner)?;
        diesel::update(t::table.find(id))
            .set(t::is_default.eq(true))
            .execute(conn)?;
        audit::record(
            conn,
            caller,
            Entry::new("invoice_title.default", "invoice_title", id),
        )?;
        Ok(())
    })
}

fn clear_default(conn: &mut PgConnection, owner: Owner) -> QueryResult<usize> {
    let ids = of_owner(owner).filter(t::is_default).select(t::id);
    diesel::update(t::table.filter(t::id.eq_any(ids)))
        .set(t::is_default.eq(false))
        .execute(conn)
}

fn audit(
    conn: &mut PgConnection,
    caller: &Caller,
    action: &str,
    id: i64,
    input: &TitleInput,
) -> ServiceResult<()> {
    audit::record(
        conn,
        caller,
        Entry::new(action, "invoice_title", id).after(json!({
            "type": input.title_type.as_str(), "kind": input.invoice_kind.as_str(),
            "name": input.name, "default": input.make_default,
        })),
    )
    .map_err(ServiceError::from)
}
