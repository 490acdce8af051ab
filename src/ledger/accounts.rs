//! Ledger accounts: one per owner and kind, opened on first use — except quota grants and
//! coupons, which have one account each (`open_own`).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use rust_decimal::Decimal;

use crate::db::schema::ledger_accounts;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccountKind {
    /// A partner's cash; for a reseller this is the balance its distributor allocates to (R3).
    PartnerCash,
    CustomerBalance,
    /// A customer's credit line: may go below zero down to its credit limit.
    CustomerCredit,
    VoucherQuota,
    CashCouponQuota,
    Coupon,
    /// Where quota grants come from (K1).
    Platform,
    /// Money entering or leaving the platform (bank top-ups, withdrawals).
    External,
    /// What customers pay: several accounts per signing entity (`revenue_accounts`), so
    /// payments do not queue on one row lock (rule P2).
    Revenue,
    /// A partner's pending withdrawals: held out of its cash until decided (rule P4).
    PartnerHold,
}

impl AccountKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AccountKind::PartnerCash => "partner_cash",
            AccountKind::CustomerBalance => "customer_balance",
            AccountKind::CustomerCredit => "customer_credit",
            AccountKind::VoucherQuota => "voucher_quota",
            AccountKind::CashCouponQuota => "cash_coupon_quota",
            AccountKind::Coupon => "coupon",
            AccountKind::Platform => "platform",
            AccountKind::External => "external",
            AccountKind::Revenue => "revenue",
            AccountKind::PartnerHold => "partner_hold",
        }
    }

    pub fn parse(s: &str) -> Option<AccountKind> {
        [
            AccountKind::PartnerCash,
            AccountKind::CustomerBalance,
            AccountKind::CustomerCredit,
            AccountKind::VoucherQuota,
            AccountKind::CashCouponQuota,
            AccountKind::Coupon,
            AccountKind::Platform,
            AccountKind::External,
            AccountKind::Revenue,
            AccountKind::PartnerHold,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }

    /// The account kind of a quota grant of this coupon kind (rule K1).
    pub fn quota_of(kind: crate::domain::CouponKind) -> AccountKind {
        match kind {
            crate::domain::CouponKind::Voucher => AccountKind::VoucherQuota,
            crate::domain::CouponKind::CashCoupon => AccountKind::CashCouponQuota,
        }
    }

    /// Kinds with one account per thing rather than per owner: each quota grant and each
    /// coupon has its own (SPEC §5 "Quota grants").
    pub fn one_per_thing(self) -> bool {
        matches!(
            self,
            AccountKind::VoucherQuota
                | AccountKind::CashCouponQuota
                | AccountKind::Coupon
                | AccountKind::Revenue
        )
    }

    /// SPEC §5: only credit lines and the platform's own accounts may go below zero.
    pub fn allows_negative(self) -> bool {
        matches!(
            self,
            AccountKind::CustomerCredit | AccountKind::Platform | AccountKind::External
        )
    }
}

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = ledger_accounts)]
pub struct LedgerAccount {
    pub id: i64,
    pub kind: String,
    pub owner_org_id: Option<i64>,
    pub owner_customer_id: Option<i64>,
    pub label: String,
    pub currency: String,
    pub balance: Decimal,
    pub allow_negative: bool,
    pub credit_limit: Option<Decimal>,
    pub frozen: bool,
    pub created_at: DateTime<Utc>,
}

impl LedgerAccount {
    /// What can leave the account now: the balance, plus the credit limit for credit lines.
    pub fn available(&self) -> Option<Decimal> {
        available(self.balance, self.allow_negative, self.credit_limit)
    }
}

/// What can leave an account with this balance: the balance, plus the limit for credit lines
/// (`None` for an account that may go negative without a limit).
pub fn available(
    balance: Decimal,
    allow_negative: bool,
    credit_limit: Option<Decimal>,
) -> Option<Decimal> {
    match (allow_negative, credit_limit) {
        (false, _) => Some(balance),
        (true, Some(limit)) => Some(balance + limit),
        (true, None) => None,
    }
}

// The owner as the unique index `ledger_accounts_owner_kind_key` spells it, so the lookup is
// one probe of that index (`IS NOT DISTINCT FROM` is served by no index).
diesel::define_sql_function! {
    #[sql_name = "coalesce"]
    fn owner_or_zero(x: diesel::sql_types::Nullable<diesel::sql_types::Int8>, y: diesel::sql_types::Int8) -> diesel::sql_types::Int8;
}

