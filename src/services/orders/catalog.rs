//! The catalog (rule P1): operators add products, change them and stop or resume selling
//! them; customers order from the products on sale. A product has a code, names in both
//! languages, the cloud service it belongs to (which decides the coupons that fit, K2), a
//! monthly and/or yearly price with 8 decimals (B1), a tax rate of 6% or 13% for invoices (B5)
//! and a "needs review" flag. A product's code never changes once orders may name it.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use rust_decimal::Decimal;

use crate::db::page_limit::limited;
use crate::db::schema::products;
use crate::domain::{Caller, Term};
use crate::services::keyset::take_page;
use crate::services::{ServiceError, ServiceResult};

pub use edit::{create, set_on_sale, update};

pub use crate::services::coupons::scope::{Service, services};

mod edit;

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
