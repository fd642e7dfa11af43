//! No page breaks its own Content-Security-Policy: headless Chromium visits the
//! main pages of every kind of user on the demo world (sign-in, home, account,
//! history, the report list, each kind of report-form step, the submit page, a
//! sent report, the case queue, a case, the consultation guide, the admin pages,
//! a missing page) and the browser console must hold no CSP violation (an inline
//! `style=` attribute, an inline script, a resource from elsewhere).
//! Without chromium / chromedriver the test says so and passes (`.ci/run`
//! installs them), except in CI, where it fails.

use crate::browser::browser_log;
use crate::browser_intake::{World, world};
use fantoccini::Locator;

/// Console entries that are CSP violations.
fn violations(log: &[String]) -> Vec<&String> {
    log.iter()
        .filter(|l| l.contains("Content Security Policy") || l.contains("Refused to"))
        .collect()
}

/// Visits `path` (or, with an empty path, reads the page the browser is on) and
/// records its violations under its name.
async fn check(w: &World, path: &str, found: &mut Vec<String>) {
    if !path.is_empty() {
        w.go(path).await;
    }
    let url = w.c.current_url().await.unwrap().to_string();
    // Chromium reports violations asynchronously: let the page settle.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let log = browser_log(&w.c, &w.driver_url).await;
    for v in violations(&log) {
        found.push(format!("{url}: {v}"));
    }
}

/// The `href` of the first element matching `css`.
async fn href(w: &World, css: &str) -> String {
    w.c.find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .attr("href")
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("{css} has no href"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[allow(clippy::zombie_processes)] // children are reaped by `Kill`
async fn no_page_violates_the_content_security_policy_in_chromium() {
    let Some(w) = world().await else { return };
    let mut found = Vec::new();

    // Signed out.
    w.c.delete_all_cookies().await.unwrap();
    for path in ["/login", "/consult", "/no-such-page"] {
        check(&w, path, &mut found).await;
    }

    // A reporter: home, account, history, reports, every kind of form step, the
    // submit page and a report already sent.
    w.sign_in("security@sakura-net.example.jp").await;
    for path in [
        "/",
        "/me",
        "/me/history",
        "/me/data",
        "/reports/new",
        "/reports",
    ] {
        check(&w, path, &mut found).await;
    }
    let sent = href(&w, "#reports a:not([href$='/edit'])").await;
    check(&w, &sent, &mut found).await;
    w.go("/reports/new").await;
    w.click("form[action='/reports'] button").await;
    crate::browser::wait_for(&w.c, r#"id="progress""#).await;
    let edit = w.c.current_url().await.unwrap().to_string();
    let edit = edit.split('?').next().unwrap().trim_start_matches(&w.base);
    check(&w, "", &mut found).await;
    for q in ["?step=2", "?step=3", "?step=5", "?view=all"] {
        check(&w, &format!("{edit}{q}"), &mut found).await;
    }
    let submit = edit.replace("/edit", "/submit");
    check(&w, &submit, &mut found).await;
    // The submit page refused (nothing chosen): the page with its error box.
    w.click("form[action$='/submit'] button[type='submit']")
        .await;
    check(&w, "", &mut found).await;

    // Body staff: the queue, a filtered queue and a case.
    w.sign_in("intake@ipa.example.jp").await;
    check(&w, "/cases?overdue=1", &mut found).await;
    check(&w, "/cases", &mut found).await;
    let case = href(&w, "#queue a").await;
    check(&w, &case, &mut found).await;

    // The platform administrator.
    w.sign_in("admin@mamori.localhost").await;
    for path in ["/admin", "/orgs", "/orgs/1", "/me/history", "/no-such-page"] {
        check(&w, path, &mut found).await;
    }

    assert!(
        found.is_empty(),
        "CSP violations in the browser console:\n{}",
        found.join("\n")
    );
    w.c.clone().close().await.unwrap();
}
