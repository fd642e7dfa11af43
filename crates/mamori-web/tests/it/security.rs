//! Issue 15's security hardening through the real router: the stuffing alert's
//! step-up by known device or network, CSRF/Origin and content type on cookie
//! API writes, re-authentication before changing sign-in factors, upload limits.

use crate::client::{App, Browser, PASSWORD, app};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use mamori_service::authz::Caller;

/// A router that believes `X-Forwarded-For` from the test's 127.0.0.1, so each
/// request can come "from" any address.
fn proxied(a: &App) -> axum::Router {
    mamori_web::router(
        mamori_web::AppState::new(a.svc.clone(), false, "http://mamori.test")
            .with_trusted_proxies(vec!["127.0.0.0/8".parse().unwrap()]),
    )
}

async fn sign_in_from(b: &mut Browser, email: &str, from: &str) -> crate::client::Resp {
    let form = b.get("/login").await;
    let body = format!(
        "csrf={}&email={}&password={}&totp=",
        form.field("csrf"),
        crate::client::enc(email),
        crate::client::enc(PASSWORD)
    );
    let cookies: Vec<String> = b.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let req = Request::builder()
        .method("POST")
        .uri("/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, cookies.join("; "))
        .header("x-forwarded-for", from)
        .body(Body::from(body))
        .unwrap();
    b.send(req).await
}

async fn reporter(a: &App, email: &str) {
    let org = a
        .svc
        .create_org(
            Caller::Console,
            "株式会社さくら",
            "access_administrator",
            None,
        )
        .await
        .unwrap();
    a.svc
        .create_user(Caller::Console, org.id, email, "花子", "reporter")
        .await
        .unwrap();
    a.svc
        .set_password_as_console(email, PASSWORD)
        .await
        .unwrap();
}

async fn raise_stuffing_alert(a: &App) {
    for i in 0..150u32 {
        let from = format!("10.{}.{}.7", i / 200, i % 200).parse().unwrap();
        a.svc
            .sign_in(
                &format!("leaked{i}@mail.example"),
                "leaked pw 1",
                None,
                from,
            )
            .await
            .unwrap();
    }
    assert!(a.svc.store().stuffing_alert().await.unwrap().is_some());
}

#[tokio::test]
async fn during_a_stuffing_alert_a_password_only_person_signs_in_from_a_known_device() {
    let a = app().await;
    reporter(&a, "hanako@sakura.example").await;
    let router = proxied(&a);
    let mut b = Browser::new(router.clone());
    let r = sign_in_from(&mut b, "hanako@sakura.example", "192.0.2.10").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let device = r
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("mamori_device="))
        .expect("a known-device cookie at sign-in");
    for attr in ["HttpOnly", "SameSite=Strict", "Max-Age=34560000", "Path=/"] {
        assert!(device.contains(attr), "{attr} in {device}");
    }
    raise_stuffing_alert(&a).await;

    // The same browser from a café elsewhere: its device cookie is the step-up.
    b.cookies.remove("mamori_session");
    let r = sign_in_from(&mut b, "hanako@sakura.example", "203.0.113.5").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // Another browser at the office network used before: in as well.
    let mut office = Browser::new(router.clone());
    let r = sign_in_from(&mut office, "hanako@sakura.example", "192.0.2.77").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // A new browser on a new network: told what to do, in Japanese first.
    let mut stranger = Browser::new(router);
    let r = sign_in_from(&mut stranger, "hanako@sakura.example", "198.51.100.9").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    for text in ["二要素認証", "以前ログインしたことのある端末", "管理者"] {
        assert!(r.body.contains(text), "{text} in {}", r.body);
    }
}

const SCAN: &[u8] = include_bytes!("../../../mamori-service/tests/fixtures/scan.json");

