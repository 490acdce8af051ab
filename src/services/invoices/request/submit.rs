//! Submitting a request (rules B5–B7): under the customer's lock, the match is made again and
//! must be the one the requester saw (B6); the request, its invoices (one per signing entity
//! and tax rate, e-invoices cut at 1,000,000.00) and their lines are written set-based, and the
//! items taken: an item taken in part keeps the taken part and its rest becomes a new free
//! item; an item cut between two invoices gives each its part. A double submit (same key)
//! finds the request it made.

use std::collections::BTreeMap;

use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Nullable, Numeric};
use rust_decimal::Decimal;
use serde_json::json;

use super::{Mode, RequestInput, matched, resolve, usable_title};
use crate::audit::{self, Entry};
use crate::db::schema::{invoice_requests as r, invoices as inv};
use crate::domain::{Caller, OrgId};
use crate::services::billing::BillingRefusal;
use crate::services::invoices::plan::{self, Planned};
use crate::services::invoices::{items, lock_customer, mail, matching};
use crate::services::{ServiceError, ServiceResult};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submitted {
    pub request_id: i64,
    pub invoices: usize,
    /// `false`: this key's request existed already (a double submit).
    pub fresh: bool,
}

/// rules B5–B7: writes the request. `seen` is the fingerprint of the match shown (amount
/// mode); `key` the form's idempotency key.
pub fn submit(
    conn: &mut PgConnection,
    caller: &Caller,
    input: &RequestInput,
    seen: &str,
    key: &str,
    public_url: &str,
) -> ServiceResult<Submitted> {
    let customer = caller.customer_id()?.get();
    conn.transaction(|conn| {
        lock_customer(conn, customer)?;
        if let Some(done) = existing(conn, customer, key)? {
            return Ok(done);
        }
        let title = usable_title(conn, customer, input)?;
        let issuer = resolve(conn, customer, input)?;
        let (_, picks) = matched(conn, customer, issuer, input, items::today())?;
        if matches!(input.mode, Mode::Amount(_)) && matching::fingerprint(&picks) != seen {
            return Err(BillingRefusal::MatchChanged.into());
        }
        let planned = plan::invoices(&picks, input.medium);
        let amount: Decimal = planned.iter().map(|p| p.amount).sum();
        let asked = match input.mode {
            Mode::Amount(a) => Some(a),
            Mode::Items(_) => None,
        };
        let request_id: i64 = diesel::insert_into(r::table)
            .values((
                r::customer_id.eq(customer),
                r::issuer_org_id.eq(issuer),
                r::requested_by.eq(caller.user_id().map(i64::from)),
                r::title_id.eq(title.id),
                r::title.eq(serde_json::to_value(&title)
                    .map_err(|e| ServiceError::internal(e.to_string()))?),
                r::medium.eq(input.medium.as_str()),
                r::asked.eq(asked),
                r::amount.eq(amount),
                r::request_key.eq(key),
            ))
            .returning(r::id)
            .get_result(conn)?;
        let mut ids = Vec::with_capacity(planned.len());
        for p in &planned {
            ids.push(
                diesel::insert_into(inv::table)
                    .values((
                        inv::request_id.eq(request_id),
                        inv::customer_id.eq(customer),
                        inv::issuer_org_id.eq(issuer),
                        inv::signing_entity.eq(&p.group.signing_entity),
                        inv::tax_rate.eq(p.group.tax_rate),
                        inv::medium.eq(input.medium.as_str()),
                        inv::invoice_kind.eq(&title.invoice_kind),
                        inv::amount.eq(p.amount),
                    ))
                    .returning(inv::id)
                    .get_result::<i64>(conn)?,
            );
        }
        let wholes: BTreeMap<i64, Decimal> = picks.iter().map(|p| (p.item_id, p.whole)).collect();
        take_items(conn, &planned, &ids, &wholes)?;
        audit::record_for_org(
            conn,
            caller,
            issuer.map(OrgId),
            Entry::new("invoice.requested", "invoice_request", request_id).after(json!({
                "customer": customer, "amount": amount, "asked": asked,
                "medium": input.medium.as_str(), "invoices": ids,
            })),
        )?;
        mail::requested(conn, request_id, public_url)?;
        Ok(Submitted {
            request_id,
            invoices: ids.len(),
            fresh: true,
        })
    })
}

