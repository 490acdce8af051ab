//! Single-use links mailed to an address (rules C1, C7, A2): a join verification and a
//! password reset. Only the SHA-256 of a token is stored; a link works once, until it expires.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use crate::auth::tokens::{PlainToken, parse_and_hash};
use crate::db::schema::account_tokens;
use crate::services::{ServiceError, ServiceResult};

/// What a link is for, and how long it lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkKind {
    JoinVerify,
    PasswordReset,
}

impl LinkKind {
    pub fn as_str(self) -> &'static str {
        match self {
            LinkKind::JoinVerify => "join_verify",
            LinkKind::PasswordReset => "password_reset",
        }
    }

    /// The one expiry rule per kind: a day to confirm a new account, an hour to reset.
    pub fn lifetime(self) -> chrono::Duration {
        match self {
            LinkKind::JoinVerify => chrono::Duration::hours(24),
            LinkKind::PasswordReset => chrono::Duration::hours(1),
        }
    }

    pub fn path(self) -> &'static str {
        match self {
            LinkKind::JoinVerify => "/join/verify",
            LinkKind::PasswordReset => "/password/reset",
        }
    }
}

/// Why a link cannot be used: its page says so, with no detail about the account.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkProblem {
    Unknown,
    Used,
    Expired,
}

impl LinkProblem {
    pub fn key(self) -> &'static str {
        match self {
            LinkProblem::Unknown => "account.link.unknown",
            LinkProblem::Used => "account.link.used",
            LinkProblem::Expired => "account.link.expired",
        }
    }
}

/// A usable link: whose it is and, for a join, which partner's page it came from.
#[derive(Clone, Debug)]
pub struct OpenLink {
    pub token_hash: String,
    pub user_id: i64,
    pub partner_id: Option<i64>,
    pub expires_at: DateTime<Utc>,
}

/// Makes a link for `user_id`; returns the plain token, which goes only into the mail.
pub fn issue(
    conn: &mut PgConnection,
    kind: LinkKind,
    user_id: i64,
    partner_id: Option<i64>,
) -> QueryResult<PlainToken> {
    let token = PlainToken::generate();
    diesel::insert_into(account_tokens::table)
        .values((
            account_tokens::token_hash.eq(token.hash()),
            account_tokens::kind.eq(kind.as_str()),
            account_tokens::user_id.eq(user_id),
            account_tokens::partner_id.eq(partner_id),
            account_tokens::expires_at.eq(Utc::now() + kind.lifetime()),
        ))
        .execute(conn)?;
    Ok(token)
}

/// The link as received, if it can still be used. With `lock` the row stays locked until
/// the caller's transaction ends, so a link followed twice at once works once.
pub fn open(
    conn: &mut PgConnection,
    kind: LinkKind,
    received: &str,
    lock: bool,
) -> ServiceResult<OpenLink> {
    let Some(hash) = parse_and_hash(received) else {
        return Err(problem(LinkProblem::Unknown));
    };
    let query = account_tokens::table
        .find(&hash)
        .filter(account_tokens::kind.eq(kind.as_str()))
        .select((
            account_tokens::user_id,
            account_tokens::partner_id,
            account_tokens::expires_at,
            account_tokens::used_at,
        ));
    type Row = (i64, Option<i64>, DateTime<Utc>, Option<DateTime<Utc>>);
    let row: Option<Row> = if lock {
        query.for_update().first(conn).optional()?
    } else {
        query.first(conn).optional()?
    };
    let Some((user_id, partner_id, expires_at, used_at)) = row else {
        return Err(problem(LinkProblem::Unknown));
    };
    if used_at.is_some() {
        return Err(problem(LinkProblem::Used));
    }
    if expires_at <= Utc::now() {
        return Err(problem(LinkProblem::Expired));
    }
    Ok(OpenLink {
        token_hash: hash,
        user_id,
        partner_id,
        expires_at,
    })
}

/// Marks the link used, and every other open link of the same kind for the same account,
/// so an older reset mail stops working once a newer one was used.
pub fn consume(conn: &mut PgConnection, kind: LinkKind, link: &OpenLink) -> QueryResult<()> {
    diesel::update(
        account_tokens::table
            .filter(account_tokens::user_id.eq(link.user_id))
            .filter(account_tokens::kind.eq(kind.as_str()))
            .filter(account_tokens::used_at.is_null()),
    )
    .set(account_tokens::used_at.eq(Some(Utc::now())))
    .execute(conn)?;
    Ok(())
}

fn problem(p: LinkProblem) -> ServiceError {
    ServiceError::Refused(crate::services::Refusal::Link(p))
}
