//! The statistics pages: a body's supervisor reads the yearly report with its charts and
//! downloads, reviews a de-duplication link; a reporter sees nothing.

use crate::client::{app, person};
use axum::http::StatusCode;
use mamori_core::stats::Format;
use mamori_service::authz::Caller;

const CASES: &str = r#"{"id":"p1","body":"police","date":"2010-03-01","recognized":true,"cleared":true,"cleared_case":"K1","methods":["phishing_site"],"motives":["illicit_gain"],"reporter":"org-7","indicators":["http://phish.example/"],"note":"社長のメール"}
{"id":"p2","body":"police","date":"2010-04-01","recognized":true,"cleared":true,"cleared_case":"K1","methods":["phishing_site"],"motives":["illicit_gain"]}
{"id":"p3","body":"police","date":"2010-05-01","recognized":true,"cleared":true,"cleared_case":"K2","methods":["phishing_site"],"motives":["illicit_gain"]}
{"id":"p4","body":"police","date":"2009-05-01","recognized":true,"cleared":true,"cleared_case":"K0","methods":["phishing_site"],"motives":["illicit_gain"]}
{"id":"i1","body":"ipa","date":"2010-03-03","indicators":["http://phish.example/"],"reporter":"org-8"}
"#;

#[tokio::test]
async fn a_supervisor_reads_the_yearly_report_with_charts_and_downloads() {
    let a = app().await;
    a.svc
        .import_stat_records(Caller::Console, CASES, Format::JsonLines, false)
        .await
        .unwrap();
    let mut sup = person(&a, "警察庁", "police", "sup@npa.example", "body_supervisor").await;
    let r = sup.get("/stats/yearly?year=2010&k=0").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    for s in [
        "2010年（平成22年）",
        "<svg",
        "認知件数",
        "検挙件数",
        "検挙事件数",
        "フィッシングサイトにより入手",
        "100%",
        "format=csv",
    ] {
        assert!(r.body.contains(s), "missing {s}");
    }
    assert!(!r.body.contains("style="), "no inline style under the CSP");
    assert!(
        !r.body.contains("社長のメール") && !r.body.contains("org-7"),
        "nothing of the reporter"
    );
    let csv = sup
        .get("/stats/yearly?year=2010&k=0&format=csv&table=method")
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(
        csv.header("content-disposition")
            .contains("mamori-stats-2010-method.csv")
    );
    assert!(
        csv.body.contains(
            "method,phishing_site,フィッシングサイトにより入手,cleared,検挙件数,2010,3,1,2,100"
        ),
        "{}",
        csv.body
    );
    let json = sup.get("/stats/yearly?year=2010&k=0&format=json").await;
    let v: serde_json::Value = serde_json::from_str(&json.body).unwrap();
    assert_eq!(v["year"], 2010);
    // The stylesheet carries the print rules.
    let css = sup.get("/static/app.css").await;
    assert!(css.body.contains("@media print"));
    // The review queue: the shared indicator between p1 and i1 waits; merge it.
    let q = sup.get("/stats/links").await;
    assert!(
        q.body.contains("p1 / i1") || q.body.contains("i1 / p1"),
        "{}",
        q.body
    );
    let csrf = q.field("csrf");
    let r = sup
        .post(
            "/stats/links",
            &[
                ("csrf", &csrf),
                ("a", "i1"),
                ("b", "p1"),
                ("decision", "confirm"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let forged = sup
        .post(
            "/stats/links",
            &[
                ("csrf", "x"),
                ("a", "i1"),
                ("b", "p1"),
                ("decision", "undo"),
            ],
        )
        .await;
    assert_ne!(forged.status, StatusCode::SEE_OTHER);
    let report = a.svc.yearly_report(Caller::Console, 2010, 0).await.unwrap();
    let inc = report.figure(mamori_core::stats::Unit::Incidents).unwrap();
    assert_eq!(inc.count, Some(3), "p1 and i1 are one incident");
}

#[tokio::test]
async fn reporters_and_staff_cannot_review_and_reporters_cannot_read() {
    let a = app().await;
    let mut rep = person(
        &a,
        "株式会社A",
        "access_administrator",
        "a@a.example",
        "reporter",
    )
    .await;
    assert_eq!(
        rep.get("/stats/yearly?year=2010").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(rep.get("/stats/links").await.status, StatusCode::NOT_FOUND);
    let mut staff = person(&a, "IPA", "ipa", "staff@ipa.example", "body_staff").await;
    assert_eq!(
        staff.get("/stats/yearly?year=2010").await.status,
        StatusCode::OK
    );
    assert_eq!(
        staff.get("/stats/links").await.status,
        StatusCode::NOT_FOUND
    );
}
