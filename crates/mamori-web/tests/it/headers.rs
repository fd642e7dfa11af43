use crate::client::{Browser, app};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use http_body_util::BodyExt;

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let a = app().await;
    let mut b = Browser::new(a.router.clone());
    for path in ["/login", "/healthz", "/nope", "/api/v1/me", "/"] {
        let r = b.get(path).await;
        let csp = r.header("content-security-policy");
        assert!(
            csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"),
            "{path}: {csp}"
        );
        assert!(!csp.contains("unsafe-inline"), "{path}");
        assert_eq!(r.header("x-content-type-options"), "nosniff", "{path}");
        assert_eq!(r.header("x-frame-options"), "DENY", "{path}");
    }
}

#[tokio::test]
async fn login_page_is_japanese_first_with_an_english_switch_and_labels() {
    let a = app().await;
    let mut b = Browser::new(a.router.clone());
    let r = b.get("/login").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains(r#"<html lang="ja""#));
    assert!(
        r.body
            .contains(r#"<label for="email">メールアドレス</label>"#)
    );
    assert!(!r.body.contains("<script"), "no JavaScript");
    let cookie = r.header("set-cookie");
    assert!(
        cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Strict")
            && !cookie.contains("Secure")
    );
    b.get("/prefs?lang=en").await;
    let r = b.get("/login").await;
    assert!(r.body.contains(r#"<html lang="en""#) && r.body.contains("E-mail address"));
    b.get("/prefs?large=1").await;
    assert!(b.get("/login").await.body.contains(r#"class="large""#));
}

#[tokio::test]
async fn health_metrics_and_openapi() {
    let a = app().await;
    let mut b = Browser::new(a.router.clone());
    assert_eq!(b.get("/healthz").await.status, StatusCode::OK);
    b.get("/nope").await;
    let m = b.get("/metrics").await;
    assert!(m.header("content-type").starts_with("text/plain"));
    assert!(
        m.body
            .contains(r#"mamori_http_responses_total{class="4xx"} 1"#),
        "{}",
        m.body
    );
    assert!(m.body.contains(r#"store="sqlite""#));
    let doc: serde_json::Value =
        serde_json::from_str(&b.get("/api/openapi.json").await.body).unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    for p in ["/api/v1/me", "/api/v1/orgs", "/api/v1/orgs/{id}"] {
        assert!(doc["paths"][p]["get"].is_object(), "{p} documented");
    }
}

#[tokio::test]
async fn internal_errors_say_nothing_internal() {
    let e = mamori_web::error::WebError {
        err: mamori_service::ServiceError::Internal(
            "relation \"users\" does not exist at 10.0.0.5".into(),
        ),
        lang: mamori_core::Lang::Ja,
        json: false,
    };
    let res = e.into_response();
    assert_eq!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let body =
        String::from_utf8(res.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap();
    assert!(body.contains("E-INTERNAL-500") && body.contains("内部エラー"));
    assert!(!body.contains("relation") && !body.contains("10.0.0.5"));
}
