//! The core path in a real browser (headless Chromium over chromedriver):
//! first start, the administrator signs in with the one-time link, creates an
//! organization and a person; that person sets a password, signs in, sees the
//! previous-login notice on the next sign-in and cannot open the admin pages.
//! `.ci/run` installs `chromium` and `chromium-driver`; without them the test says
//! so and passes.

use fantoccini::{Client, ClientBuilder, Locator};
use std::io::{BufRead, BufReader};
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

pub(crate) fn which(name: &str) -> Option<String> {
    std::env::var_os("PATH")?
        .to_str()?
        .split(':')
        .map(|d| format!("{d}/{name}"))
        .find(|p| std::path::Path::new(p).exists())
}

pub(crate) async fn fill(c: &Client, form_action: &str, fields: &[(&str, &str)]) {
    let form = c
        .form(Locator::Css(&format!("form[action='{form_action}']")))
        .await
        .unwrap();
    for (name, value) in fields {
        form.set_by_name(name, value).await.unwrap();
    }
    form.submit().await.unwrap();
}

/// Waits (up to 10 s) until the page shows `needle`; returns the page source.
pub(crate) async fn wait_for(c: &Client, needle: &str) -> String {
    for _ in 0..100 {
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

pub(crate) async fn select(c: &Client, id: &str, value: &str) {
    let el = c.find(Locator::Id(id)).await.unwrap();
    el.select_by_value(value).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[allow(clippy::zombie_processes)] // children are reaped by `Kill`
async fn core_path_in_headless_chromium() {
    let (Some(driver), Some(chromium)) = (which("chromedriver"), which("chromium")) else {
        eprintln!("SKIPPED: chromium / chromedriver not installed (.ci/run installs them)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut serve = Command::new(env!("CARGO_BIN_EXE_mamori"))
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--data-dir",
            dir.path().to_str().unwrap(),
        ])
        .env("MAMORI_INSECURE_FAST_HASHING", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(serve.stdout.take().unwrap()).lines();
    let _serve = Kill(serve);
    let (mut link, mut base) = (String::new(), String::new());
    while base.is_empty() {
        let l = lines.next().unwrap().unwrap();
        if l.contains("/link/") {
            link = l.trim().to_string();
        }
        if let Some(r) = l.strip_prefix("listening on ") {
            base = r.split(' ').next().unwrap().to_string();
        }
    }
    let port = free_port();
    let _driver = Kill(
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
    let mut c = None;
    for _ in 0..50 {
        let conn = hyper_util::client::legacy::connect::HttpConnector::new();
        if let Ok(cl) = ClientBuilder::new(conn)
            .capabilities(caps.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
        {
            c = Some(cl);
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    let c = c.expect("chromedriver answers");

    // The administrator's one-time link, then the admin page.
    c.goto(&link).await.unwrap();
    c.goto(&format!("{base}/admin")).await.unwrap();
    wait_for(&c, "組織の追加").await;
    select(&c, "org-kind", "access_administrator").await;
    fill(&c, "/admin/orgs", &[("name", "株式会社ブラウザ")]).await;
    wait_for(&c, "組織を追加しました").await;
    let org_id = {
        let opt = c
            .find(Locator::XPath(
                "//select[@id='user-org']/option[text()='株式会社ブラウザ']",
            ))
            .await
            .unwrap();
        opt.attr("value").await.unwrap().unwrap()
    };
    select(&c, "user-org", &org_id).await;
    select(&c, "user-role", "reporter").await;
    fill(
        &c,
        "/admin/users",
        &[
            ("email", "hanako@browser.example"),
            ("display_name", "ブラウザ 花子"),
        ],
    )
    .await;
    wait_for(&c, "set-password-link").await;
    let set_link = c
        .find(Locator::Id("set-password-link"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();

    // The new person, in a fresh cookie jar.
    c.delete_all_cookies().await.unwrap();
    c.goto(&set_link).await.unwrap();
    wait_for(&c, "new-password").await;
    let path = set_link.trim_start_matches(&base).to_string();
    fill(&c, &path, &[("password", "violet lantern gravel orbit")]).await;
    wait_for(&c, r#"autocomplete="current-password""#).await; // the sign-in form
    let login = [
        ("email", "hanako@browser.example"),
        ("password", "violet lantern gravel orbit"),
    ];
    fill(&c, "/login", &login).await;
    wait_for(&c, "今回が初めてのログインです").await;
    c.find(Locator::Css("form[action='/logout'] button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for(&c, r#"autocomplete="current-password""#).await;
    fill(&c, "/login", &login).await;
    let home = wait_for(&c, "前回のログイン").await;
    assert!(
        !home.contains(r#"href="/admin""#),
        "no admin link for a reporter"
    );
    c.goto(&format!("{base}/admin")).await.unwrap();
    wait_for(&c, "E-ACCESS-404").await;
    c.close().await.unwrap();
}
