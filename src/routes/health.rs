//! `/healthz`: liveness plus a database round trip.

use actix_web::{HttpResponse, web};
use diesel::prelude::*;

use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/healthz", web::get().to(health));
}

async fn health(state: web::Data<AppState>) -> HttpResponse {
    let pool = state.pool.clone();
    let db = web::block(move || -> anyhow::Result<()> {
        diesel::sql_query("SELECT 1").execute(&mut pool.get()?)?;
        Ok(())
    })
    .await;
    match db {
        Ok(Ok(())) => {
            HttpResponse::Ok().json(serde_json::json!({"status": "ok", "database": "ok"}))
        }
        Ok(Err(e)) => HttpResponse::ServiceUnavailable()
            .json(serde_json::json!({"status": "degraded", "database": e.to_string()})),
        Err(e) => HttpResponse::ServiceUnavailable()
            .json(serde_json::json!({"status": "degraded", "database": e.to_string()})),
    }
}
