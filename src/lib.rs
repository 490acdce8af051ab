//! Partner Center: the partner portal, the customers' fee center and the operator console.

rust_i18n::i18n!("locales", fallback = "en");

pub mod audit;
pub mod auth;
pub mod cli;
pub mod config;
pub mod db;
pub mod domain;
pub mod error;
pub mod i18n;
pub mod ledger;
pub mod mail;
pub mod routes;
pub mod seed;
pub mod services;
pub mod startup;
pub mod state;
pub mod telemetry;
pub mod views;
