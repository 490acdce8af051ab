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
    let (blocked, user) = crate::db::run(pool, move |conn| -> ServiceResult<_> {
        let by_account =
            throttle::blocked_for(conn, throttle::SIGN_IN_ACCOUNT, &k, limits.0, window)?;
        let by_address =
            throttle::blocked_for(conn, throttle::SIGN_IN_ADDRESS, &ip, limits.1, window)?;
        let user: Option<UserRow> = users::table
            .left_join(organizations::table)
            .filter(
                diesel::dsl::sql::<diesel::sql_types::Bool>("lower(users.email) = ")
                    .bind::<diesel::sql_types::Text, _>(&k),
            )
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
        Ok((by_account.max(by_address), user))
    })
    .await?;

    // Verify even when throttled or unknown, so timing reveals nothing (rule A2).
    let stored = user.as_ref().map(|u| u.3.clone());
    let pass: String = pass.chars().take(256).collect();
    let matches = tokio::task::spawn_blocking(move || password::verify(&pass, stored.as_deref()))
        .await
        .map_err(|e| ServiceError::internal(e.to_string()))?;

    if let Some(wait) = blocked {
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

    let caller = caller.clone();
    crate::db::transaction(pool, move |conn| {
        let good = user.filter(|u| matches && !u.4);
        let Some(u) = good else {
            throttle::record(conn, throttle::SIGN_IN_ACCOUNT, &key)?;
            throttle::record(conn, throttle::SIGN_IN_ADDRESS, &caller.meta.client_ip)?;
            audit::record(conn, &caller, Entry::new("sign_in.failed", "account", &key))?;
            return Ok(Outcome::Refused);
        };
        throttle::clear(conn, throttle::SIGN_IN_ACCOUNT, &key)?;
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
