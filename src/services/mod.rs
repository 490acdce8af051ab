//! Use cases, one file per area. Handlers call one function here; business rules live here
//! and in `ledger`, citing SPEC rule ids.

pub mod assignments;
pub mod association;
pub mod customers;
pub mod customers_contacts;
pub mod customers_credit;
pub mod customers_detail;
pub mod customers_filter;
pub mod customers_reveal;
pub mod expansion;
pub mod invitations;
pub mod jobs;
pub mod ledger;
pub mod pre_registrations;
pub mod scope;
pub mod sign_in;
pub mod signup;
pub mod unassociation;
