//! # mamori-web
//!
//! HTTP for `mamori serve`: an axum [`router`] whose handlers only extract, call
//! one `mamori-service` method and render. Server-rendered HTML (Japanese first,
//! English switch, large-text and high-contrast modes, the public portal under
//! `/portal` (no account needed), no JavaScript except the passkey ceremonies on
//! `/me/passkeys` and `/login`), strict security headers on
//! every response, session cookies `HttpOnly; SameSite=Strict` (`Secure` behind
//! HTTPS), a synchronizer CSRF token on every form, `/healthz`, `/metrics`
//! (Prometheus text) and `/api/openapi.json`.
//!
//! ```no_run
//! # async fn f(svc: mamori_service::Services) -> std::io::Result<()> {
//! let app = mamori_web::router(mamori_web::AppState::new(svc, false, "http://127.0.0.1:8080"));
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
//! axum::serve(listener, app.into_make_service_with_connect_info::<std::net::SocketAddr>()).await
//! # }
//! ```
//!
//! Architecture invariant: only this crate knows HTTP; it holds no business rule
//! (authorization happens in `mamori_service::authz`).

mod account_pages;
mod admin_pages;
mod advisory_pages;
mod api;
mod api_reports;
mod case_pages;
mod editor_pages;
pub mod error;
pub mod extract;
pub mod html;
mod intake_pages;
mod pages;
mod passkey_pages;
mod portal_pages;
pub mod proxy;
mod report_pages;
mod selfcheck_pages;
pub mod stats_pages;
mod victim_pages;
mod vuln_own_pages;
mod vuln_pages;
mod vuln_web_pages;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use mamori_service::Services;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// The site's Content-Security-Policy with the given `script-src`.
macro_rules! csp {
    ($script:literal) => {
        concat!(
            "default-src 'self'; script-src ",
            $script,
            "; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
        )
    };
}

/// The Content-Security-Policy of every page but the two passkey pages: no scripts.
pub const CSP: &str = csp!("'none'");
/// The same for the two pages that run `/static/passkey.js`: scripts from this
/// origin only (no inline script, no eval).
pub const CSP_WITH_SCRIPT: &str = csp!("'self'");

/// Request counters for `/metrics`.
#[derive(Debug, Default)]
pub struct Metrics {
    by_class: [AtomicU64; 5],
}

/// What every handler sees.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The use cases.
    pub svc: Services,
    /// Set `Secure` on cookies (the site is served over HTTPS).
    pub secure_cookies: bool,
    /// The public base URL, for links shown to administrators.
    pub base_url: String,
    /// Counters.
    pub metrics: Arc<Metrics>,
    /// Reverse proxies whose `X-Forwarded-For` is believed (`--trusted-proxy`).
    pub trusted_proxies: Arc<[proxy::Cidr]>,
}

impl AppState {
    /// State for a server at `base_url`.
    pub fn new(svc: Services, secure_cookies: bool, base_url: &str) -> Self {
        AppState {
            svc,
            secure_cookies,
            base_url: base_url.trim_end_matches('/').to_string(),
            metrics: Arc::default(),
            trusted_proxies: Arc::from(Vec::new()),
        }
    }

    /// Believes `X-Forwarded-For` from these proxies (see [`proxy`]).
    pub fn with_trusted_proxies(mut self, proxies: Vec<proxy::Cidr>) -> Self {
        self.trusted_proxies = Arc::from(proxies);
        self
    }
}

