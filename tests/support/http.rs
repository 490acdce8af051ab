//! A small browser-like HTTP client: a cookie jar, no automatic redirects, and form posts that
//! carry the CSRF token of the page they came from.

use reqwest::redirect::Policy;

pub struct Client {
    pub base: String,
    pub http: reqwest::Client,
}

pub struct Page {
    pub status: u16,
    pub location: Option<String>,
    pub headers: reqwest::header::HeaderMap,
    pub body: String,
}

impl Page {
    /// The first CSRF token on the page.
    pub fn csrf(&self) -> String {
        csrf_in(&self.body).unwrap_or_else(|| {
            panic!(
                "no CSRF token on the page (status {}):\n{}",
                self.status, self.body
            )
        })
    }

    pub fn contains(&self, text: &str) -> bool {
        self.body.contains(text)
    }

    /// The `href` of the pager's next link, unescaped; `None` on the last page.
    pub fn next_link(&self) -> Option<String> {
        next_link(&self.body)
    }
}

/// The `href` of the pager's next link in `body`, unescaped; `None` on the last page.
pub fn next_link(body: &str) -> Option<String> {
    let at = body.find("rel=\"next\"")?;
    let start = body[..at].rfind("href=\"")? + 6;
    let end = body[start..].find('"')? + start;
    Some(unescaped(&body[start..end]))
}

/// An attribute's text with the `&` entities askama writes turned back into `&`.
pub fn unescaped(text: &str) -> String {
    text.replace("&#38;", "&").replace("&amp;", "&")
}

/// The hidden idempotency key of a money form (`name="key"`).
pub fn form_key(html: &str) -> String {
    let marker = "name=\"key\" value=\"";
    let start = html.find(marker).expect("key field") + marker.len();
    html[start..].split('"').next().unwrap().to_string()
}

pub fn csrf_in(html: &str) -> Option<String> {
    let marker = "name=\"csrf_token\" value=\"";
    let start = html.find(marker)? + marker.len();
    let end = html[start..].find('"')? + start;
    Some(html[start..end].to_string())
}

impl Client {
    pub fn new(base: &str) -> Client {
        let http = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(Policy::none())
            .build()
            .expect("client");
        Client {
            base: base.to_string(),
            http,
        }
    }

    fn url(&self, path: &str) -> String {
        if path.starts_with("http") {
            path.to_string()
        } else {
            format!("{}{path}", self.base)
        }
    }

    pub async fn page(res: reqwest::Response) -> Page {
        let status = res.status().as_u16();
        let headers = res.headers().clone();
        let location = headers
            .get("location")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let body = res.text().await.unwrap_or_default();
        Page {
            status,
            location,
            headers,
            body,
        }
    }

    pub async fn get(&self, path: &str) -> Page {
        Self::page(self.http.get(self.url(path)).send().await.expect("GET")).await
    }

    pub async fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Page {
        let mut req = self.http.get(self.url(path));
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        Self::page(req.send().await.expect("GET")).await
    }

    /// Posts exactly these fields (no token added): for testing CSRF refusal.
    pub async fn post_raw(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        Self::page(
            self.http
                .post(self.url(path))
                .form(fields)
                .send()
                .await
                .expect("POST"),
        )
        .await
    }

    /// Opens `form_page`, takes its CSRF token and posts `fields` to `action`.
    pub async fn submit(&self, form_page: &str, action: &str, fields: &[(&str, &str)]) -> Page {
        let token = self.get(form_page).await.csrf();
        let mut all: Vec<(&str, &str)> = vec![("csrf_token", token.as_str())];
        all.extend_from_slice(fields);
        self.post_raw(action, &all).await
    }

    pub async fn sign_in(&self, email: &str, password: &str) -> Page {
        self.submit(
            "/login",
            "/login",
            &[("email", email), ("password", password)],
        )
        .await
    }

    pub fn cookie_header(&self, name: &str, res: &Page) -> Option<String> {
        res.headers
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with(&format!("{name}=")))
            .map(str::to_string)
    }
}
