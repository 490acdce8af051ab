//! End-to-end tests in a real headless Chromium.

#[path = "../support/mod.rs"]
mod support;

mod bills;
mod coupons;
mod credit;
mod customers;
mod foundation;
mod incentives;
mod invitations;
mod invoices;
mod ledger;
mod orders;
mod resellers;
