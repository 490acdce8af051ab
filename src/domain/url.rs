//! URL pieces built and checked in one place: query encoding and safe return paths.

/// Percent-encodes a query value.
pub fn url_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// A local path to return to after a form, or `None` for anything that could leave the site.
pub fn local_path(candidate: &str) -> Option<&str> {
    let ok = candidate.starts_with('/')
        && !candidate.starts_with("//")
        && !candidate.starts_with("/\\")
        && !candidate.chars().any(|c| c.is_control())
        && candidate.len() <= 2000;
    ok.then_some(candidate)
}

/// The paths whose last segment is a secret token (rules C1, C7; password reset).
const SECRET_PREFIXES: [&str; 3] = ["/invitations/", "/join/verify/", "/password/reset/"];

/// `text` with every single-use token after a secret path prefix replaced by `…`, for logs
/// and stored copies of mail: the plain token lives only in the mail that was delivered.
pub fn redact_tokens(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    'scan: while !rest.is_empty() {
        for prefix in SECRET_PREFIXES {
            if let Some(after) = rest.strip_prefix(prefix) {
                let len = after
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
                    .unwrap_or(after.len());
                out.push_str(prefix);
                // Short segments are page names (`/invitations/new`), not tokens.
                if len >= 20 {
                    out.push('…');
                } else {
                    out.push_str(&after[..len]);
                }
                rest = &after[len..];
                continue 'scan;
            }
        }
        let mut chars = rest.chars();
        if let Some(c) = chars.next() {
            out.push(c);
        }
        rest = chars.as_str();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_after_secret_paths_are_redacted() {
        let token = "a".repeat(43);
        assert_eq!(
            redact_tokens(&format!("GET /invitations/{token}/register HTTP/1.1")),
            "GET /invitations/…/register HTTP/1.1"
        );
        assert_eq!(
            redact_tokens(&format!("see https://x.test/password/reset/{token}\n")),
            "see https://x.test/password/reset/…\n"
        );
        assert_eq!(
            redact_tokens("/partner/invitations/new"),
            "/partner/invitations/new"
        );
        assert_eq!(redact_tokens("/join/verify/short"), "/join/verify/short");
        assert_eq!(redact_tokens("中文 /join/abc"), "中文 /join/abc");
    }

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(
            local_path("/partner/customers?q=a"),
            Some("/partner/customers?q=a")
        );
        assert_eq!(local_path("//evil.example"), None);
        assert_eq!(local_path("https://evil.example"), None);
        assert_eq!(local_path("/\\evil.example"), None);
    }

    #[test]
    fn query_values_are_percent_encoded() {
        assert_eq!(url_encode("a b&c/d"), "a%20b%26c/d");
    }
}
