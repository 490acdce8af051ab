//! Customers (C2–C10, R4): access, lists, money, reveals, assignments, unassociation.

mod access;
mod assignments;
pub mod common;
mod contacts;
mod counts;
mod history;
mod html;
mod money;
pub(crate) mod queries;
mod reveal;
mod unassociation;
