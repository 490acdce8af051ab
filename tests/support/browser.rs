//! A real headless Chromium driven over WebDriver (chromedriver + fantoccini). Each `session()`
//! is a fresh browser profile, like a separate person. Pages are checked with axe-core for
//! serious accessibility problems and the browser console must stay free of errors (CSP included).

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::wd::{Capabilities, WebDriverCompatibleCommand};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

use super::TestApp;

pub struct Browser {
    driver: Child,
    url: String,
}

fn find_binary(candidates: &[&str]) -> Option<String> {
    for c in candidates {
        if std::path::Path::new(c).exists() {
            return Some(c.to_string());
        }
        if let Ok(out) = Command::new("which").arg(c).output() {
            let path = String::from_utf8_lossy(&out.stdout).trim().to_string();
            if out.status.success() && !path.is_empty() {
                return Some(path);
            }
        }
    }
    None
}

impl Browser {
    /// Starts chromedriver on a free port. Fails (never skips) when Chromium is missing:
    /// `scripts/test` installs it.
    pub async fn start() -> Browser {
        let driver_bin = find_binary(&["chromedriver", "/usr/bin/chromedriver"])
            .expect("chromedriver is not installed: run scripts/test, which installs chromium and chromium-driver");
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut driver = Command::new(driver_bin)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let url = format!("http://127.0.0.1:{port}");
        let status = reqwest::Client::new();
        for _ in 0..100 {
            if status.get(format!("{url}/status")).send().await.is_ok() {
                return Browser { driver, url };
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let _ = driver.kill();
        let _ = driver.wait();
        panic!("chromedriver did not start");
    }

    /// A new browser with an empty profile.
    pub async fn session(&self) -> Client {
        let chromium = find_binary(&[
            "chromium",
            "/usr/bin/chromium",
            "chromium-browser",
            "google-chrome",
        ])
        .expect("chromium is not installed: run scripts/test");
        let mut caps = Capabilities::new();
        caps.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": chromium,
                "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--disable-quic", "--no-first-run", "--disable-background-networking",
                         "--disable-component-update", "--disable-sync", "--window-size=1280,900",
                         "--lang=en-US"],
                "prefs": {"intl.accept_languages": "en-US,en"}
            }),
        );
        caps.insert("goog:loggingPrefs".into(), json!({"browser": "ALL"}));
        ClientBuilder::native()
            .capabilities(caps)
            .connect(&self.url)
            .await
            .expect("a Chromium session")
    }
}

