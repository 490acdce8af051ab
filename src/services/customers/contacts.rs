//! A customer's contacts (rule C10): at most five, added, edited and removed by anyone who may
//! see the customer; every change is audited. The edit form shows the e-mail and phone masked
//! like the page (rule A5); a masked value sent back unchanged keeps the stored one.

use diesel::prelude::*;

use crate::audit::{self, Entry};
use crate::db::schema::{customer_contacts, customers};
use crate::domain::Email;
use crate::domain::FormErrors;
use crate::domain::mask;
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
    fn from_contact(c: &Contact) -> ContactForm {
        ContactForm {
            name: c.name.clone(),
            title: c.title.clone(),
            email: c.email.clone(),
            phone: c.phone.clone(),
        }
    }

    /// The edit form of a stored contact: the e-mail and phone masked as on the customer's page
    /// (rule A5), so that opening the form reveals nothing.
    pub fn masked(c: &Contact) -> ContactForm {
        ContactForm {
            email: mask::email(&c.email),
            phone: mask::phone(&c.phone),
            ..ContactForm::from_contact(c)
        }
    }

    /// The submitted edit form with each masked value that came back as shown replaced by the
    /// stored value: a field equal to its masked value is unchanged.
    fn keeping_unchanged(&self, stored: &Contact) -> ContactForm {
        let mut form = self.clone();
        if self.email.trim() == mask::email(&stored.email) {
            form.email = stored.email.clone();
        }
        if self.phone.trim() == mask::phone(&stored.phone) {
            form.phone = stored.phone.clone();
        }
        form
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
            "email": mask::email(self.email.trim()),
            "phone": mask::phone(self.phone.trim()),
        })
    }
}

pub enum Saved {
    Done,
    /// The customer already has five contacts.
    Full,
}

/// What a contact form page shows: the customer's company, how many contacts it has and,
/// when editing, the contact's form with its e-mail and phone masked.
pub struct FormContext {
    pub company: String,
    pub count: usize,
    pub form: Option<ContactForm>,
}

/// The outcome of saving an edited contact.
pub enum Edited {
    Done,
    /// Field errors, found once masked values sent back unchanged were put back; nothing saved.
    Invalid {
        company: String,
        errors: FormErrors,
    },
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
    let form = match contact_id {
        Some(cid) => Some(ContactForm::masked(&find(conn, member, customer_id, cid)?)),
        None => None,
    };
    Ok(FormContext {
        company,
        count,
        form,
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

/// Saves an edited contact. The form came with the e-mail and phone masked: a field sent back
/// equal to its masked value keeps the stored value; the result is checked before saving.
pub fn update(
    conn: &mut PgConnection,
    caller: &Caller,
    customer_id: i64,
    contact_id: i64,
    submitted: &ContactForm,
    lang: Lang,
) -> ServiceResult<Edited> {
    let member = caller.member()?;
    let stored = find(conn, member, customer_id, contact_id)?;
    let form = &submitted.keeping_unchanged(&stored);
    let errors = form.check(lang);
    if !errors.is_empty() {
        let company = visible(conn, member, customer_id)?.company;
        return Ok(Edited::Invalid { company, errors });
    }
    let before = ContactForm::from_contact(&stored);
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
    Ok(Edited::Done)
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
