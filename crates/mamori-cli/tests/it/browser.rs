//! The core path in a real browser (headless Chromium over chromedriver):
//! first start, the administrator signs in with the one-time link, sets a password
//! and an authenticator app and signs in again with both, creates an
//! organization and a person; that person sets a password, signs in, sees the
//! previous-login notice on the next sign-in and cannot open the admin pages; then
//! changes their password (a weak one refused with the reason), sees the owner
//! notice on the home page and exports their data.
//! `.ci/run` installs `chromium` and `chromium-driver`; without them the test says
//! so and passes, except in CI (`CI` set), where it fails.

use fantoccini::{Client, ClientBuilder, Locator};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

pub(crate) struct Kill(pub(crate) Child);
impl Drop for Kill {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub(crate) fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn which(name: &str) -> Option<String> {
    std::env::var_os("PATH")?
        .to_str()?
        .split(':')
        .map(|d| format!("{d}/{name}"))
        .find(|p| std::path::Path::new(p).exists())
}

/// chromedriver and Chromium, or `None` (the test is skipped) when they are not
/// installed. With `MAMORI_REQUIRE_BROWSER` (as `.ci/run` sets) or `CI` set, a missing
/// browser fails the test instead: CI must never pass by skipping it.
pub(crate) fn browser_tools() -> Option<(String, String)> {
    match (which("chromedriver"), which("chromium")) {
        (Some(driver), Some(chromium)) => Some((driver, chromium)),
        _ if std::env::var_os("MAMORI_REQUIRE_BROWSER").is_some()
            || std::env::var_os("CI").is_some() =>
        {
            panic!("chromium / chromedriver not installed, and MAMORI_REQUIRE_BROWSER or CI is set")
        }
        _ => {
            eprintln!("SKIPPED: chromium / chromedriver not installed (.ci/run installs them)");
            None
        }
    }
}

/// `mamori serve` over `data` on a free loopback port; returns the process, the
/// base URL (`http://…`) and the lines it printed up to that (the first
/// administrator's one-time link among them). Its stdout stays open.
// The child is reaped by `Kill`.
#[allow(clippy::zombie_processes)]
pub(crate) fn serve(data: &Path) -> (Kill, String, Vec<String>) {
    let mut serve = Kill(
        Command::new(env!("CARGO_BIN_EXE_mamori"))
            .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
            .arg(data)
            .env("MAMORI_INSECURE_FAST_HASHING", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let mut out = BufReader::new(serve.0.stdout.take().unwrap());
    let mut lines = Vec::new();
    loop {
        let mut l = String::new();
        assert!(
            out.read_line(&mut l).unwrap() > 0,
            "serve exited: {lines:?}"
        );
        let l = l.trim_end().to_string();
        if let Some(r) = l.strip_prefix("listening on ") {
            let base = r.split(' ').next().unwrap().to_string();
            serve.0.stdout = Some(out.into_inner());
            return (serve, base, lines);
        }
        lines.push(l);
    }
}

/// chromedriver on a free port and a headless Chromium session through it.
pub(crate) async fn browser(driver: &str, chromium: &str) -> (Kill, Client) {
    let (k, c, _) = browser_at(driver, chromium).await;
    (k, c)
}

/// [`browser`], also returning chromedriver's URL (for WebDriver commands
/// fantoccini has no method for, such as the WebAuthn virtual authenticator).
pub(crate) async fn browser_at(driver: &str, chromium: &str) -> (Kill, Client, String) {
    let port = free_port();
    let driver = Kill(
        Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({"binary": chromium, "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"]}),
    );
    // The console (CSP violations among it), read with [`browser_log`].
    caps.insert(
        "goog:loggingPrefs".into(),
        serde_json::json!({"browser": "ALL"}),
    );
    for _ in 0..50 {
        let conn = hyper_util::client::legacy::connect::HttpConnector::new();
        if let Ok(c) = ClientBuilder::new(conn)
            .capabilities(caps.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
        {
            return (driver, c, format!("http://127.0.0.1:{port}"));
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    panic!("chromedriver answers");
}

/// The browser console's entries since the last call (chromedriver's log
/// endpoint; `goog:loggingPrefs` is set by [`browser_at`]), as "LEVEL message".
pub(crate) async fn browser_log(c: &Client, driver: &str) -> Vec<String> {
    let sid = c.session_id().await.unwrap().expect("a session");
    let url = format!("{driver}/session/{sid}/se/log");
    let mut r = ureq::post(&url)
        .header("content-type", "application/json")
        .send(r#"{"type":"browser"}"#)
        .unwrap();
    let text = r.body_mut().read_to_string().unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["value"]
        .as_array()
        .unwrap_or_else(|| panic!("a log: {text}"))
        .iter()
        .map(|e| {
            format!(
                "{} {}",
                e["level"].as_str().unwrap_or(""),
                e["message"].as_str().unwrap_or("")
            )
        })
        .collect()
}

/// Fills the form that posts to `form_action` with `fields` and submits it.
///
/// Returns once the page the submission loads has replaced this one (up to 30 s):
/// otherwise a `wait_for` of text the old page also shows (`記録しました` after two
/// actions in a row) could end on the old page, and the next navigation cancel the
/// submission still in flight.
pub(crate) async fn fill(c: &Client, form_action: &str, fields: &[(&str, &str)]) {
    let form = c
        .form(Locator::Css(&format!("form[action='{form_action}']")))
        .await
        .unwrap();
    for (name, value) in fields {
        form.set_by_name(name, value).await.unwrap();
    }
    const OLD: &str = "document.documentElement.dataset.submitted";
    c.execute(&format!("{OLD} = '1'"), vec![]).await.unwrap();
    form.submit().await.unwrap();
    for _ in 0..300 {
        // While the new page loads the script may fail: not loaded yet.
        let old = c.execute(&format!("return {OLD} === '1'"), vec![]).await;
        if matches!(old, Ok(serde_json::Value::Bool(false))) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("submitting the form of {form_action} loaded no new page");
}

/// Waits (up to 30 s: CI runs the browser tests side by side) until the page shows
/// `needle`; returns the page source.
pub(crate) async fn wait_for(c: &Client, needle: &str) -> String {
    for _ in 0..300 {
        let src = c.source().await.unwrap();
        if src.contains(needle) {
            return src;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!(
        "page never showed {needle:?}: {}",
        c.source().await.unwrap()
    );
}

/// The signed-in administrator adds an organization (access administrator) and a
/// reporter in it on `/admin`; returns the person's one-time set-password link.
pub(crate) async fn add_person(
    c: &Client,
    base: &str,
    org: &str,
    email: &str,
    name: &str,
) -> String {
    c.goto(&format!("{base}/admin")).await.unwrap();
    wait_for(c, "組織の追加").await;
    select(c, "org-kind", "access_administrator").await;
    fill(c, "/admin/orgs", &[("name", org)]).await;
    wait_for(c, "組織を追加しました").await;
    let org_id = c
        .find(Locator::XPath(&format!(
            "//select[@id='user-org']/option[text()='{org}']"
        )))
        .await
        .unwrap()
        .attr("value")
        .await
        .unwrap()
        .unwrap();
    select(c, "user-org", &org_id).await;
    select(c, "user-role", "reporter").await;
    fill(
        c,
        "/admin/users",
        &[("email", email), ("display_name", name)],
    )
    .await;
    wait_for(c, "set-password-link").await;
    c.find(Locator::Id("set-password-link"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

/// In a fresh cookie jar, the person sets their password with the one-time link and
/// signs in with it for the first time.
pub(crate) async fn first_sign_in(
    c: &Client,
    base: &str,
    set_link: &str,
    login: [(&str, &str); 2],
) {
    c.delete_all_cookies().await.unwrap();
    c.goto(set_link).await.unwrap();
    wait_for(c, "new-password").await;
    let path = set_link.trim_start_matches(base).to_string();
    fill(c, &path, &[("password", login[1].1)]).await;
    wait_for(c, r#"autocomplete="current-password""#).await; // the sign-in form
    fill(c, "/login", &login).await;
    wait_for(c, "今回が初めてのログインです").await;
}

pub(crate) async fn click(c: &Client, at: Locator<'_>) {
    c.find(at).await.unwrap().click().await.unwrap();
}

pub(crate) async fn sign_out(c: &Client) {
    click(c, Locator::Css("form[action='/logout'] button")).await;
}

pub(crate) async fn select(c: &Client, id: &str, value: &str) {
    let el = c.find(Locator::Id(id)).await.unwrap();
    el.select_by_value(value).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[allow(clippy::zombie_processes)] // children are reaped by `Kill`
async fn core_path_in_headless_chromium() {
    let Some((driver, chromium)) = browser_tools() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (_serve, base, lines) = serve(dir.path());
    let link = lines
        .iter()
        .find(|l| l.contains("/link/"))
        .expect("the one-time link")
        .trim()
        .to_string();
    let (_driver, c) = browser(&driver, &chromium).await;

    // The administrator's one-time link leads to setting a password (the link works
    // once); then an authenticator app, and a sign-in with both.
    c.goto(&link).await.unwrap();
    wait_for(&c, "パスワードがまだ設定されていません").await;
    fill(
        &c,
        "/me/password",
        &[("new", "amber meadow silent thunder")],
    )
    .await;
    wait_for(&c, "パスワードを設定しました").await;
    assert!(
        c.source().await.unwrap().contains("next-steps"),
        "the next steps"
    );
    c.goto(&format!("{base}/me/totp")).await.unwrap();
    wait_for(&c, "totp-secret").await;
    let secret = c
        .find(Locator::Id("totp-secret"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let key = data_encoding::BASE32_NOPAD
        .decode(secret.trim().as_bytes())
        .unwrap();
    let totp = mamori_guard::Totp::default();
    // The server reads the wall clock, so the authenticator here does too.
    #[allow(clippy::disallowed_methods)]
    let now = time::OffsetDateTime::now_utc();
    fill(&c, "/me/totp", &[("code", &totp.code_at(&key, now))]).await;
    wait_for(&c, "二要素認証を有効にしました").await;
    c.delete_all_cookies().await.unwrap();
    c.goto(&format!("{base}/login")).await.unwrap();
    let admin = [
        ("email", "admin@mamori.localhost"),
        ("password", "amber meadow silent thunder"),
    ];
    fill(&c, "/login", &admin).await;
    wait_for(
        &c,
        "確認コード（認証アプリまたは回復コード）を入力してください",
    )
    .await;
    // The next time step's code (a code is accepted once; the clock allows one step
    // of skew).
    let next = totp.code_at(&key, now + time::Duration::seconds(30));
    fill(&c, "/login", &[admin[0], admin[1], ("totp", &next)]).await;
    wait_for(&c, "前回のログイン").await;
    let set_link = add_person(
        &c,
        &base,
        "株式会社ブラウザ",
        "hanako@browser.example",
        "ブラウザ 花子",
    )
    .await;

    // The new person, in a fresh cookie jar.
    let login = [
        ("email", "hanako@browser.example"),
        ("password", "violet lantern gravel orbit"),
    ];
    first_sign_in(&c, &base, &set_link, login).await;
    sign_out(&c).await;
    wait_for(&c, r#"autocomplete="current-password""#).await;
    fill(&c, "/login", &login).await;
    let home = wait_for(&c, "前回のログイン").await;
    assert!(
        !home.contains(r#"href="/admin""#),
        "no admin link for a reporter"
    );
    c.goto(&format!("{base}/admin")).await.unwrap();
    wait_for(&c, "E-ACCESS-404").await;

    // The person changes their password from the account page (the policy's reasons
    // are on the page), sees the notice on the home page, then exports their data.
    c.goto(&format!("{base}/me")).await.unwrap();
    click(&c, Locator::Css("a[href='/me/password']")).await;
    wait_for(&c, "password-rules").await;
    fill(
        &c,
        "/me/password",
        &[
            ("current", "violet lantern gravel orbit"),
            ("new", "hanako2024"),
        ],
    )
    .await;
    wait_for(&c, "このパスワードは使えません").await;
    fill(
        &c,
        "/me/password",
        &[
            ("current", "violet lantern gravel orbit"),
            ("new", "copper kettle quiet harbour"),
        ],
    )
    .await;
    wait_for(&c, "パスワードを変更しました").await;
    c.goto(&base).await.unwrap();
    wait_for(&c, "パスワードが変更されました").await;
    c.goto(&format!("{base}/me/data")).await.unwrap();
    wait_for(&c, "purpose-audit_entries").await;
    let href = c
        .find(Locator::Id("export-link"))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    // The download, with the browser's own session cookie.
    let cookie = c.get_named_cookie("mamori_session").await.unwrap();
    let addr = base.trim_start_matches("http://").to_string();
    let mut s = std::net::TcpStream::connect(&addr).unwrap();
    use std::io::{Read, Write};
    write!(
        s,
        "GET {href} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nCookie: mamori_session={}\r\n\r\n",
        cookie.value()
    )
    .unwrap();
    let mut resp = String::new();
    s.read_to_string(&mut resp).unwrap();
    assert!(resp.starts_with("HTTP/1.1 200"), "{resp}");
    assert!(resp.contains("attachment; filename=\"mamori-personal-data.json\""));
    let body = &resp[resp.find("\r\n\r\n").unwrap() + 4..];
    let json: serde_json::Value = serde_json::from_str(body).unwrap();
    assert_eq!(json["person"]["email"], "hanako@browser.example");
    assert!(
        json["audit_entries"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "change_password"),
        "the change is in the exported history"
    );
    c.close().await.unwrap();
}
