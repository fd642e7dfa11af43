//! The account pages through the real router: password change with reasons,
//! TOTP enrolment without the secret in the form, recovery codes, personal data
//! (purposes, export, deletion request carried out on /admin), notices on the
//! home page, people disabled from /admin, list views audited, and the client
//! address behind a trusted proxy.

use crate::client::{App, Browser, PASSWORD, app};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use mamori_service::authz::Caller;

const NEW_PASSWORD: &str = "copper kettle quiet harbour";

async fn person(a: &App, email: &str) -> Browser {
    let org = a
        .svc
        .create_org(
            Caller::Console,
            &format!("組織 {email}"),
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
    let mut b = Browser::new(a.router.clone());
    assert_eq!(
        b.sign_in(email, PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
    b
}

async fn admin(a: &App) -> Browser {
    let mut b = Browser::new(a.router.clone());
    b.get(&format!("/link/{}", a.admin_link)).await;
    b
}

fn between<'a>(s: &'a str, start: &str, end: &str) -> &'a str {
    let i = s.find(start).unwrap_or_else(|| panic!("{start} in {s}")) + start.len();
    s[i..].split(end).next().unwrap()
}

fn base32(b32: &str) -> Vec<u8> {
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let (mut bits, mut n, mut out) = (0u64, 0, Vec::new());
    for c in b32.bytes() {
        bits = (bits << 5) | alphabet.iter().position(|&a| a == c).unwrap() as u64;
        n += 5;
        if n >= 8 {
            n -= 8;
            out.push((bits >> n) as u8);
            bits &= (1 << n) - 1;
        }
    }
    out
}

#[tokio::test]
async fn password_change_shows_the_policy_and_reasons_and_tells_the_owner() {
    let a = app().await;
    let mut b = person(&a, "hanako@sakura.example").await;
    let form = b.get("/me/password").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains(r#"id="password-rules""#));
    assert!(form.body.contains("15〜"), "minimum length shown");
    let csrf = form.field("csrf");
    let forged = b
        .post(
            "/me/password",
            &[("csrf", "x"), ("current", PASSWORD), ("new", NEW_PASSWORD)],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let wrong = b
        .post(
            "/me/password",
            &[
                ("csrf", &csrf),
                ("current", "not it at all!!"),
                ("new", NEW_PASSWORD),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    assert!(wrong.body.contains("現在のパスワードが正しくありません"));
    let weak = b
        .post(
            "/me/password",
            &[
                ("csrf", &csrf),
                ("current", PASSWORD),
                ("new", "hanako@sakura.example2024"),
            ],
        )
        .await;
    assert_eq!(weak.status, StatusCode::BAD_REQUEST);
    assert!(
        weak.body.contains("このパスワードは使えません"),
        "{}",
        weak.body
    );
    let ok = b
        .post(
            "/me/password",
            &[
                ("csrf", &csrf),
                ("current", PASSWORD),
                ("new", NEW_PASSWORD),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    assert!(ok.body.contains("パスワードを変更しました"));
    let home = b.get("/").await;
    assert!(home.body.contains(r#"id="owner-notices""#));
    assert!(home.body.contains("パスワードが変更されました"));
    let csrf = home.field("csrf");
    assert_eq!(
        b.post("/me/notices/dismiss", &[("csrf", &csrf)])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    assert!(!b.get("/").await.body.contains(r#"id="owner-notices""#));
    let mut fresh = Browser::new(a.router.clone());
    assert_eq!(
        fresh
            .sign_in("hanako@sakura.example", NEW_PASSWORD)
            .await
            .status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn totp_secret_is_never_in_the_form_and_is_bound_to_the_session() {
    let a = app().await;
    let mut b = person(&a, "jiro@sakura.example").await;
    let mut other = Browser::new(a.router.clone());
    other.sign_in("jiro@sakura.example", PASSWORD).await;
    let page = b.get("/me/totp").await;
    assert!(
        !page.body.contains(r#"name="secret""#),
        "no secret in the form"
    );
    let secret = between(&page.body, r#"id="totp-secret">"#, "<").to_string();
    let code =
        mamori_guard::Totp::default().code_at(&base32(&secret), mamori_guard::Clock::now(&a.clock));
    // The other session (same person) has nothing pending: the code does not enrol.
    let o = other.get("/me").await;
    let r = other
        .post("/me/totp", &[("csrf", &o.field("csrf")), ("code", &code)])
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = b
        .post(
            "/me/totp",
            &[("csrf", &page.field("csrf")), ("code", &code)],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("二要素認証を有効にしました"));
    assert!(b.get("/me").await.body.contains("設定済み"));
    // Recovery codes: ten, shown once.
    let rec = b.get("/me/recovery").await;
    let r = b
        .post("/me/recovery", &[("csrf", &rec.field("csrf"))])
        .await;
    assert_eq!(r.body.matches("<li><code>").count(), 10);
    assert!(b.get("/me/recovery").await.body.contains(": 10"));
    assert!(
        !b.get("/me/recovery").await.body.contains("<li><code>"),
        "shown once"
    );
}

#[tokio::test]
async fn personal_data_export_and_deletion_carried_out_from_admin() {
    let a = app().await;
    let mut b = person(&a, "saburo@sakura.example").await;
    let page = b.get("/me/data").await;
    assert!(page.body.contains(r#"id="purpose-audit_entries""#));
    assert!(page.body.contains("第23条"), "the legal basis is explained");
    let export = b.get("/me/data/export").await;
    assert_eq!(export.status, StatusCode::OK);
    assert!(export.header("content-disposition").contains("attachment"));
    let json: serde_json::Value = serde_json::from_str(&export.body).unwrap();
    assert_eq!(json["person"]["email"], "saburo@sakura.example");
    assert!(json["sections"]["reports"].is_array());
    assert!(
        !export
            .body
            .contains(b.cookies.get("mamori_session").unwrap())
    );

    let r = b
        .post(
            "/me/data/delete",
            &[("csrf", &page.field("csrf")), ("reason", "退職")],
        )
        .await;
    assert!(r.body.contains("削除依頼を受け付けました"));
    let mut adm = admin(&a).await;
    let ap = adm.get("/admin").await;
    assert!(ap.body.contains(r#"id="deletion-requests""#));
    assert!(ap.body.contains("saburo@sakura.example"));
    let id = between(&ap.body, r#"action="/admin/deletions/"#, "\"").to_string();
    // A reporter cannot carry it out.
    let csrf_b = b.get("/").await.field("csrf");
    assert_eq!(
        b.post(&format!("/admin/deletions/{id}"), &[("csrf", &csrf_b)])
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let r = adm
        .post(
            &format!("/admin/deletions/{id}"),
            &[("csrf", &ap.field("csrf"))],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let after = adm.get("/admin").await;
    let people = between(&after.body, r#"id="people""#, "</table>");
    assert!(!people.contains("saburo@sakura.example"), "{people}");
    assert!(people.contains("削除済み利用者"));
    assert_eq!(b.get("/").await.status, StatusCode::SEE_OTHER, "signed out");
}

#[tokio::test]
async fn admin_disables_a_person_and_list_views_are_audited() {
    let a = app().await;
    let mut b = person(&a, "shiro@sakura.example").await;
    assert_eq!(b.get("/orgs").await.status, StatusCode::OK);
    assert_eq!(b.get("/api/v1/orgs").await.status, StatusCode::OK);
    assert_eq!(b.get("/api/v1/me").await.status, StatusCode::OK);
    let mut adm = admin(&a).await;
    let ap = adm.get("/admin").await;
    let id = a
        .svc
        .store()
        .user_by_email("shiro@sakura.example")
        .await
        .unwrap()
        .unwrap()
        .id
        .0;
    let r = adm
        .post(
            &format!("/admin/people/{id}/disable"),
            &[("csrf", &ap.field("csrf"))],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        b.get("/").await.status,
        StatusCode::SEE_OTHER,
        "session ended"
    );
    let log = adm.get("/admin").await.body;
    for action in [
        "list_orgs",
        "view_self",
        "list_users",
        "disable_user",
        "view_audit_log",
    ] {
        assert!(log.contains(action), "{action} in the audit log");
    }
}

async fn sign_in_via(app: &axum::Router, xff: &str) {
    let mut b = Browser::new(app.clone());
    let form = b.get("/login").await;
    let body = format!(
        "csrf={}&email=admin%40mamori.example&password=wrong+password+here&totp=",
        form.field("csrf")
    );
    let req = Request::builder()
        .method("POST")
        .uri("/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(
            header::COOKIE,
            format!("mamori_pre={}", b.cookies["mamori_pre"]),
        )
        .header("x-forwarded-for", xff)
        .body(Body::from(body))
        .unwrap();
    b.send(req).await;
}

#[tokio::test]
async fn forwarded_for_is_believed_only_from_a_trusted_proxy() {
    let a = app().await;
    // The test requests come from 127.0.0.1 (no socket): untrusted by default.
    sign_in_via(&a.router, "203.0.113.50").await;
    let last = a.svc.store().last_audit().await.unwrap().unwrap();
    assert_eq!(last.action, "sign_in_failed");
    assert_eq!(last.source, "127.0.0.1", "a spoofed header is ignored");

    let trusted = mamori_web::router(
        mamori_web::AppState::new(a.svc.clone(), false, "http://mamori.test")
            .with_trusted_proxies(vec!["127.0.0.0/8".parse().unwrap()]),
    );
    sign_in_via(&trusted, "198.51.100.1, 203.0.113.50").await;
    let last = a.svc.store().last_audit().await.unwrap().unwrap();
    assert_eq!(last.source, "203.0.113.50", "right-most untrusted hop");
}

#[tokio::test]
async fn the_first_administrator_is_sent_to_set_a_password_after_the_one_time_link() {
    let a = app().await;
    let mut b = Browser::new(a.router.clone());
    let r = b.get(&format!("/link/{}", a.admin_link)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        r.header("location"),
        "/me/password",
        "no way back in otherwise"
    );
    let page = b.get("/me/password").await;
    assert!(page.body.contains("パスワードがまだ設定されていません"));
    assert!(
        !page.body.contains(r#"name="current""#),
        "nothing to prove yet"
    );
    let csrf = page.field("csrf");
    let r = b
        .post("/me/password", &[("csrf", &csrf), ("new", NEW_PASSWORD)])
        .await;
    assert!(r.body.contains("パスワードを設定しました"), "{}", r.body);
    // Now the form asks for the current password, and the password signs in.
    assert!(
        b.get("/me/password")
            .await
            .body
            .contains(r#"name="current""#)
    );
    let mut again = Browser::new(a.router.clone());
    assert_eq!(
        again
            .sign_in("admin@mamori.example", NEW_PASSWORD)
            .await
            .status,
        StatusCode::SEE_OTHER
    );
}
