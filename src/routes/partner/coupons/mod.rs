//! `/partner/coupons…`: issued coupons, quotas, issuing (one form and CSV), recovery (rules
//! K1–K5, C10). Customer managers get 403 on every page; supervisors read; admins act.

mod bulk;
mod bulk_preview;
mod grant_select;
mod issue;
mod issue_input;
mod list;
mod quotas;

use actix_web::web;

pub fn configure(cfg: &mut web::ServiceConfig) {
    // Word paths before `{id}` so `/partner/coupons/issue` is never read as an id.
    quotas::configure(cfg);
    issue::configure(cfg);
    bulk::configure(cfg);
    list::configure(cfg);
}
