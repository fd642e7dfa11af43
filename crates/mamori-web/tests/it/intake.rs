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
    assert!(form.body.contains(r#"<legend>何が起きましたか"#), "{}", form.body);
    assert!(!form.body.contains("<script"));
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
        .post("/consult", &[("csrf", "forged"), ("what_happened", "scans")])
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
    let at = bad.body.split(r#"id="question-money_moving_now""#).nth(1).unwrap();
    let at = at.split("</fieldset>").next().unwrap();
    assert!(at.contains(r#"class="field-error""#), "{at}");
    assert!(bad.body.contains(r#"aria-invalid="true""#));
}
