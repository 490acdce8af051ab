//! Cooperation applications (rule R2; seed 000: 企业客户可以在合作伙伴中心申请加入云经销商计划):
//! a customer applies to become a reseller of the distributor it names; an operator approves or
//! rejects first, then that distributor. Each step is kept with who, when and the reason, and
//! mails the applicant. The distributor's approval turns the customer account into the new
//! reseller's admin, as accepting a reseller invitation does (`joining::convert_account`).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde_json::json;

use crate::audit::{self, Entry};
use crate::db::page_limit::limited;
use crate::db::schema::{
    customers, organizations, reseller_application_steps as steps, reseller_applications as apps,
    users,
};
use crate::domain::{ApplicationState, Caller, OrgId, OrgKind};
use crate::i18n::Lang;
use crate::mail::application::ApplicationEmail;
use crate::mail::{MailTemplate, outbox};
use crate::services::keyset::take_page;
use crate::services::{ServiceError, ServiceResult};

/// The longest message or reason kept.
pub const TEXT_MAX: usize = 500;

/// Why an application step is refused; each has its message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApplicationRefusal {
    /// The customer has an application waiting already.
    OpenExists,
    /// The chosen organisation is not a distributor.
    NotADistributor,
    /// The application is not waiting for this step any more (decided, or a double submit).
    NotWaiting,
    /// A rejection needs its reason.
    ReasonRequired,
    /// The customer already belongs to a reseller network as a reseller's or partner's staff.
    NotACustomer,
}

impl ApplicationRefusal {
    pub fn key(self) -> &'static str {
        match self {
            ApplicationRefusal::OpenExists => "applications.error.open_exists",
            ApplicationRefusal::NotADistributor => "applications.error.not_distributor",
            ApplicationRefusal::NotWaiting => "applications.error.not_waiting",
            ApplicationRefusal::ReasonRequired => "applications.error.reason_required",
            ApplicationRefusal::NotACustomer => "applications.error.not_customer",
        }
    }
}

/// Every distributor a customer may name: `(id, name)`.
pub fn distributors(conn: &mut PgConnection) -> QueryResult<Vec<(i64, String)>> {
    organizations::table
        .filter(organizations::kind.eq(OrgKind::Distributor.as_str()))
        .order((organizations::name, organizations::id))
        .select((organizations::id, organizations::name))
        .load(conn)
}

/// One step of the history.
#[derive(Debug, Clone)]
pub struct Step {
    pub step: String,
    pub by: Option<String>,
    pub reason: String,
    pub at: DateTime<Utc>,
}

/// An application with its history, as every side lists it.
#[derive(Debug, Clone)]
pub struct Application {
    pub id: i64,
    pub customer_id: i64,
    pub company: String,
    pub applicant_email: String,
    pub distributor: String,
    pub message: String,
    pub state: String,
    pub created_at: DateTime<Utc>,
    pub steps: Vec<Step>,
}

pub struct ApplicationPage {
    pub rows: Vec<Application>,
    pub next: Option<String>,
}

type Row = (
    i64,
    i64,
    String,
    String,
    String,
    String,
    String,
    DateTime<Utc>,
);

