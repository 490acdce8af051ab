//! Audiences, partner organisation types and member roles (SPEC §1).

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    Partner,
    Customer,
    Operator,
}

impl Audience {
    pub fn parse(s: &str) -> Option<Audience> {
        match s {
            "partner" => Some(Audience::Partner),
            "customer" => Some(Audience::Customer),
            "operator" => Some(Audience::Operator),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Audience::Partner => "partner",
            Audience::Customer => "customer",
            Audience::Operator => "operator",
        }
    }

    pub fn home(self) -> &'static str {
        match self {
            Audience::Partner => "/partner",
            Audience::Customer => "/fee-center",
            Audience::Operator => "/ops",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Supervisor,
    Manager,
}

impl Role {
    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "admin" => Some(Role::Admin),
            "supervisor" => Some(Role::Supervisor),
            "manager" => Some(Role::Manager),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Supervisor => "supervisor",
            Role::Manager => "manager",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgKind {
    SolutionProvider,
    Distributor,
    Reseller,
}

impl OrgKind {
    pub fn parse(s: &str) -> Option<OrgKind> {
        match s {
            "solution_provider" => Some(OrgKind::SolutionProvider),
            "distributor" => Some(OrgKind::Distributor),
            "reseller" => Some(OrgKind::Reseller),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            OrgKind::SolutionProvider => "solution_provider",
            OrgKind::Distributor => "distributor",
            OrgKind::Reseller => "reseller",
        }
    }
}
