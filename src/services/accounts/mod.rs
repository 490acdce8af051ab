//! Accounts: signing in (A1, A2), creating customer accounts (C1, C7), proving an address
//! and resetting a password by mailed single-use links.

pub mod join;
pub mod links;
pub mod password_reset;
pub mod profile;
pub mod public_forms;
pub mod sign_in;
pub mod signup;
