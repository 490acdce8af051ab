//! Issuing vouchers and cash coupons from a grant (rules K2, K5): the checks every line passes
//! (one pure function, shared by the form, the CSV preview and the CSV issue), and the writes
//! of the coupons (`write`: their own ledger accounts, their rows, one fan-out transfer grant
//! → coupons).

use std::collections::HashMap;

use chrono::NaiveDate;
use diesel::prelude::*;

use super::CouponRefusal;
use super::grants::{self, Grant};
use crate::db::schema::{coupons, customers, organizations};
use crate::domain::{AssociationType, Caller, CouponKind, MemberOf, Money};
use crate::services::customers::top_up::valid_key;
use crate::services::{ServiceError, ServiceResult};

pub mod write;

pub use write::{Keyed, write_many};

/// What the checks need to know of a customer.
#[derive(Queryable, Debug, Clone)]
pub struct CustomerFacts {
    pub id: i64,
    pub company: String,
    pub email: String,
    pub partner_id: Option<i64>,
    pub association_type: Option<String>,
    pub signing_entity: String,
}

/// The customers with these ids, in one statement.
pub fn customer_facts(
    conn: &mut PgConnection,
    ids: &[i64],
) -> QueryResult<HashMap<i64, CustomerFacts>> {
    let rows: Vec<CustomerFacts> = customers::table
        .filter(customers::id.eq_any(ids))
        .select((
            customers::id,
            customers::company,
            customers::email,
            customers::partner_id,
            customers::association_type,
            customers::signing_entity,
        ))
        .load(conn)?;
    Ok(rows.into_iter().map(|c| (c.id, c)).collect())
}

/// The issuing partner's signing entity (rule K5).
pub fn signing_entity_of(conn: &mut PgConnection, member: &MemberOf) -> QueryResult<String> {
    organizations::table
        .find(member.org_id.get())
        .select(organizations::signing_entity)
        .first(conn)
}

/// One coupon to issue: to whom, how much, until when.
#[derive(Debug, Clone)]
pub struct Line {
    pub customer_id: i64,
    pub face_value: Money,
    pub valid_until: NaiveDate,
}

/// What every line of one issue shares: the grant, the scope and the facts to check against.
pub struct Batch<'a> {
    pub member: &'a MemberOf,
    pub grant: &'a Grant,
    pub scope: &'a [String],
    pub partner_signing_entity: &'a str,
    pub today: NaiveDate,
}

impl Batch<'_> {
    /// rules K2, K2a, K5: why this line cannot be issued, if it cannot. Quota is checked for
    /// the whole batch by the caller (and, finally, by the ledger).
    pub fn check(
        &self,
        line: &Line,
        customer: Option<&CustomerFacts>,
    ) -> Result<(), CouponRefusal> {
        self.grant.can_issue(self.today)?;
        // A coupon starts today or at its grant's start; it must not end before it starts.
        if line.valid_until < self.valid_from() {
            return Err(CouponRefusal::ValidityInPast);
        }
        if line.valid_until > self.grant.row.valid_until {
            return Err(CouponRefusal::BeyondGrantValidity);
        }
        if !super::scope::narrows(&self.grant.row.scope, self.scope) {
            return Err(CouponRefusal::ScopeWider);
        }
        let Some(customer) = customer.filter(|c| c.partner_id == Some(self.member.org_id.get()))
        else {
            return Err(CouponRefusal::NotOurCustomer);
        };
        // rule K5: a cash coupon whose invoice goes only to its user.
        if self.grant.kind == CouponKind::CashCoupon && self.grant.row.invoice_restricted {
            if customer.association_type.as_deref() == Some(AssociationType::Resale.as_str()) {
                return Err(CouponRefusal::RestrictedResale);
            }
            if customer.signing_entity != self.partner_signing_entity {
                return Err(CouponRefusal::RestrictedSigningEntity);
            }
        }
        if line.face_value.amount() > self.grant.available {
            return Err(CouponRefusal::NotEnoughQuota);
        }
        Ok(())
    }

    /// The day a coupon's validity starts: today, or the grant's start if that is later.
    pub fn valid_from(&self) -> NaiveDate {
        self.today.max(self.grant.row.valid_from)
    }
}

/// The stored key of one line of one form (per organisation, form key and customer).
pub fn issue_key(member: &MemberOf, form_key: &str, customer_id: i64) -> String {
    format!("{}:{form_key}:{customer_id}", member.org_id)
}

