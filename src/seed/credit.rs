//! Demo credit and withdrawals (issue 22 "Demo data"; SPEC §5, §6): one of Northwind's extra
//! resale customers, Xenon Labs, has a credit limit and is in arrears — its bill of three
//! months ago was settled from its credit line when issued two months ago (a `bill_credit`
//! transfer credit account → revenue, and the matching credit debt, due at the end of last
//! month and still open). Northwind has a withdrawal waiting for the operator, requested
//! through the withdrawal service, so its amount sits in the hold account. The named
//! customers are untouched (Umbrella stays free of bills, orders and spending), and
//! Northwind's opening cash stays its first entry.

use chrono::{Datelike, Months, NaiveDate, TimeZone, Utc};
use diesel::prelude::*;

use super::{Demo, seed_actor};
use crate::db::schema::{bills, customers, debts, ledger_accounts};
use crate::domain::{DebtKind, MemberOf, Money, OrgId, OrgKind, Party, Role, UserId};
use crate::ledger::{self, AccountKind, TransferRequest};
use crate::services::credit::{debts::due_on, line::today, withdrawals};

/// The customer in arrears: Northwind, resale, unassigned, associated 79 days ago.
pub const IN_ARREARS: &str = "Xenon Labs";
const LIMIT: &str = "5000.00";
const BILL: &str = "1280.00";
const WITHDRAWAL: &str = "5000.00";
/// Transfer kind of a bill settled from the credit line, as the billing area stores it.
pub const SETTLE_KIND: &str = "bill_credit";

fn money(amount: &str) -> anyhow::Result<Money> {
    Money::parse_positive(amount).map_err(|e| anyhow::anyhow!("demo amount {amount}: {e:?}"))
}

fn first_of_month(d: NaiveDate) -> NaiveDate {
    d.with_day(1).expect("every month has a first day")
}

pub fn load(conn: &mut PgConnection, demo: &Demo) -> anyhow::Result<()> {
    in_arrears(conn, demo)?;
    withdrawal(conn, demo)
}

fn in_arrears(conn: &mut PgConnection, demo: &Demo) -> anyhow::Result<()> {
    let (customer, entity): (i64, String) = customers::table
        .filter(customers::company.eq(IN_ARREARS))
        .filter(customers::partner_id.eq(demo.northwind))
        .select((customers::id, customers::signing_entity))
        .first(conn)?;
    let credit = ledger::accounts::for_customer(conn, customer, AccountKind::CustomerCredit)?;
    diesel::update(ledger_accounts::table.find(credit.id))
        .set(ledger_accounts::credit_limit.eq(Some(money(LIMIT)?.amount())))
        .execute(conn)?;
    // Issued on the first day of the month before last, for the month before that.
    let issued = first_of_month(today())
        .checked_sub_months(Months::new(2))
        .expect("a date two months back");
    let period = issued
        .checked_sub_months(Months::new(1))
        .expect("a date a month back");
    let issued_at = Utc.from_utc_datetime(&issued.and_hms_opt(2, 0, 0).expect("a time"));
    let amount = money(BILL)?;
    let bill: i64 = diesel::insert_into(bills::table)
        .values((
            bills::customer_id.eq(customer),
            bills::period.eq(period),
            bills::amount.eq(amount.amount()),
            bills::paid_at.eq(Some(issued_at)),
            bills::created_at.eq(issued_at),
        ))
        .returning(bills::id)
        .get_result(conn)?;
    let revenue = ledger::revenue::account_for(conn, &entity, customer)?;
    let key = format!("demo-settle-bill-{bill}");
    let memo = format!("Bill {}", period.format("%Y-%m"));
    ledger::transfer(
        conn,
        &TransferRequest {
            from: credit.id,
            to: revenue,
            amount,
            kind: SETTLE_KIND,
            idempotency_key: &key,
            memo: &memo,
            reverses: None,
        },
        &seed_actor(),
    )?;
    diesel::insert_into(debts::table)
        .values((
            debts::customer_id.eq(customer),
            debts::kind.eq(DebtKind::Credit.as_str()),
            debts::bill_id.eq(Some(bill)),
            debts::amount.eq(amount.amount()),
            debts::due_on.eq(due_on(issued)),
            debts::created_at.eq(issued_at),
        ))
        .execute(conn)?;
    Ok(())
}

fn withdrawal(conn: &mut PgConnection, demo: &Demo) -> anyhow::Result<()> {
    let admin = seed_actor().as_party(
        Party::Member(MemberOf {
            user_id: UserId(demo.nw_admin),
            org_id: OrgId(demo.northwind),
            org_kind: OrgKind::Distributor,
            role: Role::Admin,
        }),
        "admin@northwind.test",
    );
    withdrawals::request(conn, &admin, money(WITHDRAWAL)?, "demo-withdrawal-1")
        .map_err(|e| anyhow::anyhow!("demo withdrawal: {e}"))?;
    Ok(())
}
