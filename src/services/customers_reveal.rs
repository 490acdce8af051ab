//! Revealing one masked value (rule A5): scoped like the customer's page, limited per member
//! and hour, audited every time.

use std::time::Duration;

use diesel::prelude::*;

use crate::audit::{self, Actor, Entry};
use crate::auth::{Member, throttle};
use crate::db::schema::customer_contacts;
use crate::error::AppError;
use crate::services::customers_detail::visible;

/// Which value an eye button asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RevealField {
    Email,
    Phone,
    ContactEmail(i64),
    ContactPhone(i64),
}

impl RevealField {
    pub fn parse(raw: &str) -> Option<RevealField> {
        match raw {
            "email" => Some(RevealField::Email),
            "phone" => Some(RevealField::Phone),
            other => {
                let rest = other.strip_prefix("contact:")?;
                let (id, what) = rest.split_once(':')?;
                let id: i64 = id.parse().ok().filter(|i| *i > 0)?;
                match what {
                    "email" => Some(RevealField::ContactEmail(id)),
                    "phone" => Some(RevealField::ContactPhone(id)),
                    _ => None,
                }
            }
        }
    }

    pub fn is_email(self) -> bool {
        matches!(self, RevealField::Email | RevealField::ContactEmail(_))
    }

    pub fn as_string(self) -> String {
        match self {
            RevealField::Email => "email".into(),
            RevealField::Phone => "phone".into(),
            RevealField::ContactEmail(id) => format!("contact:{id}:email"),
            RevealField::ContactPhone(id) => format!("contact:{id}:phone"),
        }
    }
}

/// Shows one masked value (rule A5): scoped like the page, limited per member and hour,
/// and written to the audit log every time. Runs inside the caller's transaction and
/// returns the company name with the value.
pub fn reveal(
    conn: &mut PgConnection,
    member: &Member,
    actor: &Actor,
    customer_id: i64,
    field: RevealField,
    limit_per_hour: i64,
) -> Result<(String, String), AppError> {
    let customer = visible(conn, member, customer_id)?;
    let key = member.user_id.to_string();
    let hour = Duration::from_secs(3600);
    if throttle::blocked_for(conn, throttle::REVEAL, &key, limit_per_hour, hour)?.is_some() {
        return Err(AppError::TooManyRequests);
    }
    let value = match field {
        RevealField::Email => customer.email,
        RevealField::Phone => customer.phone,
        RevealField::ContactEmail(id) | RevealField::ContactPhone(id) => {
            let (email, phone): (String, String) = customer_contacts::table
                .filter(customer_contacts::id.eq(id))
                .filter(customer_contacts::customer_id.eq(customer_id))
                .select((customer_contacts::email, customer_contacts::phone))
                .first(conn)
                .optional()?
                .ok_or(AppError::NotFound)?;
            if field.is_email() { email } else { phone }
        }
    };
    throttle::record(conn, throttle::REVEAL, &key)?;
    audit::record(
        conn,
        actor,
        Entry::new("customer.reveal", "customer", customer_id)
            .after(serde_json::json!({ "field": field.as_string() })),
    )?;
    Ok((customer.company, value))
}

#[cfg(test)]
mod tests {
    use super::RevealField;

    #[test]
    fn reveal_fields_parse_strictly() {
        assert_eq!(RevealField::parse("email"), Some(RevealField::Email));
        assert_eq!(
            RevealField::parse("contact:7:phone"),
            Some(RevealField::ContactPhone(7))
        );
        for bad in [
            "",
            "contact:x:email",
            "contact:7:name",
            "contact:-1:email",
            "password",
        ] {
            assert_eq!(RevealField::parse(bad), None, "{bad}");
        }
        assert_eq!(RevealField::ContactEmail(3).as_string(), "contact:3:email");
    }
}
