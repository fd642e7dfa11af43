use crate::client::{Browser, PASSWORD, app};
use axum::http::StatusCode;
use mamori_service::authz::Caller;

#[tokio::test]
async fn api_tokens_see_only_their_organization() {
    let a = app().await;
    let c = Caller::Console;
    let mine = a
        .svc
        .create_org(c, "株式会社さくら", "access_administrator", None)
        .await
        .unwrap();
    let other = a
        .svc
        .create_org(c, "もみじ商事", "website_operator", None)
        .await
        .unwrap();
    a.svc
        .create_user(c, mine.id, "api@sakura.example", "api", "reporter")
        .await
        .unwrap();
    a.svc
        .set_password_as_console("api@sakura.example", PASSWORD)
        .await
        .unwrap();
    let token = a
        .svc
        .create_token_as_operator("api@sakura.example", "test")
        .await
        .unwrap();

    let mut anon = Browser::new(a.router.clone());
    let r = anon.get("/api/v1/orgs").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(r.body.contains("E-AUTH-001"));

    let mut b = Browser::new(a.router.clone());
    b.bearer = Some(token);
    let me: serde_json::Value = serde_json::from_str(&b.get("/api/v1/me").await.body).unwrap();
    assert_eq!(me["email"], "api@sakura.example");
    let orgs: serde_json::Value = serde_json::from_str(&b.get("/api/v1/orgs").await.body).unwrap();
    assert_eq!(orgs.as_array().unwrap().len(), 1);
    assert_eq!(orgs[0]["name"], "株式会社さくら");
    assert_eq!(
        b.get(&format!("/api/v1/orgs/{}", mine.id.0)).await.status,
        StatusCode::OK
    );
    let denied = b.get(&format!("/api/v1/orgs/{}", other.id.0)).await;
    assert_eq!(denied.status, StatusCode::NOT_FOUND);
    let err: serde_json::Value = serde_json::from_str(&denied.body).unwrap();
    assert_eq!(err["error"]["code"], "E-ACCESS-404");
    b.bearer = Some("mamori_forged".into());
    assert_eq!(b.get("/api/v1/me").await.status, StatusCode::UNAUTHORIZED);
}
