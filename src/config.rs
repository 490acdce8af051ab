//! Every setting, its default and the environment variable that overrides it.
//! The README's configuration table mirrors this file.

use std::time::Duration;

use anyhow::{Context, bail};

#[derive(Clone, Debug)]
pub struct Settings {
    /// `DATABASE_URL`
    pub database_url: String,
    /// `PC_LISTEN`
    pub listen: String,
    /// `PC_PUBLIC_URL`: base of links inside mail.
    pub public_url: String,
    /// `PC_SMTP_URL`: unset → `.eml` files under `mail_dir`.
    pub smtp_url: Option<String>,
    /// `PC_MAIL_FROM`
    pub mail_from: String,
    /// `PC_MAIL_DIR`
    pub mail_dir: String,
    /// `PC_MAIL_RETRY_BASE`: first retry delay, doubled on every further failure.
    pub mail_retry_base: Duration,
    /// `PC_INVITATION_TTL`
    pub invitation_ttl: Duration,
    /// `PC_DEMO_DATA`: whether demo data (accounts with a published password) may load into an
    /// empty database. Unset → only on a loopback address without an https public URL.
    pub demo_data: bool,
    /// Why `demo_data` is what it is, for the start-up log.
    pub demo_data_reason: DemoDataReason,
    /// `PC_SESSION_KEY`: 128 hex characters; random per start when unset.
    pub session_key: Option<Vec<u8>>,
    /// `PC_SESSION_IDLE`
    pub session_idle: Duration,
    /// `PC_SESSION_MAX`
    pub session_max: Duration,
    /// `PC_SECURE_COOKIES`: defaults to true when `PC_PUBLIC_URL` is https.
    pub secure_cookies: bool,
    /// `PC_DB_POOL`: database connections per instance. Four on two cores: PostgreSQL shares
    /// the cores with the app, and the pages (two to four statements each, unlike the one of
    /// the SPEC §4 yardstick) served as many requests/s with 4 as with 8 and kept p99 at about
    /// half (README, "Where the time goes").
    pub db_pool_size: u32,
    /// `PC_WORKERS`: HTTP worker threads.
    pub workers: usize,
    /// `PC_LOGIN_ACCOUNT_LIMIT`, `PC_LOGIN_ADDRESS_LIMIT`, `PC_LOGIN_WINDOW` (rule A2).
    pub login_account_limit: i64,
    pub login_address_limit: i64,
    pub login_window: Duration,
    /// `PC_REVEAL_LIMIT`: masked-value reveals per member per hour (rule A5).
    pub reveal_limit: i64,
    /// `PC_UNASSOCIATION_LIMIT`: unassociations per organisation in a rolling 3 months (rule C9).
    pub unassociation_limit: i64,
}

impl Settings {
    pub fn from_env() -> anyhow::Result<Self> {
        Self::from_lookup(|k| std::env::var(k).ok())
    }

