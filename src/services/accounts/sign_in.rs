//! Signing in (rules A1, A2): throttled per account and per client address, the same answer
//! for unknown accounts and wrong passwords, and an audit row for every outcome. The login
//! page and the invitation page's "sign in and confirm" both ask here.

use chrono::Utc;
use diesel::prelude::*;

use crate::audit::{self, Entry};
use crate::auth::{password, throttle};
use crate::config::Settings;
use crate::db::Pool;
use crate::db::schema::{organizations, users};
use crate::domain::email::normalize;
use crate::domain::{Audience, Caller, CustomerId, OrgId, OrgKind, Role, SignedIn, UserId};
use crate::services::invitations::lower;
use crate::services::{ServiceError, ServiceResult};

#[derive(Debug)]
pub enum Outcome {
    SignedIn(Box<SignedIn>),
    /// Unknown account, wrong password or disabled account: deliberately indistinguishable.
    Refused,
    Throttled {
        minutes: u64,
    },
    /// The password is right but the address was never confirmed (a join-page account): it
    /// cannot sign in until its mailed link is followed (C7).
    Unverified(UserId),
}

type UserRow = (
    i64,
    String,
    String,
    String,
    bool,
    Option<i64>,
    Option<String>,
    Option<i64>,
    Option<String>,
    Option<String>,
    String,
    Option<chrono::DateTime<Utc>>,
);

/// Checks `email` and `pass`; on success the account's identity, for the caller to keep in
/// its session. Runs its own short transactions: the password check holds no connection.
pub async fn sign_in(
    pool: &Pool,
    settings: &Settings,
    caller: &Caller,
    email: &str,
    pass: &str,
) -> ServiceResult<Outcome> {
    let key = normalize(email);
    let (limits, window) = (
        (settings.login_account_limit, settings.login_address_limit),
        settings.login_window,
    );
    let (k, ip) = (key.clone(), caller.meta.client_ip.clone());
    // rule A2: the attempt is counted before it is tried, per account and per address, so
    // parallel guesses get exactly what serial ones get.
    let (blocked, counted, user) = crate::db::transaction(pool, move |conn| -> ServiceResult<_> {
        let by_account = throttle::hit(conn, throttle::SIGN_IN_ACCOUNT, &k, limits.0, window)?;
        let by_address = throttle::hit(conn, throttle::SIGN_IN_ADDRESS, &ip, limits.1, window)?;
        let counted = [by_account.event_id, by_address.event_id];
        let blocked = by_account.wait.max(by_address.wait);
        if blocked.is_some() {
            // Refused untried: it does not lengthen the lock.
            throttle::forget(conn, &counted)?;
        }
        let user: Option<UserRow> = users::table
            .left_join(organizations::table)
            .filter(lower(users::email).eq(&k))
            .select((
                users::id,
                users::email,
                users::display_name,
                users::password_hash,
                users::disabled,
                users::org_id,
                users::role,
                users::customer_id,
                organizations::name.nullable(),
                organizations::kind.nullable(),
                users::audience,
                users::email_verified_at,
            ))
            .first(conn)
            .optional()?;
        Ok((blocked, counted, user))
    })
    .await?;

    if let Some(wait) = blocked {
        // A throttled attempt is never tried: no password hashing for a flood (SPEC §4).
        let caller = caller.clone();
        crate::db::run(pool, move |conn| -> ServiceResult<()> {
            audit::record(
                conn,
                &caller,
                Entry::new("sign_in.throttled", "account", &key),
            )?;
            Ok(())
        })
        .await?;
        return Ok(Outcome::Throttled {
            minutes: throttle::minutes_ceil(wait),
        });
    }

    // Verify even for unknown accounts, so timing reveals nothing (rule A2).
    let stored = user.as_ref().map(|u| u.3.clone());
    let pass: String = pass.chars().take(256).collect();
    let matches = password::verify_off_thread(pass, stored).await;

    let caller = caller.clone();
    crate::db::transaction(pool, move |conn| {
        let good = user.filter(|u| matches && !u.4);
        let Some(u) = good else {
            // Already counted against the account and the address.
            audit::record(conn, &caller, Entry::new("sign_in.failed", "account", &key))?;
            return Ok(Outcome::Refused);
        };
        // A right password takes its attempt back: only failures count (rule A2).
        throttle::clear(conn, throttle::SIGN_IN_ACCOUNT, &key)?;
        throttle::forget(conn, &counted)?;
        if u.11.is_none() {
            audit::record(conn, &caller, Entry::new("sign_in.unverified", "user", u.0))?;
            return Ok(Outcome::Unverified(UserId(u.0)));
        }
        diesel::update(users::table.find(u.0))
            .set(users::last_sign_in_at.eq(Utc::now()))
            .execute(conn)?;
        let audience =
            Audience::parse(&u.10).ok_or_else(|| ServiceError::internal("unknown audience"))?;
        let who = SignedIn {
            user_id: UserId(u.0),
            audience,
            email: u.1,
            name: u.2,
            org_id: u.5.map(OrgId),
            role: u.6.as_deref().and_then(Role::parse),
            customer_id: u.7.map(CustomerId),
            org_name: u.8,
            org_kind: u.9.as_deref().and_then(OrgKind::parse),
        };
        let signed_in = caller.as_party(who.party(), &who.email);
        audit::record(conn, &signed_in, Entry::new("sign_in", "user", who.user_id))?;
        Ok(Outcome::SignedIn(Box::new(who)))
    })
    .await
}
