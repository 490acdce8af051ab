//! Usage, bills and invoices (rules B1–B8): rated usage imported from CSV, the cut-off rule,
//! monthly bills settled when issued, invoice titles and requests, and incentives.

pub mod refusal;

pub use refusal::BillingRefusal;
