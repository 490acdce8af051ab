//! The catalog (rule P1): operators add products, change them and stop or resume selling
//! them; customers order from the products on sale. A product has a code, names in both
//! languages, the cloud service it belongs to (which decides the coupons that fit, K2), a
//! monthly and/or yearly price with 8 decimals (B1), a tax rate of 6% or 13% for invoices (B5)
//! and a "needs review" flag. A product's code never changes once orders may name it.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use rust_decimal::Decimal;

use super::{OrderRefusal, actions};
use crate::audit::{self, Entry};
use crate::db::page_limit::limited;
use crate::db::schema::{cloud_services, products};
use crate::domain::{Caller, Term};
use crate::services::keyset::take_page;
use crate::services::{ServiceError, ServiceResult};

pub use crate::services::coupons::scope::{Service, services};

/// The tax rates invoices use (rule B5): a product has one of these.
pub const TAX_RATES: [i16; 2] = [6, 13];
/// The most products a customer's order form lists.
pub const ON_SALE_MAX: i64 = 500;

/// A product as every page reads it.
#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = products)]
pub struct Product {
    pub id: i64,
    pub code: String,
    pub name_en: String,
    pub name_zh: String,
    pub service_code: String,
    pub monthly_price: Option<Decimal>,
    pub yearly_price: Option<Decimal>,
    pub tax_rate: i16,
    pub needs_review: bool,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Product {
    /// The price of a term, when the product is offered for it.
    pub fn price_of(&self, term: Term) -> Option<Decimal> {
        match term {
            Term::Month => self.monthly_price,
            Term::Year => self.yearly_price,
        }
    }
}

/// A product as the operator's form sends it, already validated field by field (the code's
/// shape, both names, at least one price with at most 8 decimals, a tax rate of 6 or 13).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewProduct {
    pub code: String,
    pub name_en: String,
    pub name_zh: String,
    pub service_code: String,
    pub monthly_price: Option<Decimal>,
    pub yearly_price: Option<Decimal>,
    pub tax_rate: i16,
    pub needs_review: bool,
}

/// rule P1: the shape of a product code (the column's own check): lower-case letters, digits,
/// dots and dashes, 2 to 40 characters, starting with a letter or digit.
pub fn valid_code(code: &str) -> bool {
    let bytes = code.as_bytes();
    (2..=40).contains(&bytes.len())
        && (bytes[0].is_ascii_lowercase() || bytes[0].is_ascii_digit())
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'.' || *b == b'-')
}

/// The catalog, by id, `size` products after `after`, narrowed by `q` (code or a name).
pub fn list(
    conn: &mut PgConnection,
    caller: &Caller,
    q: &str,
    after: Option<i64>,
    size: i64,
) -> ServiceResult<(Vec<Product>, Option<String>)> {
    caller.require_operator()?;
    let mut query = products::table.into_boxed();
    if let Some(a) = after {
        query = query.filter(products::id.gt(a));
    }
    if !q.is_empty() {
        let pattern = crate::db::like_pattern(q);
        query = query.filter(
            products::code
                .ilike(pattern.clone())
                .or(products::name_en.ilike(pattern.clone()))
                .or(products::name_zh.ilike(pattern)),
        );
    }
    let mut rows: Vec<Product> = limited(
        query.order(products::id).select(Product::as_select()),
        size + 1,
    )
    .load(conn)?;
    let next = take_page(&mut rows, size, |p| p.id.to_string());
    Ok((rows, next))
}

/// One product, for the operator's edit form.
pub fn get(conn: &mut PgConnection, caller: &Caller, id: i64) -> ServiceResult<Product> {
    caller.require_operator()?;
    find(conn, id)?.ok_or(ServiceError::NotFound)
}

fn find(conn: &mut PgConnection, id: i64) -> QueryResult<Option<Product>> {
    products::table
        .find(id)
        .select(Product::as_select())
        .first(conn)
        .optional()
}

/// What a customer may order now, by code (the order form's choices).
pub fn on_sale(conn: &mut PgConnection) -> QueryResult<Vec<Product>> {
    limited(
        products::table
            .filter(products::active.eq(true))
            .order(products::code)
            .select(Product::as_select()),
        ON_SALE_MAX,
    )
    .load(conn)
}

fn require_service(conn: &mut PgConnection, code: &str) -> ServiceResult<()> {
    let known: i64 = cloud_services::table
        .filter(cloud_services::code.eq(code))
        .count()
        .get_result(conn)?;
    if known == 0 {
        return Err(OrderRefusal::UnknownService.into());
    }
    Ok(())
}

fn require_shape(new: &NewProduct) -> ServiceResult<()> {
    let positive = |p: Option<Decimal>| p.is_none_or(|p| p > Decimal::ZERO);
    if !valid_code(&new.code)
        || !TAX_RATES.contains(&new.tax_rate)
        || (new.monthly_price.is_none() && new.yearly_price.is_none())
        || !positive(new.monthly_price)
        || !positive(new.yearly_price)
    {
        return Err(ServiceError::Malformed("product"));
    }
    Ok(())
}

