//! Demo incentives (issue 23 "Incentives and their invoices"; rules B8, P4), all Northwind's
//! and all through the incentive services, so every row, transfer and audit entry is one the
//! app would write: a batch of three periods paid and invoiced on one received invoice; one
//! incentive paid and invoiced by itself; one paid and not invoiced and one paid with its
//! invoice awaiting confirmation (both owed in invoices, 欠票); one approved and not yet paid
//! (未入账); one applied for and pending; two not applied for. Contoso has one not applied for.
//! The payments land in Northwind's cash after its 100,000.00 opening and its demo withdrawal,
//! and its withdrawable amount stays well above that withdrawal. The mails these steps queue
//! tell of demo history, so they are dropped rather than sent.

use chrono::Months;
use diesel::prelude::*;

use super::{Demo, seed_actor};
use crate::db::schema::{outbox, users};
use crate::domain::incentives::{IncentiveKind, Period, TaxRate};
use crate::domain::{Caller, MemberOf, Money, OrgId, OrgKind, Party, Role, UserId};
use crate::services::credit::line::today;
use crate::services::incentives::invoices::{self, NewInvoice};
use crate::services::incentives::record::{self, NewIncentive};
use crate::services::incentives::{apply, invoice_decide, mail, payouts};

/// What happens to each demo incentive after it is recorded.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Fate {
    /// In the batch, paid, on one received invoice.
    Batch,
    /// Applied for by itself, paid, invoiced and received.
    Invoiced,
    /// Applied for by itself and paid; no invoice yet (欠票).
    Paid,
    /// Paid, with its invoice awaiting confirmation (still 欠票).
    Invoicing,
    /// Approved, not yet paid (未入账).
    Approved,
    /// Applied for, awaiting approval.
    Pending,
    /// Not applied for.
    Open,
}

/// Months back from this month, kind, amount and fate.
const NORTHWIND: &[(u32, IncentiveKind, &str, Fate)] = &[
    (12, IncentiveKind::Sales, "3200.00", Fate::Batch),
    (11, IncentiveKind::Sales, "2850.00", Fate::Batch),
    (10, IncentiveKind::Sales, "3480.00", Fate::Batch),
    (9, IncentiveKind::Sales, "1980.00", Fate::Invoiced),
    (8, IncentiveKind::Sales, "2400.00", Fate::Paid),
    (7, IncentiveKind::Development, "1250.00", Fate::Invoicing),
    (6, IncentiveKind::Sales, "2600.00", Fate::Approved),
    (5, IncentiveKind::Sales, "2150.00", Fate::Pending),
    (4, IncentiveKind::Sales, "2700.00", Fate::Open),
    (3, IncentiveKind::Sales, "2300.00", Fate::Open),
];

fn period(months_back: u32) -> Period {
    Period::of(
        today()
            .checked_sub_months(Months::new(months_back))
            .expect("a month in range"),
    )
}

fn fail(what: &str) -> impl FnOnce(crate::services::ServiceError) -> anyhow::Error + '_ {
    move |e| anyhow::anyhow!("demo incentives, {what}: {e}")
}

pub fn load(conn: &mut PgConnection, demo: &Demo) -> anyhow::Result<()> {
    let ops_id: i64 = users::table
        .filter(users::email.eq("ops@demo.test"))
        .select(users::id)
        .first(conn)?;
    let ops = seed_actor().as_party(
        Party::Operator {
            user_id: UserId(ops_id),
        },
        "ops@demo.test",
    );
    let admin = seed_actor().as_party(
        Party::Member(MemberOf {
            user_id: UserId(demo.nw_admin),
            org_id: OrgId(demo.northwind),
            org_kind: OrgKind::Distributor,
            role: Role::Admin,
        }),
        "admin@northwind.test",
    );
    let mut ids = Vec::new();
    for (n, (back, kind, amount, fate)) in NORTHWIND.iter().enumerate() {
        let id = recorded(conn, &ops, demo.northwind, *back, *kind, amount, n)?;
        ids.push((id, *fate));
    }
    recorded(
        conn,
        &ops,
        demo.contoso,
        2,
        IncentiveKind::Sales,
        "1500.00",
        99,
    )?;

    let batch: Vec<i64> = ids
        .iter()
        .filter(|i| i.1 == Fate::Batch)
        .map(|i| i.0)
        .collect();
    let request = apply::apply_batch(conn, &admin, &batch, "demo-incentive-batch")
        .map_err(fail("batch"))?
        .id;
    paid(conn, &ops, request)?;
    invoiced(
        conn,
        &admin,
        &ops,
        &batch,
        "DEMO-24310001",
        TaxRate::Six,
        true,
    )?;
    for (n, (id, fate)) in ids.iter().enumerate() {
        if matches!(fate, Fate::Batch | Fate::Open) {
            continue;
        }
        let key = format!("demo-incentive-apply-{n}");
        let request = apply::apply_one(conn, &admin, *id, &key)
            .map_err(fail("apply"))?
            .id;
        match fate {
            Fate::Pending => continue,
            Fate::Approved => {
                payouts::approve(conn, &ops, request, "").map_err(fail("approve"))?;
                continue;
            }
            _ => paid(conn, &ops, request)?,
        }
        let number = format!("DEMO-2431{n:04}");
        match fate {
            Fate::Invoiced => invoiced(conn, &admin, &ops, &[*id], &number, TaxRate::Three, true)?,
            Fate::Invoicing => invoiced(conn, &admin, &ops, &[*id], &number, TaxRate::Six, false)?,
            _ => {}
        }
    }
    diesel::delete(outbox::table.filter(outbox::kind.eq(mail::KIND))).execute(conn)?;
    Ok(())
}

fn recorded(
    conn: &mut PgConnection,
    ops: &Caller,
    partner_id: i64,
    back: u32,
    kind: IncentiveKind,
    amount: &str,
    n: usize,
) -> anyhow::Result<i64> {
    let new = NewIncentive {
        partner_id,
        period: period(back),
        kind,
        amount: Money::parse_positive(amount).map_err(|e| anyhow::anyhow!("{amount}: {e:?}"))?,
        remark: String::new(),
    };
    record::record(conn, ops, &new, &format!("demo-incentive-{n}")).map_err(fail("record"))
}

fn paid(conn: &mut PgConnection, ops: &Caller, request: i64) -> anyhow::Result<()> {
    payouts::approve(conn, ops, request, "").map_err(fail("approve"))?;
    payouts::pay(conn, ops, request, "").map_err(fail("pay"))?;
    Ok(())
}

fn invoiced(
    conn: &mut PgConnection,
    admin: &Caller,
    ops: &Caller,
    incentive_ids: &[i64],
    number: &str,
    tax_rate: TaxRate,
    received: bool,
) -> anyhow::Result<()> {
    let new = NewInvoice {
        incentive_ids: incentive_ids.to_vec(),
        tax_rate,
        number: number.to_string(),
        issued_on: today() - chrono::Days::new(3),
        file: None,
    };
    let key = format!("demo-invoice-{number}");
    let id = invoices::submit(conn, admin, &new, &key).map_err(fail("invoice"))?;
    if received {
        invoice_decide::receive(conn, ops, id, "").map_err(fail("receive"))?;
    }
    Ok(())
}
