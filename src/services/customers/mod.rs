//! The partner's customers (C2–C10, R4): lists, detail, contacts, reveals, top-ups, exports,
//! manager assignments, association and unassociation.

pub mod assignments;
pub mod association;
pub mod contacts;
pub mod detail;
pub mod export;
pub mod filter;
pub mod list;
pub mod resellers;
pub mod reveal;
pub mod top_up;
pub mod unassociation;
