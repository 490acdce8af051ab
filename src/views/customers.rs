//! Template structs of the customer pages (`/partner/customers…`) and assignments.

use askama::Template;

use super::{Ctx, FormErrors, Pager};
use crate::services::customers::contacts::ContactForm;

/// One `<option>` of a select, already marked when chosen.
pub struct Opt {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

impl Opt {
    pub fn new(value: impl Into<String>, label: impl Into<String>, current: &str) -> Opt {
        let value = value.into();
        Opt {
            selected: value == current,
            label: label.into(),
            value,
        }
    }
}

/// The manager filter's choices: everyone, unassigned, then `managers` (id, name).
pub fn manager_options<'a>(
    ctx: &Ctx,
    current: &str,
    managers: impl IntoIterator<Item = (i64, &'a str)>,
) -> Vec<Opt> {
    let mut opts = vec![
        Opt::new("", ctx.t("filter.all"), current),
        Opt::new("none", ctx.t("customers.unassigned"), current),
    ];
    opts.extend(
        managers
            .into_iter()
            .map(|(id, name)| Opt::new(id.to_string(), name, current)),
    );
    opts
}

pub struct CustomerLine {
    pub id: i64,
    pub reveal_href: String,
    pub verification_code: String,
    pub company: String,
    pub contact_name: String,
    pub email_masked: String,
    pub phone_masked: String,
    pub verification: String,
    pub association_type: String,
    pub signing_entity: String,
    pub balance: String,
    pub credit: String,
    pub discount: String,
    pub manager: String,
    pub since: String,
}

#[derive(Template)]
#[template(path = "partner/customers/list.html")]
pub struct CustomerListPage {
    pub ctx: Ctx,
    pub q: String,
    pub types: Vec<Opt>,
    /// Empty for customer managers, who only ever see their own customers.
    pub managers: Vec<Opt>,
    pub verifications: Vec<Opt>,
    /// The available-credit filter: everyone or those in arrears (欠费).
    pub credits: Vec<Opt>,
    pub sorts: Vec<Opt>,
    pub sizes: Vec<Opt>,
    pub rows: Vec<CustomerLine>,
    pub pager: Pager,
    pub export_href: Option<String>,
    pub resellers_tab: bool,
}

pub struct ResellerCustomerLine {
    pub company: String,
    pub reseller: String,
    pub association_type: String,
    pub verification: String,
    pub since: String,
}

#[derive(Template)]
#[template(path = "partner/customers/resellers.html")]
pub struct ResellerCustomersPage {
    pub ctx: Ctx,
    pub q: String,
    pub rows: Vec<ResellerCustomerLine>,
    pub pager: Pager,
}

pub struct ContactLine {
    pub id: i64,
    pub name: String,
    pub title: String,
    pub email_masked: String,
    pub phone_masked: String,
    pub email_field: String,
    pub phone_field: String,
}

/// (first column, second column, third column, fourth column) of a history table.
pub struct HistoryLine {
    pub what: String,
    pub from: String,
    pub to: String,
    pub note: String,
}

#[derive(Template)]
#[template(path = "partner/customers/detail.html")]
pub struct CustomerDetailPage {
    pub ctx: Ctx,
    pub id: i64,
    pub reveal_href: String,
    pub back_href: String,
    pub company: String,
    pub contact_name: String,
    pub email_masked: String,
    pub phone_masked: String,
    pub verification: String,
    pub association_type: String,
    pub signing_entity: String,
    pub since: String,
    pub discount: String,
    pub manager: String,
    pub balance: String,
    pub credit: String,
    pub contacts: Vec<ContactLine>,
    pub contacts_full: bool,
    pub associations: Vec<HistoryLine>,
    pub managers: Vec<HistoryLine>,
    pub bills: Vec<HistoryLine>,
    pub top_ups: Vec<HistoryLine>,
    pub is_admin: bool,
    /// Managers this member may hand the customer to; empty when it may not assign.
    pub assign_to: Vec<Opt>,
    /// The credit line and open debts (SPEC §6 "Settlement").
    pub credit_panel: super::credit::CreditPanel,
}

#[derive(Template)]
#[template(path = "partner/customers/reveal.html")]
/// One revealed value (rule A5) without JavaScript, with links back to where the eye was.
pub struct RevealPage {
    pub ctx: Ctx,
    pub back_href: String,
    pub back_label: String,
    pub list_href: String,
    pub list_label: String,
    pub company: String,
    pub label: String,
    pub value: String,
}

#[derive(Template)]
#[template(path = "partner/customers/contact_form.html")]
pub struct ContactFormPage {
    pub ctx: Ctx,
    pub id: i64,
    pub company: String,
    pub action: String,
    pub editing: bool,
    pub form: ContactForm,
    pub errors: FormErrors,
    pub message: String,
}

#[derive(Template)]
#[template(path = "partner/customers/top_up.html")]
pub struct TopUpPage {
    pub ctx: Ctx,
    pub id: i64,
    pub company: String,
    pub cash: String,
    pub amount: String,
    pub remark: String,
    pub key: String,
    pub errors: FormErrors,
    pub message: String,
}

#[derive(Template)]
#[template(path = "partner/customers/unassociate.html")]
pub struct UnassociatePage {
    pub ctx: Ctx,
    pub id: i64,
    pub company: String,
    pub manager: String,
    pub recoveries: Vec<(String, i64)>,
    pub used: i64,
    pub limit: i64,
    pub allowed: bool,
    pub message: String,
}

pub struct AssignLine {
    pub id: i64,
    pub company: String,
    pub manager: String,
}

#[derive(Template)]
#[template(path = "partner/assignments.html")]
pub struct AssignmentsPage {
    pub ctx: Ctx,
    pub q: String,
    pub filter_managers: Vec<Opt>,
    pub targets: Vec<Opt>,
    pub rows: Vec<AssignLine>,
    pub pager: Pager,
}

/// `0.9500` → `95%` of list price; no discount shows a dash.
pub fn discount_text(d: rust_decimal::Decimal) -> String {
    if d >= rust_decimal::Decimal::ONE {
        "—".into()
    } else {
        format!("{}%", (d * rust_decimal::Decimal::ONE_HUNDRED).normalize())
    }
}
