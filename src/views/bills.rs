//! Template structs of the bills pages (rules B1, B2, C5, K7): the partner's list and a bill's
//! page, the customer's list and page in the fee center. Money is formatted here: cents with
//! `format_amount`, rated 8-decimal amounts with `format_rated` (B1 shows them as rated).

use askama::Template;
use rust_decimal::Decimal;

use crate::domain::money::format_amount;
use crate::views::customers::Opt;
use crate::views::{Ctx, Pager};

/// An 8-decimal amount as rated (B1): `1234.5` → `1,234.50000000`.
pub fn format_rated(value: Decimal) -> String {
    let t = value.trunc_with_scale(8);
    let whole = format_amount(t.trunc());
    let int = whole.strip_suffix(".00").unwrap_or(&whole);
    let frac = format!("{:.8}", t.fract().abs());
    let sign = if t.is_sign_negative() && !t.is_zero() && !int.starts_with('-') {
        "-"
    } else {
        ""
    };
    format!("{sign}{int}{}", frac.trim_start_matches('0'))
}

/// One bill as the lists show it; money formatted, e-mail masked, labels translated.
pub struct BillRow {
    pub id: i64,
    pub customer_id: i64,
    pub company: String,
    pub email_masked: String,
    pub month: String,
    pub kind_label: String,
    pub amount: String,
    pub cut_off: String,
    pub unpaid: String,
    pub state: String,
    pub state_label: String,
    pub issued_at: String,
}

#[derive(Template)]
#[template(path = "partner/bills/list.html")]
pub struct BillListPage {
    pub ctx: Ctx,
    pub rows: Vec<BillRow>,
    pub q: String,
    pub month: String,
    pub customer: String,
    pub states: Vec<Opt>,
    pub sizes: Vec<Opt>,
    pub filtered: bool,
    /// Bills and their total in the list, from the kept totals, when known.
    pub totals: Option<(String, String)>,
    pub export_href: String,
    pub pager: Pager,
}

/// One bill line (B1: rated amount, charged cents and the cut-off of each).
pub struct LineRow {
    pub product: String,
    pub code: String,
    pub manager: String,
    pub quantity: String,
    pub unit_price: String,
    pub list_amount: String,
    pub amount: String,
    pub charged: String,
    pub cut_off: String,
}

/// The bill as its page shows it, for the partner and the customer alike.
pub struct BillView {
    pub id: i64,
    pub customer_id: i64,
    pub company: String,
    pub email_masked: String,
    pub month: String,
    pub partner: String,
    pub kind_label: String,
    pub signing_entity: String,
    pub subtotal: String,
    pub discount: String,
    pub cut_off: String,
    pub amount: String,
    pub voucher: String,
    pub cash_coupons: String,
    pub from_balance: String,
    pub from_credit: String,
    pub unpaid: String,
    pub repaid: String,
    pub owed: bool,
    pub due_on: String,
    pub paid_at: String,
    pub issued_at: String,
    pub state: String,
    pub state_label: String,
    /// `None`: totals only (an advisory bill read by its partner).
    pub lines: Option<Vec<LineRow>>,
    /// (manager, charged) of the month (C5); empty for the customer.
    pub managers: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "partner/bills/detail.html")]
pub struct BillDetailPage {
    pub ctx: Ctx,
    pub bill: BillView,
}

/// One of the customer's own bills in its list.
pub struct OwnBillRow {
    pub id: i64,
    pub month: String,
    pub partner: String,
    pub amount: String,
    pub cut_off: String,
    pub unpaid: String,
    pub due_on: String,
    pub state: String,
    pub state_label: String,
    pub issued_at: String,
}

#[derive(Template)]
#[template(path = "fee_center/bills/list.html")]
pub struct OwnBillsPage {
    pub ctx: Ctx,
    pub rows: Vec<OwnBillRow>,
    pub month: String,
    pub states: Vec<Opt>,
    pub pager: Pager,
}

#[derive(Template)]
#[template(path = "fee_center/bills/detail.html")]
pub struct OwnBillPage {
    pub ctx: Ctx,
    pub bill: BillView,
}

/// A bill's page content from its detail, for the partner and the customer alike.
pub fn bill_view(ctx: &Ctx, b: crate::services::billing::detail::BillDetail) -> BillView {
    let zh = ctx.lang == crate::i18n::Lang::ZhCn;
    let none = ctx.t("bills.no_manager");
    let lines = b.lines.map(|lines| {
        lines
            .into_iter()
            .map(|l| LineRow {
                product: if zh { l.name_zh } else { l.name_en },
                code: l.product_code,
                manager: l.manager.unwrap_or_else(|| none.clone()),
                quantity: format_rated(l.quantity),
                unit_price: format_rated(l.unit_price),
                list_amount: format_rated(l.list_amount),
                amount: format_rated(l.amount),
                charged: format_amount(l.charged),
                cut_off: format_rated(l.cut_off),
            })
            .collect()
    });
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let time = |t: Option<chrono::DateTime<chrono::Utc>>| {
        t.map(crate::i18n::local_time).unwrap_or_default()
    };
    BillView {
        id: b.id,
        customer_id: b.customer_id,
        company: b.company,
        email_masked: b.email_masked,
        month: crate::services::billing::Month::of(b.period).label(),
        partner: b.partner.unwrap_or_else(|| ctx.t("bills.no_partner")),
        kind_label: kind_label(ctx, b.association_type.as_deref()),
        signing_entity: b.signing_entity,
        subtotal: format_rated(b.subtotal),
        discount: format_rated(b.discount),
        cut_off: format_rated(b.cut_off),
        amount: format_amount(b.amount),
        voucher: format_amount(b.voucher),
        cash_coupons: format_amount(b.cash_coupons),
        from_balance: format_amount(b.from_balance),
        from_credit: format_amount(b.from_credit),
        unpaid: format_amount(b.unpaid),
        repaid: format_amount(b.repaid),
        owed: !b.unpaid.is_zero(),
        due_on: date(b.due_on),
        paid_at: time(b.paid_at),
        issued_at: time(b.issued_at),
        state_label: ctx.tk("bills.state", &b.state),
        state: b.state,
        lines,
        managers: b
            .managers
            .into_iter()
            .map(|(name, charged)| (name.unwrap_or_else(|| none.clone()), format_amount(charged)))
            .collect(),
    }
}

/// The association type of a bill's month, or "no partner" (the platform's own customer then).
pub fn kind_label(ctx: &Ctx, kind: Option<&str>) -> String {
    match kind {
        Some(k) => ctx.tk("bills.type", k),
        None => ctx.t("bills.no_partner"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn rated_amounts_keep_eight_decimals_and_group_thousands() {
        let d = |s: &str| Decimal::from_str(s).unwrap();
        assert_eq!(format_rated(d("1234.5")), "1,234.50000000");
        assert_eq!(format_rated(d("0.00999999")), "0.00999999");
        assert_eq!(format_rated(d("0")), "0.00000000");
        assert_eq!(format_rated(d("-1.5")), "-1.50000000");
    }
}
