//! Calls into the intake service for the anonymous consultation pages.

use crate::AppState;
use axum::http::request::Parts;
use mamori_core::guideline::Body;
use mamori_core::intake::Answers;
use mamori_service::ServiceError;

/// Leaves an anonymous consultation with one body; returns the contact token.
pub(crate) async fn leave_consultation(
    _st: &AppState,
    _a: &Answers,
    _body: Body,
    _title: &str,
    _description: &str,
    _parts: &Parts,
) -> Result<String, ServiceError> {
    Err(ServiceError::Internal("not yet".into()))
}

/// The reporter-visible history of the consultation a contact token opens.
pub(crate) async fn consultation_by_token(
    _st: &AppState,
    _token: &str,
    _parts: &Parts,
) -> Result<Vec<(time::OffsetDateTime, String, String)>, ServiceError> {
    Err(ServiceError::NotFound)
}