fn existing(conn: &mut PgConnection, customer: i64, key: &str) -> ServiceResult<Option<Submitted>> {
    let found: Option<(i64, i64)> = r::table
        .filter(r::request_key.eq(key))
        .select((r::id, r::customer_id))
        .first(conn)
        .optional()?;
    let Some((id, owner)) = found else {
        return Ok(None);
    };
    if owner != customer {
        return Err(ServiceError::Malformed("key"));
    }
    let n: i64 = inv::table
        .filter(inv::request_id.eq(id))
        .count()
        .get_result(conn)?;
    Ok(Some(Submitted {
        request_id: id,
        invoices: n as usize,
        fresh: false,
    }))
}

/// Takes the items for the planned invoices (`ids` in the same order): each item's first part
/// stays in its row, further parts and the free rest become rows split from it; then every
/// part's invoice line.
fn take_items(
    conn: &mut PgConnection,
    planned: &[Planned],
    ids: &[i64],
    wholes: &BTreeMap<i64, Decimal>,
) -> ServiceResult<()> {
    let mut first: Vec<(i64, Decimal, i64)> = Vec::new();
    let mut splits: Vec<(i64, Decimal, Option<i64>)> = Vec::new();
    let mut used: BTreeMap<i64, Decimal> = BTreeMap::new();
    for (p, invoice) in planned.iter().zip(ids) {
        for (item, part) in &p.lines {
            match used.get_mut(item) {
                None => {
                    used.insert(*item, *part);
                    first.push((*item, *part, *invoice));
                }
                Some(sum) => {
                    *sum += *part;
                    splits.push((*item, *part, Some(*invoice)));
                }
            }
        }
    }
    for (item, sum) in &used {
        let rest = wholes[item] - *sum;
        if !rest.is_zero() {
            splits.push((*item, rest, None));
        }
    }
    let updated = diesel::sql_query(
        "UPDATE invoice_items i SET amount = x.a, invoice_id = x.inv
         FROM unnest($1::bigint[], $2::numeric[], $3::bigint[]) AS x(id, a, inv)
         WHERE i.id = x.id AND i.invoice_id IS NULL",
    )
    .bind::<Array<BigInt>, _>(first.iter().map(|f| f.0).collect::<Vec<_>>())
    .bind::<Array<Numeric>, _>(first.iter().map(|f| f.1).collect::<Vec<_>>())
    .bind::<Array<BigInt>, _>(first.iter().map(|f| f.2).collect::<Vec<_>>())
    .execute(conn)?;
    if updated != first.len() {
        return Err(BillingRefusal::ItemTaken.into());
    }
    #[derive(QueryableByName)]
    struct Split {
        #[diesel(sql_type = BigInt)]
        id: i64,
        #[diesel(sql_type = Nullable<BigInt>)]
        invoice_id: Option<i64>,
        #[diesel(sql_type = Numeric)]
        amount: Decimal,
    }
    let made: Vec<Split> = diesel::sql_query(
        "INSERT INTO invoice_items (customer_id, kind, bill_id, order_id, split_from, issuer_org_id,
                                    signing_entity, tax_rate, period, rank, occurred_at, amount,
                                    note, invoice_id)
         SELECT i.customer_id, i.kind, i.bill_id, i.order_id, i.id, i.issuer_org_id,
                i.signing_entity, i.tax_rate, i.period, i.rank, i.occurred_at, x.a, i.note, x.inv
         FROM unnest($1::bigint[], $2::numeric[], $3::bigint[]) WITH ORDINALITY AS x(src, a, inv, n)
         JOIN invoice_items i ON i.id = x.src
         ORDER BY x.n
         RETURNING id, invoice_id, amount",
    )
    .bind::<Array<BigInt>, _>(splits.iter().map(|s| s.0).collect::<Vec<_>>())
    .bind::<Array<Numeric>, _>(splits.iter().map(|s| s.1).collect::<Vec<_>>())
    .bind::<Array<Nullable<BigInt>>, _>(splits.iter().map(|s| s.2).collect::<Vec<_>>())
    .load(conn)?;
    let mut lines: Vec<(i64, i64, Decimal)> = first.iter().map(|f| (f.2, f.0, f.1)).collect();
    lines.extend(
        made.iter()
            .filter_map(|s| s.invoice_id.map(|inv| (inv, s.id, s.amount))),
    );
    diesel::sql_query(
        "INSERT INTO invoice_lines (invoice_id, item_id, amount)
         SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::numeric[])",
    )
    .bind::<Array<BigInt>, _>(lines.iter().map(|l| l.0).collect::<Vec<_>>())
    .bind::<Array<BigInt>, _>(lines.iter().map(|l| l.1).collect::<Vec<_>>())
    .bind::<Array<Numeric>, _>(lines.iter().map(|l| l.2).collect::<Vec<_>>())
    .execute(conn)?;
    Ok(())
}
