//! HTTP tests against the real app, a real PostgreSQL and a real SMTP listener.

#[path = "../support/mod.rs"]
mod support;

mod accounts;
mod billing;
mod coupons;
mod credit;
mod customers;
mod dashboard;
mod foundation;
mod incentives;
mod invitations;
mod invoices;
mod ledger;
mod orders;
mod payments;
mod resellers;
