//! `/healthz`: liveness plus a database round trip. Anyone may ask, so the answer names no
//! cause; the cause goes to the log.

use actix_web::{HttpResponse, web};

use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/healthz", web::get().to(health));
}

async fn health(state: web::Data<AppState>) -> HttpResponse {
    match crate::db::ping(&state.pool).await {
        Ok(()) => HttpResponse::Ok().json(serde_json::json!({"status": "ok", "database": "ok"})),
        Err(e) => {
            tracing::warn!(error = %e, "health check: the database is unavailable");
            HttpResponse::ServiceUnavailable()
                .json(serde_json::json!({"status": "degraded", "database": "unavailable"}))
        }
    }
}