/// An app with small limits: 64 KiB per file, one upload at a time, two drafts each.
async fn small_app() -> (mamori_service::Services, axum::Router) {
    use mamori_guard::ManualClock;
    use mamori_service::{Env, ServiceConfig, Services};
    use std::sync::Arc;
    let store = Arc::new(mamori_store_sqlite::SqliteStore::memory().await.unwrap());
    let clock = ManualClock::new(time::macros::datetime!(2026-04-01 09:00 UTC));
    let cfg = ServiceConfig {
        fast_hashing: true,
        attachment_max: 64 * 1024,
        concurrent_uploads: 1,
        drafts_max: 2,
        ..ServiceConfig::default()
    };
    let svc = Services::new(store, cfg, Env::new(Arc::new(clock))).unwrap();
    svc.bootstrap("admin@mamori.example").await.unwrap();
    let org = svc
        .create_org(
            Caller::Console,
            "株式会社さくら",
            "access_administrator",
            None,
        )
        .await
        .unwrap();
    svc.create_user(Caller::Console, org.id, "r@sakura.example", "r", "reporter")
        .await
        .unwrap();
    svc.set_password_as_console("r@sakura.example", PASSWORD)
        .await
        .unwrap();
    let router = mamori_web::router(mamori_web::AppState::new(
        svc.clone(),
        false,
        "http://mamori.test",
    ));
    (svc, router)
}

fn json(body: &str) -> serde_json::Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

