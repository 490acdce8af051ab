//! Signing in (rules A1, A2): throttled per account and per client address, the same answer
//! for unknown accounts and wrong passwords, and an audit row for every outcome.

use chrono::Utc;
use diesel::prelude::*;

use crate::audit::{self, Actor, Entry};
use crate::auth::identity::Who;
use crate::auth::{password, throttle};
use crate::db::schema::{organizations, users};
use crate::domain::{Audience, OrgKind, Role};
use crate::error::AppError;
use crate::startup::AppState;

pub enum Outcome {
    SignedIn(Box<Who>),
    /// Unknown account, wrong password or disabled account: deliberately indistinguishable.
    Refused,
    Throttled {
        minutes: u64,
    },
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
);

fn account_key(email: &str) -> String {
    email.trim().to_lowercase().chars().take(254).collect()
}

pub async fn sign_in(
    state: &AppState,
    email: &str,
    pass: &str,
    actor: Actor,
) -> Result<Outcome, AppError> {
    let key = account_key(email);
    let s = &state.settings;
    let (limits, window) = (
        (s.login_account_limit, s.login_address_limit),
        s.login_window,
    );
    let (k, ip) = (key.clone(), actor.client_ip.clone());
    let (blocked, user) = crate::db::run(&state.pool, move |conn| {
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
            ))
            .first(conn)
            .optional()?;
        Ok((by_account.max(by_address), user))
    })
    .await?;

    // Verify even when throttled or unknown, so timing reveals nothing (rule A2).
    let stored = user.as_ref().map(|u| u.3.clone());
    let pass = pass.to_string();
    let matches = actix_web::web::block(move || password::verify(&pass, stored.as_deref()))
        .await
        .map_err(|e| AppError::internal(e.to_string()))?;

    if let Some(wait) = blocked {
        let meta = actor.clone();
        crate::db::run(&state.pool, move |conn| {
            audit::record(
                conn,
                &meta,
                Entry::new("sign_in.throttled", "account", &key),
            )?;
            Ok(())
        })
        .await?;
        return Ok(Outcome::Throttled {
            minutes: throttle::minutes_ceil(wait),
        });
    }

    let pool = state.pool.clone();
    crate::db::transaction(&pool, move |conn| {
        let good = user.filter(|u| matches && !u.4);
        let Some(u) = good else {
            throttle::record(conn, throttle::SIGN_IN_ACCOUNT, &key)?;
            throttle::record(conn, throttle::SIGN_IN_ADDRESS, &actor.client_ip)?;
            audit::record(conn, &actor, Entry::new("sign_in.failed", "account", &key))?;
            return Ok(Outcome::Refused);
        };
        throttle::clear(conn, throttle::SIGN_IN_ACCOUNT, &key)?;
        diesel::update(users::table.find(u.0))
            .set(users::last_sign_in_at.eq(Utc::now()))
            .execute(conn)?;
        let audience_text: String = users::table.find(u.0).select(users::audience).first(conn)?;
        let audience = Audience::parse(&audience_text)
            .ok_or_else(|| AppError::internal("unknown audience"))?;
        let now = Utc::now().timestamp();
        let who = Who {
            user_id: u.0,
            audience,
            email: u.1,
            name: u.2,
            org_id: u.5,
            role: u.6.as_deref().and_then(Role::parse),
            customer_id: u.7,
            org_name: u.8,
            org_kind: u.9.as_deref().and_then(OrgKind::parse),
            since: now,
            seen: now,
        };
        let signed_in = Actor {
            user_id: Some(who.user_id),
            email: who.email.clone(),
            org_id: who.org_id,
            ..actor
        };
        audit::record(conn, &signed_in, Entry::new("sign_in", "user", who.user_id))?;
        Ok(Outcome::SignedIn(Box::new(who)))
    })
    .await
}
