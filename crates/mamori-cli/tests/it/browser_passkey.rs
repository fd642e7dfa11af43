//! Passkeys in a real browser: headless Chromium with chromedriver's WebAuthn
//! virtual authenticator (a platform authenticator with user verification, as a
//! phone or laptop has). A person set up by the administrator registers a passkey
//! on `/me/passkeys`, signs out, and signs in again with the passkey alone; a
//! name without a passkey gets a clear refusal on the sign-in page.
//!
//! The server listens on 127.0.0.1 and is opened as `http://localhost:PORT`, the
//! address `mamori serve` prints for passkeys: browsers refuse an IP address as a
//! WebAuthn site id.

use crate::browser::{
    Kill, add_person, browser_at, browser_tools, click, first_sign_in, serve, sign_out, wait_for,
};
use fantoccini::{Client, Locator};

/// Adds a virtual platform authenticator to the browser session.
async fn virtual_authenticator(c: &Client, driver: &str) {
    let sid = c.session_id().await.unwrap().expect("a session");
    let body = serde_json::json!({
        "protocol": "ctap2",
        "transport": "internal",
        "hasResidentKey": true,
        "hasUserVerification": true,
        "isUserConsenting": true,
        "isUserVerified": true,
    });
    let url = format!("{driver}/session/{sid}/webauthn/authenticator");
    let mut r = ureq::post(&url)
        .header("content-type", "application/json")
        .send(body.to_string())
        .unwrap();
    let text = r.body_mut().read_to_string().unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert!(
        v["value"].as_str().is_some_and(|id| !id.is_empty()),
        "an authenticator id: {text}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn register_a_passkey_and_sign_in_with_it_in_chromium() {
    let Some((driver, chromium)) = browser_tools() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (_serve, base, lines): (Kill, String, Vec<String>) = serve(dir.path());
    // serve says where passkeys work for a server on 127.0.0.1.
    let local = lines
        .iter()
        .find_map(|l| l.split("for passkeys, open: ").nth(1))
        .expect("the passkey address is printed")
        .trim_end_matches("/login")
        .to_string();
    assert_eq!(local, base.replace("127.0.0.1", "localhost"));
    let link = lines
        .iter()
        .find(|l| l.contains("/link/"))
        .expect("the one-time link")
        .trim()
        .replace(&base, &local);
    let (_driver, c, driver_url) = browser_at(&driver, &chromium).await;
    virtual_authenticator(&c, &driver_url).await;

    // At 127.0.0.1 the sign-in page points to the passkey origin instead of
    // offering a button that cannot work there.
    c.goto(&format!("{base}/login")).await.unwrap();
    wait_for(&c, "passkey-origin").await;
    let hint = c.find(Locator::Id("passkey-origin")).await.unwrap();
    assert!(hint.is_displayed().await.unwrap(), "the link to {local}");
    let button = c.find(Locator::Id("passkey-signin")).await.unwrap();
    assert!(!button.is_displayed().await.unwrap());

    // The administrator adds a person (as in the core path).
    c.goto(&link).await.unwrap();
    let set_link = add_person(
        &c,
        &local,
        "株式会社パスキー",
        "kaori@passkey.example",
        "パスキー 香織",
    )
    .await
    .replace(&base, &local);

    // The person sets a password and signs in with it once.
    first_sign_in(
        &c,
        &local,
        &set_link,
        [
            ("email", "kaori@passkey.example"),
            ("password", "violet lantern gravel orbit"),
        ],
    )
    .await;

    // Registers a passkey: the page's script runs the ceremony with the
    // authenticator.
    c.goto(&format!("{local}/me")).await.unwrap();
    click(&c, Locator::Css("a[href='/me/passkeys']")).await;
    wait_for(&c, "passkey-register").await;
    click(&c, Locator::Id("passkey-register")).await;
    let page = wait_for(&c, "パスキーを登録しました").await;
    assert!(page.contains(r#"<table id="passkeys">"#));
    c.goto(&local).await.unwrap();
    wait_for(&c, "二要素認証の設定が変更されました").await; // the owner's notice

    // Signs out; a name without a passkey is refused in plain words.
    sign_out(&c).await;
    wait_for(&c, "passkey-signin").await;
    assert!(
        !c.find(Locator::Id("passkey-origin"))
            .await
            .unwrap()
            .is_displayed()
            .await
            .unwrap(),
        "no detour at the right address"
    );
    let email = c.find(Locator::Id("email")).await.unwrap();
    email.send_keys("nobody@passkey.example").await.unwrap();
    click(&c, Locator::Id("passkey-signin")).await;
    wait_for(&c, "パスキーでログインできませんでした").await;

    // The passkey alone signs the person in; the home page shows the previous
    // sign-in (R-4.4).
    email.clear().await.unwrap();
    email.send_keys("kaori@passkey.example").await.unwrap();
    click(&c, Locator::Id("passkey-signin")).await;
    let home = wait_for(&c, "前回のログイン").await;
    assert!(home.contains("パスキー 香織"), "signed in as the person");
    c.goto(&format!("{local}/me/history")).await.unwrap();
    let history = wait_for(&c, "sign_in").await;
    assert!(history.contains("passkey"), "the sign-in method is audited");
    c.close().await.unwrap();
}
