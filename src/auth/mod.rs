//! Who is asking: passwords, sessions, CSRF, sign-in throttling and the role guards.

pub mod csrf;
pub mod identity;
pub mod password;
pub mod session_store;
pub mod throttle;
pub mod tokens;

pub use identity::{CustomerUser, Member, Operator, Who};
