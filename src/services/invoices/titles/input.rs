//! The title form's fields and their own checks (rule B3), each problem named by its field and
//! an i18n key, so every adapter (the HTML form, later the API) refuses alike.

use diesel::prelude::*;

use crate::db::schema::invoice_titles as t;
use crate::domain::form::{TextProblem, text_problem};
use crate::services::invoices::state::{InvoiceKind, TitleType};

/// The fields as typed.
#[derive(Debug, Clone, Default)]
pub struct TitleFields {
    pub title_type: String,
    pub invoice_kind: String,
    pub name: String,
    pub tax_id: String,
    pub bank_name: String,
    pub bank_account: String,
    pub registered_address: String,
    pub registered_phone: String,
    pub postal_recipient: String,
    pub postal_phone: String,
    pub postal_address: String,
    pub make_default: bool,
}

/// A title that passed the form's checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TitleInput {
    pub title_type: TitleType,
    pub invoice_kind: InvoiceKind,
    pub name: String,
    pub tax_id: String,
    pub bank_name: String,
    pub bank_account: String,
    pub registered_address: String,
    pub registered_phone: String,
    pub postal_recipient: String,
    pub postal_phone: String,
    pub postal_address: String,
    pub make_default: bool,
}

type Values<'a> = (
    diesel::dsl::Eq<t::title_type, &'static str>,
    diesel::dsl::Eq<t::invoice_kind, &'static str>,
    diesel::dsl::Eq<t::name, &'a str>,
    diesel::dsl::Eq<t::tax_id, &'a str>,
    diesel::dsl::Eq<t::bank_name, &'a str>,
    diesel::dsl::Eq<t::bank_account, &'a str>,
    diesel::dsl::Eq<t::registered_address, &'a str>,
    diesel::dsl::Eq<t::registered_phone, &'a str>,
    diesel::dsl::Eq<t::postal_recipient, &'a str>,
    diesel::dsl::Eq<t::postal_phone, &'a str>,
    diesel::dsl::Eq<t::postal_address, &'a str>,
);

impl TitleInput {
    pub fn values(&self) -> Values<'_> {
        (
            t::title_type.eq(self.title_type.as_str()),
            t::invoice_kind.eq(self.invoice_kind.as_str()),
            t::name.eq(self.name.as_str()),
            t::tax_id.eq(self.tax_id.as_str()),
            t::bank_name.eq(self.bank_name.as_str()),
            t::bank_account.eq(self.bank_account.as_str()),
            t::registered_address.eq(self.registered_address.as_str()),
            t::registered_phone.eq(self.registered_phone.as_str()),
            t::postal_recipient.eq(self.postal_recipient.as_str()),
            t::postal_phone.eq(self.postal_phone.as_str()),
            t::postal_address.eq(self.postal_address.as_str()),
        )
    }
}

/// A problem with one field: `(field, i18n key)`.
pub type Problem = (&'static str, &'static str);

fn text(
    problems: &mut Vec<Problem>,
    field: &'static str,
    value: &str,
    required: bool,
    max: usize,
) -> String {
    match text_problem(value, required, max) {
        Some(TextProblem::Required) => problems.push((field, "invoices.title.error.required")),
        Some(TextProblem::TooLong { .. }) => {
            problems.push((field, "invoices.title.error.too_long"))
        }
        None => {}
    }
    value.trim().to_string()
}

fn phone_like(s: &str) -> bool {
    s.chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '+' | '-' | ' ' | '(' | ')'))
}

