//! The customer list, the resellers' customers tab and the CSV export (rule C4).

use std::collections::HashMap;

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use diesel::prelude::*;
use serde::Deserialize;

use crate::auth::Member;
use crate::db::schema::{customers, organizations};
use crate::domain::Role;
use crate::domain::money::format_amount;
use crate::error::AppError;
use crate::services::customers::{
    self as svc, Cursor, Filter, ListRow, ManagerFilter, PAGE_DEFAULT, PAGE_MAX, Sort,
};
use crate::services::scope;
use crate::startup::AppState;
use crate::views::customers::{
    CustomerLine, CustomerListPage, Opt, ResellerCustomerLine, ResellerCustomersPage, discount_text,
};
use crate::views::pages::local_time;
use crate::views::{Ctx, Pager, render, url_encode};

/// Every value is text, so a malformed one is ignored rather than refused.
#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default, rename = "type")]
    kind: String,
    #[serde(default)]
    manager: String,
    #[serde(default)]
    verification: String,
    #[serde(default)]
    sort: String,
    #[serde(default)]
    after: String,
    #[serde(default)]
    size: String,
    #[serde(default)]
    tab: String,
}

impl ListQuery {
    fn filter(&self) -> Filter {
        Filter::parse(
            &self.q,
            &self.kind,
            &self.manager,
            &self.verification,
            &self.sort,
        )
    }

    fn size(&self) -> i64 {
        self.size
            .parse::<i64>()
            .map_or(PAGE_DEFAULT, |s| s.clamp(1, PAGE_MAX))
    }
}

pub fn line(ctx: &Ctx, r: ListRow) -> CustomerLine {
    CustomerLine {
        id: r.id,
        reveal_href: format!("/partner/customers/{}/reveal", r.id),
        verification_code: r.verification.clone(),
        company: r.company,
        contact_name: r.contact_name,
        email_masked: r.email_masked,
        phone_masked: r.phone_masked,
        verification: ctx.tk("customers.verification", &r.verification),
        association_type: if r.association_type.is_empty() {
            String::new()
        } else {
            ctx.tk("association", &r.association_type)
        },
        signing_entity: r.signing_entity,
        balance: format_amount(r.balance),
        credit: format_amount(r.credit_available),
        discount: discount_text(r.discount),
        manager: r.manager.unwrap_or_else(|| ctx.t("customers.unassigned")),
        since: r.associated_at.map(local_time).unwrap_or_default(),
    }
}

pub async fn list_customers(
    ctx: Ctx,
    member: Member,
    state: web::Data<AppState>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    if query.tab == "resellers" {
        return list_reseller_customers(ctx, member, state, query).await;
    }
    let mut filter = query.filter();
    if member.role == Role::Manager {
        filter.manager = ManagerFilter::Any;
    }
    let after = Cursor::parse(&query.after, filter.sort);
    let first_page = after.is_none();
    let size = query.size();
    let (m, f) = (member.clone(), filter.clone());
    let (page, managers) = crate::db::run(&state.pool, move |conn| {
        let managers = svc::org_managers(conn, m.org_id)?;
        let page = svc::page(conn, &m, &f, after, size, &managers)?;
        Ok((page, managers))
    })
    .await?;
    let mut base = filter.query_string();
    if size != PAGE_DEFAULT {
        base.push_str(&format!("&size={size}"));
    }
    let pager = Pager::new(
        &base,
        "/partner/customers",
        first_page,
        page.next.map(|c| c.encode()),
    );
    let current_manager = match filter.manager {
        ManagerFilter::Any => String::new(),
        ManagerFilter::Unassigned => "none".into(),
        ManagerFilter::Is(id) => id.to_string(),
    };
    let manager_opts = match member.role {
        Role::Manager => Vec::new(),
        role => {
            let mut opts = vec![
                Opt::new("", ctx.t("filter.all"), &current_manager),
                Opt::new("none", ctx.t("customers.unassigned"), &current_manager),
            ];
            opts.extend(
                managers
                    .iter()
                    .filter(|(_, _, sup)| role == Role::Admin || *sup == Some(member.user_id))
                    .map(|(id, name, _)| Opt::new(id.to_string(), name.clone(), &current_manager)),
            );
            opts
        }
    };
    let kind = filter.kind.unwrap_or("");
    let verification = filter.verification.unwrap_or("");
    let types = vec![
        Opt::new("", ctx.t("filter.all"), kind),
        Opt::new("resale", ctx.t("association.resale"), kind),
        Opt::new("advisory", ctx.t("association.advisory"), kind),
    ];
    let mut verifications = vec![Opt::new("", ctx.t("filter.all"), verification)];
    for v in ["verified", "pending", "unverified"] {
        verifications.push(Opt::new(
            v,
            ctx.tk("customers.verification", v),
            verification,
        ));
    }
    let sorts = [
        Sort::CompanyAsc,
        Sort::CompanyDesc,
        Sort::SinceDesc,
        Sort::SinceAsc,
    ]
    .into_iter()
    .map(|s| {
        Opt::new(
            s.as_str(),
            ctx.tk("customers.sort", s.as_str().trim_start_matches('-'))
                + if s.as_str().starts_with('-') {
                    " ↓"
                } else {
                    " ↑"
                },
            filter.sort.as_str(),
        )
    })
    .collect();
    let size_text = size.to_string();
    let sizes = ["20", "50", "100"]
        .into_iter()
        .map(|s| Opt::new(s, s, &size_text))
        .collect();
    let rows = page.rows.into_iter().map(|r| line(&ctx, r)).collect();
    render(&CustomerListPage {
        export_href: member
            .is_admin()
            .then(|| format!("/partner/customers/export?{}", filter.query_string())),
        resellers_tab: scope::reseller_customers(&member).is_some(),
        q: filter.q,
        types,
        managers: manager_opts,
        verifications,
        sorts,
        sizes,
        rows,
        pager,
        ctx,
    })
}

