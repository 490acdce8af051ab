//! One customer's page: profile, contacts, association and manager history, money, bills,
//! top-ups received (rules C4, C5, C10, R4). A customer may have moved between partners: every
//! history on the page is the viewing organisation's own part of it (its associations, its
//! managers, top-ups from its accounts, bills of the months it held the customer).

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::sql_types::Bool;
use rust_decimal::Decimal;

use crate::db::schema::{
    associations, bills, customer_contacts, ledger_accounts, ledger_transfers, manager_assignments,
    users,
};
use crate::domain::{Caller, MemberOf};
use crate::ledger::AccountKind;
use crate::ledger::accounts::customer_money;
use crate::services::customers::list::CustomerRow;
use crate::services::customers::top_up::TOP_UP_KIND;
use crate::services::scope;
use crate::services::{ServiceError, ServiceResult};

pub const MAX_CONTACTS: usize = 5;

/// The newest entries the page shows of each history: associations, managers, top-ups.
const HISTORY_SHOWN: i64 = 20;

type AssociationRow = (String, DateTime<Utc>, Option<DateTime<Utc>>, Option<String>);
type HeldRow = (Option<i64>, DateTime<Utc>, Option<DateTime<Utc>>);

#[derive(Queryable, Selectable, Clone, Debug)]
#[diesel(table_name = customer_contacts)]
pub struct Contact {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub title: String,
}

pub struct AssociationLine {
    pub kind: String,
    pub started_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
    pub end_reason: Option<String>,
}

pub struct ManagerLine {
    pub manager: String,
    pub from_at: DateTime<Utc>,
    pub to_at: Option<DateTime<Utc>>,
}

pub struct BillLine {
    pub id: i64,
    pub period: NaiveDate,
    pub amount: Decimal,
    pub paid: bool,
}

pub struct TopUpLine {
    pub at: DateTime<Utc>,
    pub amount: Decimal,
    pub memo: String,
    pub by: String,
}

pub struct Detail {
    pub customer: CustomerRow,
    /// `(id, name, e-mail)` of the managers the member may assign the customer to.
    pub assignable: Vec<(i64, String, String)>,
    pub manager: Option<String>,
    pub contacts: Vec<Contact>,
    pub associations: Vec<AssociationLine>,
    pub managers: Vec<ManagerLine>,
    pub balance: Decimal,
    pub credit_available: Decimal,
    pub bills: Vec<BillLine>,
    pub top_ups: Vec<TopUpLine>,
    /// The credit line and open debts (SPEC §6 "Settlement").
    pub credit: crate::services::credit::line::CreditSummary,
}

