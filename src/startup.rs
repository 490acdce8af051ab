//! Builds the application from `Settings`: database, demo data, mail worker, middleware and
//! routes. `main` and the tests both start the app through `Application::build`.

use std::net::TcpListener;
use std::sync::Arc;

use actix_files::Files;
use actix_session::SessionMiddleware;
use actix_session::config::{BrowserSession, CookieContentSecurity, TtlExtensionPolicy};
use actix_web::cookie::{Key, SameSite};
use actix_web::dev::Server;
use actix_web::http::header;
use actix_web::middleware::{self, DefaultHeaders, from_fn};
use actix_web::{App, HttpMessage, HttpServer, web};
use anyhow::Context;
use lettre::message::Mailbox;
use tokio::sync::Notify;

use crate::auth::session_store::PgSessionStore;
use crate::config::Settings;
use crate::db::{self, Pool};
use crate::error::AppError;
use crate::mail::{transport::Transport, worker::Worker};
pub use crate::state::AppState;
use crate::telemetry::RequestId;

pub const SESSION_COOKIE: &str = "pc_session";

/// Sent once the app is served over TLS: browsers then refuse plain http for a year.
const HSTS: &str = "max-age=31536000; includeSubDomains";

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                   font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; \
                   base-uri 'none'; object-src 'none'";

pub struct Application {
    pub port: u16,
    pub pool: Pool,
    server: Server,
}

