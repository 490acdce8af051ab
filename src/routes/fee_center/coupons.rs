//! `/fee-center/coupons` and `/fee-center/cash-coupons`: the customer's own coupons (rule K6).

use actix_web::web;

pub fn configure(_cfg: &mut web::ServiceConfig) {}
