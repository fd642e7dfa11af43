//! The platform's console commands on a fresh data directory (SQLite).

use crate::mamori;

fn run(args: &[&str]) -> (bool, String, String) {
    let o = mamori(args, None);
    (
        o.status.success(),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn console_administration_audit_verify_and_tamper_detection() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("data");
    let d = d.to_str().unwrap();
    let (ok, out, err) = run(&[
        "orgs",
        "add",
        "--data-dir",
        d,
        "--name",
        "警察庁",
        "--kind",
        "police",
    ]);
    assert!(ok, "{err}");
    assert!(out.contains("警察庁\tpolice"));
    let (ok, _, err) = run(&[
        "orgs",
        "add",
        "--data-dir",
        d,
        "--name",
        "警視庁",
        "--kind",
        "police_prefectural",
        "--parent",
        "警察庁",
    ]);
    assert!(ok, "{err}");
    let (ok, _, err) = run(&[
        "orgs",
        "add",
        "--data-dir",
        d,
        "--name",
        "x",
        "--kind",
        "nonsense",
    ]);
    assert!(!ok);
    assert!(
        err.contains("E-INPUT-ORGKIND") && err.contains("組織の種別"),
        "{err}"
    );
    let (ok, out, err) = run(&[
        "users",
        "add",
        "--data-dir",
        d,
        "--org",
        "警視庁",
        "--role",
        "body_staff",
        "--email",
        "staff@police.example.jp",
    ]);
    assert!(ok, "{err}");
    assert!(out.contains("http://127.0.0.1:8080/set-password/"), "{out}");
    let (ok, out, _) = run(&[
        "tokens",
        "create",
        "--data-dir",
        d,
        "--user",
        "staff@police.example.jp",
    ]);
    assert!(ok);
    let token = out.trim();
    assert!(token.starts_with("mamori_") && token.len() > 60);
    let db = std::fs::read(dir.path().join("data/mamori.db")).unwrap_or_default();
    let wal = std::fs::read(dir.path().join("data/mamori.db-wal")).unwrap_or_default();
    for bytes in [db, wal] {
        assert!(
            !String::from_utf8_lossy(&bytes).contains(token),
            "the token is stored only hashed"
        );
    }

    let (ok, out, _) = run(&["audit", "verify", "--data-dir", d]);
    assert!(ok, "{out}");
    assert!(out.contains("intact: 4 entries"), "{out}");

    // Back up, then tamper with the live log as an attacker with file access would.
    let backup = dir.path().join("backup.db");
    let (ok, _, err) = run(&["backup", "--data-dir", d, "--out", backup.to_str().unwrap()]);
    assert!(ok, "{err}");
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let s = mamori_store_sqlite::SqliteStore::open(dir.path().join("data/mamori.db"))
            .await
            .unwrap();
        s.execute_raw("DROP TRIGGER audit_no_update").await.unwrap();
        s.execute_raw("UPDATE audit_log SET action = 'nothing_to_see' WHERE seq = 3")
            .await
            .unwrap();
        s.close().await;
    });
    let o = mamori(&["audit", "verify", "--data-dir", d], None);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stdout).contains("BROKEN at entry 3"));

    // Restore the backup: the chain holds again.
    let (ok, _, err) = run(&[
        "restore",
        "--data-dir",
        d,
        "--from",
        backup.to_str().unwrap(),
    ]);
    assert!(ok, "{err}");
    let (ok, out, _) = run(&["audit", "verify", "--data-dir", d]);
    assert!(ok && out.contains("intact"), "{out}");
    // An administrator disables and re-enables a person from the console.
    let (ok, out, err) = run(&[
        "users",
        "disable",
        "--data-dir",
        d,
        "--email",
        "staff@police.example.jp",
    ]);
    assert!(ok && out.contains("disabled"), "{err}");
    let (ok, out, err) = run(&[
        "users",
        "enable",
        "--data-dir",
        d,
        "--email",
        "STAFF@police.example.jp",
    ]);
    assert!(ok && out.contains("enabled"), "{err}");
    let (ok, _, err) = run(&[
        "users",
        "enable",
        "--data-dir",
        d,
        "--email",
        "nobody@example.jp",
    ]);
    assert!(!ok && err.contains("E-ACCESS-404"), "{err}");
}

#[test]
fn demo_fills_a_world_once() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("demo");
    let d = d.to_str().unwrap();
    let o = crate::mamori_env(
        &["demo", "--data-dir", d],
        &[("MAMORI_INSECURE_FAST_HASHING", "1")],
    );
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for role in [
        "platform_admin",
        "body_supervisor",
        "body_staff",
        "coordinator",
        "developer_contact",
        "reporter",
    ] {
        assert!(out.contains(role), "a person in role {role}");
    }
    let (_, orgs, _) = run(&["orgs", "list", "--data-dir", d]);
    for name in [
        "警察庁",
        "警視庁",
        "JPCERT/CC",
        "IPA",
        "株式会社さくらネット",
    ] {
        assert!(orgs.contains(name), "{name} in {orgs}");
    }
    // Reports in every state, one referred with consent, one referral the reporter
    // has not consented to, a draft.
    assert!(
        out.contains("mamori_c_"),
        "the anonymous consultation's token"
    );
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        use mamori_store::{CaseStatus, ReferralStatus, ReportId, ReportStatus, Store};
        let s = mamori_store_sqlite::SqliteStore::open(dir.path().join("demo/mamori.db"))
            .await
            .unwrap();
        let mut statuses = std::collections::BTreeSet::new();
        let (mut referred, mut pending, mut drafts) = (false, false, 0);
        for id in 1..=30 {
            let Some(r) = s.report(ReportId(id)).await.unwrap() else {
                continue;
            };
            drafts += usize::from(r.status == ReportStatus::Draft);
            for c in s.cases_of_report(r.id).await.unwrap() {
                statuses.insert(c.status.as_str());
                referred |= c.referred_from.is_some();
            }
            pending |= s
                .referrals(r.id)
                .await
                .unwrap()
                .iter()
                .any(|f| f.status != ReferralStatus::Consented);
        }
        let all: std::collections::BTreeSet<&str> =
            CaseStatus::ALL.iter().map(|s| s.as_str()).collect();
        assert_eq!(statuses, all, "a case in every state");
        assert!(referred && pending && drafts >= 1);
        s.close().await;
    });
    let o = crate::mamori_env(
        &["demo", "--data-dir", d],
        &[("MAMORI_INSECURE_FAST_HASHING", "1")],
    );
    assert!(!o.status.success(), "a second demo run refuses");
}

#[test]
fn backup_of_postgres_points_to_pg_dump() {
    let (ok, _, err) = run(&[
        "backup",
        "--database-url",
        "postgres://postgres@127.0.0.1/none",
        "--out",
        "/tmp/x",
    ]);
    assert!(!ok);
    assert!(err.contains("pg_dump"), "{err}");
}
