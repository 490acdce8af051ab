//! `/partner/assignments`: hand customers to customer managers, one or many at once (rule C5).
//! Admins and supervisors only; a supervisor works within its team and unassigned customers.

use actix_session::Session;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::auth::Member;
use crate::error::AppError;
use crate::services::customers::assignments;
use crate::services::customers::list::{Cursor, Filter, PAGE_MAX, Sort};
use crate::state::AppState;
use crate::views::customers::{AssignLine, AssignmentsPage, Opt, manager_options};
use crate::views::{Ctx, Pager, flash, local_path, redirect, render};

#[derive(Deserialize)]
pub struct AssignQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    manager: String,
    #[serde(default)]
    after: String,
}

pub async fn list_assignments(
    ctx: Ctx,
    member: Member,
    state: web::Data<AppState>,
    query: web::Query<AssignQuery>,
) -> Result<HttpResponse, AppError> {
    member.require_assigner()?;
    let filter = Filter::parse(&query.q, "", &query.manager, "", "company");
    let after = Cursor::parse(&query.after, Sort::CompanyAsc);
    let first_page = after.is_none();
    let (caller, f) = (member.caller.clone(), filter.clone());
    let assignments::Candidates { page, targets } = crate::routes::run(&state.pool, move |conn| {
        Ok(assignments::candidates(
            conn,
            &caller,
            &f,
            after,
            PAGE_MAX / 2,
        )?)
    })
    .await?;
    let filter_managers = manager_options(
        &ctx,
        &filter.manager.param(),
        targets.iter().map(|(id, name, _)| (*id, name.as_str())),
    );
    let mut target_opts = vec![Opt::new("", ctx.t("assignments.release"), "-")];
    target_opts.extend(
        targets
            .into_iter()
            .map(|(id, name, _)| Opt::new(id.to_string(), name, "-")),
    );
    // Only the text and manager filters apply here, so this is `q=…[&manager=…]`.
    let pager = Pager::new(
        &filter.query_string(),
        "/partner/assignments",
        first_page,
        page.next.map(|c| c.encode()),
    );
    let rows = page
        .rows
        .into_iter()
        .map(|r| AssignLine {
            id: r.id,
            company: r.company,
            manager: r.manager.unwrap_or_else(|| ctx.t("customers.unassigned")),
        })
        .collect();
    render(&AssignmentsPage {
        q: filter.q,
        filter_managers,
        targets: target_opts,
        rows,
        pager,
        ctx,
    })
}

/// Fields: `customer_id` (repeated, one per ticked box), `manager_id` (empty: nobody),
/// optional `back` (where to return).
pub async fn assign_customers(
    ctx: Ctx,
    member: Member,
    session: Session,
    state: web::Data<AppState>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    member.require_assigner()?;
    let mut ids = Vec::new();
    let mut manager: Option<Option<i64>> = None;
    let mut back = String::from("/partner/assignments");
    for (k, v) in form.into_inner() {
        match k.as_str() {
            "customer_id" => ids.push(
                v.parse::<i64>()
                    .map_err(|_| AppError::BadRequest("customer_id".into()))?,
            ),
            "manager_id" if v.is_empty() => manager = Some(None),
            "manager_id" => {
                manager = Some(Some(
                    v.parse::<i64>()
                        .map_err(|_| AppError::BadRequest("manager_id".into()))?,
                ))
            }
            "back" => {
                if let Some(p) = local_path(&v) {
                    back = p.to_string();
                }
            }
            _ => {}
        }
    }
    let Some(manager) = manager else {
        return Err(AppError::BadRequest("manager_id".into()));
    };
    if ids.is_empty() {
        flash(&session, "error", ctx.t("assignments.none_selected"));
        return Ok(redirect(&back));
    }
    if ids.len() > assignments::BULK_MAX {
        flash(
            &session,
            "error",
            ctx.tf(
                "assignments.too_many",
                &[("max", &assignments::BULK_MAX.to_string())],
            ),
        );
        return Ok(redirect(&back));
    }
    let m = member.clone();
    let changed = crate::routes::transaction(&state.pool, move |conn| {
        Ok(assignments::assign(conn, &m.caller, &ids, manager)?)
    })
    .await?;
    flash(
        &session,
        "success",
        ctx.tf("assignments.done", &[("n", &changed.to_string())]),
    );
    Ok(redirect(&back))
}
