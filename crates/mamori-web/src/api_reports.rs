//! The intake JSON API (bearer tokens): a draft from a `mamori scan` result, raw
//! attachments, a report as the caller may see it (404 to everyone else, so that its
//! existence does not leak) and a body's queue.

use crate::AppState;
use crate::error::{WebError, WebResult};
use crate::extract::Api;
use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use mamori_core::taxonomy::{Act, Sector};
use mamori_service::cases::{QueueFilter, QueuePage};
use mamori_service::intake::ReportView;
use mamori_service::{ServiceError, codes};
use mamori_store::{AttachmentId, CaseId, CaseStatus, ReportId, UserId};
use serde::Deserialize;
use serde_json::json;

/// A body that did not arrive whole (over the route's limit, or cut off).
fn body_error(e: &BytesRejection) -> WebError {
    let err = if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ServiceError::TooLarge(codes::FILE_TOO_LARGE)
    } else {
        ServiceError::Invalid(codes::ATTACHMENT)
    };
    WebError {
        err,
        lang: mamori_core::Lang::En,
        json: true,
    }
}

/// `POST /api/v1/reports`: the body is a `mamori scan --format json` document; creates
/// a draft (pre-filled, the document attached) and answers `201 {id, url}`.
pub async fn create(
    State(st): State<AppState>,
    Api(a): Api,
    headers: axum::http::HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, WebError> {
    // A browser (session cookie) must declare the JSON it sends: a cross-site form
    // cannot send `application/json` without a CORS preflight. Tokens stay as they are.
    if a.csrf.is_some() && !crate::extract::is_json(&headers) {
        return Err(ServiceError::Invalid(codes::MEDIA_TYPE)).api();
    }
    let body = body.map_err(|e| body_error(&e))?;
    let r = st.svc.create_draft_from_scan(&a.actor, &body).await.api()?;
    let url = format!("{}/reports/{}", st.base_url, r.id.0);
    let mut res = (
        StatusCode::CREATED,
        Json(json!({"id": r.id.0, "url": url, "status": r.status, "title": r.title})),
    )
        .into_response();
    if let Ok(v) = HeaderValue::from_str(&url) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    Ok(res)
}

/// The `?name=` of an upload.
#[derive(Debug, Deserialize)]
pub struct NameQuery {
    /// File name.
    pub name: Option<String>,
}

/// `POST /api/v1/reports/{id}/attachments?name=FILE`: the raw body is the file.
pub async fn attach(
    State(st): State<AppState>,
    Api(a): Api,
    Path(id): Path<i64>,
    Query(q): Query<NameQuery>,
    body: axum::body::Body,
) -> Result<Response, WebError> {
    use http_body_util::BodyExt as _;
    // Streamed with bounded memory: hashed chunk by chunk, refused at the limit.
    let mut buf = st
        .svc
        .upload_buffer(q.name.unwrap_or_else(|| "attachment".into()))
        .api()?;
    let mut body = body;
    while let Some(frame) = body.frame().await {
        let frame = frame
            .map_err(|_| ServiceError::Invalid(codes::ATTACHMENT))
            .api()?;
        if let Some(chunk) = frame.data_ref() {
            buf.push(chunk).api()?;
        }
    }
    let att = st
        .svc
        .add_received_attachment(&a.actor, ReportId(id), buf)
        .await
        .api()?;
    Ok((StatusCode::CREATED, Json(att)).into_response())
}

/// `GET /api/reports/{id}` and `/api/v1/reports/{id}`: the report as the caller may see
/// it; 404 for everyone not allowed.
pub async fn show(
    State(st): State<AppState>,
    Api(a): Api,
    Path(id): Path<i64>,
) -> Result<Json<ReportView>, WebError> {
    Ok(Json(
        st.svc.report_view(&a.actor, ReportId(id)).await.api()?,
    ))
}

/// `GET /api/v1/reports/{id}/attachments/{att}`: the file as uploaded.
pub async fn download(
    State(st): State<AppState>,
    Api(a): Api,
    Path((id, att)): Path<(i64, i64)>,
) -> Result<Response, WebError> {
    let (meta, bytes) = st
        .svc
        .attachment(&a.actor, ReportId(id), AttachmentId(att))
        .await
        .api()?;
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&meta.media_type)
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment"),
    );
    if let Ok(v) = HeaderValue::from_str(&meta.sha256) {
        h.insert("x-content-sha256", v);
    }
    Ok(res)
}

/// Query of `GET /api/v1/cases`.
#[derive(Debug, Default, Deserialize)]
pub struct CasesQuery {
    /// Comma-separated statuses.
    pub status: Option<String>,
    /// Act code.
    pub act: Option<String>,
    /// Sector code.
    pub sector: Option<String>,
    /// Assignee user id.
    pub assignee: Option<i64>,
    /// `true`/`1`: only open cases past their due date.
    pub overdue: Option<String>,
    /// Full-text query.
    pub q: Option<String>,
    /// Keyset: `next` of the previous page.
    pub before: Option<i64>,
    /// Page size.
    pub limit: Option<i64>,
}