/// The account of one kind and owner, as the unique index finds it.
fn owned_by(
    kind: AccountKind,
    org: Option<i64>,
    customer: Option<i64>,
) -> ledger_accounts::BoxedQuery<'static, diesel::pg::Pg> {
    ledger_accounts::table
        .filter(ledger_accounts::kind.eq(kind.as_str()))
        .filter(owner_or_zero(ledger_accounts::owner_org_id, 0).eq(org.unwrap_or(0)))
        .filter(owner_or_zero(ledger_accounts::owner_customer_id, 0).eq(customer.unwrap_or(0)))
        .into_boxed()
}

fn find_or_open(
    conn: &mut PgConnection,
    kind: AccountKind,
    org: Option<i64>,
    customer: Option<i64>,
) -> QueryResult<LedgerAccount> {
    debug_assert!(
        !kind.one_per_thing(),
        "{kind:?} accounts are opened with open_own"
    );
    let existing = owned_by(kind, org, customer)
        .select(LedgerAccount::as_select())
        .first(conn)
        .optional()?;
    if let Some(a) = existing {
        return Ok(a);
    }
    let credit_limit = match kind {
        AccountKind::CustomerCredit => Some(Decimal::ZERO),
        _ => None,
    };
    diesel::insert_into(ledger_accounts::table)
        .values((
            ledger_accounts::kind.eq(kind.as_str()),
            ledger_accounts::owner_org_id.eq(org),
            ledger_accounts::owner_customer_id.eq(customer),
            ledger_accounts::allow_negative.eq(kind.allows_negative()),
            ledger_accounts::credit_limit.eq(credit_limit),
        ))
        .on_conflict_do_nothing()
        .execute(conn)?;
    owned_by(kind, org, customer)
        .select(LedgerAccount::as_select())
        .first(conn)
}

pub fn for_org(
    conn: &mut PgConnection,
    org_id: i64,
    kind: AccountKind,
) -> QueryResult<LedgerAccount> {
    find_or_open(conn, kind, Some(org_id), None)
}

pub fn for_customer(
    conn: &mut PgConnection,
    customer_id: i64,
    kind: AccountKind,
) -> QueryResult<LedgerAccount> {
    find_or_open(conn, kind, None, Some(customer_id))
}

/// The organisation's account of `kind` if it has been opened; reads never open one.
pub fn find_for_org(
    conn: &mut PgConnection,
    org_id: i64,
    kind: AccountKind,
) -> QueryResult<Option<LedgerAccount>> {
    // An owner holds many accounts of these kinds: one of them is no answer.
    debug_assert!(
        !kind.one_per_thing(),
        "{kind:?} accounts are found by their grant or coupon"
    );
    ledger_accounts::table
        .filter(ledger_accounts::kind.eq(kind.as_str()))
        .filter(ledger_accounts::owner_org_id.eq(org_id))
        .select(LedgerAccount::as_select())
        .first(conn)
        .optional()
}

/// The balance of the organisation's account of `kind` as a value of a larger statement
/// (`db::scalar`): `NULL` while the account is not opened (reads never open one).
pub fn org_balance<'a>(
    org_id: i64,
    kind: AccountKind,
) -> crate::db::scalar::Scalar<'a, diesel::sql_types::Nullable<diesel::sql_types::Numeric>> {
    crate::db::scalar::value(
        ledger_accounts::table
            .filter(ledger_accounts::kind.eq(kind.as_str()))
            .filter(ledger_accounts::owner_org_id.eq(org_id))
            .select(ledger_accounts::balance)
            .limit(1),
    )
}

/// The customer's account of `kind` if it has been opened; reads never open one.
pub fn find_for_customer(
    conn: &mut PgConnection,
    customer_id: i64,
    kind: AccountKind,
) -> QueryResult<Option<LedgerAccount>> {
    debug_assert!(
        !kind.one_per_thing(),
        "{kind:?} accounts are found by their grant or coupon"
    );
    ledger_accounts::table
        .filter(ledger_accounts::kind.eq(kind.as_str()))
        .filter(ledger_accounts::owner_customer_id.eq(customer_id))
        .select(LedgerAccount::as_select())
        .first(conn)
        .optional()
}

/// A new account of its own for one quota grant (owned by the partner) or one coupon (owned
/// by the customer), with a zero balance; the grant or coupon row keeps its id.
pub fn open_own(
    conn: &mut PgConnection,
    kind: AccountKind,
    org: Option<i64>,
    customer: Option<i64>,
    label: &str,
) -> QueryResult<LedgerAccount> {
    debug_assert!(kind.one_per_thing());
    diesel::insert_into(ledger_accounts::table)
        .values((
            ledger_accounts::kind.eq(kind.as_str()),
            ledger_accounts::owner_org_id.eq(org),
            ledger_accounts::owner_customer_id.eq(customer),
            ledger_accounts::label.eq(label),
        ))
        .returning(LedgerAccount::as_returning())
        .get_result(conn)
}

