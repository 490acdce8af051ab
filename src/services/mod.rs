//! The application API: one public function per use case, `fn(conn, &Caller, input) ->
//! Result<Outcome, ServiceError>`, called alike by HTML handlers, background jobs, the command
//! line and (later) the JSON API. Nothing here knows HTTP. A use case checks access through
//! `scope`, writes, audits and enqueues mail inside the caller's transaction. Business rules
//! live here and in `ledger`, citing SPEC rule ids. One folder per area of the URL map.

pub mod accounts;
pub mod audit_log;
pub mod billing;
pub mod coupons;
pub mod credit;
pub mod customers;
pub mod dashboard;
pub mod error;
pub mod expansion;
pub mod homes;
pub mod incentives;
pub mod invitations;
pub mod invoices;
pub mod jobs;
pub mod keyset;
pub mod ledger;
pub mod ops;
pub mod orders;
pub mod payments;
pub mod resellers;
pub mod reveal;
pub mod scope;
pub mod validate;

pub use error::{Refusal, ServiceError, ServiceResult};