impl CasesQuery {
    /// The service's filter; `None` when a value is not a known code.
    pub fn filter(&self) -> Option<QueueFilter> {
        let mut statuses = Vec::new();
        for s in self.status.iter().flat_map(|s| s.split(',')) {
            let s = s.trim();
            if !s.is_empty() {
                statuses.push(CaseStatus::parse(s)?);
            }
        }
        let act = match self.act.as_deref().filter(|s| !s.is_empty()) {
            Some(s) => Some(Act::parse(s)?),
            None => None,
        };
        let sector = match self.sector.as_deref().filter(|s| !s.is_empty()) {
            Some(s) => Some(Sector::parse(s)?),
            None => None,
        };
        Some(QueueFilter {
            statuses,
            act,
            sector,
            assignee: self.assignee.map(UserId),
            overdue: matches!(self.overdue.as_deref(), Some("1" | "true" | "on")),
            text: self.q.clone(),
            before: self.before.map(CaseId),
            limit: self.limit,
        })
    }
}

/// `GET /api/v1/cases`: the caller's body's queue page (body staff and supervisors).
pub async fn cases(
    State(st): State<AppState>,
    Api(a): Api,
    Query(q): Query<CasesQuery>,
) -> Result<Json<QueuePage>, WebError> {
    let f = q
        .filter()
        .ok_or(ServiceError::Invalid(codes::FILTER))
        .api()?;
    Ok(Json(st.svc.case_queue(&a.actor, &f).await.api()?))
}

/// The OpenAPI paths of this module.
pub fn openapi_paths(err: &serde_json::Value) -> serde_json::Value {
    let id = json!({"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}});
    let view = json!({"description": "the report as the caller may see it: answers, classification, guideline advice, cases, history (filtered), attachments, referrals",
        "content": {"application/json": {"schema": {"type": "object"}}}});
    let show = json!({"get": {"summary": "A report as the caller may see it (audited). 404 to everyone not allowed, so existence does not leak.",
        "parameters": [id], "responses": {"200": view, "401": err, "404": err}}});
    json!({
        "/api/v1/reports": {"post": {
            "summary": "Create a draft report from a `mamori scan --format json` result (reporters)",
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "https://mamori.invalid/schemas/scan-findings.schema.json"}}}},
            "responses": {"201": {"description": "draft created", "content": {"application/json": {"schema": {"type": "object", "required": ["id", "url"],
                "properties": {"id": {"type": "integer"}, "url": {"type": "string", "format": "uri"}, "status": {"type": "string"}, "title": {"type": "string"}}}}}},
                "400": err, "401": err, "404": err, "413": err}}},
        "/api/v1/reports/{id}": show.clone(),
        "/api/reports/{id}": show,
        "/api/v1/reports/{id}/attachments": {"post": {
            "summary": "Attach a file (raw body; `mamori evidence` tar bundles are verified on upload). 25 MiB per file, 100 MiB per report.",
            "parameters": [id, {"name": "name", "in": "query", "required": false, "schema": {"type": "string"}}],
            "requestBody": {"required": true, "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}},
            "responses": {"201": {"description": "the attachment's record: hashes, kind, verdict", "content": {"application/json": {"schema": {"type": "object"}}}},
                "400": err, "401": err, "404": err, "413": err}}},
        "/api/v1/reports/{id}/attachments/{att}": {"get": {"summary": "Download an attachment (audited)",
            "parameters": [id, {"name": "att", "in": "path", "required": true, "schema": {"type": "integer"}}],
            "responses": {"200": {"description": "the file"}, "401": err, "404": err}}},
        "/api/v1/cases": {"get": {"summary": "The caller's body's case queue, newest first (body staff and supervisors)",
            "parameters": [
                {"name": "status", "in": "query", "schema": {"type": "string"}, "description": "comma-separated: received, accepted, not_accepted, in_progress, closed"},
                {"name": "act", "in": "query", "schema": {"type": "string"}},
                {"name": "sector", "in": "query", "schema": {"type": "string"}},
                {"name": "assignee", "in": "query", "schema": {"type": "integer"}},
                {"name": "overdue", "in": "query", "schema": {"type": "boolean"}},
                {"name": "q", "in": "query", "schema": {"type": "string"}, "description": "full-text: Japanese substrings, latin words"},
                {"name": "before", "in": "query", "schema": {"type": "integer"}, "description": "`next` of the previous page"},
                {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 200}}],
            "responses": {"200": {"description": "page", "content": {"application/json": {"schema": {"type": "object", "required": ["rows"],
                "properties": {"rows": {"type": "array", "items": {"type": "object"}}, "next": {"type": ["integer", "null"]}}}}}},
                "400": err, "401": err, "404": err}}}
    })
}
