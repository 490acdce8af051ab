//! The URL map (SPEC §3): one module per area, each registering its own paths.

pub mod auth;
pub mod csv_export;
pub mod fee_center;
pub mod health;
pub mod invoicing;
pub mod money_form;
pub mod ops;
pub mod partner;
pub mod public;
pub mod upload;

use actix_web::web;

use crate::error::AppError;

pub fn configure(cfg: &mut web::ServiceConfig) {
    health::configure(cfg);
    auth::configure(cfg);
    partner::configure(cfg);
    public::configure(cfg);
    fee_center::configure(cfg);
    ops::configure(cfg);
}

pub use crate::services::keyset::{cursor_id, with_size};

/// `db::run` for handlers: the work answers in the web edge's error type.
pub async fn run<T, F>(pool: &crate::db::Pool, work: F) -> Result<T, AppError>
where
    F: FnOnce(&mut diesel::PgConnection) -> Result<T, AppError> + Send + 'static,
    T: Send + 'static,
{
    crate::db::run(pool, work).await
}

/// `db::transaction` for handlers.
pub async fn transaction<T, F>(pool: &crate::db::Pool, work: F) -> Result<T, AppError>
where
    F: FnOnce(&mut diesel::PgConnection) -> Result<T, AppError> + Send + 'static,
    T: Send + 'static,
{
    crate::db::transaction(pool, work).await
}
