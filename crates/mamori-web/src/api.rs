//! The JSON API (bearer tokens) and its OpenAPI 3.1 document.

use crate::AppState;
use crate::error::{WebError, WebResult};
use crate::extract::Api;
use axum::Json;
use axum::extract::{Path, State};
use mamori_store::{Org, OrgId, User};
use serde_json::{Value, json};

/// `GET /api/v1/me` (audited).
pub async fn me(State(st): State<AppState>, Api(a): Api) -> Result<Json<User>, WebError> {
    Ok(Json(st.svc.me(&a.actor).await.api()?))
}

/// `GET /api/v1/orgs`: the organizations the caller may see.
pub async fn orgs(State(st): State<AppState>, Api(a): Api) -> Result<Json<Vec<Org>>, WebError> {
    Ok(Json(st.svc.orgs(&a.actor).await.api()?))
}

/// `GET /api/v1/orgs/{id}`: one organization and the people the caller may see.
pub async fn org(
    State(st): State<AppState>,
    Api(a): Api,
    Path(id): Path<i64>,
) -> Result<Json<Value>, WebError> {
    let (org, people) = st.svc.org(&a.actor, OrgId(id)).await.api()?;
    Ok(Json(json!({"org": org, "people": people})))
}

/// `GET /api/openapi.json`.
pub async fn openapi() -> Json<Value> {
    let err = json!({"description": "error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}});
    let mut doc = json!({
        "openapi": "3.1.0",
        "info": {"title": "Mamori platform API", "version": env!("CARGO_PKG_VERSION"),
                 "description": "守り Mamori: organizations and people, reports (届出・相談・通報) and case work. Authenticate with `Authorization: Bearer <token>` (`mamori tokens create`)."},
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "object",
                    "required": ["code", "message", "message_ja"],
                    "properties": {"code": {"type": "string", "examples": ["E-ACCESS-404"]}, "message": {"type": "string"}, "message_ja": {"type": "string"}}}}},
                "Org": {"type": "object", "required": ["id", "name", "kind", "created_at"], "properties": {
                    "id": {"type": "integer"}, "name": {"type": "string"},
                    "kind": {"type": "string", "enum": mamori_store::OrgKind::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>()},
                    "parent": {"type": ["integer", "null"]}, "created_at": {"type": "string", "format": "date-time"}}},
                "User": {"type": "object", "required": ["id", "org", "email", "display_name", "role", "disabled", "created_at"], "properties": {
                    "id": {"type": "integer"}, "org": {"type": "integer"}, "email": {"type": "string"}, "display_name": {"type": "string"},
                    "role": {"type": "string", "enum": mamori_store::Role::ALL.iter().map(|r| r.as_str()).collect::<Vec<_>>()},
                    "disabled": {"type": "boolean"}, "created_at": {"type": "string", "format": "date-time"}}}
            }
        },
        "security": [{"bearer": []}],
        "paths": {
            "/api/v1/me": {"get": {"summary": "The caller", "responses": {
                "200": {"description": "the person", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/User"}}}}, "401": err}}},
            "/api/v1/orgs": {"get": {"summary": "Organizations the caller may see", "responses": {
                "200": {"description": "list", "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Org"}}}}}, "401": err}}},
            "/api/v1/orgs/{id}": {"get": {"summary": "One organization and its people (audited)",
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}],
                "responses": {"200": {"description": "org and people", "content": {"application/json": {"schema": {"type": "object",
                    "properties": {"org": {"$ref": "#/components/schemas/Org"}, "people": {"type": "array", "items": {"$ref": "#/components/schemas/User"}}}}}}},
                    "401": err, "404": err}}},
            "/healthz": {"get": {"summary": "Liveness and database check", "security": [], "responses": {"200": {"description": "ok"}, "503": {"description": "database unavailable"}}}},
            "/metrics": {"get": {"summary": "Prometheus metrics", "security": [], "responses": {"200": {"description": "text exposition format"}}}}
        }
    });
    if let (Some(paths), serde_json::Value::Object(more)) = (
        doc.get_mut("paths").and_then(Value::as_object_mut),
        crate::api_reports::openapi_paths(&err),
    ) {
        paths.extend(more);
    }
    Json(doc)
}
