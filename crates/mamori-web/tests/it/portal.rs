//! The public portal over HTTP, as a visitor without an account and as editors:
//! the home page, display modes, the victim wizard's paths on hand-checked cases and
//! its hand-over to the intake forms, self-check scoring on a hand-scored answer set
//! (nothing stored), the editorial four-eyes rule, stale materials, alerts and feeds.

use crate::client::{App, Browser, PASSWORD, Resp, app};
use axum::http::StatusCode;
use mamori_service::authz::Caller;
use mamori_store::OrgKind;

fn between<'a>(s: &'a str, start: &str, end: &str) -> &'a str {
    let i = s.find(start).unwrap_or_else(|| panic!("no {start} in {s}"));
    let rest = &s[i..];
    &rest[..rest.find(end).map_or(rest.len(), |j| j + end.len())]
}

async fn person(a: &App, org_kind: OrgKind, email: &str, role: &str) -> Browser {
    let org = match a
        .svc
        .store()
        .orgs()
        .await
        .unwrap()
        .into_iter()
        .find(|o| o.kind == org_kind)
    {
        Some(o) => o.id,
        None => {
            a.svc
                .create_org(Caller::Console, "株式会社さくら", org_kind.as_str(), None)
                .await
                .unwrap()
                .id
        }
    };
    a.svc
        .create_user(Caller::Console, org, email, email, role)
        .await
        .unwrap();
    a.svc
        .set_password_as_console(email, PASSWORD)
        .await
        .unwrap();
    let mut b = Browser::new(a.router.clone());
    let r = b.sign_in(email, PASSWORD).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{email}: {}", r.body);
    b
}

async fn editors(a: &App) -> (Browser, Browser) {
    (
        person(a, OrgKind::Platform, "editor1@mamori.example", "editor").await,
        person(a, OrgKind::Platform, "editor2@mamori.example", "editor").await,
    )
}

