//! The grant select of the issue and bulk forms: each grant that can issue, worded with its
//! kind, validity, scope, K5 restriction and what is left.

use crate::domain::money::format_amount;
use crate::services::coupons::grants::Grant;
use crate::views::Ctx;
use crate::views::coupons::issue::GrantOption;

/// One grant as the selects word it: kind, id, validity, scope, K5 and what is left.
pub fn grant_label(ctx: &Ctx, g: &Grant) -> String {
    let scope = if g.row.scope.is_empty() {
        ctx.t("coupons_issue.all_services")
    } else {
        g.row.scope.join(", ")
    };
    let mut label = format!(
        "{} #{} · {} – {} · {} · {} {}",
        ctx.tk("coupons_issue.kind", g.kind.as_str()),
        g.row.id,
        g.row.valid_from,
        g.row.valid_until,
        scope,
        ctx.t("coupons_issue.available"),
        ctx.money(&format_amount(g.available)),
    );
    if g.row.invoice_restricted {
        label.push_str(&format!(" · {}", ctx.t("coupons_issue.restricted")));
    }
    label
}

/// The grant the form is about: the one asked for when it can issue, else the first.
pub fn selected<'a>(grants: &'a [Grant], asked: &str) -> Option<&'a Grant> {
    let asked = asked.parse::<i64>().ok();
    grants
        .iter()
        .find(|g| Some(g.row.id) == asked)
        .or_else(|| asked.is_none().then(|| grants.first()).flatten())
}

pub fn grant_options(ctx: &Ctx, grants: &[Grant], chosen: Option<i64>) -> Vec<GrantOption> {
    grants
        .iter()
        .map(|g| GrantOption {
            id: g.row.id,
            label: grant_label(ctx, g),
            selected: Some(g.row.id) == chosen,
        })
        .collect()
}
