//! Masking of personal data in lists and exports (rule A5).

/// `li.lei@example.com` → `l***@example.com`
pub fn email(value: &str) -> String {
    match value.split_once('@') {
        Some((local, domain)) => {
            let first = local.chars().next().map_or("", |c| &local[..c.len_utf8()]);
            let mut masked = String::with_capacity(first.len() + 4 + domain.len());
            masked.push_str(first);
            masked.push_str("***@");
            masked.push_str(domain);
            masked
        }
        None if value.is_empty() => String::new(),
        None => "***".to_string(),
    }
}

/// `13812341234` → `138****1234`; short numbers keep only their last digits.
pub fn phone(value: &str) -> String {
    // Byte offset of the `n`th character (or the end).
    let at = |n: usize| value.char_indices().nth(n).map_or(value.len(), |(i, _)| i);
    match value.chars().count() {
        0 => String::new(),
        n if n >= 7 => format!("{}****{}", &value[..at(3)], &value[at(n - 4)..]),
        n => format!("****{}", &value[at(n.saturating_sub(2))..]),
    }
}

/// Every e-mail address inside a text masked (`wrote to li.lei@example.com` → `wrote to
/// l***@example.com`); the rest of the text is kept. Masking twice changes nothing.
pub fn emails_in(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let local_ok = |c: char| c.is_ascii_alphanumeric() || "._%+-!#$&'*/=?^`{|}~".contains(c);
    let domain_ok = |c: char| c.is_ascii_alphanumeric() || c == '.' || c == '-';
    let mut out = String::with_capacity(text.len());
    let (mut copied, mut at) = (0, 0);
    while at < chars.len() {
        if chars[at] == '@' {
            let mut start = at;
            while start > copied && local_ok(chars[start - 1]) {
                start -= 1;
            }
            let mut end = at + 1;
            while end < chars.len() && domain_ok(chars[end]) {
                end += 1;
            }
            while end > at + 1 && chars[end - 1] == '.' {
                end -= 1;
            }
            if start < at && chars[at + 1..end].contains(&'.') {
                out.extend(&chars[copied..start]);
                out.push_str(&email(&chars[start..end].iter().collect::<String>()));
                (copied, at) = (end, end);
                continue;
            }
        }
        at += 1;
    }
    out.extend(&chars[copied..]);
    out
}

/// Whether a field of that name holds a phone number.
fn is_phone_key(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    ["phone", "mobile", "tel"]
        .iter()
        .any(|k| key == *k || key.ends_with(&format!("_{k}")) || key.starts_with(&format!("{k}_")))
}

/// Personal data in a recorded JSON value (an audit row's before or after) masked: every
/// e-mail address in any string, and the value of any field named like a phone number.
pub fn json(value: &serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::String(s) => Value::String(emails_in(s)),
        Value::Array(items) => Value::Array(items.iter().map(json).collect()),
        Value::Object(fields) => Value::Object(
            fields
                .iter()
                .map(|(k, v)| {
                    let masked = match v {
                        Value::String(s) if is_phone_key(k) => Value::String(phone(s)),
                        other => json(other),
                    };
                    (k.clone(), masked)
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn addresses_inside_text_are_masked_and_the_rest_is_kept() {
        assert_eq!(
            super::emails_in("sent to li.lei@example.com, cc Bob <bob@x.example.org>."),
            "sent to l***@example.com, cc Bob <b***@x.example.org>."
        );
        assert_eq!(super::emails_in("l***@example.com"), "l***@example.com");
        for plain in [
            "no address",
            "a @ b",
            "user@localhost",
            "@example.com",
            "x@.",
        ] {
            assert_eq!(super::emails_in(plain), plain);
        }
    }

    #[test]
    fn recorded_json_is_masked_at_every_depth() {
        let v = serde_json::json!({
            "email": "it@acme.test", "phone": "13812341234", "contact_phone": "13900002222",
            "amount": "12.50", "period": "2026-11-01", "items": [{"to": "cfo@globex.test"}],
            "count": 3, "telemetry": "13812341234"
        });
        assert_eq!(
            super::json(&v),
            serde_json::json!({
                "email": "i***@acme.test", "phone": "138****1234", "contact_phone": "139****2222",
                "amount": "12.50", "period": "2026-11-01", "items": [{"to": "c***@globex.test"}],
                "count": 3, "telemetry": "13812341234"
            })
        );
    }

    #[test]
    fn masks_like_the_spec_examples() {
        assert_eq!(super::phone("13812341234"), "138****1234");
        assert_eq!(super::email("alice@example.com"), "a***@example.com");
        assert_eq!(super::phone("123"), "****23");
        assert_eq!(super::email(""), "");
    }
}
