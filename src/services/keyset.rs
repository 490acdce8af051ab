//! Keyset pagination, the one way every list pages (SPEC §5 "Lists"): a page size of 20, 50
//! or 100, an opaque `after` cursor (never an offset), and the `q` text trimmed and bounded.

/// The page sizes a list offers; anything else falls back to the default.
pub const SIZES: [i64; 3] = [20, 50, 100];
pub const DEFAULT_SIZE: i64 = 20;
/// Logs and ledgers show more per page: they are read by scrolling.
pub const LOG_SIZE: i64 = 50;
pub const MAX_SIZE: i64 = 100;
/// The longest search text honoured; longer input is cut, not refused.
pub const Q_MAX: usize = 200;

/// The page size asked for, bounded to what a list offers.
pub fn size(asked: Option<i64>) -> i64 {
    asked.map_or(DEFAULT_SIZE, |s| s.clamp(1, MAX_SIZE))
}

/// The page size of a list's `size` query value as typed: malformed text is the default.
pub fn size_of(raw: Option<&str>) -> i64 {
    size(raw.and_then(|s| s.trim().parse().ok()))
}

/// One of the sizes a list offers (`SIZES`), for a list whose statement is written per size;
/// anything else is the default.
pub fn offered_size(asked: Option<i64>) -> i64 {
    asked.filter(|s| SIZES.contains(s)).unwrap_or(DEFAULT_SIZE)
}

/// The search text as a list uses it: trimmed, at most `Q_MAX` characters.
pub fn q(raw: Option<&str>) -> String {
    raw.unwrap_or("").trim().chars().take(Q_MAX).collect()
}

/// A list's query string with its page size added when it is not the default, so that the
/// pager's links keep the size the page was read with (SPEC §6 "List queries").
pub fn with_size(mut query: String, size: i64) -> String {
    if size != DEFAULT_SIZE {
        if !query.is_empty() {
            query.push('&');
        }
        query.push_str(&format!("size={size}"));
    }
    query
}

/// The `after` cursor of id-ordered lists: a positive id, anything else starts over.
pub fn cursor_id(after: &Option<String>) -> Option<i64> {
    after
        .as_deref()
        .and_then(|a| a.parse::<i64>().ok())
        .filter(|id| *id > 0)
}

/// The query fetched one row more than `page`; keep `page` rows and return the cursor of the
/// next page when there is one.
pub fn take_page<T>(rows: &mut Vec<T>, page: i64, cursor: impl Fn(&T) -> String) -> Option<String> {
    let more = rows.len() as i64 > page;
    rows.truncate(page.max(0) as usize);
    if more { rows.last().map(cursor) } else { None }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_cursors_are_bounded() {
        assert_eq!(size(None), DEFAULT_SIZE);
        assert_eq!(size(Some(10_000)), MAX_SIZE);
        assert_eq!(size(Some(-3)), 1);
        assert_eq!(offered_size(Some(50)), 50);
        assert_eq!(offered_size(Some(100)), 100);
        assert_eq!(offered_size(Some(30)), DEFAULT_SIZE);
        assert_eq!(offered_size(None), DEFAULT_SIZE);
        assert_eq!(cursor_id(&Some("12".into())), Some(12));
        assert_eq!(with_size("q=a".into(), DEFAULT_SIZE), "q=a");
        assert_eq!(with_size("q=a".into(), 50), "q=a&size=50");
        assert_eq!(with_size(String::new(), 100), "size=100");
        assert_eq!(cursor_id(&Some("-1".into())), None);
        assert_eq!(cursor_id(&Some("x".into())), None);
        assert_eq!(q(Some("  acme  ")), "acme");
        assert_eq!(q(Some(&"a".repeat(500))).len(), Q_MAX);
    }

    #[test]
    fn a_page_keeps_its_size_and_names_the_next() {
        let mut rows = vec![1, 2, 3];
        assert_eq!(take_page(&mut rows, 2, |r| r.to_string()), Some("2".into()));
        assert_eq!(rows, vec![1, 2]);
        let mut rows = vec![1];
        assert_eq!(take_page(&mut rows, 2, |r| r.to_string()), None);
    }
}
