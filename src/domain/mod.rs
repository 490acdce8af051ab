//! Validated values and the vocabulary every layer shares: once built, they are known to be
//! well formed. Nothing here reaches the database, the web or the mail server.

pub mod caller;
pub mod email;
pub mod form;
pub mod ids;
pub mod incentives;
pub mod mask;
pub mod money;
pub mod price;
pub mod roles;
pub mod states;
pub mod url;

pub use caller::{Caller, Forbidden, MemberOf, Party, RequestMeta, SignedIn};
pub use email::Email;
pub use form::FormErrors;
pub use ids::{AccountId, CustomerId, InvitationId, OrgId, UserId};
pub use money::Money;
pub use roles::{Audience, OrgKind, Role};
pub use states::{
    AdjustmentState, ApplicationState, AssociationType, BillState, CouponKind, CouponState,
    DebtKind, GrantState, InvitationKind, InvitationShown, InvitationState, OrderState,
    OutboxState, PayRequest, Payer, PaymentSource, Term, UsageImportState, Verification,
    WithdrawalState,
};
