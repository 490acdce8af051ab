//! HTTP tests against the real app, a real PostgreSQL and a real SMTP listener.

#[path = "../support/mod.rs"]
mod support;

mod customers_access;
mod customers_assignments;
mod customers_common;
mod customers_html;
mod customers_money;
mod customers_queries;
mod customers_reveal;
mod customers_unassociation;
mod foundation_access;
mod foundation_html;
mod foundation_mail;
mod foundation_sign_in;
mod invitations_access;
mod invitations_bulk;
mod invitations_expansion;
mod invitations_flow;
mod invitations_helpers;
mod invitations_html;
mod invitations_rules;
mod ledger_concurrency;
mod ledger_helpers;
mod ledger_html;
mod ledger_ops_pages;
mod ledger_partner_account;
mod ledger_reversals;
mod ledger_transfers;
mod ledger_verify;
