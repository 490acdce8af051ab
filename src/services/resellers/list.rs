//! "My resellers" (rule R3): each reseller of the distributor with its balance, its number of
//! customers, its cooperation status and its contact person (masked, rule A5). A page costs
//! one statement whatever its size: the page's resellers with their contact, balance and
//! customer count, the count read for each row from the kept `customer_counts` (SPEC §5:
//! counts are kept, not counted per view).

use diesel::prelude::*;
use rust_decimal::Decimal;

use crate::db::constant_sql::{ConstantSql, fixed};
use crate::db::like_pattern;
use crate::db::page_limit::limited;
use crate::db::schema::{ledger_accounts, organizations, users};
use crate::domain::{Caller, OrgId, OrgKind, mask};
use crate::ledger::AccountKind;
use crate::services::customers::filter::{Cursor, Sort};
use crate::services::keyset::take_page;
use crate::services::{ServiceError, ServiceResult};

/// One line of the list; the contact's e-mail and phone are already masked.
#[derive(Debug, Clone)]
pub struct ResellerLine {
    pub id: i64,
    pub name: String,
    pub cooperation: String,
    pub contact_name: String,
    pub email_masked: String,
    pub phone_masked: String,
    pub balance: Decimal,
    pub customers: i64,
    /// The reseller's cash account, once opened.
    pub account_id: Option<i64>,
}

pub struct ResellerPage {
    pub rows: Vec<ResellerLine>,
    /// The cursor of the next page, when there is one.
    pub next: Option<String>,
}

type Row = (
    i64,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<Decimal>,
    Option<i64>,
    i64,
);

/// rule R3: one page of the distributor's resellers, by name; `q` matches the name (three or
/// more characters use the trigram index) or the contact's whole e-mail address.
pub fn page(
    conn: &mut PgConnection,
    caller: &Caller,
    q: &str,
    after: Option<&str>,
    size: i64,
) -> ServiceResult<ResellerPage> {
    let member = super::distributor_admin(caller)?;
    let mut query = base(member.org_id);
    if !q.is_empty() {
        query = query.filter(
            organizations::name
                .ilike(like_pattern(q))
                .or(crate::db::whole_address(users::email.assume_not_null(), q)),
        );
    }
    // The customers' name-and-id keyset cursor (same encoding and bounds).
    if let Some(Cursor::Company(name, id)) = after.and_then(|a| Cursor::parse(a, Sort::CompanyAsc))
    {
        query = query.filter(
            organizations::name
                .ge(name.clone())
                .and(organizations::name.gt(name).or(organizations::id.gt(id))),
        );
    }
    let query = query
        .order((organizations::name, organizations::id))
        .select(columns());
    let mut rows: Vec<Row> = limited(query, size + 1).load(conn)?;
    let next = take_page(&mut rows, size, |r| {
        Cursor::Company(r.1.clone(), r.0).encode()
    });
    Ok(ResellerPage {
        rows: lines(rows),
        next,
    })
}

/// One of the member's resellers as the list shows it; another's is not found.
pub fn one(conn: &mut PgConnection, caller: &Caller, id: i64) -> ServiceResult<ResellerLine> {
    let member = super::distributor_admin(caller)?;
    let row: Row = base(member.org_id)
        .filter(organizations::id.eq(id))
        .select(columns())
        .first(conn)
        .optional()?
        .ok_or(ServiceError::NotFound)?;
    Ok(lines(vec![row]).remove(0))
}

type Base<'a> = diesel::dsl::IntoBoxed<
    'a,
    diesel::dsl::Filter<
        diesel::dsl::Filter<
            diesel::dsl::LeftJoinOn<
                diesel::dsl::LeftJoinOn<organizations::table, users::table, ContactOn>,
                ledger_accounts::table,
                CashOn,
            >,
            diesel::dsl::Eq<organizations::parent_id, OrgId>,
        >,
        diesel::dsl::Eq<organizations::kind, &'static str>,
    >,
    diesel::pg::Pg,
>;
type ContactOn = diesel::dsl::Eq<organizations::contact_user_id, diesel::dsl::Nullable<users::id>>;
type CashOn = diesel::dsl::And<
    diesel::dsl::Eq<ledger_accounts::owner_org_id, diesel::dsl::Nullable<organizations::id>>,
    diesel::dsl::Eq<ledger_accounts::kind, &'static str>,
>;

/// The distributor's resellers with their contact person and cash account.
fn base<'a>(distributor: OrgId) -> Base<'a> {
    organizations::table
        .left_join(users::table.on(organizations::contact_user_id.eq(users::id.nullable())))
        .left_join(
            ledger_accounts::table.on(ledger_accounts::owner_org_id
                .eq(organizations::id.nullable())
                .and(ledger_accounts::kind.eq(AccountKind::PartnerCash.as_str()))),
        )
        .filter(organizations::parent_id.eq(distributor))
        .filter(organizations::kind.eq(OrgKind::Reseller.as_str()))
        .into_boxed()
}

type Columns = (
    organizations::id,
    organizations::name,
    organizations::cooperation,
    diesel::dsl::Nullable<users::display_name>,
    diesel::dsl::Nullable<users::email>,
    diesel::dsl::Nullable<users::phone>,
    diesel::dsl::Nullable<ledger_accounts::balance>,
    diesel::dsl::Nullable<ledger_accounts::id>,
    ConstantSql<diesel::sql_types::BigInt>,
);

/// The row's customers, summed over its kept counts per manager (an index probe of
/// `customer_counts` per listed reseller, whatever the size of its book).
const CUSTOMERS_OF_ROW: &str = "(SELECT coalesce(sum(cc.customers), 0)::bigint \
     FROM customer_counts cc WHERE cc.partner_id = \"organizations\".\"id\")";

/// What a line reads: the reseller, its contact person, its balance and its customer count.
fn columns() -> Columns {
    (
        organizations::id,
        organizations::name,
        organizations::cooperation,
        users::display_name.nullable(),
        users::email.nullable(),
        users::phone.nullable(),
        ledger_accounts::balance.nullable(),
        ledger_accounts::id.nullable(),
        fixed(CUSTOMERS_OF_ROW),
    )
}

/// The lines of the rows read, contact masked.
fn lines(rows: Vec<Row>) -> Vec<ResellerLine> {
    rows.into_iter()
        .map(
            |(id, name, cooperation, contact, email, phone, balance, account, customers)| {
                ResellerLine {
                    id,
                    name,
                    cooperation,
                    contact_name: contact.unwrap_or_default(),
                    email_masked: email.as_deref().map(mask::email).unwrap_or_default(),
                    phone_masked: phone.as_deref().map(mask::phone).unwrap_or_default(),
                    // SPEC §6: an account not opened yet shows 0.00.
                    balance: balance.unwrap_or_default(),
                    customers,
                    account_id: account,
                }
            },
        )
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_carry_names_with_colons_and_refuse_broken_ids() {
        let c = Cursor::Company("Blue: Bird.".into(), 42).encode();
        assert_eq!(
            Cursor::parse(&c, Sort::CompanyAsc),
            Some(Cursor::Company("Blue: Bird.".to_string(), 42))
        );
        assert_eq!(Cursor::parse("cx.Name", Sort::CompanyAsc), None);
        assert_eq!(Cursor::parse("c-3.Name", Sort::CompanyAsc), None);
        assert_eq!(Cursor::parse("nocolon", Sort::CompanyAsc), None);
    }
}