/// Applications matching `filter`, newest first, with their steps (three statements: the
/// page's ids, their rows, their steps).
fn load(
    conn: &mut PgConnection,
    filter: impl FnOnce(
        apps::BoxedQuery<'static, diesel::pg::Pg>,
    ) -> apps::BoxedQuery<'static, diesel::pg::Pg>,
    before: Option<i64>,
    size: i64,
) -> QueryResult<ApplicationPage> {
    let mut ids_query = filter(apps::table.into_boxed());
    if let Some(b) = before {
        ids_query = ids_query.filter(apps::id.lt(b));
    }
    let ids: Vec<i64> =
        limited(ids_query.order(apps::id.desc()).select(apps::id), size + 1).load(conn)?;
    let mut rows: Vec<Row> = apps::table
        .inner_join(organizations::table.on(organizations::id.eq(apps::distributor_id)))
        .inner_join(users::table.on(users::id.eq(apps::applicant_id)))
        .filter(apps::id.eq_any(&ids))
        .order(apps::id.desc())
        .select((
            apps::id,
            apps::customer_id,
            apps::company,
            users::email,
            organizations::name,
            apps::message,
            apps::state,
            apps::created_at,
        ))
        .load(conn)?;
    let next = take_page(&mut rows, size, |r| r.0.to_string());
    let shown: Vec<i64> = rows.iter().map(|r| r.0).collect();
    // application, step, by, reason, at
    type StepRow = (i64, String, Option<String>, String, DateTime<Utc>);
    let all_steps: Vec<StepRow> = steps::table
        .left_join(users::table.on(steps::actor_user_id.eq(users::id.nullable())))
        .filter(steps::application_id.eq_any(&shown))
        .order(steps::id)
        .select((
            steps::application_id,
            steps::step,
            users::display_name.nullable(),
            steps::reason,
            steps::at,
        ))
        .load(conn)?;
    let rows = rows
        .into_iter()
        .map(
            |(
                id,
                customer_id,
                company,
                applicant_email,
                distributor,
                message,
                state,
                created_at,
            )| {
                Application {
                    id,
                    customer_id,
                    company,
                    applicant_email,
                    distributor,
                    message,
                    state,
                    created_at,
                    steps: all_steps
                        .iter()
                        .filter(|s| s.0 == id)
                        .map(|s| Step {
                            step: s.1.clone(),
                            by: s.2.clone(),
                            reason: s.3.clone(),
                            at: s.4,
                        })
                        .collect(),
                }
            },
        )
        .collect();
    Ok(ApplicationPage { rows, next })
}

fn step(
    conn: &mut PgConnection,
    application: i64,
    what: &str,
    actor: Option<i64>,
    reason: &str,
) -> QueryResult<()> {
    diesel::insert_into(steps::table)
        .values((
            steps::application_id.eq(application),
            steps::step.eq(what),
            steps::actor_user_id.eq(actor),
            steps::reason.eq(reason),
        ))
        .execute(conn)?;
    Ok(())
}

/// Mails the applicant about the step just taken (rule R2: each step mails the applicant).
fn mail_applicant(
    conn: &mut PgConnection,
    application: i64,
    what: &str,
    reason: &str,
    public_url: &str,
) -> ServiceResult<()> {
    let (email, language, distributor): (String, String, String) = apps::table
        .inner_join(users::table.on(users::id.eq(apps::applicant_id)))
        .inner_join(organizations::table.on(organizations::id.eq(apps::distributor_id)))
        .filter(apps::id.eq(application))
        .select((users::email, users::language, organizations::name))
        .first(conn)?;
    let link = if what == "distributor_approved" {
        format!("{public_url}/partner")
    } else {
        format!("{public_url}/fee-center/reseller-application")
    };
    let mail = ApplicationEmail {
        lang: Lang::parse(&language).unwrap_or(Lang::ZhCn),
        step: what.to_string(),
        distributor,
        reason: reason.to_string(),
        link,
    }
    .render_mail()?;
    outbox::enqueue(conn, "reseller_application", &email, &mail)?;
    Ok(())
}

fn bounded(text: &str) -> ServiceResult<String> {
    let text = text.trim();
    if text.chars().count() > TEXT_MAX {
        return Err(ServiceError::Malformed("text too long"));
    }
    Ok(text.to_string())
}