/// The customer if the member may see it; any other id is a 404 (SPEC §5).
pub fn visible(
    conn: &mut PgConnection,
    member: &MemberOf,
    customer_id: i64,
) -> ServiceResult<CustomerRow> {
    scope::visible_customers(member)
        .filter(crate::db::schema::customers::id.eq(customer_id))
        .select(CustomerRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(ServiceError::NotFound)
}

pub fn contacts(conn: &mut PgConnection, customer_id: i64) -> QueryResult<Vec<Contact>> {
    customer_contacts::table
        .filter(customer_contacts::customer_id.eq(customer_id))
        .order(customer_contacts::id)
        .select(Contact::as_select())
        .load(conn)
}

/// Bills of the months the organisation held the customer: a month counts when any of its
/// associations (`rows`, this organisation's, newest first) covered part of it. The page lists
/// at most 20 associations; older ones only narrow what is shown, never widen it.
fn held_months(
    rows: &[AssociationRow],
) -> Box<dyn BoxableExpression<bills::table, Pg, SqlType = Bool>> {
    use diesel::IntoSql;
    let open_end = NaiveDate::from_ymd_opt(9999, 12, 1).expect("a date");
    let mut held: Box<dyn BoxableExpression<bills::table, Pg, SqlType = Bool>> =
        Box::new(false.into_sql::<Bool>());
    for (_, started_at, ended_at, _) in rows {
        let from = crate::i18n::billing_month(*started_at);
        let to = ended_at.map_or(open_end, crate::i18n::billing_month);
        held = Box::new(held.or(bills::period.between(from, to)));
    }
    held
}

/// One customer's page: everything the member may see of it, and the managers the member
/// may assign it to (admins and supervisors, rule C5).
pub fn load(conn: &mut PgConnection, caller: &Caller, customer_id: i64) -> ServiceResult<Detail> {
    let member = caller.member()?;
    let customer = visible(conn, member, customer_id)?;
    let contacts = contacts(conn, customer_id)?;
    // Only this organisation's part of the customer's history.
    let assoc: Vec<AssociationRow> = crate::db::page_limit::limited(
        associations::table
            .filter(associations::customer_id.eq(customer_id))
            .filter(associations::partner_id.eq(member.org_id))
            .order(associations::started_at.desc())
            .select((
                associations::association_type,
                associations::started_at,
                associations::ended_at,
                associations::end_reason,
            )),
        HISTORY_SHOWN,
    )
    .load(conn)?;
    let held: Vec<HeldRow> = crate::db::page_limit::limited(
        manager_assignments::table
            .filter(manager_assignments::customer_id.eq(customer_id))
            .filter(manager_assignments::partner_id.eq(member.org_id))
            .order(manager_assignments::from_at.desc())
            .select((
                manager_assignments::manager_id,
                manager_assignments::from_at,
                manager_assignments::to_at,
            )),
        HISTORY_SHOWN,
    )
    .load(conn)?;
    let mut people: Vec<i64> = held.iter().filter_map(|h| h.0).collect();
    people.extend(customer.manager_id);
    let balance_account: Option<i64> = ledger_accounts::table
        .filter(ledger_accounts::kind.eq(AccountKind::CustomerBalance.as_str()))
        .filter(ledger_accounts::owner_customer_id.eq(customer_id))
        .select(ledger_accounts::id)
        .first(conn)
        .optional()?;
    // Top-ups paid from this organisation's accounts only (rule R4): a former partner's
    // amounts and remarks are theirs.
    let own_accounts = ledger_accounts::table
        .filter(ledger_accounts::owner_org_id.eq(member.org_id.get()))
        .select(ledger_accounts::id);
    let credits: Vec<(DateTime<Utc>, Decimal, String, Option<i64>)> = match balance_account {
        Some(acc) => crate::db::page_limit::limited(
            ledger_transfers::table
                .filter(ledger_transfers::to_account_id.eq(acc))
                .filter(ledger_transfers::kind.eq(TOP_UP_KIND))
                .filter(ledger_transfers::from_account_id.eq_any(own_accounts))
                .order(ledger_transfers::id.desc())
                .select((
                    ledger_transfers::created_at,
                    ledger_transfers::amount,
                    ledger_transfers::memo,
                    ledger_transfers::actor_user_id,
                )),
            HISTORY_SHOWN,
        )
        .load(conn)?,
        None => Vec::new(),
    };
    people.extend(credits.iter().filter_map(|c| c.3));
    let names: HashMap<i64, String> = users::table
        .filter(users::id.eq_any(&people))
        .filter(users::org_id.eq(member.org_id))
        .select((users::id, users::display_name))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect();
    let name = |id: Option<i64>| id.and_then(|i| names.get(&i).cloned());
    let money = customer_money(conn, &[customer_id])?;
    let (balance, credit_available) = money.get(&customer_id).copied().unwrap_or_default();
    let bills = bills::table
        .filter(bills::customer_id.eq(customer_id))
        .filter(held_months(&assoc))
        .order((bills::period.desc(), bills::id.desc()))
        .limit(12)
        .select((bills::id, bills::period, bills::amount, bills::paid_at))
        .load::<(i64, NaiveDate, Decimal, Option<DateTime<Utc>>)>(conn)?
        .into_iter()
        .map(|(id, period, amount, paid_at)| BillLine {
            id,
            period,
            amount,
            paid: paid_at.is_some(),
        })
        .collect();
    let credit = crate::services::credit::line::summary(
        conn,
        customer_id,
        crate::services::credit::line::today(),
    )?;
    let assignable = if member.require_assigner().is_ok() {
        scope::assignable_managers(conn, member)?
    } else {
        Vec::new()
    };
    Ok(Detail {
        assignable,
        manager: name(customer.manager_id),
        associations: assoc
            .into_iter()
            .map(|(kind, started_at, ended_at, end_reason)| AssociationLine {
                kind,
                started_at,
                ended_at,
                end_reason,
            })
            .collect(),
        managers: held
            .into_iter()
            .map(|(m, from_at, to_at)| ManagerLine {
                manager: name(m).unwrap_or_default(),
                from_at,
                to_at,
            })
            .collect(),
        top_ups: credits
            .into_iter()
            .map(|(at, amount, memo, by)| TopUpLine {
                at,
                amount,
                memo,
                by: name(by).unwrap_or_default(),
            })
            .collect(),
        customer,
        contacts,
        balance,
        credit_available,
        bills,
        credit,
    })
}
