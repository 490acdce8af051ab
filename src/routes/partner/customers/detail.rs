//! One customer's page and the eye button that reveals a masked value (rule A5).

use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use crate::auth::Member;
use crate::domain::mask;
use crate::domain::money::format_amount;
use crate::error::AppError;
use crate::i18n::local_time;
use crate::services::customers::detail::{self as svc, MAX_CONTACTS};
use crate::services::customers::reveal::{RevealField, reveal};
use crate::state::AppState;
use crate::views::credit::CreditPanel;
use crate::views::customers::{
    ContactLine, CustomerDetailPage, HistoryLine, Opt, RevealPage, discount_text,
};
use crate::views::{Ctx, render, wants_json};

pub async fn show_customer(
    ctx: Ctx,
    member: Member,
    state: web::Data<AppState>,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let caller = member.caller.clone();
    let mut d =
        crate::routes::run(&state.pool, move |conn| Ok(svc::load(conn, &caller, id)?)).await?;
    let assignable = std::mem::take(&mut d.assignable);
    let c = d.customer;
    let current = c.manager_id.map(|m| m.to_string()).unwrap_or_default();
    let mut assign_to = Vec::new();
    if member.require_assigner().is_ok() {
        assign_to.push(Opt::new("", ctx.t("customers.unassigned"), &current));
        assign_to.extend(
            assignable
                .into_iter()
                .map(|(mid, name, _)| Opt::new(mid.to_string(), name, &current)),
        );
    }
    let dash = || "—".to_string();
    let resale =
        c.association_type.as_deref() == Some(crate::domain::AssociationType::Resale.as_str());
    let limit_href =
        (member.is_admin() && resale).then(|| format!("/partner/customers/{}/credit-limit", c.id));
    let credit_panel = CreditPanel::new(std::mem::take(&mut d.credit), limit_href);
    let page = CustomerDetailPage {
        id: c.id,
        reveal_href: format!("/partner/customers/{}/reveal", c.id),
        back_href: format!("/partner/customers/{}", c.id),
        email_masked: mask::email(&c.email),
        phone_masked: mask::phone(&c.phone),
        verification: ctx.tk("customers.verification", &c.verification),
        association_type: c
            .association_type
            .as_deref()
            .map(|k| ctx.tk("association", k))
            .unwrap_or_default(),
        since: c.associated_at.map(local_time).unwrap_or_default(),
        discount: discount_text(c.discount),
        manager: d.manager.unwrap_or_else(|| ctx.t("customers.unassigned")),
        balance: format_amount(d.balance),
        credit: format_amount(d.credit_available),
        contacts_full: d.contacts.len() >= MAX_CONTACTS,
        contacts: d
            .contacts
            .into_iter()
            .map(|k| ContactLine {
                email_masked: mask::email(&k.email),
                phone_masked: mask::phone(&k.phone),
                email_field: RevealField::ContactEmail(k.id).as_string(),
                phone_field: RevealField::ContactPhone(k.id).as_string(),
                id: k.id,
                name: k.name,
                title: k.title,
            })
            .collect(),
        associations: d
            .associations
            .into_iter()
            .map(|a| HistoryLine {
                what: ctx.tk("association", &a.kind),
                from: local_time(a.started_at),
                to: a.ended_at.map(local_time).unwrap_or_else(dash),
                note: a
                    .end_reason
                    .map(|r| ctx.tk("customers.end_reason", &r))
                    .unwrap_or_default(),
            })
            .collect(),
        managers: d
            .managers
            .into_iter()
            .map(|h| HistoryLine {
                what: h.manager,
                from: local_time(h.from_at),
                to: h.to_at.map(local_time).unwrap_or_else(dash),
                note: String::new(),
            })
            .collect(),
        bills: d
            .bills
            .into_iter()
            .map(|b| HistoryLine {
                what: crate::i18n::iso_month(b.period),
                from: format_amount(b.amount),
                to: if b.paid {
                    ctx.t("customers.bill.paid")
                } else {
                    ctx.t("customers.bill.unpaid")
                },
                note: b.id.to_string(),
            })
            .collect(),
        top_ups: d
            .top_ups
            .into_iter()
            .map(|k| HistoryLine {
                what: local_time(k.at),
                from: format_amount(k.amount),
                to: k.by,
                note: k.memo,
            })
            .collect(),
        company: c.company,
        contact_name: c.contact_name,
        signing_entity: c.signing_entity,
        is_admin: member.is_admin(),
        assign_to,
        credit_panel,
        ctx,
    };
    render(&page)
}

#[derive(Deserialize)]
pub struct RevealForm {
    #[serde(default)]
    field: String,
}

/// With JavaScript the eye gets `{"value": …}`; without, a page showing that one value.
pub async fn reveal_value(
    req: HttpRequest,
    ctx: Ctx,
    member: Member,
    state: web::Data<AppState>,
    path: web::Path<i64>,
    form: web::Form<RevealForm>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let field = RevealField::parse(&form.field)
        .ok_or_else(|| AppError::BadRequest("unknown field".into()))?;
    let limit = state.settings.reveal_limit;
    let m = member.clone();
    let (company, value) = crate::routes::transaction(&state.pool, move |conn| {
        Ok(reveal(conn, &m.caller, id, field, limit)?)
    })
    .await?;
    if wants_json(&req) {
        return Ok(HttpResponse::Ok().json(serde_json::json!({ "value": value })));
    }
    let label = match field {
        RevealField::Email => ctx.t("customers.col.email"),
        RevealField::Phone => ctx.t("customers.col.phone"),
        RevealField::ContactEmail(_) => ctx.t("customers.contact.email"),
        RevealField::ContactPhone(_) => ctx.t("customers.contact.phone"),
    };
    render(&RevealPage {
        back_href: format!("/partner/customers/{id}"),
        back_label: ctx.t("customers.back_to_customer"),
        list_href: "/partner/customers".into(),
        list_label: ctx.t("customers.back_to_list"),
        ctx,
        company,
        label,
        value,
    })
}