/// `open_own` for many owners in two statements (ids taken from the sequence first, so each
/// owner knows its account whatever order the rows are written in): the account ids, in the
/// owners' order. A bulk issue opens a chunk of coupons' accounts at once.
pub fn open_own_many(
    conn: &mut PgConnection,
    kind: AccountKind,
    owners: &[(Option<i64>, Option<i64>)],
) -> QueryResult<Vec<i64>> {
    debug_assert!(kind.one_per_thing());
    if owners.is_empty() {
        return Ok(Vec::new());
    }
    #[derive(QueryableByName)]
    struct Id {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        id: i64,
    }
    let ids: Vec<Id> = diesel::sql_query(
        "SELECT nextval(pg_get_serial_sequence('ledger_accounts', 'id')) AS id \
         FROM generate_series(1, $1)",
    )
    .bind::<diesel::sql_types::BigInt, _>(owners.len() as i64)
    .load(conn)?;
    let ids: Vec<i64> = ids.into_iter().map(|i| i.id).collect();
    let rows: Vec<_> = ids
        .iter()
        .zip(owners)
        .map(|(id, (org, customer))| {
            (
                ledger_accounts::id.eq(*id),
                ledger_accounts::kind.eq(kind.as_str()),
                ledger_accounts::owner_org_id.eq(*org),
                ledger_accounts::owner_customer_id.eq(*customer),
            )
        })
        .collect();
    diesel::insert_into(ledger_accounts::table)
        .values(rows)
        .execute(conn)?;
    Ok(ids)
}

pub fn platform(conn: &mut PgConnection, kind: AccountKind) -> QueryResult<LedgerAccount> {
    debug_assert!(matches!(
        kind,
        AccountKind::Platform | AccountKind::External
    ));
    find_or_open(conn, kind, None, None)
}

pub fn by_id(conn: &mut PgConnection, id: i64) -> QueryResult<LedgerAccount> {
    ledger_accounts::table
        .find(id)
        .select(LedgerAccount::as_select())
        .first(conn)
}

/// The accounts that hold a customer's money, balance and credit, as a condition on
/// `ledger_accounts` whose kinds are constants of the statement (`words_are_one_of`), so the
/// statements that read them keep one generic plan.
pub fn customer_money_kinds() -> crate::db::constant_sql::ConstantSql<diesel::sql_types::Bool> {
    crate::db::constant_sql::words_are_one_of(
        "ledger_accounts",
        "kind",
        &[
            AccountKind::CustomerBalance.as_str(),
            AccountKind::CustomerCredit.as_str(),
        ],
    )
}

/// Balance and available credit (rule C4's two money columns) of many customers in one
/// statement, read from the few columns they need; a customer with no account yet shows 0.00.
pub fn customer_money(
    conn: &mut PgConnection,
    customer_ids: &[i64],
) -> QueryResult<std::collections::HashMap<i64, (Decimal, Decimal)>> {
    // owner, kind, balance, credit limit, may go negative
    type Money5 = (Option<i64>, String, Decimal, Option<Decimal>, bool);
    let rows: Vec<Money5> = ledger_accounts::table
        .filter(customer_money_kinds())
        .filter(crate::db::runtime_value::one_of_at_run_time(
            ledger_accounts::owner_customer_id,
            customer_ids,
        ))
        .select((
            ledger_accounts::owner_customer_id,
            ledger_accounts::kind,
            ledger_accounts::balance,
            ledger_accounts::credit_limit,
            ledger_accounts::allow_negative,
        ))
        .load(conn)?;
    let mut out: std::collections::HashMap<i64, (Decimal, Decimal)> =
        std::collections::HashMap::with_capacity(customer_ids.len());
    for (owner, kind, balance, credit_limit, allow_negative) in rows {
        let Some(customer) = owner else { continue };
        add_customer_money(
            out.entry(customer).or_default(),
            &kind,
            balance,
            allow_negative,
            credit_limit,
        );
    }
    Ok(out)
}

/// Puts one of a customer's money accounts into its `(balance, available credit)` pair: the
/// balance account's balance, or the credit account's available credit (rule C4's columns).
pub fn add_customer_money(
    money: &mut (Decimal, Decimal),
    kind: &str,
    balance: Decimal,
    allow_negative: bool,
    credit_limit: Option<Decimal>,
) {
    if kind == AccountKind::CustomerBalance.as_str() {
        money.0 = balance;
    } else {
        money.1 = available(balance, allow_negative, credit_limit).unwrap_or_default();
    }
}
