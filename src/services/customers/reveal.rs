//! Revealing one masked value (rule A5): scoped like the customer's page, limited per member
//! and hour, audited every time.

use diesel::prelude::*;

use crate::db::schema::customer_contacts;
use crate::domain::Caller;
use crate::services::customers::detail::visible;
use crate::services::reveal::{self, Subject};
use crate::services::{ServiceError, ServiceResult};

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
    caller: &Caller,
    customer_id: i64,
    field: RevealField,
    limit_per_hour: i64,
) -> ServiceResult<(String, String)> {
    let customer = visible(conn, caller.member()?, customer_id)?;
    let subject = Subject {
        action: "customer.reveal",
        subject_type: "customer",
        subject_id: customer_id,
        field: field.as_string(),
    };
    let value = reveal::reveal(conn, caller, limit_per_hour, subject, |conn, _| {
        Ok(match field {
            RevealField::Email => customer.email.clone(),
            RevealField::Phone => customer.phone.clone(),
            RevealField::ContactEmail(id) | RevealField::ContactPhone(id) => {
                let (email, phone): (String, String) = customer_contacts::table
                    .filter(customer_contacts::id.eq(id))
                    .filter(customer_contacts::customer_id.eq(customer_id))
                    .select((customer_contacts::email, customer_contacts::phone))
                    .first(conn)
                    .optional()?
                    .ok_or(ServiceError::NotFound)?;
                if field.is_email() { email } else { phone }
            }
        })
    })?;
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
