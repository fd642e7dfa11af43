//! The intake JSON API through the real router: a draft from a scan result, raw
//! attachments with limits, the report shown only to those allowed (404 otherwise,
//! the same body as for a missing report), and a body's queue.

use crate::client::{Browser, PASSWORD};
use axum::http::StatusCode;
use mamori_core::guideline::Body;
use mamori_guard::ManualClock;
use mamori_service::authz::Caller;
use mamori_service::intake::SubmitTo;
use mamori_service::{Env, ServiceConfig, Services};
use serde_json::Value;
use std::sync::Arc;

const SCAN: &[u8] = include_bytes!("../../../mamori-service/tests/fixtures/scan.json");

struct World {
    svc: Services,
    router: axum::Router,
}

impl World {
    /// Bodies, two companies, a token per person; 64 KiB per attachment, 96 KiB per report.
    async fn new() -> World {
        let store = Arc::new(mamori_store_sqlite::SqliteStore::memory().await.unwrap());
        let clock = ManualClock::new(time::macros::datetime!(2026-04-01 09:00 UTC));
        let cfg = ServiceConfig {
            fast_hashing: true,
            attachment_max: 64 * 1024,
            report_attachments_max: 96 * 1024,
            ..ServiceConfig::default()
        };
        let svc = Services::new(store, cfg, Env::new(Arc::new(clock))).unwrap();
        svc.bootstrap("admin@mamori.example").await.unwrap();
        let c = Caller::Console;
        let ipa = svc.create_org(c, "IPA", "ipa", None).await.unwrap();
        let sakura = svc
            .create_org(c, "株式会社さくら", "access_administrator", None)
            .await
            .unwrap();
        let momiji = svc
            .create_org(c, "もみじ商事", "access_administrator", None)
            .await
            .unwrap();
        for (org, email, role) in [
            (ipa.id, "staff@ipa.example", "body_staff"),
            (sakura.id, "r@sakura.example", "reporter"),
            (momiji.id, "r@momiji.example", "reporter"),
        ] {
            svc.create_user(c, org, email, "x", role).await.unwrap();
            svc.set_password_as_console(email, PASSWORD).await.unwrap();
        }
        let router = mamori_web::router(mamori_web::AppState::new(
            svc.clone(),
            false,
            "http://mamori.test",
        ));
        World { svc, router }
    }

    async fn client(&self, email: &str) -> Browser {
        let mut b = Browser::new(self.router.clone());
        b.bearer = Some(
            self.svc
                .create_token_as_operator(email, "test")
                .await
                .unwrap(),
        );
        b
    }
}

