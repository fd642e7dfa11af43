//! What people read on the pages (issue 15): the 404 page, names of roles,
//! organization kinds and audit actions in Japanese with English, who acted in
//! the audit log, times in JST, amounts with separators, the urgent warning at
//! the top of the form, a scan summary as a list of line pairs, the report
//! before the actions on a case page.

use crate::client::{Browser, PASSWORD, actor, app};
use crate::intake::{complete, filed, people};
use axum::http::StatusCode;
use mamori_service::intake::{DraftInput, SubmitTo};
use mamori_store::{ReportId, ReportKind};

/// The position of `needle` in `hay`, failing with the page when missing.
fn at(hay: &str, needle: &str) -> usize {
    hay.find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in {hay}"))
}

#[tokio::test]
async fn unknown_addresses_and_missing_reports_get_the_japanese_404_page() {
    let a = app().await;
    let mut anon = Browser::new(a.router.clone());
    let r = anon.get("/no/such/page").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // In the site's layout, Japanese first, English beneath, a way back.
    assert!(
        r.body
            .contains(r#"<link rel="stylesheet" href="/static/app.css">"#)
    );
    assert!(
        at(&r.body, "お探しのページは見つかりませんでした") < at(&r.body, "was not found"),
        "{}",
        r.body
    );
    assert!(r.body.contains(r#"<a href="/">"#) && r.body.contains("E-ACCESS-404"));
    // An object that does not exist (or may not be seen) gets the same page.
    let [mut rep, ..] = people(&a).await;
    let r = rep.get("/reports/987654").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.body.contains("お探しのページは見つかりませんでした"));
    // Under /api/ it stays JSON.
    let r = anon.get("/api/v1/nothing-here").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let j: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(j["error"]["code"], "E-ACCESS-404");
}

#[tokio::test]
async fn roles_kinds_and_actions_are_named_and_the_audit_log_shows_who() {
    let a = app().await;
    let [mut rep, ..] = people(&a).await;
    a.svc
        .set_password_as_console("admin@mamori.example", PASSWORD)
        .await
        .unwrap();
    let mut admin = Browser::new(a.router.clone());
    admin.sign_in("admin@mamori.example", PASSWORD).await;
    let page = admin.get("/admin").await;
    assert_eq!(page.status, StatusCode::OK);
    // The forms' choices in words; the values stay the stable names.
    assert!(
        page.body
            .contains(r#"<option value="reporter">報告担当者（Reporter）</option>"#),
        "{}",
        page.body
    );
    assert!(page.body.contains(
        r#"<option value="access_administrator">アクセス管理者（Access administrator）</option>"#
    ));
    // The audit table: who (name and e-mail, or the system), the action in words.
    let audit = &page.body[at(&page.body, r#"id="audit""#)..];
    let audit = &audit[..at(audit, "</table>")];
    assert!(audit.contains("実行者"), "{audit}");
    let sign_in_row = audit
        .split("<tr>")
        .find(|r| r.contains("a@a.example"))
        .unwrap_or_else(|| panic!("the reporter's sign-in: {audit}"));
    assert!(sign_in_row.contains("ログイン（Sign-in）"), "{sign_in_row}");
    assert!(sign_in_row.contains("株式会社A"), "the name: {sign_in_row}");
    assert!(
        audit
            .split("<tr>")
            .any(|r| r.contains("組織の追加（Organization added）") && r.contains("システム")),
        "console actions are the system's: {audit}"
    );
    // English readers get English first.
    admin.cookies.insert("lang".into(), "en".into());
    let en = admin.get("/admin").await;
    assert!(en.body.contains("Sign-in (ログイン)"), "{}", en.body);

    // The person's own pages.
    let home = rep.get("/").await;
    assert!(
        home.body.contains("報告担当者（Reporter）"),
        "{}",
        home.body
    );
    let orgs = rep.get("/orgs").await;
    assert!(
        orgs.body.contains("アクセス管理者（Access administrator）"),
        "{}",
        orgs.body
    );
    let hist = rep.get("/me/history").await;
    assert!(hist.body.contains("ログイン（Sign-in）"), "{}", hist.body);
    assert!(hist.body.contains("a@a.example"), "who: {}", hist.body);
}

#[tokio::test]
async fn times_are_in_jst_and_amounts_have_separators() {
    let a = app().await;
    let [mut rep, ..] = people(&a).await;
    let who = actor(&a, "a@a.example").await;
    let mut answers = complete();
    answers.set("discovered_at", vec!["2026-03-01T12:00:00Z".into()]);
    answers.set("money_lost", vec!["yes".into()]);
    answers.set("money_amount", vec!["1234567".into()]);
    let r = a
        .svc
        .create_draft(
            &who,
            DraftInput {
                kind: None,
                title: "送金被害".into(),
                answers,
            },
        )
        .await
        .unwrap();
    a.svc
        .submit_report(
            &who,
            r.id,
            &[SubmitTo::body(mamori_core::guideline::Body::Ipa)],
        )
        .await
        .unwrap();
    let page = rep.get(&format!("/reports/{}", r.id.0)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("1,234,567 円"), "{}", page.body);
    assert!(!page.body.contains("1234567"));
    // An answer given in UTC, and the history's times (the clock: 09:00 UTC).
    assert!(page.body.contains("2026-03-01 21:00 JST"), "{}", page.body);
    assert!(page.body.contains("2026-04-01 18:00 JST"), "{}", page.body);
    assert!(!page.body.contains("日本時間"));
    let list = rep.get("/reports").await;
    assert!(list.body.contains("2026-04-01 18:00 JST"), "{}", list.body);
}

#[tokio::test]
async fn the_urgent_police_warning_is_at_the_top_of_the_form() {
    let a = app().await;
    let [mut rep, ..] = people(&a).await;
    let who = actor(&a, "a@a.example").await;
    let mut answers = complete();
    answers.set("money_moving_now", vec!["yes".into()]);
    let r = a
        .svc
        .create_draft(
            &who,
            DraftInput {
                kind: None,
                title: "今も送金されている".into(),
                answers,
            },
        )
        .await
        .unwrap();
    for view in ["step=1", "step=3", "view=all"] {
        let page = rep.get(&format!("/reports/{}/edit?{view}", r.id.0)).await;
        let urgent = at(&page.body, r#"id="urgent""#);
        let form = at(
            &page.body,
            &format!(r#"<form method="post" action="/reports/{}/edit""#, r.id.0),
        );
        assert!(urgent < form, "{view}: {}", page.body);
        assert!(page.body.contains("110"));
        assert_eq!(page.body.matches(r#"id="urgent""#).count(), 1, "once");
    }
}

#[tokio::test]
async fn a_scan_summary_reads_as_a_list_of_japanese_and_english_line_pairs() {
    let a = app().await;
    let [mut rep, ..] = people(&a).await;
    let who = actor(&a, "a@a.example").await;
    let scan = serde_json::json!({"schema_version": "1", "findings": [
        {"rule": "MAM-A001", "category": "identifier_misuse", "severity": "high",
         "title": {"ja": "SSH のパスワード総当たり", "en": "SSH password guessing"},
         "count": 120, "sources": ["192.0.2.1", "192.0.2.2"], "accounts": ["root"],
         "first_seen": "2026-03-01T01:00:00Z", "last_seen": "2026-03-01T02:30:00Z",
         "succeeded": true, "service": "ssh"}]});
    let draft = a
        .svc
        .create_draft_from_scan(&who, scan.to_string().as_bytes())
        .await
        .unwrap();
    let v = a.svc.report_view(&who, draft.id).await.unwrap();
    a.svc
        .save_draft(
            &who,
            draft.id,
            DraftInput {
                kind: Some(ReportKind::Consultation),
                title: v.report.title.clone(),
                answers: v.answers.clone(),
            },
        )
        .await
        .unwrap();
    a.svc
        .submit_report(
            &who,
            ReportId(draft.id.0),
            &[SubmitTo::body(mamori_core::guideline::Body::Ipa)],
        )
        .await
        .unwrap();
    let page = rep.get(&format!("/reports/{}", draft.id.0)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    // One finding, one list item: the Japanese line, then the English one.
    assert!(
        page.body.contains("<li>MAM-A001［高］SSH のパスワード総当たり：120 件、送信元 2（成功の形跡あり）<br>MAM-A001 [high] SSH password guessing: 120 events, 2 sources (appears to have succeeded)</li>"),
        "{}",
        page.body
    );
    // The period in JST, Japanese line then English line.
    assert!(
        page.body.contains(
            "期間 2026-03-01 10:00 JST – 2026-03-01 11:30 JST<br>Period: 2026-03-01 10:00 JST – 2026-03-01 11:30 JST"
        ),
        "{}",
        page.body
    );
    // No line mixes the two languages, and nothing of the JSON is shown.
    assert!(!page.body.contains("件 events") && !page.body.contains(" / sources"));
    assert!(!page.body.contains("\"findings\""));
}

#[tokio::test]
async fn a_case_page_shows_the_report_before_the_action_forms() {
    let a = app().await;
    let [_, _, mut ipa, _] = people(&a).await;
    let (_, case) = filed(&a).await;
    let page = ipa.get(&format!("/cases/{case}")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let report = at(&page.body, r#"id="report""#);
    let answers = at(&page.body, "管理画面に見知らぬログインがありました。");
    let actions = at(&page.body, r#"id="form-accept""#);
    assert!(report < answers && answers < actions, "{}", page.body);
    // Nothing the CSP would block.
    assert!(!page.body.contains(" style="));
}
