//! HTTP tests against the real app, a real PostgreSQL and a real SMTP listener.

#[path = "../support/mod.rs"]
mod support;

mod foundation_access;
mod foundation_html;
mod foundation_mail;
mod foundation_sign_in;
mod customers_access;
mod customers_common;
mod customers_money;
mod customers_reveal;
mod customers_assignments;
mod customers_unassociation;
mod customers_queries;
mod customers_html;
