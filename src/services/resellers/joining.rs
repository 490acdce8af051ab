//! Accepting a reseller invitation (rule R1): a new address registers the reseller
//! organisation under the inviting distributor and becomes its admin; an existing customer
//! account becomes that admin and stops being a customer (seed 000: 将获得经销商身份,不再具备
//! 客户身份), its association ended with the history kept. Called by
//! `invitations::accept` inside its transaction, with the invitation row locked.

use chrono::Utc;
use diesel::prelude::*;
use serde_json::json;

use crate::audit::{self, Entry};
use crate::db::schema::{customers, organizations, users};
use crate::domain::{Audience, Caller, OrgId, OrgKind, Role, SignedIn, UserId};
use crate::services::accounts::signup::RegistrationForm;
use crate::services::customers::unassociation::end_association;
use crate::services::invitations::accept::{AcceptedBy, Open, Stop, mark_accepted};
use crate::services::{ServiceError, ServiceResult};

/// The association's end reason when a customer account becomes a reseller's admin.
pub const BECAME_RESELLER: &str = "became_reseller";

/// What keeps an existing customer account from becoming a reseller's admin: its own message
/// while it has unpaid bills; while it is in arrears or its credit account is in debt, the
/// association's messages for those (rule C2, seed 003 IS_DEBT, IS_CREDIT_ACCOUNT). Pending
/// orders join this check with the orders area.
pub fn conversion_problem(conn: &mut PgConnection, customer_id: i64) -> QueryResult<Option<Stop>> {
    use crate::services::customers::association::{open_debts, unpaid_bills};
    if unpaid_bills(conn, customer_id)? {
        return Ok(Some(Stop::OpenDebts));
    }
    Ok(open_debts(conn, customer_id)?.map(Stop::Refused))
}

/// The reseller organisation under the distributor, named as the invitee wrote it.
fn create_reseller(conn: &mut PgConnection, distributor: i64, name: &str) -> ServiceResult<i64> {
    let entity: String = organizations::table
        .find(distributor)
        .select(organizations::signing_entity)
        .first(conn)?;
    Ok(diesel::insert_into(organizations::table)
        .values((
            organizations::name.eq(name),
            organizations::kind.eq(OrgKind::Reseller.as_str()),
            organizations::parent_id.eq(Some(distributor)),
            organizations::signing_entity.eq(entity),
        ))
        .returning(organizations::id)
        .get_result(conn)?)
}

/// The reseller's first admin is its contact person (the distributor's list shows it, R3).
fn set_contact(conn: &mut PgConnection, org: i64, user_id: i64) -> QueryResult<()> {
    diesel::update(organizations::table.find(org))
        .set(organizations::contact_user_id.eq(Some(user_id)))
        .execute(conn)?;
    Ok(())
}

fn admin_identity(user_id: i64, org: i64, name: &str, email: &str, display: &str) -> SignedIn {
    SignedIn {
        user_id: UserId(user_id),
        audience: Audience::Partner,
        email: email.to_string(),
        name: display.to_string(),
        org_id: Some(OrgId(org)),
        org_name: Some(name.to_string()),
        org_kind: Some(OrgKind::Reseller),
        role: Some(Role::Admin),
        customer_id: None,
    }
}