impl Application {
    pub async fn build(settings: Settings) -> anyhow::Result<Application> {
        let url = settings.database_url.clone();
        let demo = settings.demo_data;
        let seeded = web::block(move || -> anyhow::Result<bool> {
            db::create_database_if_missing(&url)?;
            let mut conn = <diesel::PgConnection as diesel::Connection>::establish(&url)
                .context("connecting to the database")?;
            db::run_migrations(&mut conn)?;
            if demo {
                crate::seed::load_if_empty(&mut conn)
            } else {
                Ok(false)
            }
        })
        .await??;
        tracing::info!("{}", settings.demo_data_reason.describe(demo));
        if seeded {
            tracing::info!("demo data loaded into the empty database");
        } else if demo {
            tracing::info!("demo data not loaded: the database already holds data");
        }
        let pool = db::build_pool(&settings.database_url, settings.db_pool_size)?;
        web::block(crate::auth::password::warm_up).await?;

        let transport = Transport::from_settings(settings.smtp_url.as_deref(), &settings.mail_dir)?;
        let from: Mailbox = settings
            .mail_from
            .parse()
            .context("PC_MAIL_FROM is not a valid mailbox")?;
        let wake = Arc::new(Notify::new());
        let worker = Worker {
            pool: pool.clone(),
            transport: transport.clone(),
            from,
            retry_base: settings.mail_retry_base,
            wake: wake.clone(),
            housekeeping: {
                let jobs = crate::services::jobs::Jobs::default()
                    .with("purge expired sessions", |conn| {
                        crate::auth::session_store::purge_expired(conn)?;
                        Ok(())
                    })
                    .with(
                        "invitation reminders",
                        crate::services::invitations::reminders::send_due,
                    );
                Arc::new(move |pool: &Pool| jobs.run_all(pool))
            },
        };
        tokio::spawn(worker.run());
        let provision_wake = Arc::new(Notify::new());
        tokio::spawn(crate::services::jobs::provision_forever(
            pool.clone(),
            provision_wake.clone(),
        ));

        let key = match &settings.session_key {
            Some(bytes) => Key::from(bytes),
            None => {
                tracing::warn!(
                    "PC_SESSION_KEY is not set: sessions end when the app restarts and are not shared between instances"
                );
                Key::generate()
            }
        };
        let listener = TcpListener::bind(&settings.listen)
            .with_context(|| format!("binding {}", settings.listen))?;
        let port = listener.local_addr()?.port();
        let workers = settings.workers.max(1);
        let blocking_threads = (settings.db_pool_size as usize / workers).max(2);
        let sign_in_gate = Arc::new(tokio::sync::Semaphore::new(AppState::sign_in_permits(
            settings.db_pool_size,
        )));
        let state = web::Data::new(AppState {
            pool: pool.clone(),
            transport_name: transport.describe(),
            settings,
            mail_wake: wake,
            provision_wake,
            sign_in_gate,
        });
        let hsts = uses_tls(&state.settings);
        let server = HttpServer::new(move || {
            let s = &state.settings;
            let sessions =
                SessionMiddleware::builder(PgSessionStore::new(state.pool.clone()), key.clone())
                    .cookie_name(SESSION_COOKIE.to_string())
                    .cookie_http_only(true)
                    .cookie_same_site(SameSite::Lax)
                    .cookie_secure(s.secure_cookies)
                    .cookie_content_security(CookieContentSecurity::Signed)
                    .session_lifecycle(
                        BrowserSession::default()
                            .state_ttl(actix_web::cookie::time::Duration::seconds(
                                s.session_max.as_secs() as i64,
                            ))
                            .state_ttl_extension_policy(TtlExtensionPolicy::OnStateChanges),
                    )
                    .build();
            App::new()
                .app_data(state.clone())
                .app_data(
                    web::PathConfig::default().error_handler(|_, _| AppError::NotFound.into()),
                )
                .app_data(
                    web::QueryConfig::default()
                        .error_handler(|e, _| AppError::BadRequest(e.to_string()).into()),
                )
                .app_data(
                    web::FormConfig::default()
                        .limit(256 * 1024)
                        .error_handler(|e, _| AppError::BadRequest(e.to_string()).into()),
                )
                .service(
                    web::scope("/static")
                        .wrap(
                            DefaultHeaders::new()
                                .add((header::CACHE_CONTROL, "public, max-age=3600")),
                        )
                        .service(Files::new(
                            "",
                            concat!(env!("CARGO_MANIFEST_DIR"), "/static"),
                        )),
                )
                .configure(crate::routes::configure)
                .default_service(web::to(|| async {
                    Err::<actix_web::HttpResponse, _>(AppError::NotFound)
                }))
                .wrap(from_fn(crate::auth::csrf::middleware))
                .wrap(from_fn(crate::views::errors::middleware))
                .wrap(sessions)
                .wrap(from_fn(request_id))
                .wrap(security_headers(hsts))
                .wrap(middleware::Compress::default())
                .wrap(
                    middleware::Logger::new("%a \"%{line}xi\" %s %b %Dms sql=%{sql}xo")
                        .custom_request_replace("line", request_line)
                        .custom_response_replace("sql", statements_of)
                        .exclude("/healthz"),
                )
        })
        .workers(workers)
        // Blocking work is mostly database work: as many blocking threads as pooled connections,
        // so requests queue in the runtime instead of piling up on the pool's lock (SPEC §4).
        .worker_max_blocking_threads(blocking_threads)
        .listen(listener)?
        .run();
        Ok(Application { port, pool, server })
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}

/// Whether the app is reached over TLS: an https public URL, or Secure cookies asked for.
fn uses_tls(settings: &Settings) -> bool {
    settings.public_url.starts_with("https://") || settings.secure_cookies
}

fn security_headers(hsts: bool) -> DefaultHeaders {
    let headers = if hsts {
        DefaultHeaders::new().add((header::STRICT_TRANSPORT_SECURITY, HSTS))
    } else {
        DefaultHeaders::new()
    };
    headers
        .add((header::CONTENT_SECURITY_POLICY, CSP))
        .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .add((header::X_FRAME_OPTIONS, "DENY"))
        .add((header::REFERRER_POLICY, "no-referrer"))
        .add((
            "Permissions-Policy",
            "camera=(), microphone=(), geolocation=()",
        ))
        .add((header::CACHE_CONTROL, "no-store"))
}

async fn request_id(
    req: actix_web::dev::ServiceRequest,
    next: middleware::Next<impl actix_web::body::MessageBody + 'static>,
) -> Result<
    actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody + 'static>,
    actix_web::Error,
> {
    let id = uuid::Uuid::new_v4().simple().to_string();
    req.extensions_mut().insert(RequestId(id.clone()));
    let (res, statements) = crate::db::statements::counted(next.call(req)).await;
    let mut res = res?;
    res.request()
        .extensions_mut()
        .insert(Statements(statements));
    if let Ok(v) = header::HeaderValue::from_str(&id) {
        res.headers_mut()
            .insert(header::HeaderName::from_static("x-request-id"), v);
    }
    Ok(res)
}

/// `cargo run`: prepare everything, say where to go and who can sign in, then serve.
pub async fn serve(settings: Settings) -> anyhow::Result<()> {
    let public_url = settings.public_url.clone();
    let demo = settings.demo_data;
    let mail = settings.smtp_url.clone().unwrap_or_else(|| {
        format!(
            ".eml files in {}/ (listed at {public_url}/ops/outbox)",
            settings.mail_dir
        )
    });
    let app = Application::build(settings).await?;
    tracing::info!("Partner Center is ready at {public_url}/login");
    tracing::info!("mail goes to {mail}");
    // The demo password is published: it is only shown where demo data may load.
    if demo {
        for line in crate::seed::sign_in_help() {
            tracing::info!("{line}");
        }
    }
    app.run_until_stopped().await?;
    Ok(())
}

/// How many SQL statements the request ran, for the access log.
#[derive(Clone, Copy)]
struct Statements(u64);

fn statements_of(res: &actix_web::dev::ServiceResponse) -> String {
    res.request()
        .extensions()
        .get::<Statements>()
        .map_or_else(|| "-".into(), |s| s.0.to_string())
}

/// The request line for the access log, with single-use tokens in the path replaced by `…`
/// (rule C1: a link's token never reaches a log).
fn request_line(req: &actix_web::dev::ServiceRequest) -> String {
    let line = match req.query_string() {
        "" => format!("{} {} {:?}", req.method(), req.path(), req.version()),
        q => format!("{} {}?{q} {:?}", req.method(), req.path(), req.version()),
    };
    crate::domain::url::redact_tokens(&line)
}
