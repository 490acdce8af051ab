//! `/partner/coupons` (the issued coupons), `/partner/coupons/{id}` (one coupon and its
//! history), `/partner/coupons/export` (CSV) and the recoveries (rules K2a, K3, X3, C10).
//! Admins and supervisors read; customer managers get 403; only admins export and recover.

mod detail;
mod export;
mod recover;

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::auth::Member;
use crate::domain::money::format_amount;
use crate::domain::{CouponKind, CouponState};
use crate::error::AppError;
use crate::i18n::local_time;
use crate::services::coupons::EXPIRING_SOON_DAYS;
use crate::services::coupons::list::{self as svc, CouponLine, Filter, Raw};
use crate::services::keyset;
use crate::state::AppState;
use crate::views::coupons::list::{CouponListPage, CouponRow, bounded};
use crate::views::customers::Opt;
use crate::views::{Ctx, Pager, render};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/partner/coupons", web::get().to(list_coupons))
        .route(
            "/partner/coupons/export",
            web::get().to(export::export_coupons),
        )
        .route(
            "/partner/coupons/recover",
            web::post().to(recover::recover_coupons),
        )
        .route(
            "/partner/coupons/{id:\\d+}",
            web::get().to(detail::show_coupon),
        )
        .route(
            "/partner/coupons/{id:\\d+}/recover",
            web::post().to(recover::recover_coupon),
        );
}

/// Every value is text, so a malformed one is ignored rather than refused.
#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    state: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    customer: String,
    #[serde(default)]
    grant: String,
    #[serde(default)]
    expiring: String,
    #[serde(default)]
    after: String,
    #[serde(default)]
    size: String,
}

impl ListQuery {
    pub fn filter(&self) -> Filter {
        Filter::parse(&Raw {
            state: &self.state,
            kind: &self.kind,
            customer: &self.customer,
            grant: &self.grant,
            expiring: &self.expiring,
            q: &self.q,
        })
    }

    fn size(&self) -> i64 {
        keyset::size(self.size.parse().ok())
    }

    fn after(&self) -> Option<svc::Cursor> {
        svc::Cursor::parse(&self.after)
    }
}

/// A coupon line as every coupon page shows it.
pub fn row(ctx: &Ctx, r: CouponLine) -> CouponRow {
    CouponRow {
        kind_label: ctx.tk("coupons.list.kind", &r.kind),
        state_label: ctx.tk("coupons.list.state", &r.state),
        id: r.id,
        kind: r.kind,
        customer_id: r.customer_id,
        company: r.company,
        email_masked: r.email_masked,
        face_value: format_amount(r.face_value),
        balance: format_amount(r.balance),
        valid_from: crate::i18n::iso_date(r.valid_from),
        valid_until: crate::i18n::iso_date(r.valid_until),
        state: r.state,
        grant_id: r.grant_id,
        issued_at: local_time(r.issued_at),
        expiring_soon: r.expiring_soon,
    }
}

/// rules K2a, X3: the issued coupons with filters, keyset pages and the expiring-soon count.
pub async fn list_coupons(
    ctx: Ctx,
    member: Member,
    state: web::Data<AppState>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let filter = query.filter();
    let (size, after) = (query.size(), query.after());
    let (caller, f) = (member.caller.clone(), filter.clone());
    let page = crate::routes::run(&state.pool, move |conn| {
        Ok(svc::page(conn, &caller, &f, after, size)?)
    })
    .await?;
    let base = crate::routes::with_size(filter.query_string(), size);
    let pager = Pager::new(&base, "/partner/coupons", after.is_none(), page.next);
    let current_state = filter.state.map_or("", CouponState::as_str);
    let mut states = vec![Opt::new("", ctx.t("filter.all"), current_state)];
    for s in CouponState::ALL {
        states.push(Opt::new(
            s.as_str(),
            ctx.tk("coupons.list.state", s.as_str()),
            current_state,
        ));
    }
    let current_kind = filter.kind.map_or("", CouponKind::as_str);
    let mut kinds = vec![Opt::new("", ctx.t("filter.all"), current_kind)];
    for k in CouponKind::ALL {
        kinds.push(Opt::new(
            k.as_str(),
            ctx.tk("coupons.list.kind", k.as_str()),
            current_kind,
        ));
    }
    let sizes = keyset::SIZES
        .iter()
        .map(|s| Opt::new(s.to_string(), s.to_string(), &size.to_string()))
        .collect();
    let rows = page.rows.into_iter().map(|r| row(&ctx, r)).collect();
    let text = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
    render(&CouponListPage {
        rows,
        q: filter.q.clone(),
        states,
        kinds,
        customer: text(filter.customer),
        grant: text(filter.grant),
        expiring: text(filter.expiring),
        sizes,
        filtered: filter != Filter::default(),
        expiring_soon: bounded(page.expiring_soon),
        expiring_href: format!("/partner/coupons?q=&expiring={EXPIRING_SOON_DAYS}"),
        export_href: format!("/partner/coupons/export?{}", filter.query_string()),
        pager,
        ctx,
    })
}
