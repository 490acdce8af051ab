//! A customer's contacts (rule C10): at most five, added, edited and removed by anyone who may
//! see the customer; every change is audited.

use diesel::prelude::*;

use crate::audit::{self, Entry};
use crate::db::schema::{customer_contacts, customers};
use crate::domain::Email;
use crate::domain::FormErrors;
use crate::domain::{Caller, MemberOf};
use crate::i18n::Lang;
use crate::services::customers::detail::{Contact, MAX_CONTACTS, contacts, visible};
use crate::services::validate::check_text;
use crate::services::{ServiceError, ServiceResult};

#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct ContactForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
}

impl ContactForm {
    pub fn from_contact(c: &Contact) -> ContactForm {
        ContactForm {
            name: c.name.clone(),
            title: c.title.clone(),
            email: c.email.clone(),
            phone: c.phone.clone(),
        }
    }

    /// Field errors; an empty result means the form can be saved.
    pub fn check(&self, lang: Lang) -> FormErrors {
        let mut errors = FormErrors::default();
        check_text(&mut errors, lang, "name", &self.name, true, 100);
        check_text(&mut errors, lang, "title", &self.title, false, 100);
        let email = self.email.trim();
        if !email.is_empty() {
            if let Err(e) = Email::parse(email) {
                errors.add("email", lang.t(e.message_key()));
            }
        }
        let phone = self.phone.trim();
        let phone_ok = phone.chars().count() <= 30
            && phone
                .chars()
                .all(|c| c.is_ascii_digit() || matches!(c, '+' | '-' | ' ' | '(' | ')'));
        if !phone_ok {
            errors.add("phone", lang.t("customers.contact.phone_invalid"));
        }
        errors
    }

    fn json(&self) -> serde_json::Value {
        serde_json::json!({
            "name": self.name.trim(), "title": self.title.trim(),
            "email": crate::domain::mask::email(self.email.trim()),
            "phone": crate::domain::mask::phone(self.phone.trim()),
        })
    }
}

pub enum Saved {
    Done,
    /// The customer already has five contacts.
    Full,
}

/// What a contact form page shows: the customer's company, how many contacts it has and,
/// when editing, the contact.
pub struct FormContext {
    pub company: String,
    pub count: usize,
    pub contact: Option<Contact>,
}

/// The add or edit form of a contact of a customer the member sees (404 otherwise).
pub fn form_context(
    conn: &mut PgConnection,
    caller: &Caller,
    customer_id: i64,
    contact_id: Option<i64>,
) -> ServiceResult<FormContext> {
    let member = caller.member()?;
    let company = visible(conn, member, customer_id)?.company;
    let count = contacts(conn, customer_id)?.len();
    let contact = match contact_id {
        Some(cid) => Some(find(conn, member, customer_id, cid)?),
        None => None,
    };
    Ok(FormContext {
        company,
        count,
        contact,
    })
}

/// Locks the customer row so two additions cannot both pass the limit.
fn lock_visible(conn: &mut PgConnection, member: &MemberOf, customer_id: i64) -> ServiceResult<()> {
    visible(conn, member, customer_id)?;
    customers::table
        .find(customer_id)
        .select(customers::id)
        .for_update()
        .first::<i64>(conn)?;
    Ok(())
}

pub fn add(
    conn: &mut PgConnection,
    caller: &Caller,
    customer_id: i64,
    form: &ContactForm,
) -> ServiceResult<Saved> {
    let member = caller.member()?;
    lock_visible(conn, member, customer_id)?;
    let count: i64 = customer_contacts::table
        .filter(customer_contacts::customer_id.eq(customer_id))
        .count()
        .get_result(conn)?;
    if count as usize >= MAX_CONTACTS {
        return Ok(Saved::Full);
    }
    let id: i64 = diesel::insert_into(customer_contacts::table)
        .values((
            customer_contacts::customer_id.eq(customer_id),
            customer_contacts::name.eq(form.name.trim()),
            customer_contacts::title.eq(form.title.trim()),
            customer_contacts::email.eq(form.email.trim()),
            customer_contacts::phone.eq(form.phone.trim()),
        ))
        .returning(customer_contacts::id)
        .get_result(conn)?;
    audit::record(
        conn,
        caller,
        Entry::new("customer.contact_added", "customer_contact", id).after(form.json()),
    )?;
    Ok(Saved::Done)
}

/// The contact if it belongs to a customer the member may see.
pub fn find(
    conn: &mut PgConnection,
    member: &MemberOf,
    customer_id: i64,
    contact_id: i64,
) -> ServiceResult<Contact> {
    visible(conn, member, customer_id)?;
    customer_contacts::table
        .filter(customer_contacts::id.eq(contact_id))
        .filter(customer_contacts::customer_id.eq(customer_id))
        .select(Contact::as_select())
        .first(conn)
        .optional()?
        .ok_or(ServiceError::NotFound)
}

pub fn update(
    conn: &mut PgConnection,
    caller: &Caller,
    customer_id: i64,
    contact_id: i64,
    form: &ContactForm,
) -> ServiceResult<()> {
    let member = caller.member()?;
    let before = ContactForm::from_contact(&find(conn, member, customer_id, contact_id)?);
    diesel::update(customer_contacts::table.find(contact_id))
        .set((
            customer_contacts::name.eq(form.name.trim()),
            customer_contacts::title.eq(form.title.trim()),
            customer_contacts::email.eq(form.email.trim()),
            customer_contacts::phone.eq(form.phone.trim()),
        ))
        .execute(conn)?;
    audit::record(
        conn,
        caller,
        Entry::new("customer.contact_changed", "customer_contact", contact_id)
            .before(before.json())
            .after(form.json()),
    )?;
    Ok(())
}

pub fn remove(
    conn: &mut PgConnection,
    caller: &Caller,
    customer_id: i64,
    contact_id: i64,
) -> ServiceResult<()> {
    let member = caller.member()?;
    let before = ContactForm::from_contact(&find(conn, member, customer_id, contact_id)?);
    diesel::delete(customer_contacts::table.find(contact_id)).execute(conn)?;
    audit::record(
        conn,
        caller,
        Entry::new("customer.contact_removed", "customer_contact", contact_id)
            .before(before.json()),
    )?;
    Ok(())
}
