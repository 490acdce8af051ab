//! `/ops/invoices…` (rule B7): the invoices the platform issues (advisory customers and
//! customers without a partner), processed by operators with the handlers shared with the
//! partner area (`routes::invoicing::handlers`); a partner's invoice is 404 here.

use actix_web::web;

use crate::auth::Operator;
use crate::routes::invoicing::handlers;

pub fn configure(cfg: &mut web::ServiceConfig) {
    handlers::configure::<Operator>(cfg);
}
