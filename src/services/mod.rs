//! Use cases, one file per area. Handlers call one function here; business rules live here
//! and in `ledger`, citing SPEC rule ids.

pub mod association;
pub mod expansion;
pub mod invitations;
pub mod jobs;
pub mod ledger;
pub mod pre_registrations;
pub mod scope;
pub mod sign_in;
pub mod signup;
