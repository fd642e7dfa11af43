//! The vulnerability case page of a big multi-vendor case (issue 12, "scale for big cases:
//! per-product threads"): the coordinator narrows 200 developers to one product's, with
//! counts; the digests reach the home page; an unreachable developer is listed publicly
//! (連絡不能開発者一覧) with nothing of the vulnerability, until it is reached.

use crate::client::{Browser, actor, app, enc, person};
use axum::http::StatusCode;
use mamori_vuln::*;

/// Products as a big case has them: 200 vendors of three embedded libraries' users.
fn product_of(i: usize) -> &'static str {
    [
        "組込みHTTPサーバ libhttpd 1.x",
        "Router OS",
        "IoT Camera FW",
    ][i % 3]
}

#[tokio::test]
async fn coordinator_3_2_a_200_developer_case_reads_per_product() {
    let a = app().await;
    let mut reporter = person(
        &a,
        "発見者の会社",
        "access_administrator",
        "finder@example.jp",
        "reporter",
    )
    .await;
    let _ipa = person(&a, "IPA", "ipa", "staff@ipa.example", "body_staff").await;
    let mut vc = person(
        &a,
        "JPCERT/CC",
        "jpcert_cc",
        "vc@jpcert.example",
        "coordinator",
    )
    .await;
    for i in 0..200 {
        a.svc
            .vuln_upsert_developer(
                None,
                Developer {
                    id: DeveloperId::new(format!("v{i:03}")),
                    name: format!("Vendor {i:03}"),
                    contact_window: format!("psirt@v{i:03}.example"),
                    pgp_key: None,
                    registration: Registration::General,
                    products: vec![product_of(i).into()],
                },
                None,
            )
            .await
            .unwrap()
            .unwrap();
    }
    let finder = actor(&a, "finder@example.jp").await;
    let id = a
        .svc
        .vuln_submit(
            &finder,
            Report {
                discoverer: Discoverer {
                    name: "発見 三郎".into(),
                    organization: None,
                    contact: "saburo@example.jp".into(),
                },
                consent: IdentityConsent {
                    to_coordinator: true,
                    to_developers: false,
                    public_credit: None,
                },
                target: Target::Product {
                    name: "libhttpd".into(),
                    version: "1.4".into(),
                    developer_hint: "many".into(),
                },
                info: VulnerabilityInfo {
                    nature: "リクエストスマグリング".into(),
                    verification: "二重の Content-Length".into(),
                    attack: None,
                },
                discovery: Discovery {
                    how: "検証環境".into(),
                    lawful_confirmed: true,
                },
            },
        )
        .await
        .unwrap()
        .unwrap();
    let run = |email: &'static str, cmds: Vec<Command>| {
        let a = &a;
        async move {
            let who = actor(a, email).await;
            let v = a.svc.vuln_view(&who, id).await.unwrap();
            a.svc
                .vuln_apply(&who, id, v.version, cmds)
                .await
                .unwrap()
                .unwrap();
        }
    };
    run(
        "staff@ipa.example",
        vec![Command::Accept, Command::HandOver],
    )
    .await;
    let mut cmds = Vec::new();
    for i in 0..200 {
        let d = DeveloperId::new(format!("v{i:03}"));
        cmds.push(Command::AddDeveloper {
            developer: d.clone(),
            products: vec![product_of(i).into()],
        });
        if i % 2 == 0 {
            cmds.push(Command::NotifyDeveloper { developer: d });
        }
    }
    run("vc@jpcert.example", cmds).await;

    // All 200, with one link per product and its count.
    let page = vc.get(&format!("/vuln/{}", id.0)).await;
    assert_eq!(page.status, StatusCode::OK);
    let rows = |body: &str| body.matches(r#"<tr id="dev-v"#).count();
    assert_eq!(rows(&page.body), 200);
    assert!(
        page.body.contains("Router OS (67)") && page.body.contains("IoT Camera FW (66)"),
        "product counts"
    );
    assert!(page.body.contains(r#"aria-current="page">すべて (200)"#));
    // One product's thread: only its 67 developers, the status counts of those only.
    let one = vc
        .get(&format!("/vuln/{}?product={}", id.0, enc("Router OS")))
        .await;
    assert_eq!(rows(&one.body), 67);
    assert!(one.body.contains(r#"<tr id="dev-v001">"#));
    assert!(
        !one.body.contains(r#"<tr id="dev-v000">"#),
        "another product's vendor"
    );
    assert!(one.body.contains(r#"aria-current="page">Router OS (67)"#));
    let notified = (0..200).filter(|i| i % 3 == 1 && i % 2 == 0).count();
    assert!(
        one.body
            .contains(&format!("回答なし（通知済み）</span>: {notified}</li>")),
        "status counts of that product only"
    );

    // The reporter's digest after a sweep: on the home page, linked, without details.
    a.svc.vuln_digest().await.unwrap();
    let home = reporter.get("/").await;
    assert!(
        home.body.contains(&format!(
            r#"<a href="/vuln/{0}">#{0}</a> 届出が受理されました"#,
            id.0
        )),
        "{}",
        home.body
    );
    assert!(!home.body.contains("リクエストスマグリング"));

    // Vendor 001 cannot be reached: marked, then listed through the case page's form.
    run(
        "vc@jpcert.example",
        vec![Command::MarkUnreachable {
            developer: DeveloperId::new("v001"),
            note: "窓口メール不達、代表電話不通".into(),
        }],
    )
    .await;
    let page = vc.get(&format!("/vuln/{}", id.0)).await;
    assert!(page.body.contains("連絡不能開発者一覧に掲載する"));
    let r = vc
        .post(
            &format!("/vuln/{}/list_unreachable", id.0),
            &[
                ("csrf", &page.field("csrf")),
                ("version", &page.field("version")),
                ("developer", "v001"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let mut public = Browser::new(a.router.clone());
    let list = public.get("/advisories/unreachable").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(
        list.body.contains("<td>Vendor 001</td><td>Router OS</td>"),
        "{}",
        list.body
    );
    for secret in [
        "Vendor 002",
        "リクエストスマグリング",
        "libhttpd",
        "発見 三郎",
        "窓口メール不達",
    ] {
        assert!(!list.body.contains(secret), "{secret} on the public list");
    }
    assert!(
        public
            .get("/advisories")
            .await
            .body
            .contains(r#"href="/advisories/unreachable""#)
    );
    // Reached at last: notified, and off the list.
    run(
        "vc@jpcert.example",
        vec![Command::NotifyDeveloper {
            developer: DeveloperId::new("v001"),
        }],
    )
    .await;
    let list = public.get("/advisories/unreachable").await;
    assert!(!list.body.contains("Vendor 001"));
    assert!(
        list.body
            .contains("現在、掲載している製品開発者はありません。")
    );
}
