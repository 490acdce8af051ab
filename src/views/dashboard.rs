//! The dashboard's trends panel: two charts (consumption, performance) over twelve months,
//! each with the table of its figures, and the per-manager split (rule C5).

use crate::domain::money::format_amount;
use crate::services::dashboard::Trends;
use crate::views::Ctx;
use crate::views::charts::{BarChart, bar_chart};

pub struct MonthRow {
    pub label: String,
    pub consumption: String,
    pub performance: String,
}

pub struct ManagerRow {
    pub name: String,
    pub consumption: String,
    pub performance: String,
}

pub struct TrendsPanel {
    pub consumption: BarChart,
    pub performance: BarChart,
    pub months: Vec<MonthRow>,
    pub this_month: MonthRow,
    pub managers: Vec<ManagerRow>,
}

impl TrendsPanel {
    pub fn new(ctx: &Ctx, t: &Trends) -> TrendsPanel {
        let label = |m: &crate::services::dashboard::Month| crate::i18n::iso_month(m.period);
        let points = |f: fn(&crate::services::dashboard::Month) -> rust_decimal::Decimal| {
            t.months
                .iter()
                .map(|m| (label(m), f(m)))
                .collect::<Vec<_>>()
        };
        let months: Vec<MonthRow> = t
            .months
            .iter()
            .map(|m| MonthRow {
                label: label(m),
                consumption: format_amount(m.consumption),
                performance: format_amount(m.performance),
            })
            .collect();
        let this_month = months.last().map_or_else(
            || MonthRow {
                label: String::new(),
                consumption: format_amount(rust_decimal::Decimal::ZERO),
                performance: format_amount(rust_decimal::Decimal::ZERO),
            },
            |m| MonthRow {
                label: m.label.clone(),
                consumption: m.consumption.clone(),
                performance: m.performance.clone(),
            },
        );
        TrendsPanel {
            consumption: bar_chart(
                "chart-consumption",
                &ctx.t("dashboard.consumption_chart"),
                &points(|m| m.consumption),
            ),
            performance: bar_chart(
                "chart-performance",
                &ctx.t("dashboard.performance_chart"),
                &points(|m| m.performance),
            ),
            months,
            this_month,
            managers: t
                .managers
                .iter()
                .map(|m| ManagerRow {
                    name: if m.name.is_empty() {
                        ctx.t("dashboard.no_manager")
                    } else {
                        m.name.clone()
                    },
                    consumption: format_amount(m.consumption),
                    performance: format_amount(m.performance),
                })
                .collect(),
        }
    }
}
