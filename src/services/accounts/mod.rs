//! Accounts: signing in (A1, A2) and creating customer accounts (C1, C7).

pub mod profile;
pub mod sign_in;
pub mod signup;
