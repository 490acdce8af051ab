//! Language choice (rule X4): a `lang` cookie set by POST /language wins, then the browser's
//! Accept-Language; Simplified Chinese unless the browser prefers English.

use actix_web::HttpRequest;
use actix_web::http::header::ACCEPT_LANGUAGE;

pub const LANG_COOKIE: &str = "lang";

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Lang {
    #[serde(rename = "zh-CN")]
    ZhCn,
    #[serde(rename = "en")]
    En,
}

impl Lang {
    /// Of a name kept in both languages (a product's, a cloud service's), the reader's.
    pub fn pick<T>(self, zh: T, en: T) -> T {
        match self {
            Lang::ZhCn => zh,
            Lang::En => en,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::ZhCn => "zh-CN",
            Lang::En => "en",
        }
    }

    pub fn parse(code: &str) -> Option<Lang> {
        match code {
            "zh-CN" | "zh" | "zh-cn" => Some(Lang::ZhCn),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn from_request(req: &HttpRequest) -> Lang {
        if let Some(lang) = req.cookie(LANG_COOKIE).and_then(|c| Lang::parse(c.value())) {
            return lang;
        }
        req.headers()
            .get(ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .map(from_accept_language)
            .unwrap_or(Lang::ZhCn)
    }

    /// Looks a message up; a missing key shows the key itself so gaps are visible, never a crash.
    pub fn t(self, key: &str) -> String {
        self.text(key).into_owned()
    }

    /// As `t`, borrowed from the locale files when the key is known.
    pub fn text(self, key: &str) -> std::borrow::Cow<'static, str> {
        match messages::lookup(self, key) {
            Some(text) => std::borrow::Cow::Borrowed(text),
            None => std::borrow::Cow::Owned(rust_i18n::t!(key, locale = self.code()).into_owned()),
        }
    }

    /// A message with `%{name}` placeholders filled in.
    pub fn tf(self, key: &str, args: &[(&str, &str)]) -> String {
        let mut text = self.t(key);
        for (name, value) in args {
            text = text.replace(&format!("%{{{name}}}"), value);
        }
        text
    }
}

/// English only when the browser ranks some English above every Chinese tag.
pub fn from_accept_language(header: &str) -> Lang {
    let mut best_en = -1.0f32;
    let mut best_zh = -1.0f32;
    for part in header.split(',') {
        let mut pieces = part.trim().split(';');
        let tag = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
        let q = pieces
            .find_map(|p| {
                p.trim()
                    .strip_prefix("q=")
                    .and_then(|q| q.parse::<f32>().ok())
            })
            .unwrap_or(1.0);
        if tag == "en" || tag.starts_with("en-") {
            best_en = best_en.max(q);
        } else if tag == "zh" || tag.starts_with("zh-") {
            best_zh = best_zh.max(q);
        }
    }
    if best_en > best_zh {
        Lang::En
    } else {
        Lang::ZhCn
    }
}

/// The messages of both languages by key, remembered per thread once looked up: a page asks for
/// hundreds of messages, and the locale files' own lookup hashes the language and then the key
/// with SipHash on every call.
mod messages {
    use std::cell::RefCell;
    use std::collections::HashMap;

    use super::Lang;

    /// Keys built from stored words (`tk`) are bounded by the locale files, but a thread never
    /// keeps more than this many, whatever it is asked.
    const KEEP_AT_MOST: usize = 8_192;

    type Texts = [Option<&'static str>; 2];

    thread_local! {
        static KNOWN: RefCell<HashMap<Box<str>, Texts, foldhash::fast::RandomState>> =
            RefCell::new(HashMap::default());
    }

    fn slot(lang: Lang) -> usize {
        match lang {
            Lang::ZhCn => 0,
            Lang::En => 1,
        }
    }

    fn from_files(lang: Lang, key: &str) -> Option<&'static str> {
        let found: Option<std::borrow::Cow<'static, str>> =
            crate::_rust_i18n_try_translate(lang.code(), key);
        match found? {
            std::borrow::Cow::Borrowed(text) => Some(text),
            std::borrow::Cow::Owned(_) => None,
        }
    }

    /// The message for `key` in `lang`, or `None` when the locale files have none.
    pub(super) fn lookup(lang: Lang, key: &str) -> Option<&'static str> {
        KNOWN.with(|known| {
            if let Some(texts) = known.borrow().get(key) {
                return texts[slot(lang)];
            }
            let texts = [from_files(Lang::ZhCn, key), from_files(Lang::En, key)];
            let mut known = known.borrow_mut();
            if known.len() >= KEEP_AT_MOST {
                known.clear();
            }
            known.insert(key.into(), texts);
            texts[slot(lang)]
        })
    }
}

fn platform_zone() -> chrono::FixedOffset {
    chrono::FixedOffset::east_opt(8 * 3600).expect("valid offset")
}

/// Times as people read them, in the platform's time zone (China Standard Time).
pub fn local_time(t: chrono::DateTime<chrono::Utc>) -> String {
    use chrono::Timelike;
    let local = t.with_timezone(&platform_zone());
    // Written digit by digit: lists show a time or two per row, and `format!` was a visible
    // part of a list page's own work.
    let mut out = iso_date(local.date_naive());
    out.push(' ');
    push_two_digits(&mut out, local.hour());
    out.push(':');
    push_two_digits(&mut out, local.minute());
    out
}

/// `2026-12-07`: a date as lists show it (ISO 8601, four-digit years).
pub fn iso_date(d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    let mut out = String::with_capacity(16);
    match u32::try_from(d.year()) {
        Ok(year) if year < 10_000 => {
            push_two_digits(&mut out, year / 100);
            push_two_digits(&mut out, year % 100);
        }
        _ => out.push_str(&d.format("%Y").to_string()),
    }
    out.push('-');
    push_two_digits(&mut out, d.month());
    out.push('-');
    push_two_digits(&mut out, d.day());
    out
}

/// `2026-12`: a month as lists show it.
pub fn iso_month(d: chrono::NaiveDate) -> String {
    let mut out = iso_date(d);
    out.truncate(out.len() - 3);
    out
}

fn push_two_digits(out: &mut String, n: u32) {
    out.push(char::from(b'0' + (n / 10 % 10) as u8));
    out.push(char::from(b'0' + (n % 10) as u8));
}

/// The calendar day holding `t` in the platform's time zone (validity dates, SPEC §5 "Times").
pub fn local_date(t: chrono::DateTime<chrono::Utc>) -> chrono::NaiveDate {
    t.with_timezone(&platform_zone()).date_naive()
}

/// The billing month holding `t` (its first day): calendar months in the platform's time zone
/// (SPEC §5 "Times").
pub fn billing_month(t: chrono::DateTime<chrono::Utc>) -> chrono::NaiveDate {
    use chrono::Datelike;
    let day = t.with_timezone(&platform_zone()).date_naive();
    day.with_day(1).unwrap_or(day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn billing_months_are_calendar_months_in_china_standard_time() {
        use chrono::{NaiveDate, TimeZone, Utc};
        let first = |y, m| NaiveDate::from_ymd_opt(y, m, 1).unwrap();
        // 16:00 UTC on the last day of a month is already the next month in Beijing.
        let late = Utc.with_ymd_and_hms(2026, 1, 31, 16, 0, 0).unwrap();
        assert_eq!(billing_month(late), first(2026, 2));
        let early = Utc.with_ymd_and_hms(2026, 1, 31, 15, 59, 59).unwrap();
        assert_eq!(billing_month(early), first(2026, 1));
    }

    #[test]
    fn english_only_when_preferred_over_chinese() {
        assert_eq!(from_accept_language("en-US,en;q=0.9"), Lang::En);
        assert_eq!(from_accept_language("zh-CN,zh;q=0.9,en;q=0.8"), Lang::ZhCn);
        assert_eq!(from_accept_language("fr-FR"), Lang::ZhCn);
        assert_eq!(from_accept_language("fr;q=1, en;q=0.5, zh;q=0.4"), Lang::En);
    }

    #[test]
    fn messages_exist_in_both_languages() {
        assert_eq!(Lang::En.t("login.title"), "Sign in");
        assert_eq!(Lang::ZhCn.t("login.title"), "登录");
        // Asked again, from what the thread remembers.
        assert_eq!(Lang::ZhCn.t("login.title"), "登录");
        assert_eq!(Lang::En.t("login.title"), "Sign in");
    }

    #[test]
    fn a_missing_message_shows_its_key_every_time() {
        let first = Lang::En.t("no.such.message");
        assert!(first.contains("no.such.message"), "{first}");
        assert_eq!(Lang::En.t("no.such.message"), first);
    }

    #[test]
    fn local_times_are_china_standard_time_to_the_minute() {
        use chrono::{TimeZone, Utc};
        let t = Utc.with_ymd_and_hms(2026, 12, 31, 16, 5, 59).unwrap();
        assert_eq!(local_time(t), "2027-01-01 00:05");
        let t = Utc.with_ymd_and_hms(2026, 3, 4, 1, 2, 3).unwrap();
        assert_eq!(local_time(t), "2026-03-04 09:02");
    }

    #[test]
    fn dates_and_months_read_as_chrono_writes_them() {
        use chrono::NaiveDate;
        for (y, m, d) in [
            (2026, 1, 9),
            (2026, 12, 31),
            (999, 10, 1),
            (10_000, 2, 29),
            (7, 7, 7),
        ] {
            let date = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            assert_eq!(iso_date(date), date.format("%Y-%m-%d").to_string());
            assert_eq!(iso_month(date), date.format("%Y-%m").to_string());
        }
    }
}
