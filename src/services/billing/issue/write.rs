//! Writing a chunk's bills set-based: one statement each for the bills (skipping any customer
//! billed meanwhile: rule B2, one bill per customer and month), their lines, their manager
//! split (C5), the kept monthly totals and the customers' cash spending (C8).

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Date, Nullable, Numeric, Text};
use rust_decimal::Decimal;

use super::build::NewBill;
use super::settle::Plan;

#[derive(QueryableByName)]
struct Inserted {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = BigInt)]
    customer_id: i64,
}

/// Inserts the bills with their settlement; returns `(bill id, customer id)` of those written
/// (a customer billed by a concurrent run is skipped).
pub fn bills(
    conn: &mut PgConnection,
    period: NaiveDate,
    due_on: NaiveDate,
    bills: &[(&NewBill, &Plan)],
) -> QueryResult<Vec<(i64, i64)>> {
    let col = |f: &dyn Fn(&NewBill, &Plan) -> Decimal| -> Vec<Decimal> {
        bills.iter().map(|(b, p)| f(b, p)).collect()
    };
    let rows: Vec<Inserted> = diesel::sql_query(
        "INSERT INTO bills (customer_id, period, amount, paid_at, partner_id, association_type,
                            signing_entity, subtotal, discount, cut_off, voucher_deduction,
                            cash_coupon_deduction, from_balance, from_credit, unpaid, due_on,
                            issued_at)
         SELECT c, $1, a, CASE WHEN u = 0 THEN now() END, p, t, e, s, d, co, v, cc, fb, fc, u,
                CASE WHEN u > 0 THEN $2 END, now()
         FROM unnest($3::bigint[], $4::numeric[], $5::bigint[], $6::text[], $7::text[],
                     $8::numeric[], $9::numeric[], $10::numeric[], $11::numeric[],
                     $12::numeric[], $13::numeric[], $14::numeric[], $15::numeric[])
              AS x(c, a, p, t, e, s, d, co, v, cc, fb, fc, u)
         ORDER BY c
         ON CONFLICT (customer_id, period) WHERE issued_at IS NOT NULL DO NOTHING
         RETURNING id, customer_id",
    )
    .bind::<Date, _>(period)
    .bind::<Date, _>(due_on)
    .bind::<Array<BigInt>, _>(bills.iter().map(|(b, _)| b.customer_id).collect::<Vec<_>>())
    .bind::<Array<Numeric>, _>(col(&|b, _| b.amount))
    .bind::<Array<Nullable<BigInt>>, _>(
        bills
            .iter()
            .map(|(b, _)| b.partner.as_ref().map(|p| p.0))
            .collect::<Vec<_>>(),
    )
    .bind::<Array<Nullable<Text>>, _>(
        bills
            .iter()
            .map(|(b, _)| b.partner.as_ref().map(|p| p.1.clone()))
            .collect::<Vec<_>>(),
    )
    .bind::<Array<Text>, _>(
        bills
            .iter()
            .map(|(b, _)| b.signing_entity.clone())
            .collect::<Vec<_>>(),
    )
    .bind::<Array<Numeric>, _>(col(&|b, _| b.subtotal))
    .bind::<Array<Numeric>, _>(col(&|b, _| b.discount))
    .bind::<Array<Numeric>, _>(col(&|b, _| b.cut_off))
    .bind::<Array<Numeric>, _>(col(&|_, p| p.voucher))
    .bind::<Array<Numeric>, _>(col(&|_, p| p.cash_coupons))
    .bind::<Array<Numeric>, _>(col(&|_, p| p.from_balance))
    .bind::<Array<Numeric>, _>(col(&|_, p| p.from_credit))
    .bind::<Array<Numeric>, _>(col(&|_, p| p.unpaid))
    .load(conn)?;
    Ok(rows.into_iter().map(|r| (r.id, r.customer_id)).collect())
}

