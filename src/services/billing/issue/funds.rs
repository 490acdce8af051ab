//! The money a chunk of customers can pay their bills with, read and locked in two statements
//! (SPEC §6 "Settlement", rule K7): their balance and credit accounts, and their usable coupons
//! soonest to end first. Locked for the chunk's transaction, so nothing spends them between the
//! plan and the transfers.

use std::collections::HashMap;

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Date, Nullable, Numeric, Text};
use rust_decimal::Decimal;

use super::settle::{Coupon, Wallet};
use crate::domain::CouponKind;

#[derive(QueryableByName)]
struct AccountRow {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = BigInt)]
    customer_id: i64,
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = Numeric)]
    balance: Decimal,
    #[diesel(sql_type = Nullable<Numeric>)]
    credit_limit: Option<Decimal>,
}

/// Each customer's wallet, its accounts locked (in id order, as transfers lock them).
pub fn wallets(conn: &mut PgConnection, ids: &[i64]) -> QueryResult<HashMap<i64, Wallet>> {
    let rows: Vec<AccountRow> = diesel::sql_query(
        "SELECT id, owner_customer_id AS customer_id, kind, balance, credit_limit
         FROM ledger_accounts
         WHERE owner_customer_id = ANY($1) AND kind IN ('customer_balance', 'customer_credit')
         ORDER BY id FOR UPDATE",
    )
    .bind::<Array<BigInt>, _>(ids)
    .load(conn)?;
    let mut out: HashMap<i64, Wallet> = HashMap::new();
    for r in rows {
        let w = out.entry(r.customer_id).or_default();
        if r.kind == "customer_balance" {
            w.balance_account = Some(r.id);
            w.balance = r.balance;
        } else {
            w.credit_account = Some(r.id);
            w.credit_available = r.balance + r.credit_limit.unwrap_or_default();
        }
    }
    Ok(out)
}

#[derive(QueryableByName)]
struct CouponRow {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = BigInt)]
    customer_id: i64,
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = BigInt)]
    account_id: i64,
    #[diesel(sql_type = Numeric)]
    balance: Decimal,
    #[diesel(sql_type = Array<Text>)]
    scope: Vec<String>,
}

/// rule K7: each customer's coupons that can pay on `today`, soonest to end first, locked.
pub fn coupons(
    conn: &mut PgConnection,
    ids: &[i64],
    today: NaiveDate,
) -> QueryResult<HashMap<i64, Vec<Coupon>>> {
    let rows: Vec<CouponRow> = diesel::sql_query(
        "SELECT c.id, c.customer_id, c.kind, c.account_id, a.balance, c.scope
         FROM coupons c JOIN ledger_accounts a ON a.id = c.account_id
         WHERE c.customer_id = ANY($1) AND c.state = 'usable'
           AND c.valid_from <= $2 AND c.valid_until >= $2 AND a.balance > 0
         ORDER BY c.customer_id, c.valid_until, c.id
         FOR UPDATE OF c, a",
    )
    .bind::<Array<BigInt>, _>(ids)
    .bind::<Date, _>(today)
    .load(conn)?;
    let mut out: HashMap<i64, Vec<Coupon>> = HashMap::new();
    for r in rows {
        let Some(kind) = CouponKind::parse(&r.kind) else {
            continue;
        };
        out.entry(r.customer_id).or_default().push(Coupon {
            id: r.id,
            kind,
            account_id: r.account_id,
            balance: r.balance,
            scope: r.scope,
        });
    }
    Ok(out)
}
