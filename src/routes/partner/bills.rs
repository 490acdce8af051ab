//! `/partner/bills` (customers' monthly bills of the months the organisation held them),
//! `/partner/bills/{id}` (one bill) and `/partner/bills/export` (CSV, admins) — rules B1, B2,
//! C5, X3, C10. Every role of a partner reads, scoped by `services::billing::list`.

mod export;

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::auth::Member;
use crate::domain::BillState;
use crate::domain::money::format_amount;
use crate::error::AppError;
use crate::i18n::local_time;
use crate::services::billing::list::{self as svc, BillLine, Filter, Raw};
use crate::services::billing::{Month, detail};
use crate::services::keyset;
use crate::state::AppState;
use crate::views::bills::{
    BillDetailPage, BillListPage, BillRow, bill_view, format_rated, kind_label,
};
use crate::views::customers::Opt;
use crate::views::{Ctx, Pager, render};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/partner/bills", web::get().to(list_bills))
        .route("/partner/bills/export", web::get().to(export::export_bills))
        .route("/partner/bills/{id:\\d+}", web::get().to(show_bill));
}

/// Every value is text, so a malformed one is ignored rather than refused.
#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    month: String,
    #[serde(default)]
    customer: String,
    #[serde(default)]
    state: String,
    #[serde(default)]
    after: String,
    #[serde(default)]
    size: String,
}

impl ListQuery {
    pub fn filter(&self) -> Filter {
        Filter::parse(&Raw {
            month: &self.month,
            customer: &self.customer,
            state: &self.state,
            q: &self.q,
        })
    }

    pub fn size(&self) -> &str {
        &self.size
    }

    pub fn after(&self) -> &str {
        &self.after
    }
}

/// A bill as the list and the export show it.
pub fn row(ctx: &Ctx, r: BillLine) -> BillRow {
    BillRow {
        id: r.id,
        customer_id: r.customer_id,
        company: r.company,
        email_masked: r.email_masked,
        month: Month::of(r.period).label(),
        kind_label: kind_label(ctx, r.association_type.as_deref()),
        amount: format_amount(r.amount),
        cut_off: format_rated(r.cut_off),
        unpaid: format_amount(r.unpaid),
        state_label: ctx.tk("bills.state", &r.state),
        state: r.state,
        issued_at: r.issued_at.map(local_time).unwrap_or_default(),
    }
}

/// The state filter's options (all, paid, unpaid).
pub fn state_options(ctx: &Ctx, current: Option<BillState>) -> Vec<Opt> {
    let current = current.map_or("", BillState::as_str);
    let mut states = vec![Opt::new("", ctx.t("filter.all"), current)];
    for s in BillState::ALL {
        states.push(Opt::new(
            s.as_str(),
            ctx.tk("bills.state", s.as_str()),
            current,
        ));
    }
    states
}

/// rules B2, X3: the bills the member sees, with filters, keyset pages and kept counts.
pub async fn list_bills(
    ctx: Ctx,
    member: Member,
    state: web::Data<AppState>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let filter = query.filter();
    let size = keyset::size(query.size.parse().ok());
    let after = keyset::cursor_id(&Some(query.after.clone()));
    let (caller, f) = (member.caller.clone(), filter.clone());
    let page = crate::routes::run(&state.pool, move |conn| {
        Ok(svc::page(conn, &caller, &f, after, size)?)
    })
    .await?;
    let base = crate::routes::with_size(filter.query_string(), size);
    let pager = Pager::new(&base, "/partner/bills", after.is_none(), page.next);
    let sizes = keyset::SIZES
        .iter()
        .map(|s| Opt::new(s.to_string(), s.to_string(), &size.to_string()))
        .collect();
    let totals = page
        .totals
        .map(|(count, total)| (count.to_string(), format_amount(total)));
    render(&BillListPage {
        rows: page.rows.into_iter().map(|r| row(&ctx, r)).collect(),
        q: filter.q.clone(),
        month: filter.month.map(|m| m.label()).unwrap_or_default(),
        customer: filter.customer.map(|c| c.to_string()).unwrap_or_default(),
        states: state_options(&ctx, filter.state),
        sizes,
        filtered: filter != Filter::default(),
        totals,
        export_href: format!("/partner/bills/export?{}", filter.query_string()),
        pager,
        ctx,
    })
}

/// rules B1, B2, C5: one bill of the member's scope; any other id is 404.
pub async fn show_bill(
    ctx: Ctx,
    member: Member,
    state: web::Data<AppState>,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let (id, caller) = (path.into_inner(), member.caller.clone());
    let bill = crate::routes::run(&state.pool, move |conn| {
        Ok(detail::for_member(conn, &caller, id)?)
    })
    .await?;
    let bill = bill_view(&ctx, bill);
    render(&BillDetailPage { bill, ctx })
}
