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

/// What is wrong with a text field, as an i18n key and the limit it broke.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextProblem {
    Required,
    TooLong { max: usize },
}

/// Refuses text longer than `max` characters, or empty text when `required`.
pub fn text_problem(value: &str, required: bool, max: usize) -> Option<TextProblem> {
    let len = value.trim().chars().count();
    if required && len == 0 {
        Some(TextProblem::Required)
    } else if len > max {
        Some(TextProblem::TooLong { max })
    } else {
        None
    }
}
