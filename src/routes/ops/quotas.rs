//! `/ops/quotas`: operators grant, adjust and freeze partners' quota (rules K1, K2a).

use actix_web::web;

pub fn configure(_cfg: &mut web::ServiceConfig) {}
