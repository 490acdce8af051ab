//! The customer list, the resellers' customers tab and the CSV export (rule C4).

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::auth::Member;
use crate::domain::Role;
use crate::domain::money::format_amount;
use crate::error::AppError;
use crate::i18n::local_time;
use crate::services::customers::filter::ARREARS;
use crate::services::customers::list::{
    self as svc, Cursor, Filter, ListRow, ManagerFilter, PAGE_DEFAULT, PAGE_MAX, Sort,
};
use crate::services::scope;
use crate::state::AppState;
use crate::views::customers::{
    CustomerLine, CustomerListPage, Opt, discount_text, manager_options,
};
use crate::views::{Ctx, Pager, render};

/// Every value is text, so a malformed one is ignored rather than refused.
#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    pub q: String,
    #[serde(default, rename = "type")]
    kind: String,
    #[serde(default)]
    manager: String,
    #[serde(default)]
    verification: String,
    #[serde(default)]
    sort: String,
    #[serde(default)]
    credit: String,
    #[serde(default)]
    pub after: String,
    #[serde(default)]
    size: String,
    #[serde(default)]
    tab: String,
}

impl ListQuery {
    pub fn filter(&self) -> Filter {
        Filter::parse(
            &self.q,
            &self.kind,
            &self.manager,
            &self.verification,
            &self.sort,
        )
        .with_credit(&self.credit)
    }

    pub fn size(&self) -> i64 {
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
        return super::resellers::list_reseller_customers(ctx, member, state, query).await;
    }
    let mut filter = query.filter();
    if member.role == Role::Manager {
        filter.manager = ManagerFilter::Any;
    }
    let after = Cursor::parse(&query.after, filter.sort);
    let first_page = after.is_none();
    let size = query.size();
    let (caller, f) = (member.caller.clone(), filter.clone());
    let svc::Listing { page, managers } = crate::routes::run(&state.pool, move |conn| {
        Ok(svc::list(conn, &caller, &f, after, size)?)
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
    let manager_opts = match member.role {
        Role::Manager => Vec::new(),
        role => manager_options(
            &ctx,
            &filter.manager.param(),
            managers
                .iter()
                .filter(|(_, _, sup)| role == Role::Admin || *sup == Some(member.user_id.get()))
                .map(|(id, name, _)| (*id, name.as_str())),
        ),
    };
    let kind = filter.kind.unwrap_or("");
    let verification = filter.verification.unwrap_or("");
    let types = vec![
        Opt::new("", ctx.t("filter.all"), kind),
        Opt::new("resale", ctx.t("association.resale"), kind),
        Opt::new("advisory", ctx.t("association.advisory"), kind),
    ];
    let credit = if filter.arrears { ARREARS } else { "" };
    let credits = vec![
        Opt::new("", ctx.t("filter.all"), credit),
        Opt::new(ARREARS, ctx.t("credit.filter.arrears"), credit),
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
        resellers_tab: scope::sees_reseller_customers(&member),
        q: filter.q,
        types,
        managers: manager_opts,
        verifications,
        credits,
        sorts,
        sizes,
        rows,
        pager,
        ctx,
    })
}
