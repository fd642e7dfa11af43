use crate::client::{Browser, PASSWORD, app};
use axum::http::StatusCode;

#[tokio::test]
async fn first_start_admin_creates_org_and_person_who_signs_in_and_is_kept_out_of_admin() {
    let a = app().await;
    let mut admin = Browser::new(a.router.clone());
    // First start: the one-time link signs the administrator in, once.
    let r = admin.get(&format!("/link/{}", a.admin_link)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(admin.cookies.contains_key("mamori_session"));
    assert_eq!(
        Browser::new(a.router.clone())
            .get(&format!("/link/{}", a.admin_link))
            .await
            .status,
        StatusCode::BAD_REQUEST
    );

    let page = admin.get("/admin").await;
    assert_eq!(page.status, StatusCode::OK);
    let csrf = page.field("csrf");
    // A form without the session's token is refused.
    let forged = admin
        .post(
            "/admin/orgs",
            &[
                ("csrf", "forged"),
                ("name", "偽"),
                ("kind", "ipa"),
                ("parent", ""),
            ],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert!(forged.body.contains("E-CSRF-001"));
    let r = admin
        .post(
            "/admin/orgs",
            &[
                ("csrf", &csrf),
                ("name", "株式会社さくら"),
                ("kind", "access_administrator"),
                ("parent", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("組織を追加しました"));
    let org_id = a
        .svc
        .orgs_for_console()
        .await
        .unwrap()
        .iter()
        .find(|o| o.name == "株式会社さくら")
        .unwrap()
        .id
        .0;
    let r = admin
        .post(
            "/admin/users",
            &[
                ("csrf", &csrf),
                ("org", &org_id.to_string()),
                ("email", "taro@sakura.example"),
                ("display_name", "さくら 太郎"),
                ("role", "reporter"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let link = r
        .body
        .split(r#"id="set-password-link">"#)
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_string();
    let path = link.strip_prefix("http://mamori.test").unwrap().to_string();

    // The person sets a password (a weak one is refused with the reason) and signs in.
    let mut taro = Browser::new(a.router.clone());
    let form = taro.get(&path).await;
    assert!(form.body.contains(r#"autocomplete="new-password""#));
    let csrf = form.field("csrf");
    let cross_site = Browser::new(a.router.clone())
        .post(&path, &[("csrf", &csrf), ("password", PASSWORD)])
        .await;
    assert_eq!(
        cross_site.status,
        StatusCode::FORBIDDEN,
        "no cookie, no change"
    );
    let weak = taro
        .post(&path, &[("csrf", &csrf), ("password", "sakura2024")])
        .await;
    assert_eq!(weak.status, StatusCode::BAD_REQUEST);
    assert!(
        weak.body.contains("15"),
        "the reason is shown: {}",
        weak.body
    );
    let csrf = weak.field("csrf");
    let ok = taro
        .post(&path, &[("csrf", &csrf), ("password", PASSWORD)])
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    let wrong = taro
        .sign_in("taro@sakura.example", "not my password at all")
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(wrong.body.contains("IDまたはパスワードが正しくありません"));
    assert_eq!(
        taro.sign_in("taro@sakura.example", PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
    assert!(
        taro.get("/")
            .await
            .body
            .contains("今回が初めてのログインです")
    );
    let home = taro.get("/").await;
    let csrf = home.field("csrf");
    assert_eq!(
        taro.post("/logout", &[("csrf", &csrf)]).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        taro.get("/").await.status,
        StatusCode::SEE_OTHER,
        "signed out"
    );

    // Next sign-in: the previous one is shown (R-4.4).
    a.clock.advance(time::Duration::hours(2));
    taro.sign_in("taro@sakura.example", PASSWORD).await;
    let home = taro.get("/").await;
    assert!(
        home.body.contains("前回のログイン: 2026-04-01 18:00 JST"),
        "{}",
        home.body
    );
    assert!(home.body.contains("127.0.0.1"));
    // Not an administrator: the admin page and other organizations are closed.
    assert_eq!(taro.get("/admin").await.status, StatusCode::NOT_FOUND);
    let r = taro
        .post(
            "/admin/orgs",
            &[
                ("csrf", &home.field("csrf")),
                ("name", "x"),
                ("kind", "ipa"),
                ("parent", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(
        taro.get(&format!("/orgs/{org_id}")).await.status,
        StatusCode::OK
    );
    assert_eq!(
        taro.get("/orgs/1").await.status,
        StatusCode::NOT_FOUND,
        "the platform org by URL"
    );
    let hist = taro.get("/me/history").await;
    assert!(hist.body.contains("sign_in_failed") && hist.body.contains("sign_in"));
}

#[tokio::test]
async fn idle_session_sends_the_browser_to_login() {
    let a = app().await;
    let mut admin = Browser::new(a.router.clone());
    admin.get(&format!("/link/{}", a.admin_link)).await;
    assert_eq!(admin.get("/").await.status, StatusCode::OK);
    a.clock.advance(time::Duration::minutes(31));
    let r = admin.get("/").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.header("location"), "/login");
}

#[tokio::test]
async fn login_form_needs_its_csrf_cookie() {
    let a = app().await;
    let mut b = Browser::new(a.router.clone());
    let r = b
        .post(
            "/login",
            &[
                ("csrf", "x"),
                ("email", "admin@mamori.example"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}
