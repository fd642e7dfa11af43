//! Intake and case work in a real browser (headless Chromium over chromedriver),
//! on the demo world: a reporter turns a `mamori scan` result into a report,
//! reads the guideline's advice, chooses IPA and sends it; IPA staff accept it
//! and propose a referral to the police; the reporter consents; police staff
//! find it in their queue by a Japanese word; the reporter sees the whole
//! history; a reporter of another company cannot reach it by id, URL, API or
//! search. And a step-by-step draft survives a new browser session.
//! Without chromium / chromedriver the tests say so and pass (`.ci/run`
//! installs them), except in CI, where they fail.

use crate::browser::{Kill, browser_at, browser_tools, fill, select, serve, wait_for};
use crate::root;
use fantoccini::{Client, Locator};
use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::Path;
use std::process::Command;

/// A demo world served on a free port, with the demo passwords.
pub(crate) struct World {
    pub(crate) _dir: tempfile::TempDir,
    pub(crate) data: std::path::PathBuf,
    pub(crate) base: String,
    passwords: HashMap<String, String>,
    _serve: Kill,
    _driver: Kill,
    /// chromedriver's URL (for its log endpoint).
    pub(crate) driver_url: String,
    pub(crate) c: Client,
}

pub(crate) fn mamori(data: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_mamori"))
        .args(args)
        .arg("--data-dir")
        .arg(data)
        .env("MAMORI_INSECURE_FAST_HASHING", "1")
        .env("LANG", "ja_JP.UTF-8")
        .output()
        .unwrap()
}