impl Drop for Browser {
    /// Ends chromedriver and every browser it started: the sessions are never closed one by
    /// one, and a Chromium whose chromedriver is gone would otherwise live on, reparented.
    fn drop(&mut self) {
        let browsers = descendants(self.driver.id());
        if !browsers.is_empty() {
            let _ = Command::new("kill")
                .arg("-9")
                .args(browsers.iter().map(u32::to_string))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// The processes below `root` (children, their children, …), read from `/proc`.
fn descendants(root: u32) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    // (pid, parent pid) of every process; `stat` is "pid (comm) state ppid …", and comm may
    // hold spaces or parentheses, so the fields are read after the last ')'.
    let parents: Vec<(u32, u32)> = entries
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter_map(|pid| {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
            let rest = &stat[stat.rfind(')')? + 1..];
            let ppid = rest.split_whitespace().nth(1)?.parse().ok()?;
            Some((pid, ppid))
        })
        .collect();
    let mut found = vec![root];
    let mut i = 0;
    while i < found.len() {
        let parent = found[i];
        found.extend(
            parents
                .iter()
                .filter(|(_, ppid)| *ppid == parent)
                .map(|(pid, _)| *pid),
        );
        i += 1;
    }
    found.remove(0);
    found
}

/// Signs in through the real form.
pub async fn sign_in(page: &Client, app: &TestApp, email: &str) {
    submit_sign_in(page, app, email, super::PASSWORD).await;
    wait_for_path_change(page, "/login").await;
}

/// Opens /login and submits the form with these values (the caller checks the outcome).
pub async fn submit_sign_in(page: &Client, app: &TestApp, email: &str, password: &str) {
    page.goto(&format!("{}/login", app.address)).await.unwrap();
    let email_field = page.find(Locator::Css("#f-email")).await.unwrap();
    email_field.send_keys(email).await.unwrap();
    let password_field = page.find(Locator::Css("#f-password")).await.unwrap();
    password_field.send_keys(password).await.unwrap();
    let submit = page
        .find(Locator::Css("form[action='/login'] button[type=submit]"))
        .await
        .unwrap();
    submit.click().await.unwrap();
}

/// Waits until the browser has left `from`.
pub async fn wait_for_path_change(page: &Client, from: &str) {
    for _ in 0..100 {
        if let Ok(url) = page.current_url().await {
            if url.path() != from {
                return;
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("still on {from}");
}

pub async fn path(page: &Client) -> String {
    page.current_url().await.unwrap().path().to_string()
}

pub async fn text_of(page: &Client, css: &str) -> String {
    page.find(Locator::Css(css))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

/// chromedriver's log endpoint: what the page wrote to the console, CSP violations included.
#[derive(Debug)]
struct BrowserLog;

impl WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/se/log", session.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (
            http::Method::POST,
            Some(json!({"type": "browser"}).to_string()),
        )
    }
}

/// Fails when the console holds an error (a failed script, a CSP violation, a 5xx resource).
pub async fn assert_console_clean(page: &Client) {
    let errors = console_errors(page).await;
    assert!(errors.is_empty(), "console errors: {errors:#?}");
}

/// Console errors since the last call (reading the log empties it).
pub async fn console_errors(page: &Client) -> Vec<Value> {
    let log = page.issue_cmd(BrowserLog).await.expect("browser log");
    let severe: Vec<&Value> = log
        .as_array()
        .map(|entries| entries.iter().filter(|e| e["level"] == "SEVERE").collect())
        .unwrap_or_default();
    // 4xx answers the test provoked on purpose are logged too; only they are allowed.
    severe
        .into_iter()
        .filter(|e| !e["message"].as_str().unwrap_or("").contains("status of 4"))
        .cloned()
        .collect()
}

/// Runs axe-core on the current page; fails on serious or critical violations (SPEC §4).
pub async fn assert_accessible(page: &Client) {
    let bad = serious_violations(page).await;
    let url = page
        .current_url()
        .await
        .map(|u| u.to_string())
        .unwrap_or_default();
    assert!(
        bad.is_empty(),
        "accessibility violations on {url}: {bad:#?}"
    );
}

/// axe-core's serious and critical findings on the current page.
pub async fn serious_violations(page: &Client) -> Vec<Value> {
    let axe_path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/node_modules/axe-core/axe.min.js"
    );
    let axe = std::fs::read_to_string(axe_path)
        .expect("axe-core is not installed: run scripts/test (npm ci)");
    page.execute(&axe, vec![]).await.expect("load axe-core");
    let result = page
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)})))).catch(e => done([{id: 'axe-error', impact: 'critical', nodes: [String(e)]}]));",
            vec![],
        )
        .await
        .expect("run axe-core");
    result
        .as_array()
        .map(|v| {
            v.iter()
                .filter(|x| matches!(x["impact"].as_str(), Some("serious" | "critical")))
                .cloned()
                .collect()
        })
        .unwrap_or_default()
}

/// Both checks, for every page a browser test visits.
pub async fn check_page(page: &Client) {
    assert_accessible(page).await;
    assert_console_clean(page).await;
}

/// Waits until the element's text is `expected`, tolerating the page being replaced meanwhile
/// (a navigation between finding the element and reading it).
pub async fn wait_for_text(page: &Client, css: &str, expected: &str) {
    let mut last = String::new();
    for _ in 0..100 {
        if let Ok(el) = page.find(Locator::Css(css)).await {
            if let Ok(text) = el.text().await {
                if text == expected {
                    return;
                }
                last = text;
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{css} shows {last:?}, expected {expected:?}");
}
