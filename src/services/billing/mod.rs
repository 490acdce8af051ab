//! Usage, bills and invoices (rules B1–B8): rated usage imported from CSV, the cut-off rule,
//! monthly bills settled when issued, invoice titles and requests, and incentives.
//!
//! - `rating`: the one owner of B1 (8-decimal rating, cents truncated toward zero, 抹零).
//! - `month`: billing months in the platform's zone.
//! - `usage`: the streamed, idempotent usage import (B2).
//! - `issue`: a closed month's bills per customer, attributed (C5) and settled (SPEC §6).
//! - `list`, `detail`, `fee_center`: who sees which bills, and how.
//!
//! A bill becomes paid when its unpaid rest is repaid: the `debts_settle_bill` trigger of
//! migration 000300 sets `bills.paid_at` whenever `credit::debts::repay_oldest` (or anything
//! else) settles a bill's `unpaid` debt, so the C2 check (`customers::association::
//! unpaid_bills`) stays right whoever repays.

pub mod detail;
pub mod fee_center;
pub mod issue;
pub mod list;
pub mod month;
pub mod rating;
pub mod refusal;
pub mod usage;

pub use month::Month;
pub use refusal::BillingRefusal;
