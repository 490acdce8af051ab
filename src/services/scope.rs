//! Which customers a member may see (SPEC §1 roles, §5 "Roles"): the one place that decides
//! it, so every list, detail page, export and action asks the same question.
//! Admin: every customer of the organisation. Supervisor: customers of their team's managers,
//! their own and unassigned ones. Customer manager: only customers assigned to them.

use diesel::dsl::exists;
use diesel::pg::Pg;
use diesel::prelude::*;

use crate::db::schema::{customers, organizations, users};
use crate::domain::MemberOf;
use crate::domain::{OrgKind, Role};

pub type CustomerQuery<'a> = customers::BoxedQuery<'a, Pg>;
/// The resellers' customers query with the resellers `(id, name)`.
pub type ResellerCustomers<'a> = (CustomerQuery<'a>, Vec<(i64, String)>);

pub fn visible_customers<'a>(member: &MemberOf) -> CustomerQuery<'a> {
    let base = customers::table
        .filter(customers::partner_id.eq(member.org_id))
        .into_boxed();
    match member.role {
        Role::Admin => base,
        Role::Manager => base.filter(customers::manager_id.eq(member.user_id)),
        Role::Supervisor => {
            let me = member.user_id;
            base.filter(
                customers::manager_id
                    .is_null()
                    .or(customers::manager_id.eq(me))
                    .or(exists(
                        users::table
                            .filter(users::id.nullable().eq(customers::manager_id))
                            .filter(users::supervisor_id.eq(me)),
                    )),
            )
        }
    }
}

/// Whether the member may see this customer; the answer to "is this id mine?" for every
/// customer page (an id outside the scope is a 404, SPEC §5).
pub fn can_see_customer(
    conn: &mut PgConnection,
    member: &MemberOf,
    customer_id: i64,
) -> QueryResult<bool> {
    diesel::select(exists(
        visible_customers(member)
            .filter(customers::id.eq(customer_id))
            .select(customers::id),
    ))
    .get_result(conn)
}

/// Managers a member may assign customers to: an admin any manager of the organisation,
/// a supervisor their own team.
pub fn assignable_managers(
    conn: &mut PgConnection,
    member: &MemberOf,
) -> QueryResult<Vec<(i64, String, String)>> {
    let mut q = users::table
        .filter(users::org_id.eq(member.org_id))
        .filter(users::role.eq(Role::Manager.as_str()))
        .filter(users::disabled.eq(false))
        .into_boxed();
    if member.role == Role::Supervisor {
        q = q.filter(users::supervisor_id.eq(member.user_id));
    } else if member.role == Role::Manager {
        q = q.filter(users::id.eq(-1));
    }
    q.order(users::display_name)
        .select((users::id, users::display_name, users::email))
        .load(conn)
}

/// Whether the member sees its resellers' customers (rule C4): admins and supervisors of a
/// distributor.
pub fn sees_reseller_customers(member: &MemberOf) -> bool {
    member.org_kind == OrgKind::Distributor && member.role != Role::Manager
}

/// A distributor's resellers `(id, name)` and the query of their customers (basic fields
/// only, never a detail page); `None` for everyone else. The reseller ids are read first so
/// the customer query walks the `(partner_id, company, id)` index per reseller.
pub fn reseller_customers<'a>(
    conn: &mut PgConnection,
    member: &MemberOf,
) -> QueryResult<Option<ResellerCustomers<'a>>> {
    if !sees_reseller_customers(member) {
        return Ok(None);
    }
    let resellers: Vec<(i64, String)> = organizations::table
        .filter(organizations::parent_id.eq(member.org_id))
        .order(organizations::id)
        .select((organizations::id, organizations::name))
        .load(conn)?;
    let ids: Vec<i64> = resellers.iter().map(|r| r.0).collect();
    let query = customers::table
        .filter(customers::partner_id.eq_any(ids))
        .into_boxed();
    Ok(Some((query, resellers)))
}
