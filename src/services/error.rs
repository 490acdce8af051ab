//! Why a use case did not do what was asked. Every area returns this one shape, so the web
//! edge (`crate::error`), a JSON endpoint or a command turns it into its own answer in one
//! place. Business refusals carry the i18n key of the message people read.

use crate::db::DbError;
use crate::domain::Forbidden;
use crate::ledger::LedgerError;
use crate::services::accounts::links::LinkProblem;
use crate::services::billing::BillingRefusal;
use crate::services::coupons::CouponRefusal;
use crate::services::credit::CreditRefusal;
use crate::services::customers::association::Refusal as AssociationRefusal;
use crate::services::incentives::IncentiveRefusal;
use crate::services::invitations::SendRefusal;
use crate::services::invitations::pre_registrations::Refusal as PreRegistrationRefusal;
use crate::services::invitations::stop::Stop;
use crate::services::orders::OrderRefusal;
use crate::services::payments::PaymentRefusal;
use crate::services::resellers::applications::ApplicationRefusal;

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// No such thing, or not one the caller may see: both read as "not found" (SPEC §5).
    #[error("not found")]
    NotFound,
    /// The caller's role does not allow the action.
    #[error("forbidden")]
    Forbidden,
    /// Input no form of ours sends (a forged selection, a broken key); `what` names it.
    #[error("malformed input: {0}")]
    Malformed(&'static str),
    /// The action is refused by a business rule: the area's own reason.
    #[error("refused: {0:?}")]
    Refused(Refusal),
    /// A throttle said no (rule A2, A5).
    #[error("too many attempts")]
    TooManyAttempts,
    #[error(transparent)]
    Ledger(LedgerError),
    /// Something that should not happen (a stored value that no longer parses, an encoder
    /// failure): logged and shown as the error page.
    #[error("internal error: {0}")]
    Internal(String),
    #[error(transparent)]
    Db(#[from] DbError),
}

pub type ServiceResult<T> = Result<T, ServiceError>;

impl From<Forbidden> for ServiceError {
    fn from(_: Forbidden) -> Self {
        ServiceError::Forbidden
    }
}

impl From<diesel::result::Error> for ServiceError {
    fn from(e: diesel::result::Error) -> Self {
        match e {
            diesel::result::Error::NotFound => ServiceError::NotFound,
            other => ServiceError::Db(DbError::Query(other)),
        }
    }
}

/// A mail template that does not render is a defect, shown as the error page and logged.
impl From<askama::Error> for ServiceError {
    fn from(e: askama::Error) -> Self {
        ServiceError::Internal(format!("mail template: {e}"))
    }
}

impl From<LedgerError> for ServiceError {
    fn from(e: LedgerError) -> Self {
        match e {
            LedgerError::Db(d) => d.into(),
            other => ServiceError::Ledger(other),
        }
    }
}

/// Why a business rule said no, one variant per area, each holding that area's own reasons
/// (and through them the message people read).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Accounts: the address belongs to an account already (C1, C7).
    AddressTaken,
    /// Customers: why a customer cannot be associated with a partner (C2).
    Association(AssociationRefusal),
    /// Invitations: why a link cannot be used (C2).
    Invitation(Stop),
    /// Invitations: why one is not sent (C1).
    Send(SendRefusal),
    /// Invitations: only pending invitations are resent or revoked (C3).
    NotPending,
    /// Pre-registrations (C8).
    PreRegistration(PreRegistrationRefusal),
    /// Accounts: a mailed link (join verification, password reset) that cannot be used.
    Link(LinkProblem),
    /// Resellers: why a cooperation application step is refused (R2).
    Application(ApplicationRefusal),
    /// Coupons and quota: why a grant, pass, issue or recovery is refused (K1–K5).
    Coupon(CouponRefusal),
    /// Orders: a step the order's state does not allow, a product not sold (P1).
    Order(OrderRefusal),
    /// Payments and refunds (K7, P2, P3).
    Payment(PaymentRefusal),
    /// Credit lines and withdrawals (P4).
    Credit(CreditRefusal),
    /// Bills and invoices (B1–B8).
    Billing(BillingRefusal),
    /// Incentives, their payment requests and invoices (B8, P4).
    Incentive(IncentiveRefusal),
}

impl Refusal {
    /// The message key, or for association and link refusals the problem key their pages
    /// look up under `invitation.problem.*`.
    pub fn key(self) -> &'static str {
        match self {
            Refusal::AddressTaken => "join.email_taken",
            Refusal::Association(r) => r.key(),
            Refusal::Invitation(s) => s.key(),
            Refusal::Send(SendRefusal::AlreadyInvited) => "invite.error.already_invited",
            Refusal::Send(SendRefusal::AlreadyCustomer) => "invite.error.already_customer",
            Refusal::Send(SendRefusal::PartnerStaff) => "invite.error.partner_staff",
            Refusal::NotPending => "invite.error.not_pending",
            Refusal::PreRegistration(r) => r.key(),
            Refusal::Link(p) => p.key(),
            Refusal::Application(r) => r.key(),
            Refusal::Coupon(r) => r.key(),
            Refusal::Order(r) => r.key(),
            Refusal::Payment(r) => r.key(),
            Refusal::Credit(r) => r.key(),
            Refusal::Billing(r) => r.key(),
            Refusal::Incentive(r) => r.key(),
        }
    }
}

macro_rules! refusal_from {
    ($($area:ty => $variant:ident),+) => {$(
        impl From<$area> for ServiceError {
            fn from(r: $area) -> Self {
                ServiceError::Refused(Refusal::$variant(r))
            }
        }
    )+};
}

refusal_from! {
    AssociationRefusal => Association,
    Stop => Invitation,
    SendRefusal => Send,
    PreRegistrationRefusal => PreRegistration,
    ApplicationRefusal => Application,
    CouponRefusal => Coupon,
    OrderRefusal => Order,
    PaymentRefusal => Payment,
    CreditRefusal => Credit,
    BillingRefusal => Billing,
    IncentiveRefusal => Incentive
}

impl From<CouponRefusal> for Refusal {
    fn from(r: CouponRefusal) -> Self {
        Refusal::Coupon(r)
    }
}

impl ServiceError {
    pub fn internal(msg: impl Into<String>) -> Self {
        ServiceError::Internal(msg.into())
    }

    /// The i18n key of the message for a refusal, when there is one to show beside a form.
    pub fn message_key(&self) -> Option<&'static str> {
        match self {
            ServiceError::Refused(r) => Some(r.key()),
            ServiceError::Ledger(e) => Some(e.message_key()),
            ServiceError::TooManyAttempts => Some("error.429.message"),
            _ => None,
        }
    }
}
