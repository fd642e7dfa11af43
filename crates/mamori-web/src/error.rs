//! One error type for every handler. Its body is the stable code and the text in
//! the user's language; a 5xx says nothing internal (the detail goes to the log).

use crate::html;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use mamori_core::Lang;
use mamori_service::ServiceError;

/// A handler failure, rendered as HTML or JSON.
#[derive(Debug)]
pub struct WebError {
    /// What went wrong.
    pub err: ServiceError,
    /// The reader's language.
    pub lang: Lang,
    /// Answer in JSON (API routes).
    pub json: bool,
}

impl WebError {
    /// The HTTP status for an error.
    pub fn status(&self) -> StatusCode {
        match &self.err {
            ServiceError::Unauthenticated => StatusCode::UNAUTHORIZED,
            ServiceError::NotFound => StatusCode::NOT_FOUND,
            ServiceError::Invalid(c) if *c == mamori_service::codes::CSRF => StatusCode::FORBIDDEN,
            ServiceError::Invalid(c) if *c == mamori_service::codes::TOO_MANY => {
                StatusCode::TOO_MANY_REQUESTS
            }
            ServiceError::Invalid(c) if *c == mamori_service::codes::MEDIA_TYPE => {
                StatusCode::UNSUPPORTED_MEDIA_TYPE
            }
            ServiceError::Invalid(c) if *c == mamori_service::codes::BUSY => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            ServiceError::Invalid(c) if *c == mamori_service::codes::REAUTH => {
                StatusCode::UNAUTHORIZED
            }
            ServiceError::Invalid(_)
            | ServiceError::PasswordRefused(_)
            | ServiceError::InvalidAnswers { .. } => StatusCode::BAD_REQUEST,
            ServiceError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ServiceError::Conflict => StatusCode::CONFLICT,
            ServiceError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

/// Attaches the language (and format) to service results.
pub trait WebResult<T> {
    /// For HTML pages.
    fn page(self, lang: Lang) -> Result<T, WebError>;
    /// For JSON API routes.
    fn api(self) -> Result<T, WebError>;
}

impl<T> WebResult<T> for Result<T, ServiceError> {
    fn page(self, lang: Lang) -> Result<T, WebError> {
        self.map_err(|err| WebError {
            err,
            lang,
            json: false,
        })
    }
    fn api(self) -> Result<T, WebError> {
        self.map_err(|err| WebError {
            err,
            lang: Lang::En,
            json: true,
        })
    }
}

/// The router's fallback: an unknown address gets the 404 page (JSON under
/// `/api/`).
pub async fn fallback(prefs: html::Prefs, uri: axum::http::Uri) -> Response {
    WebError {
        err: ServiceError::NotFound,
        lang: prefs.lang,
        json: uri.path().starts_with("/api/"),
    }
    .into_response()
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let status = self.status();
        if let ServiceError::Internal(detail) = &self.err {
            tracing::error!(code = self.err.code(), %detail, "internal error");
        }
        let code = self.err.code();
        let text = self.err.text();
        let mut message = text.get(self.lang).to_string();
        if let ServiceError::PasswordRefused(r) = &self.err {
            message = format!("{message} {}", r.message(self.lang));
        }
        if !self.json && matches!(self.err, ServiceError::NotFound) {
            return (status, html::not_found(self.lang, false)).into_response();
        }
        let mut res = if self.json {
            let body = serde_json::json!({"error": {"code": code, "message": text.get(Lang::En), "message_ja": text.get(Lang::Ja)}});
            (status, axum::Json(body)).into_response()
        } else {
            let body = format!(
                r#"<div class="error" role="alert"><p><strong>{}</strong></p><p>{}: <code>{}</code></p></div><p><a href="/">{}</a></p>"#,
                html::esc(&message),
                html::t(self.lang, "エラーコード", "Error code"),
                code,
                html::t(self.lang, "トップへ戻る", "Back to the start page"),
            );
            (
                status,
                html::page(
                    self.lang,
                    false,
                    html::t(self.lang, "エラー", "Error"),
                    None,
                    &body,
                ),
            )
                .into_response()
        };
        // Busy (too many uploads at once): when to come back.
        if status == StatusCode::SERVICE_UNAVAILABLE {
            res.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from_static("5"),
            );
        }
        res
    }
}

/// The bilingual 404 page as a response (a page handler's "no such thing").
pub fn not_found_page(lang: Lang, large: bool) -> Response {
    (StatusCode::NOT_FOUND, html::not_found(lang, large)).into_response()
}
