//! Server-rendered bar charts (the partner dashboard's consumption and performance): the
//! geometry is computed here and drawn by `partials/_bar_chart.html` as inline SVG, so the
//! browser runs no chart library and no script. Every chart has a table beside it with the
//! same figures; the SVG carries a title and is labelled by it for screen readers.

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::domain::money::format_amount;

/// The drawing area in SVG user units; the SVG scales to its container.
pub const WIDTH: u32 = 600;
pub const HEIGHT: u32 = 200;
const AXIS: u32 = 24;
const GAP: u32 = 6;

pub struct Bar {
    pub label: String,
    pub value: String,
    pub x: u32,
    pub y: u32,
    pub width: u32,
    pub height: u32,
}

pub struct BarChart {
    /// Unique within the page: the SVG's title element is labelled by it.
    pub id: String,
    pub title: String,
    pub bars: Vec<Bar>,
    pub width: u32,
    pub height: u32,
    pub baseline: u32,
    pub max_label: String,
}

/// Lays out one bar per (label, value); the tallest bar fills the height. Negative values
/// (refunds larger than the month's spending) draw as zero; their figure stays in the table.
pub fn bar_chart(id: &str, title: &str, points: &[(String, Decimal)]) -> BarChart {
    let max = points
        .iter()
        .map(|(_, v)| *v)
        .fold(Decimal::ZERO, Decimal::max);
    let n = points.len().max(1) as u32;
    let slot = WIDTH / n;
    let width = slot.saturating_sub(GAP).max(1);
    let plot = HEIGHT - AXIS;
    let bars = points
        .iter()
        .enumerate()
        .map(|(i, (label, value))| {
            let share = if max > Decimal::ZERO {
                (value.max(&Decimal::ZERO) / max).to_f64().unwrap_or(0.0)
            } else {
                0.0
            };
            let height = (share * f64::from(plot)).round() as u32;
            Bar {
                label: label.clone(),
                value: format_amount(*value),
                x: i as u32 * slot + GAP / 2,
                y: plot - height,
                width,
                height,
            }
        })
        .collect();
    BarChart {
        id: id.to_string(),
        title: title.to_string(),
        bars,
        width: WIDTH,
        height: HEIGHT,
        baseline: plot,
        max_label: format_amount(max),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn the_tallest_bar_fills_the_plot_and_the_others_scale() {
        let points = vec![
            ("2026-01".to_string(), dec!(50.00)),
            ("2026-02".to_string(), dec!(100.00)),
            ("2026-03".to_string(), dec!(0.00)),
        ];
        let chart = bar_chart("c", "Consumption", &points);
        assert_eq!(chart.bars[1].height, HEIGHT - AXIS);
        assert_eq!(chart.bars[0].height, (HEIGHT - AXIS) / 2);
        assert_eq!(chart.bars[2].height, 0);
        assert_eq!(chart.bars[1].y, 0);
        assert_eq!(chart.bars[0].value, "50.00");
        assert!(chart.bars.iter().all(|b| b.x + b.width <= WIDTH));
    }

    #[test]
    fn no_spending_and_negative_months_draw_flat() {
        let points = vec![("a".to_string(), dec!(0)), ("b".to_string(), dec!(-3.00))];
        let chart = bar_chart("c", "t", &points);
        assert!(chart.bars.iter().all(|b| b.height == 0));
        assert_eq!(chart.bars[1].value, "-3.00");
    }
}