/// What the issue form asks for (rule K2; SPEC §5 form names).
pub struct IssueInput {
    pub grant_id: i64,
    pub customer_ids: Vec<i64>,
    pub face_value: Money,
    /// `None`: the grant's own end (rule K2: validity defaults from the quota).
    pub valid_until: Option<NaiveDate>,
    pub scope: Vec<String>,
    pub remark: String,
    pub key: String,
}

pub enum IssueOutcome {
    /// Every chosen customer got a coupon (ids in the order chosen).
    Issued(Vec<i64>),
    /// Nothing was issued: each customer with its reason (`None`: nothing against it).
    Refused(Vec<(i64, Option<CouponRefusal>)>),
}

/// rule K2: issues one coupon to each chosen customer (at most 10) in one transaction, or none
/// with a reason per customer. The form's key makes a double submit issue once.
pub fn issue(
    conn: &mut PgConnection,
    caller: &Caller,
    input: &IssueInput,
) -> ServiceResult<IssueOutcome> {
    let member = super::admin(caller)?;
    if !valid_key(&input.key) {
        return Err(ServiceError::Malformed("idempotency key"));
    }
    if input.remark.chars().count() > super::REMARK_MAX {
        return Err(ServiceError::Malformed("remark"));
    }
    let mut ids = input.customer_ids.clone();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() || ids.len() != input.customer_ids.len() {
        return Err(ServiceError::Malformed("customers"));
    }
    if ids.len() > super::FORM_CUSTOMERS_MAX {
        return Err(CouponRefusal::TooMany.into());
    }
    let chosen = super::scope::parse(conn, &input.scope)??;
    let result = conn.transaction(|conn| {
        // One issue per grant at a time: the batch's quota check and its writes see the same
        // balance, and a frozen grant stays frozen until the issue commits.
        let grant = grants::own(conn, member, input.grant_id, true)?;
        // rule K2: no service chosen means the grant's own scope (every service only when the
        // grant has no limit), so a limited grant never issues a coupon wider than itself.
        let scope = if chosen.is_empty() {
            grant.row.scope.clone()
        } else {
            chosen.clone()
        };
        let facts = customer_facts(conn, &input.customer_ids)?;
        let entity = signing_entity_of(conn, member)?;
        let batch = Batch {
            member,
            grant: &grant,
            scope: &scope,
            partner_signing_entity: &entity,
            today: super::today(),
        };
        let valid_until = input.valid_until.unwrap_or(grant.row.valid_until);
        let lines: Vec<Line> = input
            .customer_ids
            .iter()
            .map(|&customer_id| Line {
                customer_id,
                face_value: input.face_value,
                valid_until,
            })
            .collect();
        // A double submit: the lines this key issued already are done; only the others are
        // checked (and need quota), so a replay with another customer added cannot skip
        // that customer's checks.
        let keys: Vec<String> = lines
            .iter()
            .map(|l| issue_key(member, &input.key, l.customer_id))
            .collect();
        let done: std::collections::HashSet<String> = coupons::table
            .filter(coupons::issue_key.eq_any(&keys))
            .select(coupons::issue_key)
            .load::<String>(conn)?
            .into_iter()
            .collect();
        let mut reasons: Vec<(i64, Option<CouponRefusal>)> = Vec::with_capacity(lines.len());
        let mut total = rust_decimal::Decimal::ZERO;
        for (line, key) in lines.iter().zip(&keys) {
            if done.contains(key) {
                reasons.push((line.customer_id, None));
                continue;
            }
            total += line.face_value.amount();
            let reason = batch.check(line, facts.get(&line.customer_id)).err();
            reasons.push((line.customer_id, reason));
        }
        // The grant must cover every new coupon of the batch.
        if reasons.iter().all(|r| r.1.is_none()) && total > grant.available {
            for (r, key) in reasons.iter_mut().zip(&keys) {
                if !done.contains(key) {
                    r.1 = Some(CouponRefusal::NotEnoughQuota);
                }
            }
        }
        if reasons.iter().all(|r| r.1.is_none()) {
            let keyed: Vec<Keyed<'_>> = lines
                .iter()
                .zip(keys)
                .map(|(line, key)| Keyed { line, key })
                .collect();
            return match write_many(conn, caller, &batch, &keyed, &input.remark)? {
                Ok(issued) => Ok(IssueOutcome::Issued(issued)),
                Err(r) => Err(ServiceError::Refused(r.into())),
            };
        }
        Ok(IssueOutcome::Refused(reasons))
    });
    match result {
        // A refusal the ledger found mid-batch rolled everything back.
        Err(ServiceError::Refused(crate::services::Refusal::Coupon(r))) => Ok(
            IssueOutcome::Refused(input.customer_ids.iter().map(|&c| (c, Some(r))).collect()),
        ),
        other => other,
    }
}
