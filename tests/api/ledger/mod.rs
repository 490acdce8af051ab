//! The double-entry ledger: transfers, reversals, concurrency, verification, its pages.

mod batch;
mod concurrency;
mod fan_out;
pub mod helpers;
mod html;
mod ops_pages;
mod partner_account;
mod reversals;
mod transfers;
mod verify;