/// The form's checks: `Err` lists every field's problem (the first per field counts).
pub fn validate(f: &TitleFields) -> Result<TitleInput, Vec<Problem>> {
    let mut problems = Vec::new();
    let title_type = TitleType::parse(&f.title_type);
    if title_type.is_none() {
        problems.push(("title_type", "invoices.title.error.choose_type"));
    }
    let invoice_kind = InvoiceKind::parse(&f.invoice_kind);
    if invoice_kind.is_none() {
        problems.push(("invoice_kind", "invoices.title.error.choose_kind"));
    }
    // rule B3: organisations take VAT normal invoices only (the service refuses it too); a
    // special invoice needs the company's tax and bank details.
    let organisation = title_type == Some(TitleType::Organisation);
    if organisation && invoice_kind == Some(InvoiceKind::VatSpecial) {
        problems.push(("invoice_kind", "billing.refused.special_for_organisation"));
    }
    let special = invoice_kind == Some(InvoiceKind::VatSpecial) && !organisation;
    let name = text(&mut problems, "name", &f.name, true, 200);
    let tax_id = text(&mut problems, "tax_id", &f.tax_id, special, 20).to_uppercase();
    let tax_id_shape =
        (15..=20).contains(&tax_id.len()) && tax_id.chars().all(|c| c.is_ascii_alphanumeric());
    if !tax_id.is_empty() && !tax_id_shape {
        problems.push(("tax_id", "invoices.title.error.tax_id"));
    }
    let bank_name = text(&mut problems, "bank_name", &f.bank_name, special, 100);
    let bank_account = text(&mut problems, "bank_account", &f.bank_account, special, 40);
    if !bank_account
        .chars()
        .all(|c| c.is_ascii_digit() || c == ' ' || c == '-')
    {
        problems.push(("bank_account", "invoices.title.error.bank_account"));
    }
    let registered_address = text(
        &mut problems,
        "registered_address",
        &f.registered_address,
        special,
        200,
    );
    let registered_phone = text(
        &mut problems,
        "registered_phone",
        &f.registered_phone,
        special,
        30,
    );
    if !phone_like(&registered_phone) {
        problems.push(("registered_phone", "invoices.title.error.phone"));
    }
    let postal_recipient = text(
        &mut problems,
        "postal_recipient",
        &f.postal_recipient,
        false,
        60,
    );
    let postal_phone = text(&mut problems, "postal_phone", &f.postal_phone, false, 30);
    if !phone_like(&postal_phone) {
        problems.push(("postal_phone", "invoices.title.error.phone"));
    }
    let postal_address = text(
        &mut problems,
        "postal_address",
        &f.postal_address,
        false,
        200,
    );
    let (Some(title_type), Some(invoice_kind), true) =
        (title_type, invoice_kind, problems.is_empty())
    else {
        return Err(problems);
    };
    Ok(TitleInput {
        title_type,
        invoice_kind,
        name,
        tax_id,
        bank_name,
        bank_account,
        registered_address,
        registered_phone,
        postal_recipient,
        postal_phone,
        postal_address,
        make_default: f.make_default,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(kind: &str) -> TitleFields {
        TitleFields {
            title_type: "enterprise".into(),
            invoice_kind: kind.into(),
            name: " Acme Corp ".into(),
            ..TitleFields::default()
        }
    }

    #[test]
    fn a_normal_title_needs_a_name_and_a_special_one_the_tax_and_bank_details() {
        let ok = validate(&fields("vat_normal")).unwrap();
        assert_eq!(ok.name, "Acme Corp");
        let problems = validate(&fields("vat_special")).unwrap_err();
        let named: Vec<&str> = problems.iter().map(|p| p.0).collect();
        for f in [
            "tax_id",
            "bank_name",
            "bank_account",
            "registered_address",
            "registered_phone",
        ] {
            assert!(named.contains(&f), "{f} in {named:?}");
        }
        let mut special = fields("vat_special");
        special.tax_id = "91310000ma1k4xyz5q".into();
        special.bank_name = "Bank".into();
        special.bank_account = "6222 0000 1111".into();
        special.registered_address = "1 Road".into();
        special.registered_phone = "+86 21 5555-0000".into();
        assert_eq!(validate(&special).unwrap().tax_id, "91310000MA1K4XYZ5Q");
    }

    #[test]
    fn malformed_values_are_named_beside_their_field() {
        let mut f = fields("bogus");
        f.title_type = "person".into();
        f.name = String::new();
        f.tax_id = "12-34".into();
        f.postal_phone = "call me".into();
        let named: Vec<&str> = validate(&f).unwrap_err().iter().map(|p| p.0).collect();
        for field in [
            "title_type",
            "invoice_kind",
            "name",
            "tax_id",
            "postal_phone",
        ] {
            assert!(named.contains(&field), "{field} in {named:?}");
        }
    }
}