/// rule R1: a new address registers the reseller and becomes its first admin.
pub fn register(
    conn: &mut PgConnection,
    open: &Open,
    form: &RegistrationForm,
    password_hash: &str,
    caller: &Caller,
) -> ServiceResult<SignedIn> {
    let name = form.company.trim();
    let org = create_reseller(conn, open.partner_id, name)?;
    let contact = form.contact_name.trim();
    let user_id: i64 = diesel::insert_into(users::table)
        .values((
            users::email.eq(&open.email),
            users::audience.eq(Audience::Partner.as_str()),
            users::password_hash.eq(password_hash),
            users::display_name.eq(contact),
            users::phone.eq(form.phone.trim()),
            users::language.eq(open.language.code()),
            users::org_id.eq(Some(org)),
            users::role.eq(Some(Role::Admin.as_str())),
            users::last_sign_in_at.eq(Some(Utc::now())),
            // The link reached the invitee only by mail: following it proves the address.
            users::email_verified_at.eq(Some(Utc::now())),
        ))
        .returning(users::id)
        .get_result(conn)
        .map_err(|e| match e {
            diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _,
            ) => ServiceError::from(Stop::Used),
            other => other.into(),
        })?;
    set_contact(conn, org, user_id)?;
    let who = admin_identity(user_id, org, name, &open.email, contact);
    let caller = caller.as_party(who.party(), &who.email);
    audit::record_for_org(
        conn,
        &caller,
        Some(OrgId(org)),
        Entry::new("reseller.register", "organization", org)
            .after(json!({ "invitation_id": open.id, "distributor": open.partner_id })),
    )?;
    mark_accepted(conn, open, AcceptedBy::Reseller(org), &caller)?;
    Ok(who)
}

/// rule R1: an existing customer account (its password checked already) becomes the new
/// reseller's admin; its customer identity ends and its association is closed, history kept.
pub fn convert(
    conn: &mut PgConnection,
    open: &Open,
    user_id: i64,
    customer_id: i64,
    caller: &Caller,
) -> ServiceResult<SignedIn> {
    let origin = json!({ "invitation_id": open.id });
    let (org, who) = convert_account(
        conn,
        open.partner_id,
        open.company.trim(),
        user_id,
        customer_id,
        caller,
        origin,
    )?;
    let caller = caller.as_party(who.party(), &who.email);
    mark_accepted(conn, open, AcceptedBy::Reseller(org), &caller)?;
    Ok(who)
}

/// A customer account becomes the admin of a new reseller of `distributor` named `name` (the
/// customer's company when empty): refused while it has unpaid bills; its association ends
/// with the history kept and its sign-in turns into the reseller admin's (rules R1, R2).
/// Returns the new organisation and the identity the account signs in as from now on.
pub fn convert_account(
    conn: &mut PgConnection,
    distributor: i64,
    name: &str,
    user_id: i64,
    customer_id: i64,
    caller: &Caller,
    origin: serde_json::Value,
) -> ServiceResult<(i64, SignedIn)> {
    let (partner, company): (Option<i64>, String) = customers::table
        .find(customer_id)
        .select((customers::partner_id, customers::company))
        .for_update()
        .first(conn)?;
    if let Some(stop) = conversion_problem(conn, customer_id)? {
        return Err(stop.into());
    }
    let name = if name.is_empty() {
        company
    } else {
        name.to_string()
    };
    let org = create_reseller(conn, distributor, &name)?;
    if let Some(p) = partner {
        end_association(conn, customer_id, OrgId(p), Some(user_id), BECAME_RESELLER)?;
    }
    let (email, display): (String, String) = diesel::update(users::table.find(user_id))
        .set((
            users::audience.eq(Audience::Partner.as_str()),
            users::org_id.eq(Some(org)),
            users::role.eq(Some(Role::Admin.as_str())),
            users::customer_id.eq(None::<i64>),
        ))
        .returning((users::email, users::display_name))
        .get_result(conn)?;
    set_contact(conn, org, user_id)?;
    let who = admin_identity(user_id, org, &name, &email, &display);
    let mut after = json!({
        "distributor": distributor,
        "former_customer": customer_id,
        "former_partner": partner,
    });
    if let (Some(a), serde_json::Value::Object(o)) = (after.as_object_mut(), origin) {
        a.extend(o);
    }
    let as_admin = caller.as_party(who.party(), &who.email);
    audit::record_for_org(
        conn,
        &as_admin,
        Some(OrgId(org)),
        Entry::new("reseller.register", "organization", org).after(after),
    )?;
    Ok((org, who))
}
