//! The request form and the match page built from their services' facts (rules B4–B6):
//! options worded, the picker's rows with when each becomes invoiceable, the match's rows with
//! what part of each is invoiced, and the invoices it makes.

use super::form::{Fields, issuer_value};
use crate::auth::CustomerUser;
use crate::domain::money::format_amount;
use crate::error::AppError;
use crate::services::invoices::request::{self as svc, PICKER_MAX, Preview, RequestInput};
use crate::state::AppState;
use crate::views::customers::Opt;
use crate::views::invoices::ItemRow;
use crate::views::invoices::request::{PlannedRow, PreviewPage, RequestFormPage};
use crate::views::{Ctx, FormErrors};

pub async fn form_page(
    ctx: Ctx,
    user: &CustomerUser,
    state: &AppState,
    f: Fields,
    errors: FormErrors,
) -> Result<RequestFormPage, AppError> {
    let (caller, issuer) = (user.caller.clone(), f.issuer()?);
    let facts = crate::routes::run(&state.pool, move |conn| {
        Ok(svc::form(conn, &caller, issuer)?)
    })
    .await?;
    let current = issuer_value(facts.issuer);
    let issuers = facts
        .issuers
        .iter()
        .map(|(id, name)| {
            let label = if id.is_none() {
                ctx.t("invoices.issuer.platform_label")
            } else {
                name.clone()
            };
            Opt::new(issuer_value(*id), label, &current)
        })
        .collect::<Vec<_>>();
    let issuers = if issuers.is_empty() {
        vec![Opt::new(
            current.clone(),
            ctx.t("invoices.issuer.platform_label"),
            &current,
        )]
    } else {
        issuers
    };
    let chosen = if f.title_id.is_empty() {
        facts
            .titles
            .iter()
            .find(|t| t.is_default)
            .map(|t| t.id.to_string())
            .unwrap_or_default()
    } else {
        f.title_id.clone()
    };
    let titles = facts
        .titles
        .iter()
        .map(|t| {
            let label = format!("{} · {}", t.name, ctx.tk("invoices.kind", &t.invoice_kind));
            Opt::new(t.id.to_string(), label, &chosen)
        })
        .collect();
    let items = facts
        .items
        .iter()
        .map(|i| {
            let mut row = ItemRow::new(&ctx, i, facts.today);
            row.checked = f.item_ids.contains(&i.id);
            row
        })
        .collect();
    let items_more = if facts.items.len() as i64 >= PICKER_MAX {
        ctx.tf(
            "invoices.request.items_more",
            &[("n", &PICKER_MAX.to_string())],
        )
    } else {
        String::new()
    };
    let message = if errors.is_empty() {
        String::new()
    } else {
        ctx.t("form.fix_errors")
    };
    Ok(RequestFormPage {
        issuers,
        titles,
        medium: f.medium,
        mode: f.mode,
        amount: f.amount,
        items,
        items_more,
        errors,
        message,
        ctx,
    })
}

pub fn preview_page(
    ctx: Ctx,
    f: &Fields,
    input: &RequestInput,
    p: Preview,
    message: String,
) -> PreviewPage {
    let today = crate::services::invoices::items::today();
    let picks = p
        .picks
        .iter()
        .map(|(item, taken)| {
            let mut row = ItemRow::new(&ctx, item, today);
            row.taken = format_amount(*taken);
            row.partly = *taken != item.amount;
            row
        })
        .collect();
    let invoices = p
        .invoices
        .iter()
        .map(|i| PlannedRow {
            entity: i.group.signing_entity.clone(),
            rate: format!("{}%", i.group.tax_rate),
            amount: format_amount(i.amount),
            items: i.lines.len(),
        })
        .collect();
    PreviewPage {
        issuer: issuer_value(p.issuer),
        issuer_label: String::new(),
        medium: input.medium.as_str().to_string(),
        medium_label: ctx.tk("invoices.medium", input.medium.as_str()),
        mode: f.mode.clone(),
        amount: f.amount.clone(),
        item_ids: f.item_ids.clone(),
        fingerprint: p.fingerprint,
        key: uuid::Uuid::new_v4().to_string(),
        picks,
        invoices,
        total: format_amount(p.total),
        title: p.title,
        message,
        ctx,
    }
}
