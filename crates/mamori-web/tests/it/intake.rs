//! The intake and case pages over the real router: the anonymous consultation,
//! CSRF refusals, validation errors shown in place.

use crate::client::{Browser, app};
use axum::http::StatusCode;

#[tokio::test]
async fn anyone_gets_the_guidelines_advice_without_an_account() {
    let a = app().await;
    let mut b = Browser::new(a.router.clone());
    let form = b.get("/consult").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(
        form.body.contains(r#"<legend>何が起きましたか"#),
        "{}",
        form.body
    );
    assert!(!form.body.contains("<script"));
    assert!(
        !form.body.contains("届出に必須"),
        "nothing is required of an anonymous consultation"
    );
    let csrf = form.field("csrf");
    let r = b
        .post(
            "/consult",
            &[
                ("csrf", &csrf),
                ("what_happened", "phishing_site"),
                ("ongoing", "phishing_site_up"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // Each body with its fit and reasons; JPCERT/CC fits a live phishing site.
    for id in ["advice-police", "advice-ipa", "advice-jpcert_cc"] {
        assert!(r.body.contains(id), "{id}");
    }
    let jpcert = r.body.split(r#"id="advice-jpcert_cc""#).nth(1).unwrap();
    assert!(jpcert.contains("届出をおすすめします"), "{jpcert}");
    assert!(r.body.contains(r#"id="prepare""#) && r.body.contains(r#"id="preserve""#));
    // The answers stay ticked for a change.
    assert!(r.body.contains(r#"value="phishing_site" checked"#));
}

#[tokio::test]
async fn money_moving_now_shows_the_urgent_banner() {
    let a = app().await;
    let mut b = Browser::new(a.router.clone());
    let csrf = b.get("/consult").await.field("csrf");
    let r = b
        .post(
            "/consult",
            &[
                ("csrf", &csrf),
                ("what_happened", "unauthorized_login"),
                ("money_moving_now", "yes"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains(r#"id="urgent""#), "{}", r.body);
    let calm = b
        .post("/consult", &[("csrf", &csrf), ("what_happened", "scans")])
        .await;
    assert!(!calm.body.contains(r#"id="urgent""#));
}

#[tokio::test]
async fn consultation_form_refuses_a_forged_token_and_shows_errors_in_place() {
    let a = app().await;
    let mut b = Browser::new(a.router.clone());
    let csrf = b.get("/consult").await.field("csrf");
    let forged = b
        .post(
            "/consult",
            &[("csrf", "forged"), ("what_happened", "scans")],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert!(forged.body.contains("E-CSRF-001"));
    // A second cookie jar (another site's form) has no matching cookie.
    let mut other = Browser::new(a.router.clone());
    let r = other
        .post("/consult", &[("csrf", &csrf), ("what_happened", "scans")])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Two answers to a one-answer question: the error sits at that question.
    let bad = b
        .post(
            "/consult",
            &[
                ("csrf", &csrf),
                ("money_moving_now", "yes"),
                ("money_moving_now", "no"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let at = bad
        .body
        .split(r#"id="question-money_moving_now""#)
        .nth(1)
        .unwrap();
    let at = at.split("</fieldset>").next().unwrap();
    assert!(at.contains(r#"class="field-error""#), "{at}");
    assert!(bad.body.contains(r#"aria-invalid="true""#));
}

use crate::client::PASSWORD;
use mamori_core::guideline::{Body, closing_checklist};
use mamori_core::intake::Answers;
use mamori_service::authz::Caller;
use mamori_service::intake::{DraftInput, SubmitTo};

/// Two companies with a reporter each, IPA and JPCERT/CC with a staff member
/// each, all signed in; returns the browsers (a, b, ipa, jpcert).
pub(crate) async fn people(a: &crate::client::App) -> [Browser; 4] {
    let c = Caller::Console;
    let mut out = Vec::new();
    for (org, kind, email, role) in [
        (
            "株式会社A",
            "access_administrator",
            "a@a.example",
            "reporter",
        ),
        (
            "株式会社B",
            "access_administrator",
            "b@b.example",
            "reporter",
        ),
        ("IPA", "ipa", "staff@ipa.example", "body_staff"),
        (
            "JPCERT/CC",
            "jpcert_cc",
            "staff@jpcert.example",
            "body_staff",
        ),
    ] {
        let o = a.svc.create_org(c, org, kind, None).await.unwrap();
        a.svc.create_user(c, o.id, email, org, role).await.unwrap();
        a.svc
            .set_password_as_console(email, PASSWORD)
            .await
            .unwrap();
        let mut b = Browser::new(a.router.clone());
        let r = b.sign_in(email, PASSWORD).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        out.push(b);
    }
    out.try_into().unwrap()
}

pub(crate) fn complete() -> Answers {
    let mut a = Answers::default();
    for (q, v) in [
        ("what_happened", "unauthorized_login"),
        ("discovered_at", "2026-03-01"),
        ("how_discovered", "own_monitoring"),
        ("systems", "website"),
        ("reporter_role", "admin"),
        ("org_type", "company"),
        ("description", "管理画面に見知らぬログインがありました。"),
    ] {
        a.set(q, vec![v.into()]);
    }
    a
}

/// Company A's report, sent to IPA through the service: (report id, case id).
pub(crate) async fn filed(a: &crate::client::App) -> (i64, i64) {
    let actor = a
        .svc
        .authenticate_token(
            &a.svc
                .create_token_as_operator("a@a.example", "t")
                .await
                .unwrap(),
            "test",
        )
        .await
        .unwrap()
        .actor;
    let r = a
        .svc
        .create_draft(
            &actor,
            DraftInput {
                kind: None,
                title: "管理画面への不正ログイン".into(),
                answers: complete(),
            },
        )
        .await
        .unwrap();
    let (_, cases) = a
        .svc
        .submit_report(&actor, r.id, &[SubmitTo::body(Body::Ipa)])
        .await
        .unwrap();
    (r.id.0, cases[0].id.0)
}

fn location(r: &crate::client::Resp) -> String {
    r.header("location").to_string()
}

#[tokio::test]
async fn each_step_saves_the_draft_and_errors_show_at_their_question() {
    let a = app().await;
    let [mut rep, ..] = people(&a).await;
    let csrf = rep.get("/reports/new").await.field("csrf");
    let r = rep.post("/reports", &[("csrf", &csrf)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let edit = location(&r);
    assert!(edit.ends_with("/edit?step=1"), "{edit}");
    let base = edit.split('?').next().unwrap().to_string();
    let step1 = rep.get(&edit).await;
    assert!(step1.body.contains(r#"id="progress""#) && step1.body.contains(r#"id="title""#));
    let r = rep
        .post(
            &base,
            &[
                ("csrf", &csrf),
                ("step", "1"),
                ("go", "next"),
                ("title", "途中保存"),
            ],
        )
        .await;
    assert_eq!(location(&r), format!("{base}?step=2"));
    assert!(
        rep.get(&format!("{base}?step=2"))
            .await
            .body
            .contains("届出に必須"),
        "a report marks the questions it cannot be sent without"
    );
    // An unknown choice: 400, the error at the question, nothing saved.
    let bad = rep
        .post(
            &base,
            &[
                ("csrf", &csrf),
                ("step", "2"),
                ("go", "next"),
                ("what_happened", "nonsense"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let at = bad
        .body
        .split(r#"id="question-what_happened""#)
        .nth(1)
        .unwrap();
    assert!(
        at.split("</fieldset>")
            .next()
            .unwrap()
            .contains("field-error"),
        "{at}"
    );
    let r = rep
        .post(
            &base,
            &[
                ("csrf", &csrf),
                ("step", "2"),
                ("go", "next"),
                ("what_happened", "scans"),
            ],
        )
        .await;
    assert_eq!(location(&r), format!("{base}?step=3"));
    // Back from step 3 keeps step 2's answer ticked (read from the saved draft).
    let r = rep
        .post(&base, &[("csrf", &csrf), ("step", "3"), ("go", "back")])
        .await;
    assert_eq!(location(&r), format!("{base}?step=2"));
    let step2 = rep.get(&format!("{base}?step=2")).await;
    assert!(
        step2.body.contains(r#"value="scans" checked"#),
        "{}",
        step2.body
    );
    assert!(
        rep.get(&format!("{base}?step=1"))
            .await
            .body
            .contains(r#"value="途中保存""#)
    );
    // The one-page view is remembered in a cookie.
    let all = rep.get(&format!("{base}?view=all")).await;
    assert!(all.header("set-cookie").contains("mamori_form_view=all"));
    assert!(
        rep.get(&base)
            .await
            .body
            .contains(r#"name="step" value="all""#)
    );
    // A forged token changes nothing.
    let forged = rep
        .post(&base, &[("csrf", "forged"), ("step", "1"), ("title", "偽")])
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn submit_needs_a_chosen_body_and_the_confirmation() {
    let a = app().await;
    let [mut rep, _, mut ipa, _] = people(&a).await;
    let csrf = rep.get("/reports/new").await.field("csrf");
    let base = location(&rep.post("/reports", &[("csrf", &csrf)]).await);
    let base = base.split('?').next().unwrap().to_string();
    let mut form: Vec<(String, String)> = vec![
        ("csrf".into(), csrf.clone()),
        ("step".into(), "all".into()),
        ("go".into(), "review".into()),
        ("title".into(), "フォームからの届出".into()),
    ];
    for (q, v) in complete().0 {
        form.push((q, v[0].clone()));
    }
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let r = rep.post(&base, &pairs).await;
    let submit = location(&r);
    assert!(submit.ends_with("/submit"), "{submit}: {}", r.body);
    let page = rep.get(&submit).await;
    assert!(page.body.contains(r#"id="advice-ipa""#));
    assert!(
        !page
            .body
            .contains(r#"checked><label class="choice" for="to-"#),
        "nothing pre-ticked"
    );
    let ipa_value = page
        .body
        .split(r#"name="to" value=""#)
        .map(|s| s.split('"').next().unwrap())
        .find(|v| v.starts_with("ipa:"))
        .unwrap()
        .to_string();
    // No body chosen: refused in place.
    let none = rep
        .post(
            &submit,
            &[("csrf", &csrf), ("kind", "report"), ("confirm", "yes")],
        )
        .await;
    assert_eq!(none.status, StatusCode::BAD_REQUEST);
    assert!(none.body.contains("1つ以上選んでください"));
    let unconfirmed = rep
        .post(
            &submit,
            &[("csrf", &csrf), ("kind", "report"), ("to", &ipa_value)],
        )
        .await;
    assert_eq!(unconfirmed.status, StatusCode::BAD_REQUEST);
    assert!(
        ipa.get("/cases")
            .await
            .body
            .contains("該当する案件はありません"),
        "nothing sent yet"
    );
    let sent = rep
        .post(
            &submit,
            &[
                ("csrf", &csrf),
                ("kind", "report"),
                ("to", &ipa_value),
                ("confirm", "yes"),
            ],
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    assert!(ipa.get("/cases").await.body.contains("フォームからの届出"));
}

#[tokio::test]
async fn others_reports_and_cases_answer_404() {
    let a = app().await;
    let [mut rep_a, mut rep_b, mut ipa, mut jpcert] = people(&a).await;
    let (rid, cid) = filed(&a).await;
    assert_eq!(
        rep_a.get(&format!("/reports/{rid}")).await.status,
        StatusCode::OK
    );
    assert_eq!(
        ipa.get(&format!("/cases/{cid}")).await.status,
        StatusCode::OK
    );
    for path in [
        format!("/reports/{rid}"),
        format!("/reports/{rid}/edit"),
        format!("/reports/{rid}/submit"),
        format!("/cases/{cid}"),
        "/cases".to_string(),
    ] {
        let r = rep_b.get(&path).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
        assert!(!r.body.contains("管理画面への不正ログイン"), "{path}");
    }
    for path in [format!("/cases/{cid}"), format!("/reports/{rid}")] {
        assert_eq!(
            jpcert.get(&path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    // Not by a form either.
    let csrf = rep_b.get("/reports").await.field("csrf");
    let r = rep_b
        .post(
            &format!("/reports/{rid}/messages"),
            &[
                ("csrf", &csrf),
                ("case", &cid.to_string()),
                ("text", "覗き見"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let csrf = jpcert.get("/cases").await.field("csrf");
    let r = jpcert
        .post(&format!("/cases/{cid}/accept"), &[("csrf", &csrf)])
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_case_closes_only_with_its_checklist_complete() {
    let a = app().await;
    let [mut rep, _, mut ipa, _] = people(&a).await;
    let (rid, cid) = filed(&a).await;
    let page = ipa.get(&format!("/cases/{cid}")).await;
    let csrf = page.field("csrf");
    let forged = ipa
        .post(&format!("/cases/{cid}/accept"), &[("csrf", "x")])
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let r = ipa
        .post(&format!("/cases/{cid}/accept"), &[("csrf", &csrf)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let refused = ipa
        .post(
            &format!("/cases/{cid}/close"),
            &[
                ("csrf", &csrf),
                ("outcome", "recorded_in_statistics"),
                ("text", ""),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(refused.body.contains(r#"id="refused""#) && refused.body.contains("チェックリスト"));
    let mut form = vec![("csrf", csrf.as_str())];
    for i in closing_checklist(Body::Ipa) {
        form.push(("item", i.id));
    }
    let r = ipa.post(&format!("/cases/{cid}/checklist"), &form).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = ipa
        .post(
            &format!("/cases/{cid}/close"),
            &[
                ("csrf", &csrf),
                ("outcome", "recorded_in_statistics"),
                ("text", "統計に計上しました"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // The reporter sees the outcome, and no internal entry.
    let v = rep.get(&format!("/reports/{rid}")).await;
    assert!(v.body.contains("届出受理・統計計上"), "{}", v.body);
    assert!(!v.body.contains("ev-checklist_ticked"));
}

#[tokio::test]
async fn attachments_show_their_hashes_and_download_as_files() {
    let a = app().await;
    let [mut rep, mut other, ..] = people(&a).await;
    let csrf = rep.get("/reports/new").await.field("csrf");
    let base = location(&rep.post("/reports", &[("csrf", &csrf)]).await);
    let id: i64 = base.split('/').nth(2).unwrap().parse().unwrap();
    let log =
        b"2024-03-04T09:10:00+09:00 web01 sshd[1]: Failed password for root from 203.0.113.9\n";
    let forged = rep
        .post_file(
            &format!("/reports/{id}/attachments?csrf=x"),
            "auth.log",
            log,
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let r = rep
        .post_file(
            &format!("/reports/{id}/attachments?csrf={csrf}"),
            "auth.log",
            log,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = rep.get(&format!("/reports/{id}/edit")).await;
    let sha = {
        use std::fmt::Write;
        let d = <sha2::Sha256 as sha2::Digest>::digest(log);
        d.iter().fold(String::new(), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
    };
    assert!(
        page.body.contains("auth.log") && page.body.contains(&sha),
        "{}",
        page.body
    );
    assert!(page.body.contains(&blake3::hash(log).to_hex().to_string()));
    let aid: String = page
        .body
        .split(&format!("/reports/{id}/attachments/"))
        .nth(1)
        .unwrap()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let dl = rep.get(&format!("/reports/{id}/attachments/{aid}")).await;
    assert_eq!(dl.status, StatusCode::OK);
    assert_eq!(dl.header("content-type"), "application/octet-stream");
    assert!(dl.header("content-disposition").starts_with("attachment"));
    assert_eq!(dl.body.as_bytes(), log);
    assert_eq!(
        other
            .get(&format!("/reports/{id}/attachments/{aid}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_english_switch_on_the_consultation_comes_back_to_it() {
    let a = app().await;
    let mut b = Browser::new(a.router.clone());
    let page = b.get("/consult").await;
    assert!(
        page.body
            .contains(r#"href="/prefs?lang=en&amp;back=/consult""#)
    );
    let r = b.get("/prefs?lang=en&back=/consult").await;
    assert_eq!(r.header("location"), "/consult");
    assert!(b.get("/consult").await.body.contains("Where to report"));
    // Only a path of this site.
    let r = b.get("/prefs?lang=en&back=//evil.example").await;
    assert_eq!(r.header("location"), "/");
}

#[tokio::test]
async fn the_queue_names_the_reporting_organisation_and_flags_overdue_cases() {
    let a = app().await;
    let [_, _, mut ipa, _] = people(&a).await;
    let (_, cid) = filed(&a).await;
    let queue = ipa.get("/cases").await;
    assert!(queue.body.contains("株式会社A"), "who reported it");
    assert!(!queue.body.contains("期限超過</strong>"));
    let csrf = queue.field("csrf");
    // Due tomorrow (the test clock is 2026-04-01 09:00 UTC).
    let r = ipa
        .post(
            &format!("/cases/{cid}/due"),
            &[("csrf", &csrf), ("due", "2026-04-02")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(!ipa.get("/cases").await.body.contains("期限超過</strong>"));
    a.clock.advance(time::Duration::days(2));
    ipa.sign_in("staff@ipa.example", PASSWORD).await; // the session ended meanwhile
    let late = ipa.get("/cases").await;
    assert!(
        late.body
            .contains(r#"<strong class="overdue">期限超過</strong>"#),
        "an open case past its due date is tagged"
    );
    let only = ipa.get("/cases?overdue=1").await;
    assert!(
        only.body.contains("管理画面への不正ログイン"),
        "and the filter agrees"
    );
}
