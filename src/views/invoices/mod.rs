//! Template structs of the invoicing pages (rules B3–B7): titles (customers and partners),
//! the fee center's requests, the request form and its match, and the issuers' lists and
//! invoice pages (partners and operators). Money is formatted here with `format_amount`.

pub mod fee_center;
pub mod processing;
pub mod request;
pub mod titles;

use crate::domain::money::format_amount;
use crate::services::invoices::items::{Item, ItemKind};
use crate::views::Ctx;

/// Which area a page shared by two areas is shown in: the layout's class and name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Area {
    FeeCenter,
    Partner,
    Ops,
}

impl Area {
    pub fn class(self) -> &'static str {
        match self {
            Area::FeeCenter => "area-fee-center",
            Area::Partner => "area-partner",
            Area::Ops => "area-ops",
        }
    }

    pub fn is_partner(self) -> bool {
        self == Area::Partner
    }

    pub fn name_key(self) -> &'static str {
        match self {
            Area::FeeCenter => "area.fee_center",
            Area::Partner => "area.partner",
            Area::Ops => "area.ops",
        }
    }
}

/// What an item is, in words: "Bill 2026-11", "Order #12", "Refund of order #12".
pub fn item_label(
    ctx: &Ctx,
    kind: &str,
    period: Option<chrono::NaiveDate>,
    order: Option<i64>,
) -> String {
    match ItemKind::parse(kind) {
        ItemKind::Bill => ctx.tf(
            "invoices.item.bill",
            &[(
                "month",
                &period.map(crate::i18n::iso_month).unwrap_or_default(),
            )],
        ),
        ItemKind::Order => ctx.tf(
            "invoices.item.order",
            &[("id", &order.unwrap_or(0).to_string())],
        ),
        ItemKind::Refund => ctx.tf(
            "invoices.item.refund",
            &[("id", &order.unwrap_or(0).to_string())],
        ),
        ItemKind::Adjustment => ctx.t("invoices.item.adjustment"),
    }
}

/// One item as the picker and the match show it.
pub struct ItemRow {
    pub id: i64,
    pub label: String,
    pub entity: String,
    pub rate: String,
    pub amount: String,
    pub voucher: String,
    /// Empty when invoiceable today; otherwise the day it becomes so (B4).
    pub not_before: String,
    pub checked: bool,
    /// In the match: how much of it is invoiced.
    pub taken: String,
    /// In the match: only part of it is invoiced (the rest stays invoiceable).
    pub partly: bool,
}

impl ItemRow {
    pub fn new(ctx: &Ctx, item: &Item, today: chrono::NaiveDate) -> ItemRow {
        let from = item.invoiceable_from().filter(|d| *d > today);
        ItemRow {
            id: item.id,
            label: item_label(ctx, item.kind.as_str(), item.period, item.order_id),
            entity: item.group.signing_entity.clone(),
            rate: format!("{}%", item.group.tax_rate),
            amount: format_amount(item.amount),
            voucher: if item.voucher_excluded.is_zero() {
                String::new()
            } else {
                format_amount(item.voucher_excluded)
            },
            not_before: from.map(|d| d.to_string()).unwrap_or_default(),
            checked: false,
            taken: String::new(),
            partly: false,
        }
    }
}
