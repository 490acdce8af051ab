//! What an invitation link leads to (rule C2): every reason it cannot be used, and accepting it
//! by registering a new customer or by an existing unassociated customer signing in. The
//! invitation row is locked `FOR UPDATE` while accepting, so a link opened twice at the same
//! moment associates once.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde_json::json;

use super::lower;
use crate::audit::{self, Entry};
use crate::db::schema::{invitation_retired_tokens, invitations, organizations, users};
use crate::domain::{Audience, InvitationKind, InvitationShown, InvitationState, Role};
use crate::domain::{Caller, CustomerId, OrgId, SignedIn, UserId};
use crate::i18n::Lang;
use crate::services::accounts::signup::{self, NewAccount, RegistrationForm};
use crate::services::customers::association::{self, AssociationType};
use crate::services::{Refusal, ServiceError, ServiceResult};

pub use super::stop::Stop;

/// A usable invitation, as the landing page shows it.
#[derive(Clone, Debug)]
pub struct Open {
    pub id: i64,
    /// A customer invitation, or a reseller invitation of a distributor (rule R1).
    pub kind: InvitationKind,
    /// The invited company (for a reseller: the organisation's name).
    pub company: String,
    pub partner_id: i64,
    pub partner: String,
    pub inviter_id: i64,
    pub email: String,
    pub association_type: AssociationType,
    pub language: Lang,
    pub expires_at: DateTime<Utc>,
}

/// Who the invited address is now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Invitee {
    /// No account yet: the page offers registration.
    New,
    /// An existing customer account: the page offers sign-in. Whatever keeps it from joining
    /// (rule C2) is told only once the invitee has signed in as the invited address, so the
    /// link tells nobody else about the account.
    Customer { user_id: i64, customer_id: i64 },
    /// The address belongs to partner staff, an operator, or a customer record without a
    /// sign-in: the same sign-in form, and "not a customer account" only after signing in.
    Other { user_id: Option<i64> },
}

impl Invitee {
    /// The account the invited address signs in as, when there is one.
    pub fn user_id(&self) -> Option<i64> {
        match self {
            Invitee::New => None,
            Invitee::Customer { user_id, .. } => Some(*user_id),
            Invitee::Other { user_id } => *user_id,
        }
    }
}

type Row = (
    i64,
    i64,
    String,
    i64,
    String,
    String,
    String,
    String,
    DateTime<Utc>,
    String,
    String,
);

/// Resolves a token as received. With `lock` the invitation row stays locked until the
/// caller's transaction ends.
pub fn open(conn: &mut PgConnection, received: &str, lock: bool) -> ServiceResult<(Open, Invitee)> {
    let Some(hash) = crate::auth::tokens::parse_and_hash(received) else {
        return Err(Stop::Unknown.into());
    };
    let query = invitations::table
        .inner_join(organizations::table)
        .filter(invitations::token_hash.eq(&hash))
        .select((
            invitations::id,
            invitations::partner_id,
            organizations::name,
            invitations::inviter_id,
            invitations::email,
            invitations::association_type,
            invitations::language,
            invitations::state,
            invitations::expires_at,
            invitations::kind,
            invitations::company,
        ));
    if lock {
        // Lock the invitation row alone (not the partner's), until the transaction ends.
        invitations::table
            .filter(invitations::token_hash.eq(&hash))
            .select(invitations::id)
            .for_update()
            .first::<i64>(conn)
            .optional()?;
    }
    let row: Option<Row> = query.first(conn).optional()?;
    let Some(r) = row else {
        let retired: bool = diesel::select(diesel::dsl::exists(
            invitation_retired_tokens::table.find(&hash),
        ))
        .get_result(conn)?;
        let stop = if retired {
            Stop::Superseded
        } else {
            Stop::Unknown
        };
        return Err(stop.into());
    };
    let state = InvitationState::parse(&r.7)
        .ok_or_else(|| ServiceError::internal(format!("invitation state {}", r.7)))?;
    match InvitationShown::of(state, r.8, Utc::now()) {
        InvitationShown::Accepted => return Err(Stop::Used.into()),
        InvitationShown::Revoked => return Err(Stop::Revoked.into()),
        InvitationShown::Expired => return Err(Stop::Expired.into()),
        InvitationShown::Pending => {}
    }
    let open = Open {
        id: r.0,
        kind: InvitationKind::parse(&r.9).unwrap_or(InvitationKind::Customer),
        company: r.10,
        partner_id: r.1,
        partner: r.2,
        inviter_id: r.3,
        email: r.4,
        association_type: AssociationType::parse(&r.5).unwrap_or(AssociationType::Resale),
        language: Lang::parse(&r.6).unwrap_or(Lang::ZhCn),
        expires_at: r.8,
    };
    let account: Option<(i64, String, Option<i64>)> = users::table
        .filter(lower(users::email).eq(crate::domain::email::normalize(&open.email)))
        .select((users::id, users::audience, users::customer_id))
        .first(conn)
        .optional()?;
    let invitee = match account {
        None if crate::services::accounts::signup::address_taken(conn, &open.email)? => {
            Invitee::Other { user_id: None }
        }
        None => Invitee::New,
        Some((user_id, audience, Some(customer_id)))
            if Audience::parse(&audience) == Some(Audience::Customer) =>
        {
            Invitee::Customer {
                user_id,
                customer_id,
            }
        }
        Some((user_id, ..)) => Invitee::Other {
            user_id: Some(user_id),
        },
    };
    Ok((open, invitee))
}