    /// Builds settings from any key lookup, so tests can configure an app without touching
    /// the process environment.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> anyhow::Result<Self> {
        let var = |k: &str, d: &str| {
            get(k)
                .filter(|v| !v.is_empty())
                .unwrap_or_else(|| d.to_string())
        };
        let public_url = var("PC_PUBLIC_URL", "http://127.0.0.1:8080")
            .trim_end_matches('/')
            .to_string();
        let session_key = match get("PC_SESSION_KEY").filter(|v| !v.is_empty()) {
            None => None,
            Some(hexkey) => {
                let bytes = hex::decode(hexkey.trim()).context("PC_SESSION_KEY must be hex")?;
                if bytes.len() != 64 {
                    bail!("PC_SESSION_KEY must be 128 hex characters (64 bytes)");
                }
                Some(bytes)
            }
        };
        let listen = var("PC_LISTEN", "127.0.0.1:8080");
        let explicit_demo = get("PC_DEMO_DATA")
            .filter(|v| !v.is_empty())
            .map(|v| parse_bool(&v))
            .transpose()
            .context("PC_DEMO_DATA")?;
        let (demo_data, demo_data_reason) = demo_data_decision(explicit_demo, &listen, &public_url);
        let secure_default = if public_url.starts_with("https://") {
            "true"
        } else {
            "false"
        };
        Ok(Settings {
            database_url: var(
                "DATABASE_URL",
                "postgres://postgres@127.0.0.1:5432/partner_center",
            ),
            listen,
            public_url,
            smtp_url: get("PC_SMTP_URL").filter(|v| !v.is_empty()),
            mail_from: var(
                "PC_MAIL_FROM",
                "Partner Center <no-reply@partner-center.local>",
            ),
            mail_dir: var("PC_MAIL_DIR", "mail"),
            mail_retry_base: parse_duration(&var("PC_MAIL_RETRY_BASE", "2s"))
                .context("PC_MAIL_RETRY_BASE")?,
            invitation_ttl: parse_duration(&var("PC_INVITATION_TTL", "7d"))
                .context("PC_INVITATION_TTL")?,
            demo_data,
            demo_data_reason,
            session_key,
            session_idle: parse_duration(&var("PC_SESSION_IDLE", "30m"))
                .context("PC_SESSION_IDLE")?,
            session_max: parse_duration(&var("PC_SESSION_MAX", "12h")).context("PC_SESSION_MAX")?,
            secure_cookies: parse_bool(&var("PC_SECURE_COOKIES", secure_default))
                .context("PC_SECURE_COOKIES")?,
            db_pool_size: var("PC_DB_POOL", "4").parse().context("PC_DB_POOL")?,
            workers: var("PC_WORKERS", "2").parse().context("PC_WORKERS")?,
            login_account_limit: var("PC_LOGIN_ACCOUNT_LIMIT", "5")
                .parse()
                .context("PC_LOGIN_ACCOUNT_LIMIT")?,
            login_address_limit: var("PC_LOGIN_ADDRESS_LIMIT", "50")
                .parse()
                .context("PC_LOGIN_ADDRESS_LIMIT")?,
            login_window: parse_duration(&var("PC_LOGIN_WINDOW", "15m"))
                .context("PC_LOGIN_WINDOW")?,
            reveal_limit: var("PC_REVEAL_LIMIT", "60")
                .parse()
                .context("PC_REVEAL_LIMIT")?,
            unassociation_limit: var("PC_UNASSOCIATION_LIMIT", "3")
                .parse()
                .context("PC_UNASSOCIATION_LIMIT")?,
        })
    }
}

/// What decided whether demo data loads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DemoDataReason {
    /// `PC_DEMO_DATA` was set.
    Explicit,
    /// Unset, and the app is only reachable from this machine: a newcomer's `cargo run`.
    LocalDefault,
    /// Unset, and the listen address is not a loopback address.
    NotLoopback,
    /// Unset, and `PC_PUBLIC_URL` is https: a deployment, whatever it listens on.
    PublicHttps,
}

impl DemoDataReason {
    /// The start-up log line that states the decision.
    pub fn describe(self, enabled: bool) -> &'static str {
        match (self, enabled) {
            (DemoDataReason::Explicit, true) => "demo data enabled by PC_DEMO_DATA=true",
            (DemoDataReason::Explicit, false) => "demo data disabled by PC_DEMO_DATA=false",
            (DemoDataReason::LocalDefault, _) => {
                "demo data enabled: listening on a loopback address and PC_PUBLIC_URL is not https (PC_DEMO_DATA=false turns it off)"
            }
            (DemoDataReason::NotLoopback, _) => {
                "demo data disabled: PC_LISTEN is not a loopback address (PC_DEMO_DATA=true turns it on)"
            }
            (DemoDataReason::PublicHttps, _) => {
                "demo data disabled: PC_PUBLIC_URL is https (PC_DEMO_DATA=true turns it on)"
            }
        }
    }
}

/// Demo accounts share a published password, so by default they load only where nobody else
/// can reach them (SPEC §5 "Demo data"): the app listens on a loopback address and its public
/// URL is not https. `PC_DEMO_DATA` decides whenever it is set.
pub fn demo_data_decision(
    explicit: Option<bool>,
    listen: &str,
    public_url: &str,
) -> (bool, DemoDataReason) {
    if let Some(on) = explicit {
        return (on, DemoDataReason::Explicit);
    }
    if public_url
        .trim()
        .to_ascii_lowercase()
        .starts_with("https://")
    {
        return (false, DemoDataReason::PublicHttps);
    }
    if !is_loopback_listen(listen) {
        return (false, DemoDataReason::NotLoopback);
    }
    (true, DemoDataReason::LocalDefault)
}

/// `127.0.0.1:8080`, `[::1]:8080`, `localhost:8080` are loopback; `0.0.0.0:8080`, a public
/// address or any other host name is not.
fn is_loopback_listen(listen: &str) -> bool {
    let listen = listen.trim();
    if let Ok(addr) = listen.parse::<std::net::SocketAddr>() {
        return addr.ip().is_loopback();
    }
    let host = listen
        .rsplit_once(':')
        .map_or(listen, |(host, _)| host)
        .trim_start_matches('[')
        .trim_end_matches(']');
    if let Ok(ip) = host.parse::<std::net::IpAddr>() {
        return ip.is_loopback();
    }
    host.eq_ignore_ascii_case("localhost")
}

