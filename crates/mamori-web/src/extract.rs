//! Extractors: client address, display preferences, the signed-in person (page or
//! API), and the CSRF check.

use crate::AppState;
use crate::error::{WebError, WebResult};
use crate::html::Prefs;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use mamori_core::Lang;
use mamori_service::auth::Authenticated;
use mamori_service::{ServiceError, codes};
use std::net::{IpAddr, SocketAddr};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "mamori_session";
/// The known-device cookie: a random token whose hash the account keeps, set at each
/// successful password sign-in (the stuffing alert's step-up, see `Guard::login`).
pub const DEVICE_COOKIE: &str = "mamori_device";
/// How long the known-device cookie lives: 400 days, the most browsers keep.
pub const DEVICE_COOKIE_SECS: i64 = 400 * 86_400;
/// The pre-session CSRF cookie (sign-in form).
pub const PRE_COOKIE: &str = "mamori_pre";

/// One cookie's value from the request.
pub fn cookie<'a>(parts: &'a Parts, name: &str) -> Option<&'a str> {
    parts
        .headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// A `Set-Cookie` value with the platform's attributes.
pub fn set_cookie(name: &str, value: &str, max_age_secs: i64, secure: bool) -> String {
    format!(
        "{name}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age_secs}{}",
        if secure { "; Secure" } else { "" }
    )
}

/// The client address: the socket peer, or — when the peer is a trusted proxy
/// (`AppState::trusted_proxies`) — the right-most untrusted `X-Forwarded-For` hop.
#[derive(Debug, Clone, Copy)]
pub struct ClientIp(pub IpAddr);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::from([127, 0, 0, 1]), |c| c.0.ip());
        let xff = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok());
        Ok(ClientIp(crate::proxy::client_address(
            peer,
            xff,
            &st.trusted_proxies,
        )))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Prefs {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let lang = cookie(parts, "lang")
            .and_then(Lang::parse)
            .unwrap_or(Lang::Ja);
        let large = cookie(parts, "large") == Some("1");
        let contrast = cookie(parts, "contrast") == Some("1");
        Ok(Prefs {
            lang,
            large,
            contrast,
        })
    }
}

/// A signed-in person on an HTML page; without a session the browser goes to
/// `/login`.
#[derive(Debug)]
pub struct Page {
    /// Who, and the session's CSRF token.
    pub auth: Authenticated,
    /// The session cookie value (for sign-out).
    pub cookie: String,
    /// Display preferences.
    pub prefs: Prefs,
}

impl Page {
    /// The session's CSRF token.
    pub fn csrf(&self) -> &str {
        self.auth.csrf.as_deref().unwrap_or("")
    }

