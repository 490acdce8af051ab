//! Validated values: once built, they are known to be well formed.

pub mod email;
pub mod mask;
pub mod money;
pub mod roles;

pub use email::Email;
pub use money::Money;
pub use roles::{Audience, OrgKind, Role};
