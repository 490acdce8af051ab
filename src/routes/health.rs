//! `/healthz`: liveness plus a database round trip.

use actix_web::{HttpResponse, web};

use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/healthz", web::get().to(health));
}

async fn health(state: web::Data<AppState>) -> HttpResponse {
    match crate::db::ping(&state.pool).await {
        Ok(()) => HttpResponse::Ok().json(serde_json::json!({"status": "ok", "database": "ok"})),
        Err(e) => HttpResponse::ServiceUnavailable()
            .json(serde_json::json!({"status": "degraded", "database": e.to_string()})),
    }
}