    /// Refuses a form whose token is not this session's.
    pub fn check_csrf(&self, sent: &str) -> Result<(), WebError> {
        let expected = self.csrf();
        if expected.is_empty() || !constant_time_eq(expected.as_bytes(), sent.as_bytes()) {
            return Err(ServiceError::Invalid(codes::CSRF)).page(self.prefs.lang);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origin_of_a_base_url() {
        assert_eq!(
            origin_of("https://mamori.example/"),
            "https://mamori.example"
        );
        assert_eq!(origin_of("http://localhost:8080"), "http://localhost:8080");
        assert_eq!(
            origin_of("https://a.example:8443/app/"),
            "https://a.example:8443"
        );
    }
}

/// Compares without an early exit.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

impl FromRequestParts<AppState> for Page {
    type Rejection = Response;
    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Self, Self::Rejection> {
        let prefs = Prefs::from_request_parts(parts, st).await.unwrap_or(Prefs {
            lang: Lang::Ja,
            large: false,
            contrast: false,
        });
        let ClientIp(ip) = ClientIp::from_request_parts(parts, st)
            .await
            .unwrap_or(ClientIp(IpAddr::from([127, 0, 0, 1])));
        let Some(cookie) = cookie(parts, SESSION_COOKIE).map(str::to_string) else {
            return Err(Redirect::to("/login").into_response());
        };
        match st.svc.authenticate_session(&cookie, &ip.to_string()).await {
            Ok(auth) => Ok(Page {
                auth,
                cookie,
                prefs,
            }),
            Err(ServiceError::Unauthenticated) => Err(Redirect::to("/login").into_response()),
            Err(err) => Err(WebError {
                err,
                lang: prefs.lang,
                json: false,
            }
            .into_response()),
        }
    }
}

/// A caller of the JSON API: `Authorization: Bearer <token>` (or a session cookie).
#[derive(Debug)]
pub struct Api(pub Authenticated);

impl FromRequestParts<AppState> for Api {
    type Rejection = WebError;
    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Self, Self::Rejection> {
        let ClientIp(ip) = ClientIp::from_request_parts(parts, st)
            .await
            .unwrap_or(ClientIp(IpAddr::from([127, 0, 0, 1])));
        let bearer = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        let r = match bearer {
            Some(t) => st.svc.authenticate_token(t.trim(), &ip.to_string()).await,
            None => match cookie(parts, SESSION_COOKIE) {
                Some(c) => st.svc.authenticate_session(c, &ip.to_string()).await,
                None => Err(ServiceError::Unauthenticated),
            },
        };
        let auth = r.api()?;
        // A write with the session cookie (a browser) must prove it comes from this
        // site: the session's CSRF token in `X-CSRF-Token`, or an `Origin` equal to
        // the server's. Bearer tokens are not sent by browsers on their own.
        if bearer.is_none() && !parts.method.is_safe() {
            let token = parts
                .headers
                .get("x-csrf-token")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            let expected = auth.csrf.as_deref().unwrap_or("");
            let token_ok =
                !expected.is_empty() && constant_time_eq(expected.as_bytes(), token.as_bytes());
            let origin_ok = parts
                .headers
                .get(axum::http::header::ORIGIN)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|o| o == origin_of(&st.base_url));
            if !token_ok && !origin_ok {
                return Err(ServiceError::Invalid(codes::CSRF)).api();
            }
        }
        Ok(Api(auth))
    }
}

/// The origin (`scheme://host[:port]`) of a base URL.
pub fn origin_of(base_url: &str) -> &str {
    let after_scheme = base_url.find("://").map_or(0, |i| i + 3);
    match base_url[after_scheme..].find('/') {
        Some(i) => &base_url[..after_scheme + i],
        None => base_url,
    }
}

/// Whether a request's body is declared JSON (`application/json`, parameters such
/// as `charset` allowed).
pub fn is_json(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"))
}

/// A page anyone may open: the signed-in person when there is one (their menu is
/// shown), nobody otherwise. An expired session is simply nobody.
#[derive(Debug)]
pub struct MaybePage {
    /// The signed-in person, if any.
    pub page: Option<Page>,
    /// Display preferences.
    pub prefs: Prefs,
}

impl FromRequestParts<AppState> for MaybePage {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Self, Self::Rejection> {
        let prefs = Prefs::from_request_parts(parts, st).await?;
        let page = if cookie(parts, SESSION_COOKIE).is_some() {
            Page::from_request_parts(parts, st).await.ok()
        } else {
            None
        };
        Ok(MaybePage { page, prefs })
    }
}

/// Streams one multipart field into `buf`: each chunk is hashed and kept only up to the
/// buffer's limit, and an upload that passes it is refused there (`push`'s error),
/// without reading the rest; a body the server cut short is `TooLarge(too_large)`.
pub(crate) async fn receive(
    field: &mut axum::extract::multipart::Field<'_>,
    buf: &mut mamori_service::intake::UploadBuffer,
    too_large: &'static str,
) -> Result<(), ServiceError> {
    loop {
        match field.chunk().await {
            Ok(Some(chunk)) => buf.push(&chunk)?,
            Ok(None) => return Ok(()),
            Err(_) => return Err(ServiceError::TooLarge(too_large)),
        }
    }
}
