//! The audit log (rule X1): one helper every state change calls inside its own transaction.
//! Rows are never changed: a database trigger refuses UPDATE and DELETE.

use diesel::prelude::*;
use serde_json::Value;

use crate::db::schema::{audit_log, users};
use crate::domain::{Caller, OrgId};

pub struct Entry<'a> {
    pub action: &'a str,
    pub subject_type: &'a str,
    pub subject_id: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

impl<'a> Entry<'a> {
    pub fn new(action: &'a str, subject_type: &'a str, subject_id: impl ToString) -> Self {
        Entry {
            action,
            subject_type,
            subject_id: subject_id.to_string(),
            before: None,
            after: None,
        }
    }

    pub fn before(mut self, v: Value) -> Self {
        self.before = Some(v);
        self
    }

    pub fn after(mut self, v: Value) -> Self {
        self.after = Some(v);
        self
    }
}

pub fn record(conn: &mut PgConnection, caller: &Caller, entry: Entry<'_>) -> QueryResult<()> {
    record_for_org(conn, caller, caller.org_id(), entry)
}

/// For changes that belong to another organisation than the actor's (an operator's action
/// on a partner), so that partner's admins find it in their own log.
pub fn record_for_org(
    conn: &mut PgConnection,
    caller: &Caller,
    org_id: Option<OrgId>,
    entry: Entry<'_>,
) -> QueryResult<()> {
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::actor_user_id.eq(caller.user_id().map(i64::from)),
            audit_log::actor_email.eq(&caller.email),
            audit_log::org_id.eq(org_id.map(i64::from)),
            audit_log::action.eq(entry.action),
            audit_log::subject_type.eq(entry.subject_type),
            audit_log::subject_id.eq(entry.subject_id),
            audit_log::before.eq(entry.before),
            audit_log::after.eq(entry.after),
            audit_log::request_id.eq(&caller.meta.request_id),
            audit_log::client_ip.eq(&caller.meta.client_ip),
        ))
        .execute(conn)?;
    Ok(())
}

/// `record` for many entries of one caller in one statement (a bulk issue audits each coupon).
pub fn record_many(
    conn: &mut PgConnection,
    caller: &Caller,
    entries: Vec<Entry<'_>>,
) -> QueryResult<()> {
    if entries.is_empty() {
        return Ok(());
    }
    let user = caller.user_id().map(i64::from);
    let org = caller.org_id().map(i64::from);
    let rows: Vec<_> = entries
        .into_iter()
        .map(|entry| {
            (
                audit_log::actor_user_id.eq(user),
                audit_log::actor_email.eq(&caller.email),
                audit_log::org_id.eq(org),
                audit_log::action.eq(entry.action),
                audit_log::subject_type.eq(entry.subject_type),
                audit_log::subject_id.eq(entry.subject_id),
                audit_log::before.eq(entry.before),
                audit_log::after.eq(entry.after),
                audit_log::request_id.eq(&caller.meta.request_id),
                audit_log::client_ip.eq(&caller.meta.client_ip),
            )
        })
        .collect();
    diesel::insert_into(audit_log::table)
        .values(rows)
        .execute(conn)?;
    Ok(())
}

#[derive(Queryable, Debug, Clone)]
pub struct AuditRow {
    pub id: i64,
    pub at: chrono::DateTime<chrono::Utc>,
    pub actor_user_id: Option<i64>,
    pub actor_email: String,
    pub org_id: Option<i64>,
    pub action: String,
    pub subject_type: String,
    pub subject_id: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
    pub request_id: String,
    pub client_ip: String,
}

/// How a text search treats the actor's address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActorSearch {
    /// Any part of the address matches (the operator console, which shows them in full).
    Substring,
    /// Any part of the address of a member of this organisation, only the whole address of
    /// anyone else (a partner's log, where outsiders' addresses are masked: rule A5).
    MembersOf(i64),
}

/// One keyset page of the log, newest first, optionally limited to an organisation and a text.
pub fn page(
    conn: &mut PgConnection,
    org_id: Option<i64>,
    q: &str,
    actor: ActorSearch,
    before_id: Option<i64>,
    limit: i64,
) -> QueryResult<Vec<AuditRow>> {
    let mut query = audit_log::table.into_boxed();
    if let Some(org) = org_id {
        query = query.filter(audit_log::org_id.eq(org));
    }
    if let Some(id) = before_id {
        query = query.filter(audit_log::id.lt(id));
    }
    if !q.is_empty() {
        let pattern = crate::db::like_pattern(q);
        let by_actor: Box<dyn BoxableExpression<audit_log::table, _, SqlType = _>> = match actor {
            ActorSearch::Substring => Box::new(audit_log::actor_email.ilike(pattern.clone())),
            ActorSearch::MembersOf(org) => {
                let members = users::table.filter(users::org_id.eq(org)).select(users::id);
                Box::new(
                    audit_log::actor_email
                        .ilike(pattern.clone())
                        // No actor (a job) compares as NULL: not a member.
                        .and(audit_log::actor_user_id.assume_not_null().eq_any(members))
                        .or(crate::db::whole_address(audit_log::actor_email, q)),
                )
            }
        };
        query = query.filter(
            audit_log::action
                .ilike(pattern.clone())
                .or(by_actor)
                .or(audit_log::subject_id.ilike(pattern)),
        );
    }
    crate::db::page_limit::limited(query.order(audit_log::id.desc()), limit).load(conn)
}