/// A distributor's view of its resellers' customers: basic fields, no detail pages.
pub async fn list_reseller_customers(
    ctx: Ctx,
    member: Member,
    state: web::Data<AppState>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    if scope::reseller_customers(&member).is_none() {
        return Err(AppError::Forbidden);
    }
    let filter = Filter::parse(&query.q, "", "", "", "company");
    let after = Cursor::parse(&query.after, Sort::CompanyAsc);
    let first_page = after.is_none();
    let size = query.size();
    let (m, f) = (member.clone(), filter.clone());
    type Row = (
        i64,
        String,
        Option<i64>,
        Option<String>,
        String,
        Option<chrono::DateTime<chrono::Utc>>,
    );
    let (mut rows, names) = crate::db::run(&state.pool, move |conn| {
        let base = scope::reseller_customers(&m).ok_or(AppError::Forbidden)?;
        let rows: Vec<Row> = svc::order_after(svc::apply_filter(base, &f), Sort::CompanyAsc, after)
            .select((
                customers::id,
                customers::company,
                customers::partner_id,
                customers::association_type,
                customers::verification,
                customers::associated_at,
            ))
            .limit(size + 1)
            .load(conn)?;
        let names: HashMap<i64, String> = organizations::table
            .filter(organizations::parent_id.eq(m.org_id))
            .select((organizations::id, organizations::name))
            .load::<(i64, String)>(conn)?
            .into_iter()
            .collect();
        Ok((rows, names))
    })
    .await?;
    let more = rows.len() as i64 > size;
    rows.truncate(size as usize);
    let next = more
        .then(|| {
            rows.last()
                .map(|r| Cursor::Company(r.1.clone(), r.0).encode())
        })
        .flatten();
    let pager = Pager::new(
        &format!("q={}", url_encode(&filter.q)),
        "/partner/customers/resellers",
        first_page,
        next,
    );
    let rows = rows
        .into_iter()
        .map(
            |(_, company, partner, kind, verification, since)| ResellerCustomerLine {
                company,
                reseller: partner
                    .and_then(|p| names.get(&p).cloned())
                    .unwrap_or_default(),
                association_type: kind.map(|k| ctx.tk("association", &k)).unwrap_or_default(),
                verification: ctx.tk("customers.verification", &verification),
                since: since.map(local_time).unwrap_or_default(),
            },
        )
        .collect();
    render(&ResellerCustomersPage {
        q: filter.q,
        rows,
        pager,
        ctx,
    })
}

/// CSV of the filtered list, admins only (SPEC §5), personal data masked (rule C10).
pub async fn export_customers(
    ctx: Ctx,
    member: Member,
    state: web::Data<AppState>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    member.require_admin()?;
    let filter = query.filter();
    let m = member.clone();
    let rows = crate::db::run(&state.pool, move |conn| {
        Ok(svc::export_rows(conn, &m, &filter)?)
    })
    .await?;
    let mut out = csv::Writer::from_writer(Vec::new());
    let head = [
        "customers.col.id",
        "customers.col.company",
        "customers.col.contact",
        "customers.col.email",
        "customers.col.phone",
        "customers.col.verification",
        "customers.col.type",
        "customers.col.entity",
        "customers.col.balance",
        "customers.col.credit",
        "customers.col.discount",
        "customers.col.manager",
        "customers.col.since",
    ];
    let csv_err = |e: csv::Error| AppError::internal(format!("csv: {e}"));
    out.write_record(head.iter().map(|k| ctx.t(k)))
        .map_err(csv_err)?;
    for r in rows {
        let l = line(&ctx, r);
        out.write_record([
            l.id.to_string(),
            safe_cell(&l.company),
            safe_cell(&l.contact_name),
            l.email_masked,
            l.phone_masked,
            l.verification,
            l.association_type,
            l.signing_entity,
            l.balance,
            l.credit,
            l.discount,
            safe_cell(&l.manager),
            l.since,
        ])
        .map_err(csv_err)?;
    }
    let body = out
        .into_inner()
        .map_err(|e| AppError::internal(format!("csv: {e}")))?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/csv; charset=utf-8"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"customers.csv\"",
        ))
        .body(body))
}

/// Text that a spreadsheet would run as a formula gets a leading quote.
fn safe_cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}
