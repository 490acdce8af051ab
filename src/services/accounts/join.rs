//! A partner's public join page (rule C7), with the address proven by mail before the account
//! can sign in or be associated. The page answers the same for new and known addresses; what
//! happens next arrives by mail: a confirmation link for a new account, a "you already have an
//! account" note for a known one.

use chrono::Utc;
use diesel::prelude::*;
use serde_json::json;

use super::links::{self, LinkKind};
use super::signup::{self, NewAccount, RegistrationForm};
use crate::audit::{self, Entry};
use crate::db::schema::{customers, organizations, users};
use crate::domain::{Caller, CustomerId, Email, OrgId, SignedIn, UserId};
use crate::i18n::Lang;
use crate::mail::account::{AccountEmail, AccountMailKind};
use crate::mail::{MailTemplate, outbox};
use crate::services::customers::association::{self, AssociationType};
use crate::services::expansion;
use crate::services::{Refusal, ServiceError, ServiceResult};

/// rule C7: registers from the join page behind `code`. A new address gets a pending account
/// and a confirmation link; a known one gets a note. Either way nothing is associated yet and
/// the caller learns nothing about the address.
#[allow(clippy::too_many_arguments)]
pub fn register(
    conn: &mut PgConnection,
    caller: &Caller,
    code: &str,
    form: &RegistrationForm,
    email: &Email,
    password_hash: &str,
    language: Lang,
    public_url: &str,
) -> ServiceResult<()> {
    let Some((partner_id, partner, true)) = expansion::resolve(conn, code)? else {
        return Err(ServiceError::NotFound);
    };
    if signup::address_taken(conn, email.as_str())? {
        let mail = AccountEmail {
            lang: language,
            kind: AccountMailKind::JoinKnown,
            partner,
            link: format!("{public_url}/login"),
            validity: String::new(),
        };
        outbox::enqueue(conn, "join_known", email.as_str(), &mail.render_mail()?)?;
        return Ok(());
    }
    let account = NewAccount {
        email: email.as_str(),
        form,
        password_hash,
        language,
        partner_id,
        verified: false,
    };
    let (who, caller) = signup::register(
        conn,
        caller,
        &account,
        json!({ "via": "offline_expansion", "verified": false }),
    )?;
    let token = links::issue(
        conn,
        LinkKind::JoinVerify,
        who.user_id.get(),
        Some(partner_id),
    )?;
    let mail = AccountEmail {
        lang: language,
        kind: AccountMailKind::JoinVerify,
        partner,
        link: format!(
            "{public_url}{}/{}",
            LinkKind::JoinVerify.path(),
            token.as_str()
        ),
        validity: language.tf("mail.validity.hours", &[("hours", "24")]),
    };
    outbox::enqueue(conn, "join_verify", email.as_str(), &mail.render_mail()?)?;
    audit::record_for_org(
        conn,
        &caller,
        Some(OrgId(partner_id)),
        Entry::new("customer.verification_sent", "user", who.user_id),
    )?;
    Ok(())
}

/// What the confirmation page shows: the address and the partner.
pub struct Pending {
    pub email: String,
    pub partner: String,
    pub user_id: UserId,
}

/// The confirmation link as received, if it can still be used.
pub fn pending(conn: &mut PgConnection, token: &str) -> ServiceResult<Pending> {
    let link = links::open(conn, LinkKind::JoinVerify, token, false)?;
    let email: String = users::table
        .find(link.user_id)
        .select(users::email)
        .first(conn)?;
    let partner: String = organizations::table
        .find(link.partner_id.unwrap_or_default())
        .select(organizations::name)
        .first(conn)?;
    Ok(Pending {
        email,
        partner,
        user_id: UserId(link.user_id),
    })
}

/// Completes a join once the person proved both the address (the link) and the password
/// chosen at registration (checked by sign-in): the account is verified, associated with
/// the partner as a resale customer, and the link is used up. Call inside a transaction.
pub fn confirm(
    conn: &mut PgConnection,
    caller: &Caller,
    token: &str,
    user_id: UserId,
) -> ServiceResult<SignedIn> {
    let link = links::open(conn, LinkKind::JoinVerify, token, true)?;
    if link.user_id != user_id.get() {
        return Err(ServiceError::Forbidden);
    }
    let partner_id = link.partner_id.unwrap_or_default();
    let (email, name, customer_id): (String, String, Option<i64>) = users::table
        .find(link.user_id)
        .select((users::email, users::display_name, users::customer_id))
        .first(conn)?;
    let customer_id = customer_id.ok_or_else(|| ServiceError::internal("join without customer"))?;
    links::consume(conn, LinkKind::JoinVerify, &link)?;
    diesel::update(users::table.find(link.user_id))
        .set((
            users::email_verified_at.eq(Some(Utc::now())),
            users::last_sign_in_at.eq(Some(Utc::now())),
        ))
        .execute(conn)?;
    let who = SignedIn::customer(user_id, CustomerId(customer_id), &email, &name);
    let caller = caller.as_party(who.party(), &email);
    audit::record_for_org(
        conn,
        &caller,
        Some(OrgId(partner_id)),
        Entry::new("customer.verified", "customer", customer_id),
    )?;
    // Still free to join? A customer associated meanwhile (another partner's invitation)
    // keeps that association; the confirmation still proves the address.
    let current: Option<i64> = customers::table
        .find(customer_id)
        .select(customers::partner_id)
        .first(conn)?;
    if current.is_none() {
        match association::associate(
            conn,
            customer_id,
            partner_id,
            AssociationType::Resale,
            &caller,
        ) {
            Ok(()) | Err(ServiceError::Refused(Refusal::Association(_))) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(who)
}
