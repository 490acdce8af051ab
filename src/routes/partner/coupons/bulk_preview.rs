//! The bulk preview page of a kept file: its summary (rows, rejected rows, the quota it needs
//! against what the grant has, whether it can be issued) and one page of its rows.

use crate::domain::mask;
use crate::domain::money::format_amount;
use crate::services::coupons::bulk::Shown;
use crate::views::coupons::issue::{BulkPreviewPage, BulkRowView};
use crate::views::{Ctx, Pager};

/// Rows a preview page lists at once.
const ROWS_PER_PAGE: usize = 100;

/// What the preview page shows of a kept file: its summary and one page of its rows.
pub fn preview_page(ctx: Ctx, shown: Shown, after: u32, message: String) -> BulkPreviewPage {
    let c = &shown.checked;
    let start = c.rows.partition_point(|r| r.raw.line <= after);
    let rows: Vec<BulkRowView> = c.rows[start..]
        .iter()
        .take(ROWS_PER_PAGE)
        .map(|r| BulkRowView {
            line: r.raw.line,
            customer: if r.raw.customer.contains('@') {
                mask::email(&r.raw.customer)
            } else {
                r.raw.customer.clone()
            },
            company: r.company.clone().unwrap_or_default(),
            face_value: r.raw.face_value.clone(),
            valid_until: r.raw.valid_until.clone(),
            error: r.problem.map(|p| ctx.t(p.key())).unwrap_or_default(),
        })
        .collect();
    let next = (start + rows.len() < c.rows.len())
        .then(|| rows.last().map(|r| r.line.to_string()))
        .flatten();
    let path = format!("/partner/coupons/bulk/{}", shown.id);
    let showing = ctx.tf(
        "coupon_bulk.showing",
        &[
            ("from", &(start + 1).min(c.rows.len()).to_string()),
            ("to", &(start + rows.len()).to_string()),
            ("total", &c.rows.len().to_string()),
        ],
    );
    BulkPreviewPage {
        id: shown.id,
        grant: super::grant_select::grant_label(&ctx, &c.grant),
        row_count: c.rows.len(),
        rejected: c.rejected,
        total: format_amount(c.total),
        available: format_amount(c.grant.available),
        covered: c.covered(),
        issuable: c.issuable(),
        issued: shown.issued_at.is_some(),
        issue_label: ctx.tf("coupon_bulk.issue_n", &[("n", &c.rows.len().to_string())]),
        message,
        rows,
        showing,
        pager: Pager::new("", &path, after == 0, next),
        ctx,
    }
}
