//! The account-related console commands: personal-data export and erasure, the
//! audit anchor (truncation and rewrite caught), and the periodic audit report.

use crate::mamori;

fn run(args: &[&str]) -> (Option<i32>, String, String) {
    let o = mamori(args, None);
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn world(d: &str) {
    for args in [
        vec![
            "orgs",
            "add",
            "--data-dir",
            d,
            "--name",
            "株式会社さくら",
            "--kind",
            "access_administrator",
        ],
        vec![
            "users",
            "add",
            "--data-dir",
            d,
            "--org",
            "株式会社さくら",
            "--role",
            "reporter",
            "--email",
            "hanako@sakura.example",
            "--name",
            "山田 花子",
        ],
        vec![
            "tokens",
            "create",
            "--data-dir",
            d,
            "--user",
            "hanako@sakura.example",
            "--label",
            "監視",
        ],
    ] {
        let (code, _, err) = run(&args);
        assert_eq!(code, Some(0), "{args:?}: {err}");
    }
}

fn sql(d: &std::path::Path, statements: &[&str]) {
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let s = mamori_store_sqlite::SqliteStore::open(d.join("mamori.db"))
            .await
            .unwrap();
        for q in statements {
            s.execute_raw(q).await.unwrap();
        }
        s.close().await;
    });
}

#[test]
fn users_export_then_erase_keeps_the_audit_log() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("data");
    let d = d.to_str().unwrap();
    world(d);
    let (code, out, err) = run(&[
        "users",
        "export",
        "--data-dir",
        d,
        "--email",
        "hanako@sakura.example",
    ]);
    assert_eq!(code, Some(0), "{err}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["person"]["display_name"], "山田 花子");
    assert_eq!(json["organization"]["name"], "株式会社さくら");
    assert_eq!(json["api_tokens"][0]["label"], "監視");
    assert!(!out.contains("mamori_"), "no token in the export");
    let file = dir.path().join("hanako.json");
    let (code, _, _) = run(&[
        "users",
        "export",
        "--data-dir",
        d,
        "--email",
        "hanako@sakura.example",
        "--out",
        file.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(0));
    assert!(
        std::fs::read_to_string(&file)
            .unwrap()
            .contains("hanako@sakura.example")
    );

    let (code, out, err) = run(&[
        "users",
        "erase",
        "--data-dir",
        d,
        "--email",
        "hanako@sakura.example",
    ]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("erased-"), "{out}");
    let (code, _, err) = run(&[
        "users",
        "export",
        "--data-dir",
        d,
        "--email",
        "hanako@sakura.example",
    ]);
    assert_eq!(code, Some(2));
    assert!(err.contains("E-ACCESS-404"), "{err}");
    let (code, out, _) = run(&["audit", "verify", "--data-dir", d]);
    assert_eq!(code, Some(0), "{out}");
}

#[test]
fn anchor_then_verify_catches_truncation_and_an_edited_anchor() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let d = data.to_str().unwrap();
    world(d);
    let anchor = dir.path().join("anchor.json");
    let a = anchor.to_str().unwrap();
    let (code, _, err) = run(&["audit", "anchor", "--data-dir", d, "--out", a]);
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("signing key created"), "{err}");
    assert!(data.join("keys/audit-anchor.key").exists());
    let (code, out, _) = run(&["audit", "verify", "--data-dir", d, "--anchor", a]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("anchor holds"), "{out}");
    // More activity: still holds.
    run(&[
        "orgs",
        "add",
        "--data-dir",
        d,
        "--name",
        "IPA",
        "--kind",
        "ipa",
    ]);
    let (code, out, _) = run(&["audit", "verify", "--data-dir", d, "--anchor", a]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("1 newer entries"), "{out}");

    // An edited anchor file is refused.
    let edited = dir.path().join("edited.json");
    let text = std::fs::read_to_string(&anchor).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["anchor"]["seq"] = serde_json::json!(1);
    std::fs::write(&edited, v.to_string()).unwrap();
    let (code, out, _) = run(&[
        "audit",
        "verify",
        "--data-dir",
        d,
        "--anchor",
        edited.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(1));
    assert!(out.contains("signature INVALID"), "{out}");

    // Someone with the file cuts the log short: the chain check alone passes.
    sql(
        &data,
        &[
            "DROP TRIGGER audit_no_delete",
            "DELETE FROM audit_log WHERE seq > 2",
        ],
    );
    let (code, out, _) = run(&["audit", "verify", "--data-dir", d]);
    assert_eq!(code, Some(0), "the chain alone looks intact: {out}");
    let (code, out, _) = run(&["audit", "verify", "--data-dir", d, "--anchor", a]);
    assert_eq!(code, Some(1));
    assert!(out.contains("TRUNCATED"), "{out}");
}

#[test]
fn audit_report_as_text_and_html_with_a_chart() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("data");
    let d = d.to_str().unwrap();
    world(d);
    let html = dir.path().join("report.html");
    let (code, out, err) = run(&[
        "audit",
        "report",
        "--data-dir",
        d,
        "--since",
        "2020-01-01",
        "--html",
        html.to_str().unwrap(),
        "--lang",
        "ja",
    ]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("監査レポート"), "{out}");
    assert!(out.contains("ハッシュチェーン: 完全"), "{out}");
    assert!(
        out.contains("create_user") && out.contains("create_token"),
        "admin actions listed: {out}"
    );
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("<svg") && page.contains(r#"id="days""#));
    assert!(!page.contains("<script"));
    let (code, _, err) = run(&["audit", "report", "--data-dir", d, "--since", "yesterday"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("YYYY-MM-DD"), "{err}");
}
