//! Masking of personal data in lists and exports (rule A5).

/// `li.lei@example.com` → `l***@example.com`
pub fn email(value: &str) -> String {
    match value.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None if value.is_empty() => String::new(),
        None => "***".to_string(),
    }
}

/// `13812341234` → `138****1234`; short numbers keep only their last digits.
pub fn phone(value: &str) -> String {
    let chars: Vec<char> = value.chars().collect();
    match chars.len() {
        0 => String::new(),
        n if n >= 7 => {
            let head: String = chars[..3].iter().collect();
            let tail: String = chars[n - 4..].iter().collect();
            format!("{head}****{tail}")
        }
        n => {
            let tail: String = chars[n.saturating_sub(2)..].iter().collect();
            format!("****{tail}")
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn masks_like_the_spec_examples() {
        assert_eq!(super::phone("13812341234"), "138****1234");
        assert_eq!(super::email("alice@example.com"), "a***@example.com");
        assert_eq!(super::phone("123"), "****23");
        assert_eq!(super::email(""), "");
    }
}
