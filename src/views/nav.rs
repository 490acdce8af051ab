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
            // rules P2, C10: every member reads their customers' orders; admins act.
            ("/partner/orders", "nav.orders", true),
            // SPEC §6: every role reads bills, scoped to its customers' months.
            ("/partner/bills", "nav.bills", true),
            // SPEC §6: every role reads its customers' invoice requests; admins process them.
            ("/partner/invoices", "invoices.nav", true),
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
            // rules B8, P4: the organisation's incentives, beside its money.
            ("/partner/incentives", "nav.incentives", admin),
            ("/partner/audit", "nav.audit", admin),
        ],
        Some(Audience::Customer) => vec![
            ("/fee-center", "nav.fee_center", true),
            ("/fee-center/orders", "nav.orders", true),
            ("/fee-center/account", "nav.fee_account", true),
            ("/fee-center/coupons", "nav.discounts", true),
            ("/fee-center/bills", "nav.bills", true),
            ("/fee-center/invoices", "invoices.nav", true),
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
            ("/ops/catalog", "nav.catalog", true),
            ("/ops/orders", "nav.order_review", true),
            ("/ops/usage", "nav.usage", true),
            ("/ops/invoices", "invoices.nav", true),
            ("/ops/applications", "nav.applications", true),
            ("/ops/moves", "nav.moves", true),
            ("/ops/withdrawals", "nav.withdrawals", true),
            ("/ops/incentives", "nav.incentives", true),
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

/// Other pages an entry stands for, with their sub-pages: the fee center's discounts are both
/// the voucher and the cash-coupon lists (rule K6).
const ALSO_ACTIVE_ON: &[(&str, &str)] = &[("/fee-center/coupons", "/fee-center/cash-coupons")];

/// The home links are active only on themselves; others also on their sub-pages and on the
/// pages `ALSO_ACTIVE_ON` gives them.
fn is_active(path: &str, href: &str) -> bool {
    if matches!(href, "/partner" | "/fee-center" | "/ops") {
        return path == href;
    }
    let also = ALSO_ACTIVE_ON
        .iter()
        .filter(|(entry, _)| *entry == href)
        .map(|(_, other)| *other);
    std::iter::once(href)
        .chain(also)
        .any(|h| path == h || path.starts_with(&format!("{h}/")))
}

#[cfg(test)]
mod tests {
    use super::is_active;

    #[test]
    fn the_discounts_entry_is_active_on_both_coupon_lists_and_a_coupon_page() {
        for path in [
            "/fee-center/coupons",
            "/fee-center/cash-coupons",
            "/fee-center/coupons/12",
        ] {
            assert!(is_active(path, "/fee-center/coupons"), "{path}");
        }
        assert!(!is_active("/fee-center/cash-coupons", "/fee-center"));
        assert!(!is_active(
            "/fee-center/reseller-application",
            "/fee-center/coupons"
        ));
    }

    #[test]
    fn home_links_are_active_only_on_themselves_others_on_their_sub_pages() {
        assert!(is_active("/partner", "/partner"));
        assert!(!is_active("/partner/customers", "/partner"));
        assert!(is_active("/partner/customers/3", "/partner/customers"));
        assert!(!is_active("/partner/customers-x", "/partner/customers"));
        assert!(!is_active(
            "/fee-center/cash-coupons",
            "/fee-center/coupons-x"
        ));
    }
}
