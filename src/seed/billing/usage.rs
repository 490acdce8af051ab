//! The demo's usage: a few on-demand products (not offered for ordering) and, for every customer
//! with a partner, 3–5 rated lines a month with 8-decimal prices and quantities, written as the
//! usage CSV (SPEC §6 "CSV files") and imported through the usage import (rule B2).

use std::fmt::Write;

use diesel::prelude::*;

use crate::db::schema::{customers, products};
use crate::domain::Caller;
use crate::services::billing::{Month, usage};

/// On-demand products: code, service, English and Chinese names, unit price, usual quantity.
const PRODUCTS: &[(&str, &str, &str, &str, &str, u64)] = &[
    (
        "ecs.vcpu-hour",
        "ECS",
        "ECS vCPU hours",
        "弹性云服务器 vCPU 时长",
        "0.12345678",
        2_000,
    ),
    (
        "evs.gb-month",
        "EVS",
        "EVS storage (GB-month)",
        "云硬盘存储(GB·月)",
        "0.35000000",
        800,
    ),
    (
        "obs.gb-month",
        "OBS",
        "OBS storage (GB-month)",
        "对象存储(GB·月)",
        "0.09900001",
        3_000,
    ),
    (
        "cdn.gb",
        "CDN",
        "CDN traffic (GB)",
        "CDN 流量(GB)",
        "0.20123456",
        1_200,
    ),
    (
        "rds.instance-hour",
        "RDS",
        "RDS instance hours",
        "云数据库实例时长",
        "1.35000001",
        500,
    ),
];

/// Opens the products when the catalog does not have them yet (a catalog entry of the same
/// code is used as it is).
fn products(conn: &mut PgConnection) -> QueryResult<()> {
    for (code, service, en, zh, price, _) in PRODUCTS {
        let price: rust_decimal::Decimal = price.parse().unwrap_or_default();
        diesel::insert_into(products::table)
            .values((
                products::code.eq(code),
                products::service_code.eq(service),
                products::name_en.eq(en),
                products::name_zh.eq(zh),
                products::monthly_price.eq(Some(price)),
                products::tax_rate.eq(6i16),
                products::active.eq(false),
            ))
            .on_conflict(products::code)
            .do_nothing()
            .execute(conn)?;
    }
    Ok(())
}

/// A number from the customer, month and product, the same on every run.
fn spread(customer: i64, month: u32, product: usize) -> u64 {
    let mut x = (customer as u64)
        .wrapping_mul(0x9e37_79b9_7f4a_7c15)
        .wrapping_add(u64::from(month) * 0x1000_0001 + product as u64);
    x ^= x >> 31;
    x = x.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x ^ (x >> 29)
}

/// Writes and imports the usage of `first..=last`; returns the customers that have some.
pub fn load(
    conn: &mut PgConnection,
    actor: &Caller,
    first: Month,
    last: Month,
) -> anyhow::Result<Vec<i64>> {
    products(conn)?;
    let people: Vec<(i64, chrono::DateTime<chrono::Utc>)> = customers::table
        .filter(customers::partner_id.is_not_null())
        .order(customers::id)
        .select((customers::id, customers::registered_at))
        .load(conn)?;
    let mut csv = String::from("record_id,customer,product,period,quantity,unit_price\n");
    let mut billed = Vec::new();
    for (id, registered) in &people {
        let mut month = first;
        let mut any = false;
        loop {
            if month.end() > *registered {
                any = true;
                let n = month.first_day().format("%Y%m").to_string();
                let ym: u32 = n.parse().unwrap_or_default();
                for (i, (code, _, _, _, price, usual)) in PRODUCTS.iter().enumerate() {
                    let r = spread(*id, ym, i);
                    if i >= 3 && r % 3 == 0 {
                        continue;
                    }
                    let whole = usual / 2 + r % usual;
                    let frac = (r >> 20) % 100_000_000;
                    let _ = writeln!(
                        csv,
                        "demo-{id}-{n}-{i},{id},{code},{month},{whole}.{frac:08},{price}"
                    );
                }
            }
            if month == last {
                break;
            }
            month = month.next();
        }
        if any {
            billed.push(*id);
        }
    }
    let import = usage::create(conn, actor, "demo-usage.csv", csv.len() as i64)
        .map_err(|e| anyhow::anyhow!("demo usage: {e}"))?;
    let size = csv.len() as i64;
    let done = usage::run(conn, actor, import, std::io::Cursor::new(csv), move || size)
        .map_err(|e| anyhow::anyhow!("demo usage: {e}"))?;
    anyhow::ensure!(
        done.rows_rejected == 0 && done.problem.is_empty(),
        "demo usage rejected {} rows ({})",
        done.rows_rejected,
        done.problem
    );
    Ok(billed)
}
