//! Which customers a member may see (SPEC §1 roles, §5 "Roles"): the one place that decides
//! it, so every list, detail page, export and action asks the same question.
//! Admin: every customer of the organisation. Supervisor: customers of their team's managers,
//! their own and unassigned ones. Customer manager: only customers assigned to them.
//! Invitations likewise: an admin acts on all of the organisation's, a supervisor on those sent
//! by themselves or their team, a customer manager on their own (SPEC §5 "Invitation links").

use diesel::dsl::exists;
use diesel::pg::Pg;
use diesel::prelude::*;

use crate::db::schema::{customers, invitations, organizations, users};
use crate::domain::MemberOf;
use crate::domain::{OrgKind, Role};

type NullableBool = diesel::sql_types::Nullable<diesel::sql_types::Bool>;
/// A condition on a query whose FROM clause holds `customers` (`QS`).
pub type BoolCondition<'a, QS> =
    Box<dyn BoxableExpression<QS, Pg, SqlType = diesel::sql_types::Bool> + 'a>;

pub type CustomerQuery<'a> = customers::BoxedQuery<'a, Pg>;
/// The resellers' customers query with the resellers `(id, name)`.
pub type ResellerCustomers<'a> = (CustomerQuery<'a>, Vec<(i64, String)>);

/// The organisation and the member are constants of the statement (`db::constant_sql::id_is`):
/// each member's list keeps a prepared plan that fits its share of the book.
pub fn visible_customers<'a>(member: &MemberOf) -> CustomerQuery<'a> {
    use crate::db::constant_sql::id_is;
    let base = customers::table
        .filter(id_is("customers", "partner_id", member.org_id.get()))
        .into_boxed();
    let me = member.user_id.get();
    match member.role {
        Role::Admin => base,
        Role::Manager => base.filter(id_is("customers", "manager_id", me)),
        Role::Supervisor => base.filter(
            customers::manager_id
                .is_null()
                .or(id_is("customers", "manager_id", me))
                .or(exists(
                    users::table
                        .filter(users::id.nullable().eq(customers::manager_id))
                        .filter(id_is("users", "supervisor_id", me)),
                )),
        ),
    }
}

/// The same rule as `visible_customers`, as a condition on any query that has `customers`
/// in its FROM clause (lists of things that belong to customers, such as issued coupons,
/// join the customer and ask this). A supervisor's team is read first (a few ids), as
/// `visible_invitations` does, so the condition is one probe per joined row.
pub fn visible_customer_condition<'a, QS>(
    conn: &mut PgConnection,
    member: &MemberOf,
) -> QueryResult<Box<dyn BoxableExpression<QS, Pg, SqlType = NullableBool> + 'a>>
where
    QS: 'a,
    customers::partner_id: SelectableExpression<QS>,
    customers::manager_id: SelectableExpression<QS>,
{
    let org = customers::partner_id.eq(member.org_id.get());
    let me = member.user_id.get();
    Ok(match member.role {
        Role::Admin => Box::new(org),
        Role::Manager => Box::new(org.and(customers::manager_id.eq(me))),
        Role::Supervisor => {
            let mut team: Vec<i64> = users::table
                .filter(users::org_id.eq(member.org_id.get()))
                .filter(users::supervisor_id.eq(me))
                .select(users::id)
                .load(conn)?;
            team.push(me);
            Box::new(
                org.and(
                    customers::manager_id
                        .is_null()
                        .or(customers::manager_id.eq_any(team)),
                ),
            )
        }
    })
}

