//! A tiny browser: keeps cookies, posts forms, reads hidden fields.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use mamori_guard::ManualClock;
use mamori_service::{Env, ServiceConfig, Services};
use std::collections::BTreeMap;
use std::sync::Arc;
use tower::ServiceExt;

#[derive(Debug)]
pub struct Resp {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl Resp {
    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).map_or("", |v| v.to_str().unwrap())
    }
    /// The value of `<input ... name="NAME" value="...">`.
    pub fn field(&self, name: &str) -> String {
        let key = format!(r#"name="{name}" value=""#);
        let i = self
            .body
            .find(&key)
            .unwrap_or_else(|| panic!("no field {name} in {}", self.body))
            + key.len();
        self.body[i..].split('"').next().unwrap().to_string()
    }
}

#[derive(Debug, Clone)]
pub struct Browser {
    pub app: Router,
    pub cookies: BTreeMap<String, String>,
    pub bearer: Option<String>,
}

pub fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            b' ' => "+".into(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

impl Browser {
    pub fn new(app: Router) -> Browser {
        Browser {
            app,
            cookies: BTreeMap::new(),
            bearer: None,
        }
    }

    pub async fn send(&mut self, req: Request<Body>) -> Resp {
        let res = self.app.clone().oneshot(req).await.unwrap();
        for c in res.headers().get_all(header::SET_COOKIE) {
            let c = c.to_str().unwrap();
            let (kv, _) = c.split_once(';').unwrap_or((c, ""));
            let (k, v) = kv.split_once('=').unwrap();
            if c.contains("Max-Age=0") {
                self.cookies.remove(k);
            } else {
                self.cookies.insert(k.into(), v.into());
            }
        }
        let status = res.status();
        let headers = res.headers().clone();
        let body = String::from_utf8(res.into_body().collect().await.unwrap().to_bytes().to_vec())
            .unwrap();
        Resp {
            status,
            headers,
            body,
        }
    }

    fn builder(&self, method: &str, path: &str) -> axum::http::request::Builder {
        let mut b = Request::builder().method(method).uri(path);
        if !self.cookies.is_empty() {
            let c: Vec<String> = self
                .cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            b = b.header(header::COOKIE, c.join("; "));
        }
        if let Some(t) = &self.bearer {
            b = b.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        b
    }

    pub async fn get(&mut self, path: &str) -> Resp {
        let req = self.builder("GET", path).body(Body::empty()).unwrap();
        self.send(req).await
    }

    pub async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Resp {
        let body: Vec<String> = form
            .iter()
            .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
            .collect();
        let req = self
            .builder("POST", path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body.join("&")))
            .unwrap();
        self.send(req).await
    }

    /// Posts raw bytes.
    pub async fn post_bytes(&mut self, path: &str, content_type: &str, body: Vec<u8>) -> Resp {
        let req = self
            .builder("POST", path)
            .header(header::CONTENT_TYPE, content_type)
            .body(Body::from(body))
            .unwrap();
        self.send(req).await
    }

    /// Posts JSON as the passkey script does: the CSRF token in `X-CSRF-Token`.
    pub async fn post_json(&mut self, path: &str, csrf: &str, json: &str) -> Resp {
        let req = self
            .builder("POST", path)
            .header(header::CONTENT_TYPE, "application/json")
            .header("x-csrf-token", csrf)
            .body(Body::from(json.to_string()))
            .unwrap();
        self.send(req).await
    }

    /// Signs in through the form, as a person would.
    pub async fn sign_in(&mut self, email: &str, password: &str) -> Resp {
        let form = self.get("/login").await;
        let csrf = form.field("csrf");
        self.post(
            "/login",
            &[
                ("csrf", &csrf),
                ("email", email),
                ("password", password),
                ("totp", ""),
            ],
        )
        .await
    }
}

#[derive(Debug)]
pub struct App {
    pub svc: Services,
    pub router: Router,
    pub clock: ManualClock,
    pub admin_link: String,
}

/// A new organization with one person in it, signed in.
pub async fn person(a: &App, org: &str, kind: &str, email: &str, role: &str) -> Browser {
    let c = mamori_service::authz::Caller::Console;
    let o = a.svc.create_org(c, org, kind, None).await.unwrap();
    a.svc.create_user(c, o.id, email, org, role).await.unwrap();
    a.svc
        .set_password_as_console(email, PASSWORD)
        .await
        .unwrap();
    let mut b = Browser::new(a.router.clone());
    let r = b.sign_in(email, PASSWORD).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    b
}

/// The service-side actor of a person (through an API token, as the CLI does).
pub async fn actor(a: &App, email: &str) -> mamori_service::Actor {
    let token = a.svc.create_token_as_operator(email, "t").await.unwrap();
    a.svc
        .authenticate_token(&token, "test")
        .await
        .unwrap()
        .actor
}

pub const PASSWORD: &str = "violet lantern gravel orbit";

pub async fn app() -> App {
    let store = Arc::new(mamori_store_sqlite::SqliteStore::memory().await.unwrap());
    let clock = ManualClock::new(time::macros::datetime!(2026-04-01 09:00 UTC));
    let cfg = ServiceConfig {
        fast_hashing: true,
        ..ServiceConfig::default()
    };
    let svc = Services::new(store, cfg, Env::new(Arc::new(clock.clone()))).unwrap();
    let admin_link = svc
        .bootstrap("admin@mamori.example")
        .await
        .unwrap()
        .unwrap();
    let router = mamori_web::router(mamori_web::AppState::new(
        svc.clone(),
        false,
        "http://mamori.test",
    ));
    App {
        svc,
        router,
        clock,
        admin_link,
    }
}

impl Browser {
    /// Posts one file as `multipart/form-data` (field `file`).
    pub async fn post_file(&mut self, path: &str, name: &str, bytes: &[u8]) -> Resp {
        let boundary = "----mamori-test-boundary";
        let mut body = Vec::new();
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let req = self
            .builder("POST", path)
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(Body::from(body))
            .unwrap();
        self.send(req).await
    }
}
