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
        .create_org(Caller::Console, "株式会社さくら", "access_administrator", None)
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
            .sign_in(&format!("leaked{i}@mail.example"), "leaked pw 1", None, from)
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
