//! HTTP tests against the real app, a real PostgreSQL and a real SMTP listener.

#[path = "../support/mod.rs"]
mod support;

mod accounts;
mod coupons;
mod customers;
mod foundation;
mod invitations;
mod invoices;
mod ledger;
mod payments;
mod resellers;