/// The lines and the manager split of the written bills, `(bill id, bill)`.
pub fn lines(
    conn: &mut PgConnection,
    period: NaiveDate,
    written: &[(i64, &NewBill)],
) -> QueryResult<()> {
    let all: Vec<(i64, &super::build::NewLine)> = written
        .iter()
        .flat_map(|(id, b)| b.lines.iter().map(move |l| (*id, l)))
        .collect();
    let dec = |f: fn(&super::build::NewLine) -> Decimal| -> Vec<Decimal> {
        all.iter().map(|(_, l)| f(l)).collect()
    };
    diesel::sql_query(
        "INSERT INTO bill_lines (bill_id, product_id, manager_id, quantity, unit_price,
                                 list_amount, amount, charged, cut_off)
         SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::numeric[],
                              $5::numeric[], $6::numeric[], $7::numeric[], $8::numeric[],
                              $9::numeric[])",
    )
    .bind::<Array<BigInt>, _>(all.iter().map(|(id, _)| *id).collect::<Vec<_>>())
    .bind::<Array<BigInt>, _>(all.iter().map(|(_, l)| l.product_id).collect::<Vec<_>>())
    .bind::<Array<Nullable<BigInt>>, _>(all.iter().map(|(_, l)| l.manager_id).collect::<Vec<_>>())
    .bind::<Array<Numeric>, _>(dec(|l| l.quantity))
    .bind::<Array<Numeric>, _>(dec(|l| l.unit_price))
    .bind::<Array<Numeric>, _>(dec(|l| l.list_amount))
    .bind::<Array<Numeric>, _>(dec(|l| l.amount))
    .bind::<Array<Numeric>, _>(dec(|l| l.charged))
    .bind::<Array<Numeric>, _>(dec(|l| l.cut_off))
    .execute(conn)?;
    let mut split: Vec<(i64, i64, i64, Decimal)> = Vec::new();
    for (id, b) in written {
        if let Some((partner, _)) = &b.partner {
            for (manager, charged) in b.manager_split() {
                split.push((*id, *partner, manager, charged));
            }
        }
    }
    diesel::sql_query(
        "INSERT INTO bill_managers (bill_id, partner_id, manager_id, period, charged)
         SELECT b, p, m, $1, c FROM unnest($2::bigint[], $3::bigint[], $4::bigint[],
                                           $5::numeric[]) AS x(b, p, m, c)",
    )
    .bind::<Date, _>(period)
    .bind::<Array<BigInt>, _>(split.iter().map(|s| s.0).collect::<Vec<_>>())
    .bind::<Array<BigInt>, _>(split.iter().map(|s| s.1).collect::<Vec<_>>())
    .bind::<Array<BigInt>, _>(split.iter().map(|s| s.2).collect::<Vec<_>>())
    .bind::<Array<Numeric>, _>(split.iter().map(|s| s.3).collect::<Vec<_>>())
    .execute(conn)?;
    Ok(())
}

/// Adds the written bills to the kept per-partner and per-manager monthly totals.
pub fn totals(conn: &mut PgConnection, ids: &[i64]) -> QueryResult<()> {
    diesel::sql_query(
        "INSERT INTO bill_month_totals AS t (partner_id, period, bills, subtotal, discount,
                                             cut_off, amount)
         SELECT partner_id, period, count(*), sum(subtotal), sum(discount), sum(cut_off),
                sum(amount)
         FROM bills WHERE id = ANY($1) AND partner_id IS NOT NULL
         GROUP BY partner_id, period ORDER BY partner_id, period
         ON CONFLICT (partner_id, period) DO UPDATE SET
             bills = t.bills + EXCLUDED.bills, subtotal = t.subtotal + EXCLUDED.subtotal,
             discount = t.discount + EXCLUDED.discount, cut_off = t.cut_off + EXCLUDED.cut_off,
             amount = t.amount + EXCLUDED.amount",
    )
    .bind::<Array<BigInt>, _>(ids)
    .execute(conn)?;
    diesel::sql_query(
        "INSERT INTO bill_manager_month_totals AS t (partner_id, manager_id, period, bills,
                                                     charged)
         SELECT partner_id, manager_id, period, count(*), sum(charged)
         FROM bill_managers WHERE bill_id = ANY($1)
         GROUP BY partner_id, manager_id, period ORDER BY partner_id, manager_id, period
         ON CONFLICT (partner_id, manager_id, period) DO UPDATE SET
             bills = t.bills + EXCLUDED.bills, charged = t.charged + EXCLUDED.charged",
    )
    .bind::<Array<BigInt>, _>(ids)
    .execute(conn)?;
    Ok(())
}

/// rule C8: what the customers paid in cash and credit counts as their cash spending.
pub fn cash_spent(conn: &mut PgConnection, spent: &[(i64, Decimal)]) -> QueryResult<()> {
    let spent: Vec<&(i64, Decimal)> = spent.iter().filter(|(_, s)| !s.is_zero()).collect();
    if spent.is_empty() {
        return Ok(());
    }
    diesel::sql_query(
        "UPDATE customers c SET cash_spent = c.cash_spent + x.s
         FROM unnest($1::bigint[], $2::numeric[]) AS x(id, s) WHERE c.id = x.id",
    )
    .bind::<Array<BigInt>, _>(spent.iter().map(|s| s.0).collect::<Vec<_>>())
    .bind::<Array<Numeric>, _>(spent.iter().map(|s| s.1).collect::<Vec<_>>())
    .execute(conn)?;
    Ok(())
}