/// What keeps the invited account from joining (rule C2), for a page shown to the invitee
/// once signed in as the invited address; `None` when it may join.
pub fn account_problem(
    conn: &mut PgConnection,
    open: &Open,
    invitee: &Invitee,
) -> ServiceResult<Option<Stop>> {
    if open.kind == InvitationKind::Reseller {
        return Ok(match invitee {
            Invitee::New => None,
            Invitee::Other { .. } => Some(Stop::PartnerStaff),
            Invitee::Customer { customer_id, .. } => {
                crate::services::resellers::joining::conversion_problem(conn, *customer_id)?
            }
        });
    }
    Ok(match invitee {
        Invitee::New => None,
        Invitee::Other { .. } => Some(Stop::NotCustomer),
        Invitee::Customer { customer_id, .. } => {
            association::refusal(conn, *customer_id, open.partner_id)?.map(Stop::Refused)
        }
    })
}

fn finish(
    conn: &mut PgConnection,
    open: &Open,
    customer_id: i64,
    caller: &Caller,
) -> ServiceResult<()> {
    match association::associate(
        conn,
        customer_id,
        open.partner_id,
        open.association_type,
        caller,
    ) {
        Ok(()) => {}
        Err(ServiceError::Refused(Refusal::Association(r))) => return Err(Stop::Refused(r).into()),
        Err(e) => return Err(e),
    }
    // A customer manager who invites keeps the customer they brought in.
    let inviter_role: Option<(Option<String>, Option<i64>, bool)> = users::table
        .find(open.inviter_id)
        .select((users::role, users::org_id, users::disabled))
        .first(conn)
        .optional()?;
    if let Some((Some(role), Some(org), false)) = inviter_role
        && Role::parse(&role) == Some(Role::Manager)
        && org == open.partner_id
    {
        association::assign_manager(conn, customer_id, open.partner_id, open.inviter_id, caller)?;
    }
    mark_accepted(conn, open, AcceptedBy::Customer(customer_id), caller)
}

/// What accepting an invitation produced: the associated customer, or the new reseller.
#[derive(Clone, Copy, Debug)]
pub enum AcceptedBy {
    Customer(i64),
    Reseller(i64),
}

/// Marks the invitation accepted by what it produced and audits it in the inviting
/// organisation's log (every kind of invitation, rules C2 and R1).
pub fn mark_accepted(
    conn: &mut PgConnection,
    open: &Open,
    by: AcceptedBy,
    caller: &Caller,
) -> ServiceResult<()> {
    let (customer, org, after) = match by {
        AcceptedBy::Customer(id) => (
            Some(id),
            None,
            json!({ "state": "accepted", "customer_id": id }),
        ),
        AcceptedBy::Reseller(id) => (
            None,
            Some(id),
            json!({ "state": "accepted", "reseller_id": id }),
        ),
    };
    diesel::update(invitations::table.find(open.id))
        .set((
            invitations::state.eq(InvitationState::Accepted.as_str()),
            invitations::accepted_at.eq(Some(Utc::now())),
            invitations::accepted_customer_id.eq(customer),
            invitations::accepted_org_id.eq(org),
        ))
        .execute(conn)?;
    audit::record_for_org(
        conn,
        caller,
        Some(OrgId(open.partner_id)),
        Entry::new("invitation.accept", "invitation", open.id)
            .before(json!({ "state": "pending" }))
            .after(after),
    )?;
    Ok(())
}

/// A new customer registers from the link (call inside a transaction).
pub fn register(
    conn: &mut PgConnection,
    token: &str,
    form: &RegistrationForm,
    password_hash: &str,
    caller: &Caller,
) -> ServiceResult<SignedIn> {
    let (open, invitee) = open(conn, token, true)?;
    if invitee != Invitee::New {
        return Err(Stop::WrongAddress.into());
    }
    if open.kind == InvitationKind::Reseller {
        return crate::services::resellers::joining::register(
            conn,
            &open,
            form,
            password_hash,
            caller,
        );
    }
    let account = NewAccount {
        email: &open.email,
        form,
        password_hash,
        language: open.language,
        partner_id: open.partner_id,
        // The link reached the invitee only by mail: following it proves the address (C1).
        verified: true,
    };
    let (who, caller) =
        signup::register(conn, caller, &account, json!({ "invitation_id": open.id }))?;
    let customer_id = who.customer_id.map_or(0, CustomerId::get);
    finish(conn, &open, customer_id, &caller)?;
    Ok(who)
}

/// An existing customer, whose password was checked already, confirms (inside a transaction).
pub fn confirm(
    conn: &mut PgConnection,
    token: &str,
    user_id: i64,
    caller: &Caller,
) -> ServiceResult<SignedIn> {
    let (open, invitee) = open(conn, token, true)?;
    let (invited_user, customer_id) = match invitee {
        Invitee::Customer {
            user_id,
            customer_id,
        } => (user_id, customer_id),
        Invitee::Other { user_id: Some(u) } if u == user_id => {
            return Err(match open.kind {
                InvitationKind::Reseller => Stop::PartnerStaff,
                InvitationKind::Customer => Stop::NotCustomer,
            }
            .into());
        }
        _ => return Err(Stop::WrongAddress.into()),
    };
    // rule C1: the link is bound to the invited address.
    if invited_user != user_id {
        return Err(Stop::WrongAddress.into());
    }
    if open.kind == InvitationKind::Reseller {
        return crate::services::resellers::joining::convert(
            conn,
            &open,
            user_id,
            customer_id,
            caller,
        );
    }
    let (email, name): (String, String) = users::table
        .find(user_id)
        .select((users::email, users::display_name))
        .first(conn)?;
    let who = SignedIn::customer(UserId(user_id), CustomerId(customer_id), &email, &name);
    let caller = caller.as_party(who.party(), &email);
    diesel::update(users::table.find(user_id))
        .set(users::last_sign_in_at.eq(Some(Utc::now())))
        .execute(conn)?;
    finish(conn, &open, customer_id, &caller)?;
    Ok(who)
}