/// rule R2: a customer applies to become a reseller of `distributor_id`.
pub fn apply(
    conn: &mut PgConnection,
    caller: &Caller,
    distributor_id: i64,
    message: &str,
    public_url: &str,
) -> ServiceResult<i64> {
    let customer_id = caller.customer_id()?.get();
    let user_id = caller.user_id().ok_or(ServiceError::Forbidden)?.get();
    let message = bounded(message)?;
    // One application at a time per customer, also under a double submit.
    let company: String = customers::table
        .find(customer_id)
        .select(customers::company)
        .for_update()
        .first(conn)?;
    let is_distributor: bool = diesel::select(diesel::dsl::exists(
        organizations::table
            .filter(organizations::id.eq(distributor_id))
            .filter(organizations::kind.eq(OrgKind::Distributor.as_str())),
    ))
    .get_result(conn)?;
    if !is_distributor {
        return Err(ApplicationRefusal::NotADistributor.into());
    }
    let open: bool = diesel::select(diesel::dsl::exists(
        apps::table
            .filter(apps::customer_id.eq(customer_id))
            .filter(apps::state.eq_any([
                ApplicationState::AwaitingOperator.as_str(),
                ApplicationState::AwaitingDistributor.as_str(),
            ])),
    ))
    .get_result(conn)?;
    if open {
        return Err(ApplicationRefusal::OpenExists.into());
    }
    let id: i64 = diesel::insert_into(apps::table)
        .values((
            apps::customer_id.eq(customer_id),
            apps::applicant_id.eq(user_id),
            apps::distributor_id.eq(distributor_id),
            apps::company.eq(&company),
            apps::message.eq(&message),
        ))
        .returning(apps::id)
        .get_result(conn)?;
    step(conn, id, "applied", Some(user_id), &message)?;
    audit::record_for_org(
        conn,
        caller,
        Some(OrgId(distributor_id)),
        Entry::new("reseller_application.applied", "reseller_application", id)
            .after(json!({ "distributor": distributor_id, "customer": customer_id })),
    )?;
    mail_applicant(conn, id, "applied", "", public_url)?;
    Ok(id)
}

/// The customer's own applications with their history.
pub fn mine(conn: &mut PgConnection, caller: &Caller) -> ServiceResult<Vec<Application>> {
    let customer_id = caller.customer_id()?.get();
    Ok(load(
        conn,
        |q| q.filter(apps::customer_id.eq(customer_id)),
        None,
        20,
    )?
    .rows)
}

/// Locks the application and checks it waits for `state`.
fn waiting(
    conn: &mut PgConnection,
    id: i64,
    state: ApplicationState,
) -> ServiceResult<(i64, i64, i64, String)> {
    let row: Option<(i64, i64, i64, String, String)> = apps::table
        .find(id)
        .select((
            apps::distributor_id,
            apps::customer_id,
            apps::applicant_id,
            apps::company,
            apps::state,
        ))
        .for_update()
        .first(conn)
        .optional()?;
    let (distributor, customer, applicant, company, now) = row.ok_or(ServiceError::NotFound)?;
    if now != state.as_str() {
        return Err(ApplicationRefusal::NotWaiting.into());
    }
    Ok((distributor, customer, applicant, company))
}

fn set_state(
    conn: &mut PgConnection,
    id: i64,
    state: ApplicationState,
    reseller: Option<i64>,
) -> QueryResult<()> {
    diesel::update(apps::table.find(id))
        .set((
            apps::state.eq(state.as_str()),
            apps::reseller_org_id.eq(reseller),
            apps::updated_at.eq(Utc::now()),
        ))
        .execute(conn)?;
    Ok(())
}

/// A decision: approve, or reject with its reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Approve,
    Reject,
}

impl Decision {
    pub fn parse(s: &str) -> Option<Decision> {
        match s {
            "approve" => Some(Decision::Approve),
            "reject" => Some(Decision::Reject),
            _ => None,
        }
    }
}

fn reason_for(decision: Decision, reason: &str) -> ServiceResult<String> {
    let reason = bounded(reason)?;
    if decision == Decision::Reject && reason.is_empty() {
        return Err(ApplicationRefusal::ReasonRequired.into());
    }
    Ok(reason)
}

/// Keeps a decision's step, audits it in the distributor's log and mails the applicant.
fn record_step(
    conn: &mut PgConnection,
    caller: &Caller,
    (id, distributor): (i64, i64),
    what: &str,
    reason: &str,
    public_url: &str,
) -> ServiceResult<()> {
    step(conn, id, what, caller.user_id().map(|u| u.get()), reason)?;
    audit::record_for_org(
        conn,
        caller,
        Some(OrgId(distributor)),
        Entry::new(
            &format!("reseller_application.{what}"),
            "reseller_application",
            id,
        )
        .after(json!({ "reason": reason })),
    )?;
    mail_applicant(conn, id, what, reason, public_url)
}