/// Parses `45s`, `15m`, `2h`, `7d`.
pub fn parse_duration(text: &str) -> anyhow::Result<Duration> {
    let text = text.trim();
    let (num, unit) = text.split_at(
        text.find(|c: char| !c.is_ascii_digit())
            .unwrap_or(text.len()),
    );
    let n: u64 = num
        .parse()
        .with_context(|| format!("'{text}' is not like 45s, 15m, 2h or 7d"))?;
    let secs = match unit {
        "s" => n,
        "m" => n * 60,
        "h" => n * 3600,
        "d" => n * 86_400,
        _ => bail!("'{text}' is not like 45s, 15m, 2h or 7d"),
    };
    if secs == 0 {
        bail!("'{text}' must be longer than zero");
    }
    Ok(Duration::from_secs(secs))
}

fn parse_bool(text: &str) -> anyhow::Result<bool> {
    match text.to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        _ => bail!("'{text}' is not true or false"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_in_every_documented_unit() {
        assert_eq!(parse_duration("45s").unwrap(), Duration::from_secs(45));
        assert_eq!(parse_duration("2h").unwrap(), Duration::from_secs(7200));
        assert_eq!(parse_duration("7d").unwrap(), Duration::from_secs(604_800));
        assert!(parse_duration("7 days").is_err());
        assert!(parse_duration("0s").is_err());
        assert!(parse_duration("").is_err());
    }

    #[test]
    fn defaults_match_the_documented_table() {
        let s = Settings::from_lookup(|_| None).unwrap();
        assert_eq!(
            s.database_url,
            "postgres://postgres@127.0.0.1:5432/partner_center"
        );
        assert_eq!(s.listen, "127.0.0.1:8080");
        assert_eq!(s.invitation_ttl, Duration::from_secs(7 * 86_400));
        assert!(s.smtp_url.is_none() && s.demo_data && s.session_key.is_none());
        assert_eq!(s.demo_data_reason, DemoDataReason::LocalDefault);
    }

    fn settings(pairs: &[(&str, &str)]) -> Settings {
        Settings::from_lookup(|k| {
            pairs
                .iter()
                .find(|(key, _)| *key == k)
                .map(|(_, v)| v.to_string())
        })
        .unwrap()
    }

    // SPEC §5 "Demo data": published demo passwords never load by default where others reach the app.
    #[test]
    fn demo_data_is_off_by_default_on_a_non_loopback_address() {
        for listen in [
            "0.0.0.0:8080",
            "[::]:8080",
            "10.1.2.3:8080",
            "app.internal:8080",
        ] {
            let s = settings(&[("PC_LISTEN", listen)]);
            assert!(!s.demo_data, "{listen}");
            assert_eq!(s.demo_data_reason, DemoDataReason::NotLoopback, "{listen}");
        }
    }

    #[test]
    fn demo_data_is_off_by_default_behind_an_https_public_url() {
        // Even on loopback: a reverse proxy on the same host serves it to everyone.
        let s = settings(&[
            ("PC_LISTEN", "127.0.0.1:8080"),
            ("PC_PUBLIC_URL", "https://partners.example.com"),
        ]);
        assert!(!s.demo_data);
        assert_eq!(s.demo_data_reason, DemoDataReason::PublicHttps);
    }

    #[test]
    fn demo_data_is_on_by_default_for_a_local_run() {
        for listen in [
            "127.0.0.1:8080",
            "127.0.0.1:0",
            "[::1]:8080",
            "localhost:8080",
        ] {
            let s = settings(&[("PC_LISTEN", listen)]);
            assert!(s.demo_data, "{listen}");
            assert_eq!(s.demo_data_reason, DemoDataReason::LocalDefault);
        }
    }

    #[test]
    fn pc_demo_data_decides_whenever_it_is_set() {
        let on = settings(&[
            ("PC_LISTEN", "0.0.0.0:8080"),
            ("PC_PUBLIC_URL", "https://partners.example.com"),
            ("PC_DEMO_DATA", "true"),
        ]);
        assert!(on.demo_data);
        assert_eq!(on.demo_data_reason, DemoDataReason::Explicit);
        let off = settings(&[("PC_LISTEN", "127.0.0.1:8080"), ("PC_DEMO_DATA", "false")]);
        assert!(!off.demo_data);
        assert!(Settings::from_lookup(|k| (k == "PC_DEMO_DATA").then(|| "maybe".into())).is_err());
    }

    #[test]
    fn a_short_session_key_is_refused() {
        assert!(Settings::from_lookup(|k| (k == "PC_SESSION_KEY").then(|| "abcd".into())).is_err());
    }
}
