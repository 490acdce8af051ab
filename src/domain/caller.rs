//! Who acts in a use case, and from where. Every service takes a `&Caller`: the web edge
//! builds it from the session, a background job or the command line builds it as `System`,
//! and the JSON API will build it from an API key. The audit row reads its fields.

use super::ids::{CustomerId, OrgId, UserId};
use super::roles::{OrgKind, Role};

/// The request an action came in: written beside every audit row and ledger transfer.
#[derive(Clone, Debug, Default)]
pub struct RequestMeta {
    pub request_id: String,
    pub client_ip: String,
}

/// A member of a partner organisation: everything a member reads is scoped by `org_id` and,
/// for customer managers, by `user_id` (SPEC §1 roles).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MemberOf {
    pub user_id: UserId,
    pub org_id: OrgId,
    pub org_kind: OrgKind,
    pub role: Role,
}

/// The refusal of an action the caller's role does not allow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Forbidden;

impl MemberOf {
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }

    pub fn require_admin(&self) -> Result<(), Forbidden> {
        if self.is_admin() {
            Ok(())
        } else {
            Err(Forbidden)
        }
    }

    /// Assignment is admin and supervisor work (SPEC §5 "Roles").
    pub fn require_assigner(&self) -> Result<(), Forbidden> {
        if matches!(self.role, Role::Admin | Role::Supervisor) {
            Ok(())
        } else {
            Err(Forbidden)
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Party {
    /// A visitor who has not signed in (invitation and join pages, sign-in itself).
    Anonymous,
    Member(MemberOf),
    Customer {
        user_id: UserId,
        customer_id: CustomerId,
    },
    Operator {
        user_id: UserId,
    },
    /// A partner's key for the JSON API, acting for its organisation.
    ApiKey {
        key_id: i64,
        org_id: OrgId,
    },
    /// Scheduled jobs, demo data and admin commands.
    System,
}

#[derive(Clone, Debug)]
pub struct Caller {
    pub party: Party,
    /// The signed-in address, or a label such as `system` for the audit row.
    pub email: String,
    /// The name people know the caller by (an inviter's name in the invitation mail).
    pub name: String,
    pub meta: RequestMeta,
}

impl Caller {
    pub fn anonymous(meta: RequestMeta) -> Caller {
        Caller {
            party: Party::Anonymous,
            email: String::new(),
            name: String::new(),
            meta,
        }
    }

    pub fn system(label: &str) -> Caller {
        Caller {
            party: Party::System,
            email: label.to_string(),
            name: label.to_string(),
            meta: RequestMeta::default(),
        }
    }

    /// The same request acted on by someone else: a visitor who has just signed in or
    /// registered on this request.
    pub fn as_party(&self, party: Party, email: &str) -> Caller {
        Caller {
            party,
            email: email.to_string(),
            name: self.name.clone(),
            meta: self.meta.clone(),
        }
    }

    pub fn member(&self) -> Result<&MemberOf, Forbidden> {
        match &self.party {
            Party::Member(m) => Ok(m),
            _ => Err(Forbidden),
        }
    }

    pub fn customer_id(&self) -> Result<CustomerId, Forbidden> {
        match self.party {
            Party::Customer { customer_id, .. } => Ok(customer_id),
            _ => Err(Forbidden),
        }
    }

    pub fn require_operator(&self) -> Result<UserId, Forbidden> {
        match self.party {
            Party::Operator { user_id } => Ok(user_id),
            _ => Err(Forbidden),
        }
    }

    pub fn user_id(&self) -> Option<UserId> {
        match self.party {
            Party::Member(m) => Some(m.user_id),
            Party::Customer { user_id, .. } | Party::Operator { user_id } => Some(user_id),
            Party::Anonymous | Party::ApiKey { .. } | Party::System => None,
        }
    }

    /// The organisation the caller acts for; audit rows land in its log.
    pub fn org_id(&self) -> Option<OrgId> {
        match self.party {
            Party::Member(m) => Some(m.org_id),
            Party::ApiKey { org_id, .. } => Some(org_id),
            _ => None,
        }
    }
}

/// A person just authenticated (sign-in, registration, accepted invitation): what the web edge
/// keeps in the session and the audit row names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedIn {
    pub user_id: UserId,
    pub audience: super::roles::Audience,
    pub email: String,
    pub name: String,
    pub org_id: Option<OrgId>,
    pub org_name: Option<String>,
    pub org_kind: Option<OrgKind>,
    pub role: Option<Role>,
    pub customer_id: Option<CustomerId>,
}

impl SignedIn {
    pub fn customer(user_id: UserId, customer_id: CustomerId, email: &str, name: &str) -> Self {
        SignedIn {
            user_id,
            audience: super::roles::Audience::Customer,
            email: email.to_string(),
            name: name.to_string(),
            org_id: None,
            org_name: None,
            org_kind: None,
            role: None,
            customer_id: Some(customer_id),
        }
    }

    /// The party this person acts as from now on.
    pub fn party(&self) -> Party {
        use super::roles::Audience;
        match (
            self.audience,
            self.org_id,
            self.org_kind,
            self.role,
            self.customer_id,
        ) {
            (Audience::Partner, Some(org_id), Some(org_kind), Some(role), _) => {
                Party::Member(MemberOf {
                    user_id: self.user_id,
                    org_id,
                    org_kind,
                    role,
                })
            }
            (Audience::Customer, _, _, _, Some(customer_id)) => Party::Customer {
                user_id: self.user_id,
                customer_id,
            },
            (Audience::Operator, ..) => Party::Operator {
                user_id: self.user_id,
            },
            _ => Party::Anonymous,
        }
    }
}