/// The whole application.
pub fn router(state: AppState) -> Router {
    // Uploads (scan results, attachments) may be larger than forms: the service's
    // per-file limit plus room for the request, on these routes only.
    let upload_limit =
        axum::extract::DefaultBodyLimit::max(state.svc.config().attachment_max + 64 * 1024);
    Router::new()
        .route("/", get(pages::start))
        .route("/login", get(pages::login_form).post(pages::login))
        .route("/logout", post(pages::logout))
        .route("/prefs", get(pages::prefs))
        .route("/link/{token}", get(pages::link))
        .route(
            "/set-password/{token}",
            get(pages::set_password_form).post(pages::set_password),
        )
        .route("/orgs", get(pages::orgs))
        .route("/orgs/{id}", get(pages::org))
        .route("/me/history", get(pages::history))
        .route("/admin", get(admin_pages::admin))
        .route("/admin/orgs", post(admin_pages::create_org))
        .route("/admin/users", post(admin_pages::create_user))
        // Account pages, personal data, people administration (account_pages.rs).
        .route("/me", get(account_pages::account))
        .route(
            "/me/password",
            get(account_pages::password_form).post(account_pages::change_password),
        )
        .route(
            "/me/totp",
            get(account_pages::totp_form).post(account_pages::totp_confirm),
        )
        .route(
            "/me/recovery",
            get(account_pages::recovery).post(account_pages::recovery_issue),
        )
        .route(
            "/me/reauth",
            get(account_pages::reauth_form).post(account_pages::reauth),
        )
        .route("/me/passkeys", get(passkey_pages::list))
        .route("/me/passkeys/begin", post(passkey_pages::register_begin))
        .route("/me/passkeys/finish", post(passkey_pages::register_finish))
        .route("/me/passkeys/{id}/remove", post(passkey_pages::remove))
        .route("/login/passkey/begin", post(passkey_pages::sign_in_begin))
        .route("/login/passkey/finish", post(passkey_pages::sign_in_finish))
        .route("/me/data", get(account_pages::data))
        .route("/me/data/export", get(account_pages::data_export))
        .route("/me/data/delete", post(account_pages::data_delete))
        .route("/me/notices/dismiss", post(account_pages::dismiss_notices))
        .route(
            "/admin/people/{id}/enable",
            post(account_pages::enable_person),
        )
        .route(
            "/admin/people/{id}/disable",
            post(account_pages::disable_person),
        )
        .route("/org/pending", get(account_pages::pending_people))
        .route(
            "/org/pending/{id}/{decision}",
            post(account_pages::decide_pending),
        )
        .route(
            "/admin/deletions/{id}",
            post(account_pages::carry_out_deletion),
        )
        // ---- intake and case work (issue 6) ----
        .route(
            "/consult",
            get(intake_pages::consult_form).post(intake_pages::consult),
        )
        .route("/consult/leave", post(intake_pages::consult_leave))
        .route(
            "/consult/replies",
            get(intake_pages::replies_page).post(intake_pages::replies),
        )
        .route(
            "/reports",
            get(report_pages::list).post(report_pages::create),
        )
        .route("/reports/new", get(report_pages::new_form))
        .route("/reports/{id}", get(report_pages::show))
        .route(
            "/reports/{id}/edit",
            get(report_pages::edit).post(report_pages::save),
        )
        .route(
            "/reports/{id}/attachments",
            post(report_pages::upload).layer(upload_limit),
        )
        .route(
            "/reports/{id}/attachments/{aid}",
            get(report_pages::download),
        )
        .route(
            "/reports/{id}/submit",
            get(report_pages::submit_form).post(report_pages::submit),
        )
        .route("/reports/{id}/messages", post(report_pages::message))
        .route("/reports/{id}/referrals/{rid}", post(report_pages::decide))
        .route("/cases", get(case_pages::queue))
        .route("/cases/{id}", get(case_pages::show))
        .route("/cases/{id}/attachments/{aid}", get(case_pages::download))
        .route("/cases/{id}/{action}", post(case_pages::act))
        // ---- end of intake and case work ----
        // ---- statistics (issue 13) ----
        .route("/stats/yearly", get(stats_pages::yearly))
        .route("/stats/yearly/publish", post(stats_pages::publish))
        .route(
            "/stats/import",
            get(stats_pages::import_form)
                .post(stats_pages::import)
                .layer(upload_limit),
        )
        .route("/stats/effect", get(stats_pages::effect_page))
        .route("/statistics", get(stats_pages::published_list))
        .route("/statistics/{year}", get(stats_pages::published))
        .route(
            "/stats/links",
            get(stats_pages::links).post(stats_pages::decide),
        )
        // ---- vulnerability coordination (issue 12) ----
        .route("/vuln", get(vuln_pages::list))
        .route(
            "/vuln/new",
            get(vuln_pages::new_form).post(vuln_pages::create),
        )
        .route(
            "/vuln/roster",
            get(vuln_pages::roster).post(vuln_pages::roster_save),
        )
        .route(
            "/vuln/own",
            get(vuln_own_pages::own_form_page).post(vuln_own_pages::own_create),
        )
        .route("/vuln/{id}", get(vuln_pages::show))
        .route("/vuln/{id}/csaf.json", get(vuln_own_pages::csaf_draft))
        .route("/vuln/{id}/{action}", post(vuln_pages::act))
        .route("/advisories", get(advisory_pages::advisories))
        .route(
            "/advisories/statistics.json",
            get(advisory_pages::statistics),
        )
        .route("/advisories/unreachable", get(advisory_pages::unreachable))
        .route("/advisories/{id}", get(advisory_pages::advisory))
        .route(
            "/advisories/{id}/csaf.json",
            get(advisory_pages::advisory_csaf),
        )
        .route(
            "/advisories/{id}/cve.json",
            get(advisory_pages::advisory_cve),
        )
        // ---- the public portal (issue 14) ----
        .route("/portal", get(portal_pages::home))
        .route("/portal/minimum", get(portal_pages::minimum))
        .route("/portal/easy", get(portal_pages::easy))
        .route("/portal/kids", get(portal_pages::kids))
        .route("/portal/for/{audience}", get(portal_pages::audience))
        .route("/portal/victim", get(victim_pages::wizard))
        .route("/portal/materials", get(portal_pages::materials))
        .route("/portal/materials/{id}", get(portal_pages::material))
        .route(
            "/portal/materials/{id}/file",
            get(portal_pages::material_file),
        )
        .route("/portal/alerts", get(portal_pages::alerts_page))
        .route("/portal/alerts.atom", get(portal_pages::alerts_atom))
        .route("/portal/alerts/{id}", get(portal_pages::alert))
        .route("/portal/links", get(portal_pages::links))
        .route("/portal/links.json", get(portal_pages::links_json))
        .route(
            "/portal/links/snippet.html",
            get(portal_pages::links_snippet),
        )
        .route("/portal/selfcheck", get(selfcheck_pages::index))
        .route("/portal/selfcheck/saved", get(selfcheck_pages::saved))
        .route(
            "/portal/selfcheck/{list}",
            get(selfcheck_pages::form).post(selfcheck_pages::result),
        )
        .route("/portal/selfcheck/{list}/save", post(selfcheck_pages::save))
        .route("/portal/edit", get(editor_pages::list))
        .route(
            "/portal/edit/new/{kind}",
            get(editor_pages::new_form).post(editor_pages::create),
        )
        .route(
            "/portal/edit/{id}",
            get(editor_pages::show).post(editor_pages::update),
        )
        .route(
            "/portal/edit/{id}/file",
            get(editor_pages::download)
                .post(editor_pages::upload)
                .layer(upload_limit),
        )
        .route("/portal/edit/{id}/{action}", post(editor_pages::act))
        // ---- end of the public portal ----
        .route("/api/v1/me", get(api::me))
        .route("/api/v1/orgs", get(api::orgs))
        .route("/api/v1/orgs/{id}", get(api::org))
        .route(
            "/api/v1/reports",
            post(api_reports::create).layer(upload_limit),
        )
        .route("/api/v1/reports/{id}", get(api_reports::show))
        .route("/api/reports/{id}", get(api_reports::show))
        .route(
            "/api/v1/reports/{id}/attachments",
            post(api_reports::attach).layer(upload_limit),
        )
        .route(
            "/api/v1/reports/{id}/attachments/{att}",
            get(api_reports::download),
        )
        .route("/api/v1/cases", get(api_reports::cases))
        .route("/api/openapi.json", get(api::openapi))
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
        .route("/static/app.css", get(css))
        .route("/static/passkey.js", get(passkey_js))
        .fallback(error::fallback)
        .layer(axum::extract::DefaultBodyLimit::max(64 * 1024))
        .layer(middleware::from_fn_with_state(state.clone(), headers))
        .with_state(state)
}