fn assert_public(path: &str, r: &Resp) {
    assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.body);
    assert!(!r.body.contains("<script"), "{path}: no script");
    assert!(!r.body.contains(" style="), "{path}: no inline style");
    assert!(r.body.contains(r#"<html lang="ja""#), "{path}");
}

#[tokio::test]
async fn a_visitor_without_an_account_reaches_the_portal_and_every_public_page() {
    let a = app().await;
    let mut b = Browser::new(a.router.clone());
    let r = b.get("/").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.header("location"), "/portal");
    let home = b.get("/portal").await;
    assert_public("/portal", &home);
    for want in [
        "被害に遭ったら",
        "まず最低限これだけ",
        "入れて、動かす、セキュリティソフト",
        "更新は、あとでより、今すぐに",
        "パスワード、長く・別々に",
        "ログインに、もうひとつの鍵",
        "メールのリンク、押す前に確かめる",
        r#"href="/portal/victim""#,
        r#"href="/portal/for/sme""#,
        r#"href="/portal/for/children""#,
        r#"href="/portal/easy""#,
    ] {
        assert!(home.body.contains(want), "{want}");
    }
    for path in [
        "/portal/minimum",
        "/portal/easy",
        "/portal/kids",
        "/portal/victim",
        "/portal/victim?step=1",
        "/portal/materials",
        "/portal/alerts",
        "/portal/links",
        "/portal/selfcheck",
        "/portal/selfcheck/user",
        "/portal/selfcheck/admin",
        "/portal/selfcheck/provider",
        "/portal/selfcheck/supplier",
        "/portal/selfcheck/sme",
        "/portal/for/children",
        "/portal/for/general",
        "/portal/for/executives",
        "/portal/for/sme",
        "/portal/for/government",
        "/portal/for/administrators",
    ] {
        assert_public(path, &b.get(path).await);
    }
    // Ruby readings on the children's page.
    assert!(
        b.get("/portal/kids")
            .await
            .body
            .contains("<ruby>防<rt>ふせ</rt></ruby>")
    );
    // The self-check forms carry the item numbers and every item.
    let admin = b.get("/portal/selfcheck/admin").await.body;
    assert_eq!(admin.matches(r#"class="question""#).count(), 58);
    assert!(admin.contains(r#"<span class="itemno">(4)-18</span>"#));
    assert_eq!(
        b.get("/portal/for/nobody").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        b.get("/portal/selfcheck/nope").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn large_text_and_high_contrast_from_the_query_or_a_cookie() {
    let a = app().await;
    let mut b = Browser::new(a.router.clone());
    let r = b.get("/portal/minimum?large=1&contrast=1").await;
    assert!(
        r.body
            .contains(r#"<html lang="ja" class="large contrast">"#)
    );
    let r = b.get("/prefs?contrast=1&back=/portal/minimum").await;
    assert_eq!(r.header("location"), "/portal/minimum");
    let r = b.get("/portal/minimum").await;
    assert!(r.body.contains(r#"class="contrast""#), "the cookie holds");
    assert!(
        r.body
            .contains(r#"href="/prefs?large=1&amp;back=/portal/minimum""#)
    );
    assert!(
        b.get("/static/app.css")
            .await
            .body
            .contains("html.contrast")
    );
}

/// Walks the wizard: every step is a GET form carrying the earlier answers.
async fn wizard(b: &mut Browser, answers: &[(&str, &str)]) -> Resp {
    let q: Vec<String> = answers.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let q = q.join("&");
    for step in 1..=4 {
        let r = b.get(&format!("/portal/victim?step={step}&{q}")).await;
        assert_eq!(r.status, StatusCode::OK, "step {step}");
        assert!(r.body.contains(&format!("質問 {step} / 4")), "step {step}");
    }
    b.get(&format!("/portal/victim?step=5&{q}")).await
}

fn fit<'a>(body: &'a str, body_code: &str) -> &'a str {
    between(body, &format!(r#"id="advice-{body_code}""#), "</h3>")
}

#[tokio::test]
async fn the_wizard_names_the_right_window_on_hand_checked_cases() {
    let a = app().await;
    let mut b = Browser::new(a.router.clone());
    // A phishing site still up: tell the police now, JPCERT/CC to have it closed.
    let r = wizard(
        &mut b,
        &[
            ("what_happened", "phishing_site"),
            ("ongoing", "phishing_site_up"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains(r#"id="urgent""#), "urgent banner");
    assert!(fit(&r.body, "police").contains("fit-recommended"));
    assert!(fit(&r.body, "jpcert_cc").contains("fit-recommended"));
    assert!(r.body.contains(r#"id="prepare""#) && r.body.contains(r#"id="preserve""#));
    // Someone logged in and money was lost: police and IPA, no urgency.
    let r = wizard(
        &mut b,
        &[
            ("what_happened", "unauthorized_login"),
            ("money_lost", "yes"),
        ],
    )
    .await;
    assert!(!r.body.contains(r#"id="urgent""#));
    assert!(fit(&r.body, "police").contains("fit-recommended"));
    assert!(fit(&r.body, "ipa").contains("fit-recommended"));
    assert!(fit(&r.body, "jpcert_cc").contains("fit-not-needed"));
    let summary = between(&r.body, r#"id="summary""#, "</p>");
    assert!(
        summary.contains("警察") && summary.contains("IPA"),
        "{summary}"
    );
    // Only scans: nowhere to report now.
    let r = wizard(&mut b, &[("what_happened", "scans")]).await;
    for body in ["police", "ipa", "jpcert_cc"] {
        assert!(!fit(&r.body, body).contains("fit-recommended"), "{body}");
    }
    assert!(between(&r.body, r#"id="summary""#, "</p>").contains("すぐに届け出る先はありません"));
    // A tampered answer goes back to its step with the error in place.
    let r = b.get("/portal/victim?step=5&money_lost=perhaps").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("質問 2 / 4") && r.body.contains("field-error"));
}

#[tokio::test]
async fn the_wizard_hands_its_answers_over_to_the_intake_forms() {
    let a = app().await;
    let mut b = Browser::new(a.router.clone());
    let r = wizard(
        &mut b,
        &[
            ("what_happened", "unauthorized_login"),
            ("money_lost", "yes"),
        ],
    )
    .await;
    // Anonymous: the consultation questionnaire, prefilled.
    let handover = between(
        &r.body,
        r#"<form method="post" action="/consult">"#,
        "</form>",
    );
    assert!(handover.contains(r#"name="what_happened" value="unauthorized_login""#));
    let csrf = r.field("csrf");
    let r = b
        .post(
            "/consult",
            &[
                ("csrf", &csrf),
                ("what_happened", "unauthorized_login"),
                ("money_lost", "yes"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains(
        r#"id="q-what_happened-unauthorized_login" name="what_happened" value="unauthorized_login" checked"#
    ));
    assert!(
        r.body
            .contains(r#"id="q-money_lost-yes" name="money_lost" value="yes" checked"#)
    );
    // A signed-in reporter: a draft with these answers.
    let mut rep = person(
        &a,
        OrgKind::AccessAdministrator,
        "reporter@sakura.example",
        "reporter",
    )
    .await;
    let r = wizard(
        &mut rep,
        &[
            ("what_happened", "unauthorized_login"),
            ("money_lost", "yes"),
        ],
    )
    .await;
    let form = between(
        &r.body,
        r#"<form method="post" action="/reports">"#,
        "</form>",
    );
    let csrf = between(form, r#"name="csrf" value=""#, "\">")
        .trim_start_matches(r#"name="csrf" value=""#)
        .trim_end_matches("\">")
        .to_string();
    let r = rep
        .post(
            "/reports",
            &[
                ("csrf", &csrf),
                ("what_happened", "unauthorized_login"),
                ("money_lost", "yes"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let edit = r.header("location").to_string();
    assert!(edit.ends_with("/edit?step=1"), "{edit}");
    let all = rep.get(&edit.replace("?step=1", "?view=all")).await;
    assert!(all.body.contains(
        r#"id="q-what_happened-unauthorized_login" name="what_happened" value="unauthorized_login" checked"#
    ));
}

#[tokio::test]
async fn a_self_check_is_scored_by_hand_and_kept_only_when_saved() {
    let a = app().await;
    let mut b = Browser::new(a.router.clone());
    // The hand-scored set of mamori-core's test: 5 of 10 applicable, gaps in order.
    let answers = [
        ("q1-1", "yes"),
        ("q1-2", "no"),
        ("q1-3", "yes"),
        ("q1-4", "na"),
        ("q1-5", "no"),
        ("q2-1", "no"),
        ("q2-3", "yes"),
        ("q3-1", "yes"),
        ("q3-2", "no"),
        ("q3-3", "na"),
        ("q3-4", "yes"),
    ];
    let r = b.post("/portal/selfcheck/sme", &answers).await;
    assert_public("/portal/selfcheck/sme (result)", &r);
    assert!(between(&r.body, r#"id="total""#, "</p>").contains("5 / 10 (50%)"));
    let rows = between(&r.body, r#"id="sections""#, "</table>");
    for cells in [
        "<td>2 / 4</td><td>50%</td>",
        "<td>1 / 3</td><td>33%</td>",
        "<td>2 / 3</td><td>66%</td>",
    ] {
        assert!(rows.contains(cells), "{cells}: {rows}");
    }
    let gaps = between(&r.body, r#"id="gaps""#, "</ol>");
    let order: Vec<usize> = ["(1)-2", "(2)-1", "(3)-2", "(1)-5", "(2)-2"]
        .iter()
        .map(|n| gaps.find(n).unwrap_or_else(|| panic!("{n} in {gaps}")))
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    assert!(gaps.contains("/portal/materials?topic=malware"));
    assert!(r.body.contains(r#"id="not-stored""#));
    assert!(
        r.headers.get("set-cookie").is_none(),
        "nothing kept in a cookie either"
    );
    let log = a.svc.store().audit_page(0, 1000).await.unwrap();
    assert!(!log.iter().any(|e| e.action == "selfcheck_save"));

    // Signed in, the person may keep it.
    let mut rep = person(
        &a,
        OrgKind::AccessAdministrator,
        "reporter@sakura.example",
        "reporter",
    )
    .await;
    let r = rep.post("/portal/selfcheck/sme", &answers).await;
    let csrf = between(&r.body, r#"action="/portal/selfcheck/sme/save""#, "</form>");
    let csrf = between(csrf, r#"name="csrf" value=""#, "\">")
        .trim_start_matches(r#"name="csrf" value=""#)
        .trim_end_matches("\">")
        .to_string();
    let mut form: Vec<(&str, &str)> = answers.to_vec();
    form.push(("csrf", &csrf));
    let r = rep.post("/portal/selfcheck/sme/save", &form).await;
    assert_eq!(r.header("location"), "/portal/selfcheck/saved");
    let saved = rep.get("/portal/selfcheck/saved").await;
    assert!(between(&saved.body, r#"id="saved""#, "</ul>").contains("5 / 10 (50%)"));
    // Without the session's token nothing is saved.
    let r = rep.post("/portal/selfcheck/sme/save", &answers).await;
    assert_ne!(r.status, StatusCode::SEE_OTHER);
}

async fn csrf_of(b: &mut Browser, path: &str) -> String {
    b.get(path).await.field("csrf")
}

/// Creates an item through the form; returns its id.
async fn create(b: &mut Browser, kind: &str, fields: &[(&str, &str)]) -> i64 {
    let csrf = csrf_of(b, &format!("/portal/edit/new/{kind}")).await;
    let mut form = fields.to_vec();
    form.push(("csrf", &csrf));
    let r = b.post(&format!("/portal/edit/new/{kind}"), &form).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    r.header("location")
        .trim_start_matches("/portal/edit/")
        .parse()
        .unwrap()
}

async fn act(b: &mut Browser, id: i64, action: &str) -> Resp {
    let page = b.get(&format!("/portal/edit/{id}")).await;
    let version = page.field("version");
    let csrf = page.field("csrf");
    b.post(
        &format!("/portal/edit/{id}/{action}"),
        &[("csrf", &csrf), ("version", &version), ("note", "")],
    )
    .await
}

#[tokio::test]
async fn editors_publish_through_review_by_a_second_editor() {
    let a = app().await;
    let (mut e1, mut e2) = editors(&a).await;
    // A reporter has no editing pages.
    let mut rep = person(
        &a,
        OrgKind::AccessAdministrator,
        "reporter@sakura.example",
        "reporter",
    )
    .await;
    assert_eq!(rep.get("/portal/edit").await.status, StatusCode::NOT_FOUND);
    // Field errors in place.
    let csrf = csrf_of(&mut e1, "/portal/edit/new/material").await;
    let r = e1
        .post(
            "/portal/edit/new/material",
            &[("csrf", &csrf), ("url", "javascript:x")],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains(r#"id="err-url""#) && r.body.contains(r#"id="err-title""#));

    let publisher = create(
        &mut e1,
        "publisher",
        &[
            ("name", "情報セキュリティ普及協会"),
            ("kind", "nonprofit"),
            ("url", "https://example.org/"),
            ("contact", "info@example.org"),
            ("criteria_note", "連絡先を確認した"),
        ],
    )
    .await;
    assert_eq!(
        act(&mut e1, publisher, "submit").await.status,
        StatusCode::SEE_OTHER
    );
    // The author cannot publish their own item (no button, and a forged post is
    // refused with the reason).
    let version = e2
        .get(&format!("/portal/edit/{publisher}"))
        .await
        .field("version");
    let csrf = csrf_of(&mut e1, "/portal/edit").await;
    let r = e1
        .post(
            &format!("/portal/edit/{publisher}/publish"),
            &[("csrf", &csrf), ("version", &version)],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("別の編集者が確認して公開します"));
    let page = e1.get(&format!("/portal/edit/{publisher}")).await;
    assert!(between(&page.body, r#"id="item-state""#, "</dd>").contains("確認待ち"));
    assert!(
        !page.body.contains(r#"/publish""#),
        "no publish button for the author"
    );
    assert_eq!(
        act(&mut e2, publisher, "publish").await.status,
        StatusCode::SEE_OTHER
    );

    let p = publisher.to_string();
    let material = create(
        &mut e1,
        "material",
        &[
            ("title", "パスワードの決め方"),
            ("summary", "長く、使い回さないパスワード。"),
            ("audiences", "general"),
            ("audiences", "children"),
            ("topic", "passwords"),
            ("format", "pdf"),
            ("language", "ja"),
            ("url", "https://example.org/pw.pdf"),
            ("terms", "自由に印刷できます"),
            ("citation", "普及協会「パスワードの決め方」"),
            ("publisher", &p),
            ("review_by", "2026-03-15"),
        ],
    )
    .await;
    let mut anon = Browser::new(a.router.clone());
    assert!(
        !anon
            .get("/portal/materials")
            .await
            .body
            .contains("パスワードの決め方")
    );
    act(&mut e1, material, "submit").await;
    // Sent back with a note, fixed, sent again, published.
    let page = e2.get(&format!("/portal/edit/{material}")).await;
    let r = e2
        .post(
            &format!("/portal/edit/{material}/return"),
            &[
                ("csrf", &page.field("csrf")),
                ("version", &page.field("version")),
                ("note", "対象に高齢の方も"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(
        e1.get(&format!("/portal/edit/{material}"))
            .await
            .body
            .contains("対象に高齢の方も")
    );
    act(&mut e1, material, "submit").await;
    assert_eq!(
        act(&mut e2, material, "publish").await.status,
        StatusCode::SEE_OTHER
    );

    // Public now; 2026-03-15 is past (the clock says 2026-04-01): marked stale.
    let list = anon
        .get("/portal/materials?audience=children&topic=passwords")
        .await;
    assert!(list.body.contains("パスワードの決め方"));
    assert!(list.body.contains(r#"class="tag stale""#));
    assert!(
        !anon
            .get("/portal/materials?topic=backup")
            .await
            .body
            .contains("パスワードの決め方")
    );
    let detail = anon.get(&format!("/portal/materials/{material}")).await;
    assert_public("material", &detail);
    assert!(
        detail.body.contains("自由に印刷できます")
            && detail.body.contains("情報セキュリティ普及協会")
    );
    // Ninety days after the review date it leaves the public list.
    a.clock.advance(time::Duration::days(90));
    assert!(
        !anon
            .get("/portal/materials")
            .await
            .body
            .contains("パスワードの決め方")
    );
    assert_eq!(
        anon.get(&format!("/portal/materials/{material}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // Every step is in the audit log.
    let log = a.svc.store().audit_page(0, 10_000).await.unwrap();
    let actions: Vec<&str> = log
        .iter()
        .filter(|e| e.object == format!("portal:{material}"))
        .map(|e| e.action.as_str())
        .collect();
    assert_eq!(
        actions,
        vec![
            "portal_create",
            "portal_submit",
            "portal_return",
            "portal_submit",
            "portal_publish"
        ]
    );
}

#[tokio::test]
async fn urgent_alerts_show_as_a_banner_and_in_the_atom_feed() {
    let a = app().await;
    let (mut e1, mut e2) = editors(&a).await;
    let id = create(
        &mut e1,
        "alert",
        &[
            ("title_ja", "偽の宅配便 SMS に注意"),
            ("title_en", "Fake parcel texts"),
            ("body_ja", "リンクを押さないでください。"),
            ("body_en", "Do not follow the link."),
            ("audiences", "general"),
            ("urgent", "1"),
        ],
    )
    .await;
    act(&mut e1, id, "submit").await;
    act(&mut e2, id, "publish").await;
    let mut anon = Browser::new(a.router.clone());
    let home = anon.get("/portal").await;
    let banner = between(&home.body, r#"id="urgent-alerts""#, "</section>");
    assert!(banner.contains("偽の宅配便 SMS に注意"));
    let atom = anon.get("/portal/alerts.atom").await;
    assert!(
        atom.header("content-type")
            .starts_with("application/atom+xml")
    );
    assert!(
        atom.body
            .contains("<title>偽の宅配便 SMS に注意 / Fake parcel texts</title>")
    );
    assert!(
        atom.body
            .contains(&format!("http://mamori.test/portal/alerts/{id}"))
    );
    let en = anon.get("/prefs?lang=en&back=/portal").await;
    assert_eq!(en.header("location"), "/portal");
    let detail = anon.get(&format!("/portal/alerts/{id}")).await;
    assert!(detail.body.contains("<h1>Fake parcel texts</h1>"));
    assert!(detail.body.contains(r#"<section lang="ja""#));
    // Withdrawn: gone from the banner.
    act(&mut e2, id, "withdraw").await;
    assert!(!anon.get("/portal").await.body.contains("urgent-alerts"));
}

#[tokio::test]
async fn the_links_directory_is_a_page_a_json_feed_and_a_snippet() {
    let a = app().await;
    let mut b = Browser::new(a.router.clone());
    let page = b.get("/portal/links").await;
    assert!(page.body.contains("https://www.jpcert.or.jp/"));
    let json = b.get("/portal/links.json").await;
    assert_eq!(json.header("access-control-allow-origin"), "*");
    let v: serde_json::Value = serde_json::from_str(&json.body).unwrap();
    assert_eq!(v["version"], 1);
    let links = v["links"].as_array().unwrap();
    assert!(links.len() >= 5);
    assert!(
        links
            .iter()
            .any(|l| l["id"] == "ipa_report" && l["window"] == true)
    );
    assert!(
        links
            .iter()
            .all(|l| l["name"]["ja"].is_string() && l["holds"]["en"].is_string())
    );
    let snip = b.get("/portal/links/snippet.html").await;
    assert!(snip.body.starts_with(r#"<nav class="mamori-links""#));
    assert!(!snip.body.contains("<script") && !snip.body.contains("style="));
    // The page shows the same fragment, escaped, to copy.
    assert!(page.body.contains("&lt;nav class=&quot;mamori-links&quot;"));
}

#[tokio::test]
async fn an_editor_uploads_a_material_file_that_is_served_as_a_safe_download_after_review() {
    let a = app().await;
    let (mut e1, mut e2) = editors(&a).await;
    let publisher = create(
        &mut e1,
        "publisher",
        &[
            ("name", "情報セキュリティ普及協会"),
            ("kind", "nonprofit"),
            ("url", "https://example.org/"),
            ("contact", "info@example.org"),
            ("criteria_note", "連絡先を確認した"),
        ],
    )
    .await;
    act(&mut e1, publisher, "submit").await;
    act(&mut e2, publisher, "publish").await;
    let p = publisher.to_string();
    // A material with no link: its file is what readers get.
    let material = create(
        &mut e1,
        "material",
        &[
            ("title", "家族で決めるパスワードのルール"),
            ("summary", "印刷して冷蔵庫に貼れる1枚のメモ。"),
            ("audiences", "general"),
            ("topic", "passwords"),
            ("format", "checklist"),
            ("language", "ja"),
            ("terms", "自由に印刷できます"),
            ("publisher", &p),
            ("review_by", "2099-03-15"),
        ],
    )
    .await;
    // Not ready for review without a file or link.
    let r = act(&mut e1, material, "submit").await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(
        r.body.contains("ファイルをアップロードしてから"),
        "{}",
        r.body
    );
    let page = e1.get(&format!("/portal/edit/{material}")).await;
    assert!(page.body.contains(r#"enctype="multipart/form-data""#));
    let upload_path = |page: &Resp| {
        format!(
            "/portal/edit/{material}/file?csrf={}&version={}",
            page.field("csrf"),
            page.field("version")
        )
    };
    // HTML dressed as text is refused with the reason, in place.
    let r = e1
        .post_file(
            &upload_path(&page),
            "memo.txt",
            b"<html><script>alert(1)</script>",
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.body.contains("中身が名前（拡張子）と合いません"),
        "{}",
        r.body
    );
    // Without the CSRF token nothing is stored.
    let r = e1
        .post_file(
            &format!("/portal/edit/{material}/file?csrf=x&version=1"),
            "memo.txt",
            b"x",
        )
        .await;
    assert_ne!(r.status, StatusCode::SEE_OTHER);
    let text = "パスワードは家族で別々に。\n二段階認証を使う。\n";
    let r = e1
        .post_file(&upload_path(&page), "家族のルール.txt", text.as_bytes())
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = e1.get(&format!("/portal/edit/{material}")).await;
    assert!(page.body.contains(r#"id="current-file""#) && page.body.contains("家族のルール.txt"));
    // Nobody outside sees it before a second editor publishes it.
    let mut anon = Browser::new(a.router.clone());
    let path = format!("/portal/materials/{material}/file");
    assert_eq!(anon.get(&path).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        act(&mut e1, material, "submit").await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        act(&mut e2, material, "publish").await.status,
        StatusCode::SEE_OTHER
    );
    let page = anon.get(&format!("/portal/materials/{material}")).await;
    assert!(
        page.body.contains(&format!(r#"href="{path}""#)),
        "{}",
        page.body
    );
    assert!(
        !page.body.contains("外部サイト"),
        "no link button without a link"
    );
    let f = anon.get(&path).await;
    assert_eq!(f.status, StatusCode::OK);
    assert_eq!(f.body, text);
    assert_eq!(f.header("content-type"), "text/plain; charset=utf-8");
    assert_eq!(f.header("x-content-type-options"), "nosniff");
    let cd = f.header("content-disposition");
    assert!(cd.starts_with("attachment; "), "{cd}");
    assert!(
        cd.contains(&format!(r#"filename="material-{material}.txt""#)),
        "{cd}"
    );
    assert!(cd.contains("filename*=UTF-8''%E5%AE%B6"), "{cd}");
    assert!(f.header("content-security-policy").contains("sandbox"));
}

#[tokio::test]
async fn the_npsc_guideline_self_check_uses_the_same_pages_with_its_own_numbering() {
    let a = app().await;
    let mut b = Browser::new(a.router.clone());
    let index = b.get("/portal/selfcheck").await;
    assert!(index.body.contains(r#"href="/portal/selfcheck/npsc_user""#));
    assert!(
        index
            .body
            .contains("国家公安委員会の指針）</a> <span class=\"muted\">(21 項目)")
    );
    let form = b.get("/portal/selfcheck/npsc_user").await;
    assert_public("/portal/selfcheck/npsc_user", &form);
    assert_eq!(
        form.body.matches(r#"<fieldset class="question""#).count(),
        21
    );
    assert!(form.body.contains(r#"<span class="itemno">7-(4)</span>"#));
    // The core's hand-scored set: 3 of 20 applicable; "no" items first.
    let r = b
        .post(
            "/portal/selfcheck/npsc_user",
            &[
                ("q1-1", "yes"),
                ("q1-2", "no"),
                ("q1-3", "na"),
                ("q6-1", "no"),
                ("q8-1", "yes"),
                ("q8-2", "yes"),
            ],
        )
        .await;
    assert!(between(&r.body, r#"id="total""#, "</p>").contains("3 / 20"));
    let gaps = between(&r.body, r#"id="gaps""#, "</ol>");
    let order: Vec<usize> = ["1-(2)", "6-(1)", "2-(1)", "4-(1)"]
        .iter()
        .map(|n| gaps.find(n).unwrap_or_else(|| panic!("{n} in {gaps}")))
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
}