/// A signed-in browser and its session's CSRF token (from a form).
async fn signed_in(router: &axum::Router) -> (Browser, String) {
    let mut b = Browser::new(router.clone());
    assert_eq!(
        b.sign_in("r@sakura.example", PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
    let csrf = b.get("/me/password").await.field("csrf");
    (b, csrf)
}

async fn api_post(
    b: &mut Browser,
    path: &str,
    headers: &[(&str, &str)],
    body: Vec<u8>,
) -> crate::client::Resp {
    let cookies: Vec<String> = b.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let mut req = Request::builder()
        .method("POST")
        .uri(path)
        .header(header::COOKIE, cookies.join("; "));
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    b.send(req.body(Body::from(body)).unwrap()).await
}

#[tokio::test]
async fn cookie_api_writes_need_the_csrf_token_or_this_origin_and_json() {
    let (svc, router) = small_app().await;
    let (mut b, csrf) = signed_in(&router).await;
    let ct = ("content-type", "application/json");
    // A cross-site page posting with the person's cookie: refused.
    for extra in [vec![ct], vec![ct, ("origin", "https://evil.example")]] {
        let r = api_post(&mut b, "/api/v1/reports", &extra, SCAN.to_vec()).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{extra:?}: {}", r.body);
        assert_eq!(json(&r.body)["error"]["code"], "E-CSRF-001");
    }
    let r = api_post(
        &mut b,
        "/api/v1/reports",
        &[ct, ("x-csrf-token", "not-the-token")],
        SCAN.to_vec(),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // A form-encodable content type (no CORS preflight) is not JSON: 415.
    let r = api_post(
        &mut b,
        "/api/v1/reports",
        &[("content-type", "text/plain"), ("x-csrf-token", &csrf)],
        SCAN.to_vec(),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{}", r.body);
    assert_eq!(json(&r.body)["error"]["code"], "E-MEDIA-TYPE");
    // The token, or this server's origin, with JSON: accepted.
    let r = api_post(
        &mut b,
        "/api/v1/reports",
        &[ct, ("x-csrf-token", &csrf)],
        SCAN.to_vec(),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = json(&r.body)["id"].as_i64().unwrap();
    let r = api_post(
        &mut b,
        "/api/v1/reports",
        &[ct, ("origin", "http://mamori.test")],
        SCAN.to_vec(),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    // Attachments too.
    let path = format!("/api/v1/reports/{id}/attachments?name=a.log");
    let r = api_post(&mut b, &path, &[], b"log line\n".to_vec()).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = api_post(
        &mut b,
        &path,
        &[("x-csrf-token", &csrf)],
        b"log line\n".to_vec(),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    // A bearer token needs neither (no browser sends it by itself).
    let mut api = Browser::new(router.clone());
    api.bearer = Some(
        svc.create_token_as_operator("r@sakura.example", "t")
            .await
            .unwrap(),
    );
    let r = api
        .post_bytes(&path, "application/octet-stream", b"more\n".to_vec())
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
}

#[tokio::test]
async fn an_endless_upload_is_refused_at_the_limit_and_slots_and_drafts_are_bounded() {
    let (svc, router) = small_app().await;
    let mut api = Browser::new(router.clone());
    api.bearer = Some(
        svc.create_token_as_operator("r@sakura.example", "t")
            .await
            .unwrap(),
    );
    // Drafts: two each here; the third is refused with a clear error.
    let actor = svc
        .authenticate_token(api.bearer.as_deref().unwrap(), "127.0.0.1")
        .await
        .unwrap()
        .actor;
    let input = || mamori_service::intake::DraftInput {
        title: "不正ログイン".into(),
        ..Default::default()
    };
    let d1 = svc.create_draft(&actor, input()).await.unwrap();
    svc.create_draft(&actor, input()).await.unwrap();
    let third = svc.create_draft(&actor, input()).await;
    assert!(
        matches!(third, Err(mamori_service::ServiceError::Invalid(c)) if c == "E-REPORT-DRAFTS"),
        "{third:?}"
    );
    let path = format!("/api/v1/reports/{}/attachments?name=big.log", d1.id.0);

    // An upload that never ends: refused once it passes 64 KiB, without waiting for the end.
    let (mut tx, body) =
        http_body_util::channel::Channel::<axum::body::Bytes, std::convert::Infallible>::new(4);
    tokio::spawn(async move {
        while tx
            .send_data(axum::body::Bytes::from_static(&[b'x'; 1024]))
            .await
            .is_ok()
        {}
    });
    let req = Request::builder()
        .method("POST")
        .uri(&path)
        .header(
            header::AUTHORIZATION,
            format!("Bearer {}", api.bearer.as_deref().unwrap()),
        )
        .body(Body::new(body))
        .unwrap();
    let r = tokio::time::timeout(std::time::Duration::from_secs(20), api.send(req))
        .await
        .expect("answered before the (endless) body ends");
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(json(&r.body)["error"]["code"], "E-ATTACH-FILESIZE");

    // Every upload slot taken (one, here): 503 with a time to retry.
    let held = svc.upload_buffer("held.log").unwrap();
    let r = api
        .post_bytes(&path, "application/octet-stream", b"x\n".to_vec())
        .await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE, "{}", r.body);
    assert!(!r.header("retry-after").is_empty());
    drop(held);
    let r = api
        .post_bytes(&path, "application/octet-stream", b"x\n".to_vec())
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
}

#[tokio::test]
async fn attachment_names_lose_bidi_overrides_and_control_characters() {
    let (svc, router) = small_app().await;
    let mut api = Browser::new(router);
    api.bearer = Some(
        svc.create_token_as_operator("r@sakura.example", "t")
            .await
            .unwrap(),
    );
    let r = api
        .post_bytes("/api/v1/reports", "application/json", SCAN.to_vec())
        .await;
    let id = json(&r.body)["id"].as_i64().unwrap();
    let upload = |name: &str| {
        format!(
            "/api/v1/reports/{id}/attachments?name={}",
            crate::client::enc(name)
        )
    };
    let r = api
        .post_bytes(
            &upload("請求書\u{202E}fdp.exe"),
            "application/octet-stream",
            b"a".to_vec(),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(json(&r.body)["name"], "請求書fdp.exe");
    let r = api
        .post_bytes(
            &upload("ログ\u{1b}[31m\u{7f}.txt"),
            "application/octet-stream",
            b"b".to_vec(),
        )
        .await;
    assert_eq!(json(&r.body)["name"], "ログ[31m.txt");
    // Nothing left: a generated name.
    let r = api
        .post_bytes(
            &upload("\u{2066}\u{200F}\r\n"),
            "application/octet-stream",
            b"c".to_vec(),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let name = json(&r.body)["name"].as_str().unwrap().to_string();
    assert!(
        name.starts_with("attachment-") && name.len() == "attachment-".len() + 12,
        "{name}"
    );
}

#[tokio::test]
async fn after_the_first_password_the_page_says_what_to_do_next() {
    let a = app().await;
    let mut b = Browser::new(a.router.clone());
    b.get(&format!("/link/{}", a.admin_link)).await;
    let csrf = b.get("/me/password").await.field("csrf");
    let r = b
        .post(
            "/me/password",
            &[("csrf", &csrf), ("new", "copper kettle quiet harbour")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("次にすること"), "{}", r.body);
    for link in [
        r#"href="/me/totp""#,
        r#"href="/me/passkeys""#,
        r#"href="/""#,
    ] {
        assert!(r.body.contains(link), "{link}");
    }
    // A later change says only that it changed.
    let csrf = b.get("/me/password").await.field("csrf");
    let r = b
        .post(
            "/me/password",
            &[
                ("csrf", &csrf),
                ("current", "copper kettle quiet harbour"),
                ("new", "amber meadow silent pylon"),
            ],
        )
        .await;
    assert!(r.body.contains("パスワードを変更しました"), "{}", r.body);
    assert!(!r.body.contains("次にすること"));
}

#[tokio::test]
async fn changing_sign_in_factors_asks_for_the_password_again_after_ten_minutes() {
    let a = app().await;
    reporter(&a, "hanako@sakura.example").await;
    let mut b = Browser::new(a.router.clone());
    assert_eq!(
        b.sign_in("hanako@sakura.example", PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
    // Right after signing in: the TOTP page opens.
    assert_eq!(b.get("/me/totp").await.status, StatusCode::OK);
    a.clock.advance(time::Duration::minutes(11));
    for page in ["/me/totp", "/me/passkeys"] {
        let r = b.get(page).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{page}");
        assert_eq!(r.header("location"), format!("/me/reauth?next={page}"));
    }
    let csrf = b.get("/me/recovery").await.field("csrf");
    let r = b.post("/me/recovery", &[("csrf", &csrf)]).await;
    assert_eq!(r.header("location"), "/me/reauth?next=/me/recovery");
    assert!(
        !r.body.contains("recovery-codes"),
        "no codes without the password"
    );

    let form = b.get("/me/reauth?next=/me/totp").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("本人確認"), "{}", form.body);
    let csrf = form.field("csrf");
    let r = b
        .post(
            "/me/reauth",
            &[
                ("csrf", &csrf),
                ("secret", "wrong password here"),
                ("next", "/me/totp"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    // Somewhere else than the account's factor pages: back to /me instead.
    let r = b
        .post(
            "/me/reauth",
            &[
                ("csrf", &csrf),
                ("secret", PASSWORD),
                ("next", "https://evil.example/"),
            ],
        )
        .await;
    assert_eq!(r.header("location"), "/me");
    let r = b
        .post(
            "/me/reauth",
            &[("csrf", &csrf), ("secret", PASSWORD), ("next", "/me/totp")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.header("location"), "/me/totp");
    assert_eq!(b.get("/me/totp").await.status, StatusCode::OK);
    let r = b.post("/me/recovery", &[("csrf", &csrf)]).await;
    assert!(r.body.contains("recovery-codes"), "{}", r.body);
}

#[tokio::test]
async fn totp_enrolment_shows_a_server_rendered_qr_code_and_the_uri_for_typing() {
    let a = app().await;
    reporter(&a, "hanako@sakura.example").await;
    let mut b = Browser::new(a.router.clone());
    b.sign_in("hanako@sakura.example", PASSWORD).await;
    let r = b.get("/me/totp").await;
    assert_eq!(r.status, StatusCode::OK);
    let i = r.body.find(r#"id="totp-qr""#).expect("a QR code figure");
    let fig = &r.body[i..r.body[i..].find("</figure>").unwrap() + i];
    assert!(fig.contains("<svg") && fig.contains("</svg>") && fig.contains("<path"));
    assert!(fig.contains(r#"role="img""#) && fig.contains("aria-label="));
    assert!(!fig.contains("style="), "the CSP blocks inline styles");
    assert!(!fig.contains("<?xml"), "an element, not a document");
    assert!(!r.body.contains("<script"), "no script draws it");
    assert!(
        r.body.contains("otpauth://totp/"),
        "the URI stays for manual entry"
    );
    assert_eq!(r.header("content-security-policy"), mamori_web::CSP);
}
