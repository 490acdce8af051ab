//! The issuers' pages (rule B7): `/partner/invoices` (a partner's resale invoices; admins
//! act, supervisors and managers read their customers') and `/ops/invoices` (the platform's,
//! operators). The list with `?q=`, a state filter and keyset pages; one invoice with its
//! title, items, file and the forms of the steps its state allows (`process_forms`).

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::domain::{Caller, Party, Role};
use crate::error::AppError;
use crate::services::invoices::lists::{self, Filter};
use crate::services::invoices::{InvoiceState, detail, files};
use crate::services::keyset;
use crate::state::AppState;
use crate::views::customers::Opt;
use crate::views::invoices::Area;
use crate::views::invoices::processing::{InvoiceRow, ProcessDetailPage, ProcessListPage};
use crate::views::{Ctx, Pager, render};

/// Where an issuer's pages live.
#[derive(Clone, Copy)]
pub struct Place {
    pub area: Area,
    pub base: &'static str,
}

pub const PARTNER: Place = Place {
    area: Area::Partner,
    base: "/partner/invoices",
};
pub const OPS: Place = Place {
    area: Area::Ops,
    base: "/ops/invoices",
};

/// Every value is text, so a malformed one is ignored rather than refused.
#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    state: String,
    #[serde(default)]
    after: String,
    #[serde(default)]
    size: String,
}

/// rule B7, X3: the issuer's invoices.
pub async fn list(
    ctx: Ctx,
    caller: Caller,
    state: web::Data<AppState>,
    at: Place,
    query: ListQuery,
) -> Result<HttpResponse, AppError> {
    let filter = Filter {
        q: keyset::q(Some(&query.q)),
        state: InvoiceState::parse(&query.state),
    };
    let size = keyset::size(query.size.parse().ok());
    let after = keyset::cursor_id(&Some(query.after.clone()));
    let read_only = matches!(&caller.party, Party::Member(m) if m.role != Role::Admin);
    let f = filter.clone();
    let page = crate::routes::run(&state.pool, move |conn| {
        Ok(lists::page(conn, &caller, &f, after, size)?)
    })
    .await?;
    let current = filter.state.map_or("", InvoiceState::as_str);
    let base = crate::routes::with_size(
        format!("q={}&state={current}", crate::views::url_encode(&filter.q)),
        size,
    );
    let pager = Pager::new(&base, at.base, after.is_none(), page.next);
    let mut states = vec![Opt::new("", ctx.t("filter.all"), current)];
    for s in InvoiceState::ALL {
        states.push(Opt::new(
            s.as_str(),
            ctx.tk("invoices.state", s.as_str()),
            current,
        ));
    }
    let sizes = keyset::SIZES
        .iter()
        .map(|s| Opt::new(s.to_string(), s.to_string(), &size.to_string()))
        .collect();
    let explain = match at.area {
        Area::Ops => ctx.t("invoices.process.explain_ops"),
        _ => ctx.t("invoices.process.explain_partner"),
    };
    render(&ProcessListPage {
        area: at.area,
        base: at.base.to_string(),
        explain,
        read_only,
        rows: page
            .rows
            .into_iter()
            .map(|l| InvoiceRow::new(&ctx, l))
            .collect(),
        filtered: !filter.q.is_empty() || filter.state.is_some(),
        q: filter.q,
        states,
        sizes,
        pager,
        ctx,
    })
}

/// The invoice's page as its reader sees it (404 outside their scope).
pub async fn page(
    ctx: Ctx,
    caller: Caller,
    state: &AppState,
    at: Place,
    id: i64,
) -> Result<ProcessDetailPage, AppError> {
    let view = crate::routes::run(&state.pool, move |conn| {
        Ok(detail::invoice(conn, &caller, id)?)
    })
    .await?;
    Ok(ProcessDetailPage::new(ctx, at.area, at.base, view))
}

/// rule B7: one invoice.
pub async fn show(
    ctx: Ctx,
    caller: Caller,
    state: web::Data<AppState>,
    at: Place,
    id: i64,
) -> Result<HttpResponse, AppError> {
    render(&page(ctx, caller, &state, at, id).await?)
}

/// rule B7: the invoice's e-invoice file as a download.
pub async fn file(
    caller: Caller,
    state: web::Data<AppState>,
    id: i64,
) -> Result<HttpResponse, AppError> {
    let file = crate::routes::run(&state.pool, move |conn| {
        Ok(files::download(conn, &caller, id)?)
    })
    .await?;
    Ok(super::download(file))
}