fn snapshot(p: &NewProduct) -> serde_json::Value {
    serde_json::json!({
        "code": p.code, "name_en": p.name_en, "name_zh": p.name_zh, "service": p.service_code,
        "monthly_price": p.monthly_price.map(|d| d.to_string()),
        "yearly_price": p.yearly_price.map(|d| d.to_string()),
        "tax_rate": p.tax_rate, "needs_review": p.needs_review,
    })
}

/// rule P1: adds a product on sale; a code already in the catalog is refused.
pub fn create(conn: &mut PgConnection, caller: &Caller, new: &NewProduct) -> ServiceResult<i64> {
    caller.require_operator()?;
    require_shape(new)?;
    require_service(conn, &new.service_code)?;
    let id: Option<i64> = diesel::insert_into(products::table)
        .values((
            products::code.eq(&new.code),
            products::name_en.eq(&new.name_en),
            products::name_zh.eq(&new.name_zh),
            products::service_code.eq(&new.service_code),
            products::monthly_price.eq(new.monthly_price),
            products::yearly_price.eq(new.yearly_price),
            products::tax_rate.eq(new.tax_rate),
            products::needs_review.eq(new.needs_review),
        ))
        .on_conflict(products::code)
        .do_nothing()
        .returning(products::id)
        .get_result(conn)
        .optional()?;
    let id = id.ok_or(OrderRefusal::CodeTaken)?;
    audit::record(
        conn,
        caller,
        Entry::new(actions::PRODUCT_CREATED, "product", id).after(snapshot(new)),
    )?;
    Ok(id)
}

/// rule P1: changes a product's names, service, prices, tax rate and review flag. The code
/// stays: orders and usage records name the product by it. Orders already placed keep the
/// price they recorded.
pub fn update(
    conn: &mut PgConnection,
    caller: &Caller,
    id: i64,
    new: &NewProduct,
) -> ServiceResult<()> {
    caller.require_operator()?;
    let before = lock(conn, id)?;
    let new = NewProduct {
        code: before.code.clone(),
        ..new.clone()
    };
    require_shape(&new)?;
    require_service(conn, &new.service_code)?;
    diesel::update(products::table.find(id))
        .set((
            products::name_en.eq(&new.name_en),
            products::name_zh.eq(&new.name_zh),
            products::service_code.eq(&new.service_code),
            products::monthly_price.eq(new.monthly_price),
            products::yearly_price.eq(new.yearly_price),
            products::tax_rate.eq(new.tax_rate),
            products::needs_review.eq(new.needs_review),
            products::updated_at.eq(Utc::now()),
        ))
        .execute(conn)?;
    let old = NewProduct {
        code: before.code,
        name_en: before.name_en,
        name_zh: before.name_zh,
        service_code: before.service_code,
        monthly_price: before.monthly_price,
        yearly_price: before.yearly_price,
        tax_rate: before.tax_rate,
        needs_review: before.needs_review,
    };
    audit::record(
        conn,
        caller,
        Entry::new(actions::PRODUCT_UPDATED, "product", id)
            .before(snapshot(&old))
            .after(snapshot(&new)),
    )?;
    Ok(())
}

/// rule P1: stops (`active = false`) or resumes selling a product. Orders already placed are
/// not touched. Asking for the state it is already in changes nothing.
pub fn set_on_sale(
    conn: &mut PgConnection,
    caller: &Caller,
    id: i64,
    active: bool,
) -> ServiceResult<()> {
    caller.require_operator()?;
    let before = lock(conn, id)?;
    if before.active == active {
        return Ok(());
    }
    diesel::update(products::table.find(id))
        .set((
            products::active.eq(active),
            products::updated_at.eq(Utc::now()),
        ))
        .execute(conn)?;
    let action = if active {
        actions::PRODUCT_RESUMED
    } else {
        actions::PRODUCT_STOPPED
    };
    audit::record(conn, caller, Entry::new(action, "product", id))?;
    Ok(())
}

fn lock(conn: &mut PgConnection, id: i64) -> ServiceResult<Product> {
    products::table
        .find(id)
        .select(Product::as_select())
        .for_update()
        .first(conn)
        .optional()?
        .ok_or(ServiceError::NotFound)
}

#[cfg(test)]
mod tests {
    use super::valid_code;

    #[test]
    fn product_codes_follow_the_columns_check() {
        for ok in ["ecs.c6.large", "rds-mysql", "a1", "9x"] {
            assert!(valid_code(ok), "{ok}");
        }
        for bad in [
            "",
            "a",
            "ECS",
            "-ecs",
            ".x",
            "ecs large",
            "ecs_1",
            &"a".repeat(41),
        ] {
            assert!(!valid_code(bad), "{bad}");
        }
    }
}
