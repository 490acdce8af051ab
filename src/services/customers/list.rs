//! The customer list (rule C4): filters, sort, keyset pages and the rows of the CSV export.
//! Every list is scoped by `scope::visible_customers`; a page costs two statements whatever
//! its size (the page's customers, then their balances with the organisation's managers).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use rust_decimal::Decimal;

use crate::db::page_limit::limited;
use crate::db::schema::{customers, users};
use crate::domain::OrgId;
use crate::domain::{Caller, MemberOf};

use crate::domain::{Role, mask};
use crate::services::ServiceResult;
use crate::services::scope;

pub use crate::services::customers::filter::{
    Cursor, Filter, ManagerFilter, Sort, apply_filter, like_pattern, order_after,
};

pub use crate::services::keyset::{DEFAULT_SIZE as PAGE_DEFAULT, MAX_SIZE as PAGE_MAX};

/// The customer columns every customer page reads (`CustomerRow::as_select()`).
#[derive(Queryable, Selectable, Clone, Debug)]
#[diesel(table_name = customers)]
pub struct CustomerRow {
    pub id: i64,
    pub company: String,
    pub contact_name: String,
    pub email: String,
    pub phone: String,
    pub verification: String,
    pub signing_entity: String,
    pub partner_id: Option<i64>,
    pub association_type: Option<String>,
    pub associated_at: Option<DateTime<Utc>>,
    pub manager_id: Option<i64>,
    pub discount: Decimal,
}

/// One line of the list or the export; e-mail and phone are already masked (rule A5).
#[derive(Clone, Debug)]
pub struct ListRow {
    pub id: i64,
    pub company: String,
    pub contact_name: String,
    pub email_masked: String,
    pub phone_masked: String,
    pub verification: String,
    pub association_type: String,
    pub signing_entity: String,
    pub balance: Decimal,
    pub credit_available: Decimal,
    pub discount: Decimal,
    pub manager: Option<String>,
    pub associated_at: Option<DateTime<Utc>>,
}

pub struct Page {
    pub rows: Vec<ListRow>,
    pub next: Option<Cursor>,
}

/// Every manager of the organisation: `(id, name, supervisor)`. Names for rows and filters.
pub fn org_managers(
    conn: &mut PgConnection,
    org_id: OrgId,
) -> QueryResult<Vec<(i64, String, Option<i64>)>> {
    users::table
        .filter(users::org_id.eq(org_id))
        .filter(users::role.eq(Role::Manager.as_str()))
        .order((users::display_name, users::id))
        .select((users::id, users::display_name, users::supervisor_id))
        .load(conn)
}

/// List rows with balances and manager names; e-mail and phone masked here.
fn rows_with(
    rows: Vec<CustomerRow>,
    money: &HashMap<i64, (Decimal, Decimal)>,
    managers: &[(i64, String, Option<i64>)],
) -> Vec<ListRow> {
    let names: HashMap<i64, &str> = managers.iter().map(|m| (m.0, m.1.as_str())).collect();
    rows.into_iter()
        .map(|r| {
            let (balance, credit_available) = money.get(&r.id).copied().unwrap_or_default();
            ListRow {
                id: r.id,
                email_masked: mask::email(&r.email),
                phone_masked: mask::phone(&r.phone),
                company: r.company,
                contact_name: r.contact_name,
                verification: r.verification,
                association_type: r.association_type.unwrap_or_default(),
                signing_entity: r.signing_entity,
                balance,
                credit_available,
                discount: r.discount,
                manager: r
                    .manager_id
                    .and_then(|m| names.get(&m).map(|n| n.to_string())),
                associated_at: r.associated_at,
            }
        })
        .collect()
}

fn cursor_of(row: &CustomerRow, sort: Sort) -> Option<Cursor> {
    if sort.by_company() {
        Some(Cursor::Company(row.company.clone(), row.id))
    } else {
        row.associated_at.map(|t| Cursor::Since(t, row.id))
    }
}

/// A page of the list with every manager of the organisation (for names and the filter).
pub struct Listing {
    pub page: Page,
    pub managers: Vec<(i64, String, Option<i64>)>,
}

/// rule C4: one page of the customers the caller sees, with the organisation's managers: two
/// statements, the page's customers, then their balances and the managers together
/// (`money_and_managers`).
pub fn list(
    conn: &mut PgConnection,
    caller: &Caller,
    filter: &Filter,
    after: Option<Cursor>,
    size: i64,
) -> ServiceResult<Listing> {
    let member = caller.member()?;
    let (loaded, next) = rows(conn, member, filter, after, size)?;
    let ids: Vec<i64> = loaded.iter().map(|r| r.id).collect();
    let (money, managers) = money_and_managers(conn, member.org_id, &ids)?;
    Ok(Listing {
        page: Page {
            rows: rows_with(loaded, &money, &managers),
            next,
        },
        managers,
    })
}