/// Security headers on every response, and the request counters.
async fn headers(State(st): State<AppState>, req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let class = usize::from(res.status().as_u16() / 100).clamp(1, 5) - 1;
    st.metrics.by_class[class].fetch_add(1, Ordering::Relaxed);
    let h = res.headers_mut();
    // Strict for every page; the two passkey pages set their own, which only adds
    // scripts from this origin (CSP_WITH_SCRIPT).
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        );
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if st.secure_cookies {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    res
}

async fn healthz(State(st): State<AppState>) -> Response {
    match st.svc.store().last_audit().await {
        Ok(_) => (StatusCode::OK, "ok\n").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check: database unavailable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable\n").into_response()
        }
    }
}

async fn metrics(State(st): State<AppState>) -> Response {
    let mut out = String::from(
        "# HELP mamori_http_responses_total HTTP responses by status class.\n# TYPE mamori_http_responses_total counter\n",
    );
    for (i, c) in st.metrics.by_class.iter().enumerate() {
        out.push_str(&format!(
            "mamori_http_responses_total{{class=\"{}xx\"}} {}\n",
            i + 1,
            c.load(Ordering::Relaxed)
        ));
    }
    out.push_str(&format!(
        "# HELP mamori_info Build and storage backend.\n# TYPE mamori_info gauge\nmamori_info{{version=\"{}\",store=\"{}\"}} 1\n",
        env!("CARGO_PKG_VERSION"),
        st.svc.store().backend()
    ));
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        out,
    )
        .into_response()
}

async fn passkey_js() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        passkey_pages::SCRIPT,
    )
        .into_response()
}

async fn css() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        format!("{}{}", html::CSS, stats_pages::CSS),
    )
        .into_response()
}

/// Serves the application on `listener` until `shutdown` completes, then lets
/// in-flight requests finish.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = router(state);
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}
