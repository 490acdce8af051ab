//! New customer accounts, made from an invitation (C2) or the offline-expansion page (C7):
//! the customer record, its sign-in account and the identity to start a session with.

use chrono::Utc;
use diesel::prelude::*;

use crate::audit::{self, Entry};
use crate::db::schema::{customers, organizations, users};
use crate::domain::Audience;
use crate::domain::FormErrors;
use crate::domain::{Caller, CustomerId, OrgId, SignedIn, UserId};
use crate::i18n::Lang;
use crate::services::{ServiceError, ServiceResult};

/// What a new customer types in (SPEC §5 form names).
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct RegistrationForm {
    #[serde(default)]
    pub company: String,
    #[serde(default)]
    pub contact_name: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub accept_terms: Option<String>,
    /// Only on the offline-expansion page; an invitation fixes the address.
    #[serde(default)]
    pub email: String,
}

impl RegistrationForm {
    /// Checks every field; the password strength rules are those of `auth::password`.
    pub fn check(&self, lang: Lang) -> FormErrors {
        let mut errors = FormErrors::default();
        crate::services::validate::check_text(
            &mut errors,
            lang,
            "company",
            &self.company,
            true,
            200,
        );
        crate::services::validate::check_text(
            &mut errors,
            lang,
            "contact_name",
            &self.contact_name,
            true,
            100,
        );
        let phone = self.phone.trim();
        if phone.chars().count() > 30
            || !phone
                .chars()
                .all(|c| c.is_ascii_digit() || " +-()".contains(c))
        {
            errors.add("phone", lang.t("join.phone_invalid"));
        }
        if let Some(problem) = crate::auth::password::strength_problem(&self.password) {
            errors.add("password", lang.t(problem));
        }
        if self.accept_terms.is_none() {
            errors.add("accept_terms", lang.t("join.accept_terms_required"));
        }
        errors
    }
}

pub struct NewAccount<'a> {
    pub email: &'a str,
    pub form: &'a RegistrationForm,
    pub password_hash: &'a str,
    pub language: Lang,
    /// The partner whose signing entity the new customer takes.
    pub partner_id: i64,
    /// Whether the address is proven already (an invitation mailed to it); otherwise the
    /// account waits for its verification link before it can sign in (C7).
    pub verified: bool,
}

/// Whether any account (of any audience) or customer uses this address already.
pub fn address_taken(conn: &mut PgConnection, email: &str) -> QueryResult<bool> {
    use crate::services::invitations::lower;
    let key = crate::domain::email::normalize(email);
    let user: bool = diesel::select(diesel::dsl::exists(
        users::table.filter(lower(users::email).eq(&key)),
    ))
    .get_result(conn)?;
    let customer: bool = diesel::select(diesel::dsl::exists(
        customers::table.filter(lower(customers::email).eq(&key)),
    ))
    .get_result(conn)?;
    Ok(user || customer)
}

/// Creates the customer and its sign-in account; returns the identity for the new session.
pub fn create_customer(conn: &mut PgConnection, a: &NewAccount<'_>) -> ServiceResult<SignedIn> {
    let entity: String = organizations::table
        .find(a.partner_id)
        .select(organizations::signing_entity)
        .first(conn)?;
    let contact = a.form.contact_name.trim();
    let customer_id: i64 = diesel::insert_into(customers::table)
        .values((
            customers::company.eq(a.form.company.trim()),
            customers::contact_name.eq(contact),
            customers::email.eq(a.email),
            customers::phone.eq(a.form.phone.trim()),
            customers::signing_entity.eq(entity),
        ))
        .returning(customers::id)
        .get_result(conn)
        .map_err(taken_as_conflict)?;
    let user_id: i64 = diesel::insert_into(users::table)
        .values((
            users::email.eq(a.email),
            users::audience.eq(Audience::Customer.as_str()),
            users::password_hash.eq(a.password_hash),
            users::display_name.eq(contact),
            users::phone.eq(a.form.phone.trim()),
            users::language.eq(a.language.code()),
            users::customer_id.eq(Some(customer_id)),
            users::last_sign_in_at.eq(a.verified.then(Utc::now)),
            users::email_verified_at.eq(a.verified.then(Utc::now)),
        ))
        .returning(users::id)
        .get_result(conn)
        .map_err(taken_as_conflict)?;
    Ok(SignedIn::customer(
        UserId(user_id),
        CustomerId(customer_id),
        a.email,
        contact,
    ))
}

/// Two registrations racing for one address: the loser gets a 409, not a 500.
fn taken_as_conflict(e: diesel::result::Error) -> ServiceError {
    use diesel::result::{DatabaseErrorKind, Error};
    match e {
        Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => {
            ServiceError::Refused(crate::services::Refusal::AddressTaken)
        }
        other => other.into(),
    }
}

/// The one registration path (C1 invitations, C7 offline expansion): creates the account,
/// records `customer.register` in the partner's log with where it came from, and returns the
/// new identity with the caller now acting as it (call inside a transaction).
pub fn register(
    conn: &mut PgConnection,
    caller: &Caller,
    account: &NewAccount<'_>,
    origin: serde_json::Value,
) -> ServiceResult<(SignedIn, Caller)> {
    let who = create_customer(conn, account)?;
    let customer_id = who.customer_id.map_or(0, CustomerId::get);
    let caller = caller.as_party(who.party(), &who.email);
    audit::record_for_org(
        conn,
        &caller,
        Some(OrgId(account.partner_id)),
        Entry::new("customer.register", "customer", customer_id).after(origin),
    )?;
    Ok((who, caller))
}
