//! Form checks shared by every area's inputs: the message sits beside its field, in the
//! caller's language.

use crate::domain::FormErrors;
use crate::domain::form::{TextProblem, text_problem};
use crate::i18n::Lang;

/// Refuses text longer than `max` characters, or empty text when `required`.
pub fn check_text(
    errors: &mut FormErrors,
    lang: Lang,
    field: &'static str,
    value: &str,
    required: bool,
    max: usize,
) {
    match text_problem(value, required, max) {
        Some(TextProblem::Required) => errors.add(field, lang.t("form.required")),
        Some(TextProblem::TooLong { max }) => errors.add(
            field,
            lang.tf("form.too_long_n", &[("max", &max.to_string())]),
        ),
        None => {}
    }
}