/// One page of the member's customers with their balances, for callers that read the managers
/// once for many pages (the CSV export).
pub fn page(
    conn: &mut PgConnection,
    member: &MemberOf,
    filter: &Filter,
    after: Option<Cursor>,
    size: i64,
    managers: &[(i64, String, Option<i64>)],
) -> QueryResult<Page> {
    let (loaded, next) = rows(conn, member, filter, after, size)?;
    let ids: Vec<i64> = loaded.iter().map(|r| r.id).collect();
    let money = crate::ledger::accounts::customer_money(conn, &ids)?;
    Ok(Page {
        rows: rows_with(loaded, &money, managers),
        next,
    })
}

/// The customer rows of one page (the caller bounds `size`) and the cursor of the next.
fn rows(
    conn: &mut PgConnection,
    member: &MemberOf,
    filter: &Filter,
    after: Option<Cursor>,
    size: i64,
) -> QueryResult<(Vec<CustomerRow>, Option<Cursor>)> {
    let size = size.max(1);
    let scoped = scope::visible_customers(member);
    let query = order_after(
        apply_filter(scoped, filter),
        filter.sort,
        after,
        filter.uses_trigrams(),
    );
    // The page's rows first, then their balances in another statement (a probe of the
    // `(owner_customer_id, kind)` index per row). A narrowed list is planned on every view, and
    // two simple statements plan in a fraction of the time one statement with two correlated
    // lookups per row takes (README, "Where the time goes"); unfiltered lists keep a generic
    // plan for each.
    let mut loaded: Vec<CustomerRow> =
        limited(query.select(CustomerRow::as_select()), size + 1).load(conn)?;
    let more = loaded.len() as i64 > size;
    loaded.truncate(size as usize);
    let next = if more {
        loaded.last().and_then(|r| cursor_of(r, filter.sort))
    } else {
        None
    };
    Ok((loaded, next))
}

/// The balances of the page's customers (rule C4's two money columns; no account yet shows
/// 0.00) and every manager of the organisation, in one statement: the two reads of a list
/// view that do not depend on each other share a round trip. Account rows (`part` 0) carry the
/// owner, the kind, balance, credit limit and whether it may go negative, read along the
/// partial index of customers' money accounts (migration 001200: one probe per customer, not
/// one per customer and kind); manager rows carry their id, name and supervisor, with `part`
/// their place in the order of `org_managers`. Only the managers are sorted: sorting the
/// accounts by their kind's text took a quarter of the statement's time.
const MONEY_AND_MANAGERS: &str = "\
    SELECT 0::bigint AS part, a.owner_customer_id AS id, a.kind AS word, a.balance AS amount, \
           a.credit_limit, a.allow_negative, NULL::bigint AS supervisor_id \
    FROM ledger_accounts a \
    WHERE a.kind IN ('customer_balance', 'customer_credit') \
      AND a.owner_customer_id = ANY((SELECT $1::bigint[])::bigint[]) \
    UNION ALL \
    SELECT row_number() OVER (ORDER BY u.display_name, u.id), u.id, u.display_name, 0, NULL, \
           false, u.supervisor_id \
    FROM users u WHERE u.org_id = $2 AND u.role = 'manager'";

#[derive(QueryableByName)]
struct MoneyOrManager {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    part: i64,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::BigInt>)]
    id: Option<i64>,
    #[diesel(sql_type = diesel::sql_types::Text)]
    word: String,
    #[diesel(sql_type = diesel::sql_types::Numeric)]
    amount: Decimal,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Numeric>)]
    credit_limit: Option<Decimal>,
    #[diesel(sql_type = diesel::sql_types::Bool)]
    allow_negative: bool,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::BigInt>)]
    supervisor_id: Option<i64>,
}

/// Every manager of the organisation: `(id, name, supervisor)`.
type Managers = Vec<(i64, String, Option<i64>)>;

/// Per customer: balance and available credit.
type Money = HashMap<i64, (Decimal, Decimal)>;

fn money_and_managers(
    conn: &mut PgConnection,
    org_id: OrgId,
    customer_ids: &[i64],
) -> QueryResult<(Money, Managers)> {
    use diesel::sql_types::{Array, BigInt};
    let rows: Vec<MoneyOrManager> = crate::db::prepared::sql_query(MONEY_AND_MANAGERS)
        .bind::<Array<BigInt>, _>(customer_ids)
        .bind::<BigInt, _>(org_id.get())
        .load(conn)?;
    let mut money: Money = HashMap::with_capacity(customer_ids.len());
    let mut managers = Vec::new();
    for r in rows {
        let Some(id) = r.id else { continue };
        if r.part > 0 {
            managers.push((r.part, (id, r.word, r.supervisor_id)));
            continue;
        }
        crate::ledger::accounts::add_customer_money(
            money.entry(id).or_default(),
            &r.word,
            r.amount,
            r.allow_negative,
            r.credit_limit,
        );
    }
    managers.sort_unstable_by_key(|(place, _)| *place);
    Ok((money, managers.into_iter().map(|(_, m)| m).collect()))
}