fn json(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

#[tokio::test]
async fn a_scan_result_becomes_a_draft_seen_only_by_its_author() {
    let w = World::new().await;
    let mut me = w.client("r@sakura.example").await;
    let r = me
        .post_bytes("/api/v1/reports", "application/json", SCAN.to_vec())
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let created = json(&r.body);
    let id = created["id"].as_i64().unwrap();
    assert_eq!(created["url"], format!("http://mamori.test/reports/{id}"));
    assert_eq!(
        r.header("location"),
        format!("http://mamori.test/reports/{id}")
    );
    for path in [
        format!("/api/v1/reports/{id}"),
        format!("/api/reports/{id}"),
    ] {
        let v = me.get(&path).await;
        assert_eq!(v.status, StatusCode::OK, "{}", v.body);
        let v = json(&v.body);
        assert_eq!(v["report"]["status"], "draft");
        assert_eq!(v["viewer"]["as"], "reporter");
        assert_eq!(v["attachments"][0]["kind"], "scan_json");
        assert!(v["guidance"]["bodies"].as_array().unwrap().len() == 3);
    }
    // Everyone else: 404 with the very body a missing report gets.
    let missing = me.get("/api/v1/reports/99999").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    for who in ["r@momiji.example", "staff@ipa.example"] {
        let mut other = w.client(who).await;
        for path in [
            format!("/api/v1/reports/{id}"),
            format!("/api/reports/{id}"),
        ] {
            let r = other.get(&path).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{who} {path}");
            assert_eq!(r.body, missing.body, "existence does not leak");
        }
        let r = other
            .post_bytes(
                &format!("/api/v1/reports/{id}/attachments?name=x.log"),
                "text/plain",
                b"x".to_vec(),
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
    }
    let mut anon = Browser::new(w.router.clone());
    assert_eq!(
        anon.get(&format!("/api/reports/{id}")).await.status,
        StatusCode::UNAUTHORIZED
    );
    let r = anon
        .post_bytes("/api/v1/reports", "application/json", SCAN.to_vec())
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    // Bodies cannot file reports.
    let mut ipa = w.client("staff@ipa.example").await;
    let r = ipa
        .post_bytes("/api/v1/reports", "application/json", SCAN.to_vec())
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn bad_findings_and_oversized_uploads_get_clear_errors() {
    let w = World::new().await;
    let mut me = w.client("r@sakura.example").await;
    let r = me
        .post_bytes("/api/v1/reports", "application/json", b"{not json".to_vec())
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(json(&r.body)["error"]["code"], "E-SCAN-JSON");
    let r = me
        .post_bytes(
            "/api/v1/reports",
            "application/json",
            br#"[1,2,3]"#.to_vec(),
        )
        .await;
    assert_eq!(json(&r.body)["error"]["code"], "E-SCAN-DOC");
    let r = me
        .post_bytes("/api/v1/reports", "application/json", SCAN.to_vec())
        .await;
    let id = json(&r.body)["id"].as_i64().unwrap();
    let path = format!("/api/v1/reports/{id}/attachments?name=access.log");
    let ok = me
        .post_bytes(&path, "application/octet-stream", vec![b'x'; 40 * 1024])
        .await;
    assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.body);
    let a = json(&ok.body);
    assert_eq!(
        (a["kind"].as_str(), a["size"].as_i64()),
        (Some("log"), Some(40 * 1024))
    );
    assert_eq!(a["sha256"].as_str().unwrap().len(), 64);
    // One file over the per-file limit; a second one over the report's total.
    let big = me
        .post_bytes(&path, "application/octet-stream", vec![b'x'; 64 * 1024 + 1])
        .await;
    assert_eq!(big.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(json(&big.body)["error"]["code"], "E-ATTACH-FILESIZE");
    let huge = me
        .post_bytes(&path, "application/octet-stream", vec![b'x'; 200 * 1024])
        .await;
    assert_eq!(
        huge.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "over the route's body limit too"
    );
    assert_eq!(json(&huge.body)["error"]["code"], "E-ATTACH-FILESIZE");
    let total = me
        .post_bytes(&path, "application/octet-stream", vec![b'x'; 60 * 1024])
        .await;
    assert_eq!(total.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(json(&total.body)["error"]["code"], "E-ATTACH-TOTALSIZE");
    // The file comes back as uploaded.
    let att = a["id"].as_i64().unwrap();
    let got = me
        .get(&format!("/api/v1/reports/{id}/attachments/{att}"))
        .await;
    assert_eq!(got.status, StatusCode::OK);
    assert_eq!(got.body.len(), 40 * 1024);
    assert_eq!(
        got.header("x-content-sha256"),
        a["sha256"].as_str().unwrap()
    );
}

#[tokio::test]
async fn a_body_lists_its_queue_through_the_api() {
    let w = World::new().await;
    let reporter = {
        let s = w
            .svc
            .sign_in(
                "r@sakura.example",
                PASSWORD,
                None,
                "198.51.100.7".parse().unwrap(),
            )
            .await
            .unwrap();
        let mamori_service::auth::SignIn::Ok(s) = s else {
            panic!()
        };
        w.svc
            .authenticate_session(&s.cookie, "x")
            .await
            .unwrap()
            .actor
    };
    let d = w.svc.create_draft_from_scan(&reporter, SCAN).await.unwrap();
    let mut a = mamori_service::intake::answers_of(&d);
    a.set("description", vec!["ログイン画面への総当たり攻撃".into()]);
    let input = mamori_service::intake::DraftInput {
        kind: Some(mamori_store::ReportKind::Notification),
        title: d.title.clone(),
        answers: a,
    };
    w.svc.save_draft(&reporter, d.id, input).await.unwrap();
    w.svc
        .submit_report(&reporter, d.id, &[SubmitTo::body(Body::Ipa)])
        .await
        .unwrap();
    let mut ipa = w.client("staff@ipa.example").await;
    let page = json(&ipa.get("/api/v1/cases").await.body);
    assert_eq!(page["rows"].as_array().unwrap().len(), 1);
    assert_eq!(page["rows"][0]["case"]["report"], d.id.0);
    assert!(page["next"].is_null());
    let q = "/api/v1/cases?status=received,accepted&q=%E7%B7%8F%E5%BD%93%E3%81%9F%E3%82%8A"; // 総当たり
    let page = json(&ipa.get(q).await.body);
    assert_eq!(
        page["rows"].as_array().unwrap().len(),
        1,
        "Japanese search through the API"
    );
    let page = json(&ipa.get("/api/v1/cases?status=closed").await.body);
    assert!(page["rows"].as_array().unwrap().is_empty());
    let r = ipa.get("/api/v1/cases?status=nonsense").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(json(&r.body)["error"]["code"], "E-INPUT-FILTER");
    let v = ipa.get(&format!("/api/v1/reports/{}", d.id.0)).await;
    assert_eq!(v.status, StatusCode::OK);
    assert_eq!(json(&v.body)["viewer"]["as"], "body");
    // Reporters have no queue.
    let mut r = w.client("r@sakura.example").await;
    assert_eq!(r.get("/api/v1/cases").await.status, StatusCode::NOT_FOUND);
    // The OpenAPI document lists the routes.
    let doc = json(&r.get("/api/openapi.json").await.body);
    for p in [
        "/api/v1/reports",
        "/api/reports/{id}",
        "/api/v1/reports/{id}/attachments",
        "/api/v1/cases",
    ] {
        assert!(doc["paths"][p].is_object(), "{p}");
    }
}
