//! Passkeys through the real router: only `/login` and `/me/passkeys` may run a
//! script (and only this origin's), the ceremony endpoints demand the CSRF header,
//! and a whole registration and password-less sign-in work end to end with a
//! software authenticator answering as a browser would.

use crate::client::{App, Browser, PASSWORD, app};
use axum::http::StatusCode;
use mamori_service::authz::Caller;
use webauthn_authenticator_rs::prelude::{Url, WebauthnAuthenticator};
use webauthn_authenticator_rs::softpasskey::SoftPasskey;

const ORIGIN: &str = "http://localhost:8080";
const EMAIL: &str = "hanako@sakura.example";

async fn with_person() -> (App, Browser) {
    let a = app().await;
    a.svc.enable_passkeys(ORIGIN).unwrap();
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
        .create_user(Caller::Console, org.id, EMAIL, "花子", "reporter")
        .await
        .unwrap();
    a.svc
        .set_password_as_console(EMAIL, PASSWORD)
        .await
        .unwrap();
    let mut b = Browser::new(a.router.clone());
    assert_eq!(
        b.sign_in(EMAIL, PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
    (a, b)
}

fn json(r: &crate::client::Resp) -> serde_json::Value {
    serde_json::from_str(&r.body).unwrap_or_else(|_| panic!("JSON: {}", r.body))
}

fn csrf_of(page: &str) -> String {
    let i = page.find("data-csrf=\"").expect("data-csrf") + "data-csrf=\"".len();
    page[i..].split('"').next().unwrap().to_string()
}

#[tokio::test]
async fn only_the_passkey_pages_may_run_this_sites_script() {
    let (_a, mut b) = with_person().await;
    let page = b.get("/me/passkeys").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains(r#"<script src="/static/passkey.js" defer></script>"#)
    );
    assert!(page.body.contains("パスキーを登録する"));
    let csp = page.header("content-security-policy");
    assert!(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"));
    assert!(!csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"));
    for path in ["/", "/me", "/me/password", "/orgs"] {
        let r = b.get(path).await;
        assert!(
            r.header("content-security-policy")
                .contains("script-src 'none'"),
            "{path}"
        );
        assert!(!r.body.contains("<script"), "{path}");
    }
    let js = b.get("/static/passkey.js").await;
    assert_eq!(js.status, StatusCode::OK);
    assert!(js.header("content-type").starts_with("text/javascript"));
    assert!(js.body.contains("navigator.credentials.create"));

    let mut anon = Browser::new(b.app.clone());
    let login = anon.get("/login").await;
    assert!(login.body.contains(r#"id="passkey-signin""#));
    assert!(
        login
            .header("content-security-policy")
            .contains("script-src 'self'")
    );
    // Where passkeys work, for the script to show at any other address.
    assert!(
        login
            .body
            .contains(r#"data-origin="http://localhost:8080" hidden>"#)
    );
    assert!(
        login
            .body
            .contains(r#"<a href="http://localhost:8080/login">"#)
    );
}

#[tokio::test]
async fn ceremony_endpoints_demand_the_csrf_header() {
    let (_a, mut b) = with_person().await;
    let r = b.post_json("/me/passkeys/begin", "", "{}").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(json(&r)["error"]["code"], "E-CSRF-001");
    let r = b.post_json("/me/passkeys/begin", "wrong", "{}").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    let mut anon = Browser::new(b.app.clone());
    let r = anon
        .post_json("/login/passkey/begin", "", r#"{"email":"x@example.jp"}"#)
        .await;
    assert_eq!(
        json(&r)["error"]["code"],
        "E-CSRF-001",
        "no pre-session token"
    );
    assert!(r.header("set-cookie").is_empty(), "no ceremony started");
}

#[tokio::test]
async fn register_then_sign_in_without_a_password() {
    let (_a, mut b) = with_person().await;
    let origin = Url::parse(ORIGIN).unwrap();
    let mut key = SoftPasskey::new(true);

    let page = b.get("/me/passkeys").await;
    let csrf = csrf_of(&page.body);
    let challenge = b.post_json("/me/passkeys/begin", &csrf, "{}").await;
    assert_eq!(challenge.status, StatusCode::OK, "{}", challenge.body);
    let answer = key
        .do_registration(
            origin.clone(),
            serde_json::from_str(&challenge.body).unwrap(),
        )
        .unwrap();
    let done = b
        .post_json(
            "/me/passkeys/finish",
            &csrf,
            &serde_json::to_string(&answer).unwrap(),
        )
        .await;
    assert_eq!(json(&done)["ok"], true, "{}", done.body);
    let list = b.get("/me/passkeys?added=1").await;
    assert!(list.body.contains("パスキーを登録しました"));
    assert!(list.body.contains(r#"<table id="passkeys">"#));
    assert!(b.get("/me").await.body.contains("1 件登録済み"));

    // A new browser signs in with the passkey alone.
    let mut other = Browser::new(b.app.clone());
    let login = other.get("/login").await;
    let pre = login.field("csrf");
    let r = other
        .post_json(
            "/login/passkey/begin",
            &pre,
            &serde_json::json!({ "email": EMAIL }).to_string(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let cookie = r.header("set-cookie");
    assert!(
        cookie.starts_with("mamori_pk=")
            && cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Strict")
            && cookie.contains("Max-Age=300"),
        "{cookie}"
    );
    let assertion = key
        .do_authentication(origin, serde_json::from_str(&r.body).unwrap())
        .unwrap();
    let r = other
        .post_json(
            "/login/passkey/finish",
            &pre,
            &serde_json::to_string(&assertion).unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(json(&r)["redirect"], "/");
    assert!(other.cookies.contains_key("mamori_session"));
    assert!(
        !other.cookies.contains_key("mamori_pk"),
        "ceremony cookie cleared"
    );
    let home = other.get("/").await;
    assert!(home.body.contains("花子"), "signed in");

    // The same answer again is refused with a reason in both languages.
    let again = other
        .post_json(
            "/login/passkey/finish",
            &pre,
            &serde_json::to_string(&assertion).unwrap(),
        )
        .await;
    assert_eq!(again.status, StatusCode::UNAUTHORIZED);
    assert!(
        !json(&again)["error"]["message_ja"]
            .as_str()
            .unwrap()
            .is_empty()
    );

    // Removing it (a plain form, no script needed).
    let list = b.get("/me/passkeys").await;
    let i = list.body.find("/me/passkeys/").unwrap();
    let action = list.body[i..].split('"').next().unwrap().to_string();
    assert!(action.ends_with("/remove"));
    let csrf = list.field("csrf");
    let r = b.post(&action, &[("csrf", &csrf)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(
        b.get("/me/passkeys")
            .await
            .body
            .contains("登録済みのパスキーはありません")
    );
}
