//! Password reset by e-mail (SPEC §6, rules A1, A2): a single-use link valid for one hour,
//! with the same token rules as invitations (C1). Asking answers the same whether or not the
//! address has an account. Setting the new password proves the address, lifts a sign-in lock
//! and ends the account's other sessions.

use diesel::prelude::*;

use super::links::{self, LinkKind};
use crate::audit::{self, Entry};
use crate::auth::throttle;
use crate::db::schema::users;
use crate::domain::email::normalize;
use crate::domain::{Caller, UserId};
use crate::i18n::Lang;
use crate::mail::account::{AccountEmail, AccountMailKind};
use crate::mail::{MailTemplate, outbox};
use crate::services::ServiceResult;
use crate::services::invitations::lower;

/// Mails a reset link when `email` belongs to an enabled account; does nothing otherwise.
/// Call inside a transaction; the caller cannot tell the two apart.
pub fn request(
    conn: &mut PgConnection,
    caller: &Caller,
    email: &str,
    public_url: &str,
) -> ServiceResult<()> {
    let key = normalize(email);
    let user: Option<(i64, String, String)> = users::table
        .filter(lower(users::email).eq(&key))
        .filter(users::disabled.eq(false))
        .select((users::id, users::email, users::language))
        .first(conn)
        .optional()?;
    let Some((user_id, address, language)) = user else {
        return Ok(());
    };
    let lang = Lang::parse(&language).unwrap_or(Lang::ZhCn);
    let token = links::issue(conn, LinkKind::PasswordReset, user_id, None)?;
    let mail = AccountEmail {
        lang,
        kind: AccountMailKind::PasswordReset,
        partner: String::new(),
        link: format!(
            "{public_url}{}/{}",
            LinkKind::PasswordReset.path(),
            token.as_str()
        ),
        validity: lang.t("mail.validity.hour"),
    }
    .render_mail()?;
    outbox::enqueue(conn, "password_reset", &address, &mail)?;
    audit::record(
        conn,
        caller,
        Entry::new("password.reset_requested", "user", user_id),
    )?;
    Ok(())
}

/// The address a usable reset link is for (shown on the form).
pub fn pending(conn: &mut PgConnection, token: &str) -> ServiceResult<String> {
    let link = links::open(conn, LinkKind::PasswordReset, token, false)?;
    Ok(users::table
        .find(link.user_id)
        .select(users::email)
        .first(conn)?)
}

/// Sets the new password (already hashed by the caller, off the database threads) and uses
/// up every open reset link of the account. Call inside a transaction.
pub fn reset(
    conn: &mut PgConnection,
    caller: &Caller,
    token: &str,
    password_hash: &str,
) -> ServiceResult<UserId> {
    let link = links::open(conn, LinkKind::PasswordReset, token, true)?;
    links::consume(conn, LinkKind::PasswordReset, &link)?;
    let email: String = diesel::update(users::table.find(link.user_id))
        .set((
            users::password_hash.eq(password_hash),
            // Only the owner of the address can follow the link.
            users::email_verified_at.eq(diesel::dsl::sql::<
                diesel::sql_types::Nullable<diesel::sql_types::Timestamptz>,
            >("COALESCE(email_verified_at, now())")),
        ))
        .returning(users::email)
        .get_result(conn)?;
    // rule A2: the reset lifts the account's sign-in lock.
    throttle::clear(conn, throttle::SIGN_IN_ACCOUNT, &normalize(&email))?;
    // Sessions signed in with the old password end with it: the users trigger of migration
    // `end_sessions_on_account_change` deletes them on any password change.
    audit::record(
        conn,
        caller,
        Entry::new("password.reset", "user", link.user_id),
    )?;
    Ok(UserId(link.user_id))
}
