//! One bill's page (rules B1, B2, C5, K7; SPEC §6): its lines with the cut-off of each (抹零),
//! the discount, coupon deductions (the voucher part is never invoiced), the total, how it was
//! settled and what is still owed, and for partners the split between the managers of its
//! month. Four statements whatever the bill's size.
//!
//! Who sees it: the customer its own bills; a partner's members the bills of its months as the
//! list scopes them (`list`), resale bills with their lines, advisory ones as totals only
//! (the platform bills an advisory customer). Any other id is not found (SPEC §5).

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use rust_decimal::Decimal;

use crate::db::schema::{
    bill_lines, bill_managers, bills, customers, debts, organizations, products, users,
};
use crate::domain::{AssociationType, Caller, DebtKind, MemberOf, Role, mask};
use crate::services::{ServiceError, ServiceResult};

/// A bill with everything its page shows.
#[derive(Debug, Clone)]
pub struct BillDetail {
    pub id: i64,
    pub customer_id: i64,
    pub company: String,
    pub email_masked: String,
    pub period: NaiveDate,
    pub partner: Option<String>,
    pub association_type: Option<String>,
    pub signing_entity: String,
    pub subtotal: Decimal,
    pub discount: Decimal,
    pub cut_off: Decimal,
    pub amount: Decimal,
    pub voucher: Decimal,
    pub cash_coupons: Decimal,
    pub from_balance: Decimal,
    pub from_credit: Decimal,
    pub unpaid: Decimal,
    /// What has been repaid of the unpaid rest since.
    pub repaid: Decimal,
    pub due_on: Option<NaiveDate>,
    pub paid_at: Option<DateTime<Utc>>,
    pub issued_at: Option<DateTime<Utc>>,
    pub state: String,
    /// `None` when the reader sees totals only (rule: advisory bills for partners).
    pub lines: Option<Vec<DetailLine>>,
    /// Charged cents per manager of the month (C5); empty for the customer.
    pub managers: Vec<(Option<String>, Decimal)>,
}

#[derive(Debug, Clone, Queryable)]
pub struct DetailLine {
    pub product_code: String,
    pub name_en: String,
    pub name_zh: String,
    pub manager: Option<String>,
    pub quantity: Decimal,
    pub unit_price: Decimal,
    pub list_amount: Decimal,
    pub amount: Decimal,
    pub charged: Decimal,
    pub cut_off: Decimal,
}

type Head = (
    (
        i64,
        i64,
        String,
        String,
        NaiveDate,
        Option<String>,
        Option<String>,
        String,
    ),
    (
        Decimal,
        Decimal,
        Decimal,
        Decimal,
        Decimal,
        Decimal,
        Decimal,
        Decimal,
        Decimal,
    ),
    (
        Option<NaiveDate>,
        Option<DateTime<Utc>>,
        Option<DateTime<Utc>>,
        String,
    ),
);

/// Whose bill it is to the reader: the customer's own, or a partner member's scope.
enum Reader<'a> {
    Customer(i64),
    Member(&'a MemberOf),
}

fn head(conn: &mut PgConnection, reader: &Reader<'_>, id: i64) -> QueryResult<Option<Head>> {
    let mut q = bills::table
        .inner_join(customers::table)
        .left_join(organizations::table)
        .filter(bills::id.eq(id))
        .filter(bills::issued_at.is_not_null())
        .into_boxed();
    match reader {
        Reader::Customer(me) => q = q.filter(bills::customer_id.eq(*me)),
        Reader::Member(m) => {
            q = q.filter(bills::partner_id.eq(m.org_id.get()));
            if m.role != Role::Admin {
                let seen = if m.role == Role::Manager {
                    vec![m.user_id.get()]
                } else {
                    super::list::team(conn, m)?
                };
                q = q.filter(diesel::dsl::exists(
                    bill_managers::table
                        .filter(bill_managers::bill_id.eq(bills::id))
                        .filter(bill_managers::manager_id.eq_any(seen)),
                ));
            }
        }
    }
    q.select((
        (
            bills::id,
            bills::customer_id,
            customers::company,
            customers::email,
            bills::period,
            organizations::name.nullable(),
            bills::association_type,
            bills::signing_entity,
        ),
        (
            bills::subtotal,
            bills::discount,
            bills::cut_off,
            bills::amount,
            bills::voucher_deduction,
            bills::cash_coupon_deduction,
            bills::from_balance,
            bills::from_credit,
            bills::unpaid,
        ),
        (
            bills::due_on,
            bills::paid_at,
            bills::issued_at,
            bills::state,
        ),
    ))
    .first(conn)
    .optional()
}

fn load(conn: &mut PgConnection, reader: Reader<'_>, id: i64) -> ServiceResult<BillDetail> {
    let Some((ids, money, when)) = head(conn, &reader, id)? else {
        return Err(ServiceError::NotFound);
    };
    let (id, customer_id, company, email, period, partner, kind, entity) = ids;
    let (
        subtotal,
        discount,
        cut_off,
        amount,
        voucher,
        cash_coupons,
        from_balance,
        from_credit,
        unpaid,
    ) = money;
    let (due_on, paid_at, issued_at, state) = when;
    let member = matches!(reader, Reader::Member(_));
    // Partners read an advisory bill as totals: the platform bills that customer.
    let with_lines = !member || kind.as_deref() == Some(AssociationType::Resale.as_str());
    let lines = if with_lines {
        Some(
            bill_lines::table
                .inner_join(products::table)
                .left_join(users::table)
                .filter(bill_lines::bill_id.eq(id))
                .order(bill_lines::id)
                .select((
                    products::code,
                    products::name_en,
                    products::name_zh,
                    users::display_name.nullable(),
                    bill_lines::quantity,
                    bill_lines::unit_price,
                    bill_lines::list_amount,
                    bill_lines::amount,
                    bill_lines::charged,
                    bill_lines::cut_off,
                ))
                .load(conn)?,
        )
    } else {
        None
    };
    let managers = if member {
        bill_managers::table
            .left_join(users::table.on(users::id.eq(bill_managers::manager_id)))
            .filter(bill_managers::bill_id.eq(id))
            .order(bill_managers::manager_id)
            .select((users::display_name.nullable(), bill_managers::charged))
            .load(conn)?
    } else {
        Vec::new()
    };
    let repaid: Option<Decimal> = debts::table
        .filter(debts::bill_id.eq(id))
        .filter(debts::kind.eq(DebtKind::Unpaid.as_str()))
        .select(diesel::dsl::sum(debts::repaid))
        .first(conn)?;
    Ok(BillDetail {
        id,
        customer_id,
        company,
        email_masked: mask::email(&email),
        period,
        partner,
        association_type: kind,
        signing_entity: entity,
        subtotal,
        discount,
        cut_off,
        amount,
        voucher,
        cash_coupons,
        from_balance,
        from_credit,
        unpaid,
        repaid: repaid.unwrap_or_default(),
        due_on,
        paid_at,
        issued_at,
        state,
        lines,
        managers,
    })
}

/// rule B2: a bill of the member's scope (every role; an id outside it is not found).
pub fn for_member(conn: &mut PgConnection, caller: &Caller, id: i64) -> ServiceResult<BillDetail> {
    let member = caller.member()?;
    load(conn, Reader::Member(member), id)
}

/// rule B2: one of the customer's own bills (any other id is not found).
pub fn for_customer(
    conn: &mut PgConnection,
    caller: &Caller,
    id: i64,
) -> ServiceResult<BillDetail> {
    let me = caller.customer_id()?;
    load(conn, Reader::Customer(me.get()), id)
}