/// rule R2, first step: an operator approves (on to the distributor) or rejects.
pub fn operator_decide(
    conn: &mut PgConnection,
    caller: &Caller,
    id: i64,
    decision: Decision,
    reason: &str,
    public_url: &str,
) -> ServiceResult<()> {
    caller.require_operator()?;
    let reason = reason_for(decision, reason)?;
    let (distributor, ..) = waiting(conn, id, ApplicationState::AwaitingOperator)?;
    let (state, what) = match decision {
        Decision::Approve => (ApplicationState::AwaitingDistributor, "operator_approved"),
        Decision::Reject => (ApplicationState::Rejected, "operator_rejected"),
    };
    set_state(conn, id, state, None)?;
    record_step(conn, caller, (id, distributor), what, &reason, public_url)
}

/// rule R2, second step: the named distributor's admin approves (the customer account becomes
/// the new reseller's admin) or rejects.
pub fn distributor_decide(
    conn: &mut PgConnection,
    caller: &Caller,
    id: i64,
    decision: Decision,
    reason: &str,
    public_url: &str,
) -> ServiceResult<()> {
    let member = super::distributor_admin(caller)?;
    let reason = reason_for(decision, reason)?;
    let found: Option<i64> = apps::table
        .find(id)
        .filter(apps::distributor_id.eq(member.org_id))
        .select(apps::id)
        .first(conn)
        .optional()?;
    found.ok_or(ServiceError::NotFound)?;
    let (_, customer, applicant, company) =
        waiting(conn, id, ApplicationState::AwaitingDistributor)?;
    let what = match decision {
        Decision::Approve => {
            // The applicant must still be this customer's account.
            let still: Option<Option<i64>> = users::table
                .find(applicant)
                .select(users::customer_id)
                .first(conn)
                .optional()?;
            if still != Some(Some(customer)) {
                return Err(ApplicationRefusal::NotACustomer.into());
            }
            let (org, _) = super::joining::convert_account(
                conn,
                member.org_id.get(),
                &company,
                applicant,
                customer,
                caller,
                json!({ "application_id": id }),
            )?;
            set_state(conn, id, ApplicationState::Approved, Some(org))?;
            "distributor_approved"
        }
        Decision::Reject => {
            set_state(conn, id, ApplicationState::Rejected, None)?;
            "distributor_rejected"
        }
    };
    let distributor = member.org_id.get();
    record_step(conn, caller, (id, distributor), what, &reason, public_url)
}

/// The operator's list: waiting for an operator by default, or in `state`.
pub fn for_operator(
    conn: &mut PgConnection,
    caller: &Caller,
    state: Option<ApplicationState>,
    before: Option<i64>,
    size: i64,
) -> ServiceResult<ApplicationPage> {
    caller.require_operator()?;
    Ok(load(
        conn,
        |q| match state {
            Some(s) => q.filter(apps::state.eq(s.as_str())),
            None => q,
        },
        before,
        size,
    )?)
}

/// The distributor's applications tab: only what the operator passed on, and after.
pub fn for_distributor(
    conn: &mut PgConnection,
    caller: &Caller,
    state: Option<ApplicationState>,
    before: Option<i64>,
    size: i64,
) -> ServiceResult<ApplicationPage> {
    let member = super::distributor_admin(caller)?;
    let org = member.org_id;
    Ok(load(
        conn,
        move |q| {
            // rule R2: nothing reaches the distributor before the operator approves.
            let q = q
                .filter(apps::distributor_id.eq(org))
                .filter(diesel::dsl::exists(
                    steps::table
                        .filter(steps::application_id.eq(apps::id))
                        .filter(steps::step.eq("operator_approved")),
                ));
            match state {
                Some(s) => q.filter(apps::state.eq(s.as_str())),
                None => q,
            }
        },
        before,
        size,
    )?)
}