/// The same rule as `visible_customer_condition` with the organisation, the member and a
/// supervisor's team written into the statement as constants (`db::constant_sql`): each
/// member's list keeps a prepared statement of its own whose plan fits that member's share of
/// the book — a manager with a handful of customers reads them and their rows first, one with
/// a third of the book walks the list's own index — without being planned on every view.
/// `None` for an admin, who sees the whole organisation.
pub fn visible_customer_constants<'a, QS>(
    conn: &mut PgConnection,
    member: &MemberOf,
) -> QueryResult<Option<BoolCondition<'a, QS>>>
where
    QS: 'a,
    customers::partner_id: SelectableExpression<QS>,
    customers::manager_id: SelectableExpression<QS>,
{
    use crate::db::constant_sql::{id_is_one_of, ids_are_one_of};
    let org = id_is_one_of("customers", "partner_id", member.org_id.get());
    let me = member.user_id.get();
    Ok(match member.role {
        Role::Admin => None,
        Role::Manager => Some(Box::new(org.and(id_is_one_of(
            "customers",
            "manager_id",
            me,
        )))),
        Role::Supervisor => {
            let mut team: Vec<i64> = users::table
                .filter(users::org_id.eq(member.org_id.get()))
                .filter(users::supervisor_id.eq(me))
                .order(users::id)
                .select(users::id)
                .load(conn)?;
            team.push(me);
            Some(Box::new(org.and(
                customers::manager_id.is_null().or(ids_are_one_of(
                    "customers",
                    "manager_id",
                    &team,
                )),
            )))
        }
    })
}

/// How many customers `visible_customers` holds, read from the counts kept by the
/// `customer_counts` trigger: a few rows per organisation (one per manager), never a scan of
/// its customers (SPEC §5). The same three cases as `visible_customers`. A value of the
/// dashboard's one statement (`db::scalar`); `NULL` when nothing is counted yet.
pub fn visible_customer_total<'a>(
    member: &MemberOf,
) -> crate::db::scalar::Scalar<'a, diesel::sql_types::Nullable<diesel::sql_types::Numeric>> {
    use crate::db::schema::customer_counts as cc;
    let base = cc::table
        .filter(cc::partner_id.eq(member.org_id.get()))
        .into_boxed();
    let me = member.user_id.get();
    let rows = match member.role {
        Role::Admin => base,
        Role::Manager => base.filter(cc::manager_id.eq(me)),
        Role::Supervisor => base.filter(
            cc::manager_id.eq_any([0, me]).or(cc::manager_id.eq_any(
                users::table
                    .filter(users::supervisor_id.eq(me))
                    .select(users::id),
            )),
        ),
    };
    crate::db::scalar::value(rows.select(diesel::dsl::sum(cc::customers)))
}

/// Every customer of the platform, with or without a partner, from the same kept counts.
pub fn platform_customer_count(conn: &mut PgConnection) -> QueryResult<i64> {
    sum_of_counts(conn, crate::db::schema::customer_counts::table.into_boxed())
}

fn sum_of_counts(
    conn: &mut PgConnection,
    rows: crate::db::schema::customer_counts::BoxedQuery<'_, Pg>,
) -> QueryResult<i64> {
    use crate::db::schema::customer_counts as cc;
    let total: Option<rust_decimal::Decimal> = rows
        .select(diesel::dsl::sum(cc::customers))
        .get_result(conn)?;
    Ok(total.map_or(0, |t| i64::try_from(t).unwrap_or(i64::MAX)))
}

/// The invitations a member sees and acts on, as a condition on any query that has the
/// `invitations` table in its FROM clause (the list joins the inviter): the organisation's,
/// narrowed to the member's own for a manager and to their own and their team's for a
/// supervisor (the team is read first: a few ids). Every invitation list, reveal, resend and
/// revoke asks this.
pub fn visible_invitations<'a, QS>(
    conn: &mut PgConnection,
    member: &MemberOf,
) -> QueryResult<Box<dyn BoxableExpression<QS, Pg, SqlType = diesel::sql_types::Bool> + 'a>>
where
    QS: 'a,
    invitations::partner_id: SelectableExpression<QS>,
    invitations::inviter_id: SelectableExpression<QS>,
{
    let org = invitations::partner_id.eq(member.org_id.get());
    let me = member.user_id.get();
    Ok(match member.role {
        Role::Admin => Box::new(org),
        Role::Manager => Box::new(org.and(invitations::inviter_id.eq(me))),
        Role::Supervisor => {
            let mut senders: Vec<i64> = users::table
                .filter(users::org_id.eq(member.org_id.get()))
                .filter(users::supervisor_id.eq(me))
                .select(users::id)
                .load(conn)?;
            senders.push(me);
            Box::new(org.and(invitations::inviter_id.eq_any(senders)))
        }
    })
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
