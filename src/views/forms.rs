//! One way to do forms: values come back as typed, errors sit beside their field.

use std::collections::BTreeMap;

#[derive(Default, Debug, Clone)]
pub struct FormErrors {
    by_field: BTreeMap<&'static str, String>,
}

impl FormErrors {
    pub fn add(&mut self, field: &'static str, message: impl Into<String>) {
        self.by_field.entry(field).or_insert_with(|| message.into());
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.by_field.get(field).map(String::as_str)
    }

    pub fn has(&self, field: &str) -> bool {
        self.by_field.contains_key(field)
    }

    pub fn is_empty(&self) -> bool {
        self.by_field.is_empty()
    }

    /// For templates: the message or an empty string.
    pub fn of(&self, field: &str) -> &str {
        self.get(field).unwrap_or("")
    }
}

/// Refuses text longer than `max` characters, or empty text when `required`.
pub fn check_text(
    errors: &mut FormErrors,
    lang: crate::i18n::Lang,
    field: &'static str,
    value: &str,
    required: bool,
    max: usize,
) {
    let len = value.trim().chars().count();
    if required && len == 0 {
        errors.add(field, lang.t("form.required"));
    } else if len > max {
        errors.add(
            field,
            lang.tf("form.too_long_n", &[("max", &max.to_string())]),
        );
    }
}
