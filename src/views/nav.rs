//! Navigation per audience and role: a link appears only where the role may open the page.

use super::Ctx;
use crate::domain::{Audience, Role};

pub struct NavItem {
    pub href: &'static str,
    pub label: String,
    pub active: bool,
}

pub fn items(ctx: &Ctx) -> Vec<NavItem> {
    let role = ctx.role();
    let admin = role == Some(Role::Admin);
    let assigner = matches!(role, Some(Role::Admin | Role::Supervisor));
    let links: Vec<(&'static str, &'static str, bool)> = match ctx.audience() {
        Some(Audience::Partner) => vec![
            ("/partner", "nav.dashboard", true),
            ("/partner/customers", "nav.customers", true),
            ("/partner/invitations", "nav.invitations", true),
            // SPEC §6: the resellers pages are for a distributor's admins.
            (
                "/partner/resellers",
                "nav.resellers",
                admin && ctx.is_distributor(),
            ),
            // rule C10: customer managers open no coupon page.
            ("/partner/coupons", "nav.coupons", assigner),
            ("/partner/assignments", "nav.assignments", assigner),
            ("/partner/expansion", "nav.expansion", admin),
            ("/partner/account", "nav.account", admin),
            ("/partner/audit", "nav.audit", admin),
        ],
        Some(Audience::Customer) => vec![
            ("/fee-center", "nav.fee_center", true),
            ("/fee-center/coupons", "nav.discounts", true),
            (
                "/fee-center/reseller-application",
                "nav.reseller_application",
                true,
            ),
        ],
        Some(Audience::Operator) => vec![
            ("/ops", "nav.ops_home", true),
            ("/ops/ledger", "nav.ledger", true),
            ("/ops/quotas", "nav.quotas", true),
            ("/ops/applications", "nav.applications", true),
            ("/ops/moves", "nav.moves", true),
            ("/ops/outbox", "nav.outbox", true),
            ("/ops/audit", "nav.audit", true),
        ],
        None => vec![],
    };
    links
        .into_iter()
        .filter(|(_, _, allowed)| *allowed)
        .map(|(href, key, _)| NavItem {
            href,
            label: ctx.t(key),
            active: is_active(&ctx.path, href),
        })
        .collect()
}

/// The home links are active only on themselves; others also on their sub-pages.
fn is_active(path: &str, href: &str) -> bool {
    if matches!(href, "/partner" | "/fee-center" | "/ops") {
        path == href
    } else {
        path == href || path.starts_with(&format!("{href}/"))
    }
}
