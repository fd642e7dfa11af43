//! The website flow Ⅵ in a real browser (headless Chromium) on the demo world (issue 12):
//! a discoverer files a website report → IPA accepts and tells the operator (linked to the
//! operator's organization) only that there is an issue at the URL → the operator answers
//! → IPA sends the details → the operator reports the fix → the discoverer sees 修正済み.
//! The operator never sees the discoverer, who did not agree; an outsider gets 404 and
//! nothing is public. axe-core runs on the report form and the new case pages.

use crate::browser::{fill, wait_for};
use crate::browser_intake::{World, world};
use crate::browser_portal::{axe, axe_source};
use crate::browser_vuln::status;
use fantoccini::Locator;

const HANAKO: &str = "hanako@example.jp";
const IPA_STAFF: &str = "intake@ipa.example.jp";
const MOMIJI: &str = "owner@momiji-shop.example.jp";
const HINOKI: &str = "psirt@hinoki-soft.example.jp";
const SECRET: &str = "発見 三郎";
const NATURE: &str = "商品検索の SQL インジェクション";

async fn scan(w: &World, axe_js: Option<&str>, out: &mut Vec<String>) {
    if let Some(js) = axe_js {
        let url = w.c.current_url().await.unwrap().to_string();
        for v in axe(w, js).await {
            out.push(format!("{url}: {v}"));
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[allow(clippy::zombie_processes)] // children are reaped by `Kill`
async fn website_report_to_operator_in_stages_to_fixed() {
    let Some(w) = world().await else { return };
    let axe_js = axe_source();
    let mut violations = Vec::new();

    // The discoverer files a website report (Ⅵ 1.(2): the website's name and URL).
    w.sign_in(HANAKO).await;
    w.go("/vuln/new").await;
    scan(&w, axe_js.as_deref(), &mut violations).await;
    w.click("#f-lawful").await;
    fill(
        &w.c,
        "/vuln/new",
        &[
            ("kind", "website"),
            ("name", SECRET),
            ("contact", "saburo@example.jp"),
            ("site_name", "もみじ商店"),
            ("site_url", "https://momiji-shop.example.jp/search"),
            ("nature", NATURE),
            ("verification", "検索欄に ' OR 1=1 -- を入れる"),
            ("how", "買い物中に気づいた"),
        ],
    )
    .await;
    wait_for(&w.c, "届け出ました").await;
    let url = w.c.current_url().await.unwrap();
    let id: i64 = url.path().trim_start_matches("/vuln/").parse().unwrap();
    let case = format!("/vuln/{id}");

    // IPA accepts and notifies the operator, linking the operator's organization.
    w.sign_in(IPA_STAFF).await;
    let page = w.go(&case).await;
    assert!(
        page.contains(SECRET),
        "the receiving body sees the identity"
    );
    fill(&w.c, &format!("{case}/accept"), &[]).await;
    wait_for(&w.c, "記録しました").await;
    let org =
        w.c.find(Locator::XPath(
            "//select[@name='operator_org']/option[contains(text(), 'もみじ商店')]",
        ))
        .await
        .unwrap()
        .attr("value")
        .await
        .unwrap()
        .unwrap();
    scan(&w, axe_js.as_deref(), &mut violations).await;
    fill(
        &w.c,
        &format!("{case}/notify_operator"),
        &[
            ("contact", "info@momiji-shop.example.jp"),
            ("operator_org", &org),
        ],
    )
    .await;
    wait_for(&w.c, "運営者に通知済み").await;

    // The operator sees the URL only, then answers.
    w.sign_in(MOMIJI).await;
    let page = w.go(&case).await;
    assert!(page.contains("https://momiji-shop.example.jp/search"));
    assert!(page.contains("url-only"));
    assert!(!page.contains(NATURE), "no details before answering");
    assert!(!page.contains(SECRET) && !page.contains("saburo@example.jp"));
    scan(&w, axe_js.as_deref(), &mut violations).await;
    fill(
        &w.c,
        &format!("{case}/operator_answered"),
        &[("contact_window", "security@momiji-shop.example.jp")],
    )
    .await;
    wait_for(&w.c, "記録しました").await;
    assert!(!w.c.source().await.unwrap().contains(NATURE));

    // IPA sends the details.
    w.sign_in(IPA_STAFF).await;
    w.go(&case).await;
    fill(&w.c, &format!("{case}/send_details"), &[]).await;
    wait_for(&w.c, "運営者が検証中").await;

    // The operator now sees the details, still not the discoverer, and reports the fix.
    w.sign_in(MOMIJI).await;
    let page = w.go(&case).await;
    assert!(page.contains(NATURE));
    assert!(!page.contains(SECRET));
    scan(&w, axe_js.as_deref(), &mut violations).await;
    fill(
        &w.c,
        &format!("{case}/operator_fixed"),
        &[("statement", "プレースホルダを使うよう修正しました")],
    )
    .await;
    wait_for(&w.c, "修正済み").await;

    // The discoverer is told: 修正済み (Ⅵ 2.(6)), on the case and on the list.
    w.sign_in(HANAKO).await;
    let page = w.go(&case).await;
    assert!(page.contains("修正済み"), "{page}");
    assert!(
        !page.contains("プレースホルダ"),
        "the operator's note stays"
    );
    scan(&w, axe_js.as_deref(), &mut violations).await;
    let list = w.go("/vuln").await;
    assert!(list.contains("［ウェブサイト］"));

    // An outsider: 404. Nothing of it is public, ever.
    w.sign_in(HINOKI).await;
    let page = w.go(&case).await;
    assert!(page.contains("not-found"), "{page}");
    assert_eq!(status(&w.base, &format!("/advisories/{id}")), 404);
    assert_eq!(status(&w.base, &format!("/advisories/{id}/csaf.json")), 404);
    assert!(violations.is_empty(), "axe: {violations:#?}");
}