pub(crate) async fn world() -> Option<World> {
    let (driver, chromium) = browser_tools()?;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let out = mamori(&data, &["demo"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let passwords: HashMap<String, String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| {
            let w: Vec<&str> = l.split_whitespace().collect();
            (w.len() == 3 && w[1].contains('@')).then(|| (w[1].to_string(), w[2].to_string()))
        })
        .collect();
    let (serve, base, _) = serve(&data);
    let (driver, c, driver_url) = browser_at(&driver, &chromium).await;
    Some(World {
        _dir: dir,
        data,
        base,
        passwords,
        _serve: serve,
        _driver: driver,
        driver_url,
        c,
    })
}

impl World {
    pub(crate) async fn sign_in(&self, email: &str) {
        self.c.delete_all_cookies().await.unwrap();
        self.c.goto(&format!("{}/login", self.base)).await.unwrap();
        wait_for(&self.c, r#"autocomplete="current-password""#).await;
        let pw = self
            .passwords
            .get(email)
            .unwrap_or_else(|| panic!("no demo password for {email}"));
        fill(&self.c, "/login", &[("email", email), ("password", pw)]).await;
        wait_for(&self.c, "previous-login").await;
    }

    pub(crate) async fn go(&self, path: &str) -> String {
        self.c.goto(&format!("{}{path}", self.base)).await.unwrap();
        self.c.source().await.unwrap()
    }

    pub(crate) async fn click(&self, css: &str) {
        self.c
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"))
            .click()
            .await
            .unwrap();
    }

    async fn set(&self, id: &str, value: &str) {
        let el = self.c.find(Locator::Id(id)).await.unwrap();
        el.clear().await.unwrap();
        el.send_keys(value).await.unwrap();
    }

    /// An API token for a person (`mamori tokens create`).
    fn token(&self, email: &str) -> String {
        let out = mamori(&self.data, &["tokens", "create", "--user", email]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// `GET path` on the API with a bearer token: (status, response).
    fn api(&self, path: &str, token: &str) -> (u16, String) {
        self.http("GET", path, token, b"")
    }

    /// One HTTP/1.1 request with a bearer token: (status, whole response).
    fn http(&self, method: &str, path: &str, token: &str, body: &[u8]) -> (u16, String) {
        let addr = self.base.trim_start_matches("http://");
        let mut s = std::net::TcpStream::connect(addr).unwrap();
        write!(
            s,
            "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        )
        .unwrap();
        s.write_all(body).unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).unwrap();
        let status = out.split(' ').nth(1).unwrap_or("0").parse().unwrap_or(0);
        (status, out)
    }
}

const SAKURA: &str = "security@sakura-net.example.jp";
const MOMIJI: &str = "owner@momiji-shop.example.jp";
const IPA_STAFF: &str = "intake@ipa.example.jp";
const TOKYO_STAFF: &str = "tokyo.staff@police.example.jp";
/// A word only this test's report contains (found by the police's search).
const WORD: &str = "桜餅サーバー";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[allow(clippy::zombie_processes)] // children are reaped by `Kill`
async fn report_from_scan_to_ipa_referred_to_police_in_headless_chromium() {
    let Some(w) = world().await else { return };
    // The reporter's scan result, turned into a draft by `mamori report submit`.
    let findings = w._dir.path().join("findings.json");
    let scan = Command::new(env!("CARGO_BIN_EXE_mamori"))
        .args(["scan", "--format", "json", "--no-progress"])
        .arg(root().join("examples/logs"))
        .output()
        .unwrap();
    std::fs::write(&findings, &scan.stdout).unwrap();
    let token = w.token(SAKURA);
    let out = Command::new(env!("CARGO_BIN_EXE_mamori"))
        .args(["report", "submit", "--server", &w.base, "--token", &token])
        .arg(&findings)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let id: i64 = stdout
        .lines()
        .find_map(|l| l.strip_prefix("id: "))
        .unwrap_or_else(|| panic!("no id in {stdout}"))
        .trim()
        .parse()
        .unwrap();
    let url = stdout
        .lines()
        .find_map(|l| l.strip_prefix("url: "))
        .unwrap()
        .trim()
        .to_string();
    assert_eq!(url, format!("{}/reports/{id}", w.base));

    // The reporter completes it in the browser: pre-filled from the scan.
    w.sign_in(SAKURA).await;
    w.c.goto(&url).await.unwrap();
    wait_for(&w.c, "mamori scan の結果から").await;
    w.click("a[href$='edit?view=all']").await;
    let page = wait_for(&w.c, r#"value="all""#).await;
    assert!(
        page.contains(r#"value="unauthorized_login" checked"#),
        "prefilled act"
    );
    w.set("title", &format!("管理画面への不正ログイン（{WORD}）"))
        .await;
    w.set("q-discovered_at", "2024-03-04T10:30").await;
    for id in [
        "q-how_discovered-own_monitoring",
        "q-systems-website",
        "q-reporter_role-admin",
        "q-org_type-company",
    ] {
        w.click(&format!("#{id}")).await;
    }
    w.click("button[value='review']").await;
    // The submit page: the guideline's advice beside each body, nothing ticked.
    let review = wait_for(&w.c, "届出先を選んでください").await;
    assert!(review.contains(r#"id="advice-ipa""#) && review.contains(r#"id="advice-police""#));
    assert!(
        review.split(r#"name="to" value=""#).skip(1).all(|s| !s
            .split('>')
            .next()
            .unwrap()
            .contains("checked")),
        "nothing pre-ticked"
    );
    let ipa_box =
        w.c.find(Locator::Css("#choose-ipa input[name='to']"))
            .await
            .unwrap();
    ipa_box.click().await.unwrap();
    w.click("#confirm").await;
    w.click("form[action$='/submit'] button[type='submit']")
        .await;
    let sent = wait_for(&w.c, "送信しました").await;
    assert!(sent.contains("IPA"));

    // IPA staff accept it and propose a referral to the police (警視庁).
    w.sign_in(IPA_STAFF).await;
    let queue = w.go("/cases").await;
    assert!(queue.contains(WORD), "IPA's queue lists it");
    let case_link =
        w.c.find(Locator::XPath(&format!(
            "//table[@id='queue']//a[contains(., '{WORD}')]"
        )))
        .await
        .unwrap();
    case_link.click().await.unwrap();
    wait_for(&w.c, "form-accept").await;
    w.click("#form-accept button").await;
    wait_for(&w.c, "記録しました").await;
    let tokyo =
        w.c.find(Locator::XPath(
            "//select[@id='refer-to']/option[text()='警視庁']",
        ))
        .await
        .unwrap()
        .attr("value")
        .await
        .unwrap()
        .unwrap();
    select(&w.c, "refer-to", &tokyo).await;
    w.set(
        "refer-text",
        "被害が続いており、捜査のため警視庁への届出が適切です。",
    )
    .await;
    // The accept step's 「記録しました」 stays on screen until the next page loads: wait
    // for the page itself to be replaced first.
    let before = w.c.find(Locator::Css("html")).await.unwrap();
    w.click("#form-refer button").await;
    for _ in 0..300 {
        if before.tag_name().await.is_err() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    wait_for(&w.c, "記録しました").await;

    // The reporter consents.
    w.sign_in(SAKURA).await;
    w.go(&format!("/reports/{id}")).await;
    wait_for(&w.c, "回付に同意する").await;
    w.click("button[value='consent']").await;
    wait_for(&w.c, "回付により受付").await;

    // Police staff find it by a Japanese word in their queue.
    w.sign_in(TOKYO_STAFF).await;
    let found = w.go(&format!("/cases?q={WORD}")).await;
    assert!(found.contains(WORD), "found by search: {found}");
    let miss = w.go("/cases?q=存在しない語句です").await;
    assert!(!miss.contains(WORD));

    // The reporter sees the whole history, across both bodies.
    w.sign_in(SAKURA).await;
    let view = w.go(&format!("/reports/{id}")).await;
    let history = view.split(r#"id="history""#).nth(1).unwrap();
    for (what, kind) in [
        ("IPA", "ev-submitted"),
        ("IPA", "ev-accepted"),
        ("IPA", "ev-referral_proposed"),
        ("警視庁", "ev-referred"),
    ] {
        assert!(history.contains(kind), "{kind} in {history}");
        assert!(history.contains(what));
    }
    assert!(
        !history.contains("ev-note"),
        "no internal notes for the reporter"
    );

    // Another company's reporter: not by id, not by URL, not by API, not by search.
    w.sign_in(MOMIJI).await;
    for path in [
        format!("/reports/{id}"),
        format!("/reports/{id}/edit"),
        format!("/reports/{id}/submit"),
    ] {
        let p = w.go(&path).await;
        assert!(p.contains("E-ACCESS-404"), "{path}: {p}");
        assert!(!p.contains(WORD));
    }
    let list = w.go("/reports").await;
    assert!(!list.contains(WORD));
    let search = w.go(&format!("/cases?q={WORD}")).await;
    assert!(search.contains("E-ACCESS-404") && !search.contains(WORD));
    let (status, body) = w.api(&format!("/api/v1/reports/{id}"), &w.token(MOMIJI));
    assert_eq!(status, 404, "{body}");
    assert!(!body.contains(WORD));
    let (status, body) = w.api(&format!("/api/v1/reports/{id}"), &token);
    assert_eq!(status, 200, "the reporter's own token reads it: {body}");
    w.c.clone().close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[allow(clippy::zombie_processes)] // children are reaped by `Kill`
async fn a_step_by_step_draft_survives_a_new_browser_session() {
    let Some(w) = world().await else { return };
    w.sign_in(MOMIJI).await;
    w.go("/reports/new").await;
    w.click("form[action='/reports'] button").await;
    wait_for(&w.c, r#"id="progress""#).await;
    w.set("title", "途中で閉じた下書き").await;
    w.click("button[value='next']").await;
    wait_for(&w.c, "question-what_happened").await;
    w.click("#q-what_happened-phishing_site").await;
    w.click("button[value='next']").await;
    wait_for(&w.c, "question-discovered_at").await;
    let url = w.c.current_url().await.unwrap().to_string();
    let edit = url.split('?').next().unwrap().to_string();

    // The browser is gone: a new session, signed in again.
    w.sign_in(MOMIJI).await;
    let list = w.go("/reports").await;
    assert!(list.contains("途中で閉じた下書き"), "{list}");
    w.c.goto(&format!("{edit}?step=2")).await.unwrap();
    let step = wait_for(&w.c, "question-what_happened").await;
    assert!(step.contains(r#"value="phishing_site" checked"#), "{step}");
    w.c.goto(&format!("{edit}?step=1")).await.unwrap();
    let first = wait_for(&w.c, r#"id="title""#).await;
    assert!(first.contains("途中で閉じた下書き"));
    w.c.clone().close().await.unwrap();
}
