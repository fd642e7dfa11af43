//! Personal data: export of everything about a person without secrets,
//! deletion on request carried out by an administrator, audit entries kept.

use crate::world::{PASSWORD, World, sqlite_store};
use mamori_service::auth::SignIn;
use mamori_service::authz::Caller;
use mamori_service::privacy::PURPOSES;

fn ip() -> std::net::IpAddr {
    "198.51.100.7".parse().unwrap()
}

#[tokio::test]
async fn export_holds_everything_about_the_person_and_no_secret() {
    let w = World::new(sqlite_store().await).await;
    let email = "reporter@sakura.example";
    let (a, cookie) = w.session(email).await;
    let token = w
        .svc
        .create_token(&a, email, "監視スクリプト")
        .await
        .unwrap();
    let codes = w.svc.issue_recovery_codes(&a, &cookie).await.unwrap();
    let data = w.svc.export_my_data(&a).await.unwrap();
    let json = serde_json::to_value(&data).unwrap();
    let text = json.to_string();
    assert_eq!(json["format"], "mamori-personal-data/1");
    assert_eq!(json["person"]["email"], email);
    assert_eq!(json["organization"]["name"], "株式会社さくら");
    assert_eq!(json["api_tokens"][0]["label"], "監視スクリプト");
    assert!(json["api_tokens"][0]["expires_at"].is_string());
    assert_eq!(json["sessions"].as_array().unwrap().len(), 1);
    assert_eq!(json["security"]["recovery_codes_left"], 10);
    assert_eq!(
        json["security"]["recent_sign_ins"][0]["source"],
        "198.51.100.7"
    );
    assert_eq!(
        json["sections"]["reports"],
        serde_json::json!([]),
        "no reports written yet"
    );
    assert_eq!(json["purposes"].as_array().unwrap().len(), PURPOSES.len());
    let actions: Vec<&str> = json["audit_entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions.first(), Some(&"create_user"), "oldest first");
    assert!(actions.contains(&"sign_in") && actions.contains(&"create_token"));
    // No secret, and not even a hash of one.
    for secret in [token.as_str(), cookie.as_str(), PASSWORD, &codes[0]] {
        assert!(!text.contains(secret), "secret in export");
    }
    let s = w.svc.store();
    let session_hash = mamori_service::secret_hash(&cookie);
    assert!(s.session(&session_hash).await.unwrap().is_some());
    assert!(!text.contains(&session_hash));
    assert!(!text.contains(&mamori_service::secret_hash(&token)));
    assert!(!text.contains("argon2"), "no password hash");
    // The export itself is audited.
    let h = w.svc.my_history(&a, 5).await.unwrap();
    assert!(h.iter().any(|e| e.action == "export_personal_data"));
    // The console exports the same person.
    let console = w.svc.export_personal_data_as_console(email).await.unwrap();
    assert_eq!(console.person.id, a.user.id);
}

#[tokio::test]
async fn deletion_request_is_carried_out_by_an_administrator_and_audit_stays() {
    let w = World::new(sqlite_store().await).await;
    let email = "reporter@momiji.example";
    let (a, cookie) = w.session(email).await;
    w.svc.create_token(&a, email, "ci").await.unwrap();
    let r = w.svc.request_deletion(&a, "退職しました").await.unwrap();
    assert_eq!(
        w.svc.request_deletion(&a, "again").await.unwrap().id,
        r.id,
        "one open request at a time"
    );
    assert!(
        w.svc
            .my_notices(&a)
            .await
            .unwrap()
            .iter()
            .any(|n| n.kind == "deletion_requested")
    );
    let before = w.svc.verify_audit().await.unwrap().entries;

    let chief = w.actor("chief@police.example").await;
    assert!(w.svc.open_deletion_requests(&chief).await.is_err());
    assert!(
        w.svc
            .carry_out_deletion(Caller::Person(&chief), r.id)
            .await
            .is_err()
    );
    w.svc
        .set_password_as_console("admin@mamori.example", PASSWORD)
        .await
        .unwrap();
    let admin = w.actor("admin@mamori.example").await;
    let open = w.svc.open_deletion_requests(&admin).await.unwrap();
    assert_eq!(open.len(), 1);
    assert_eq!(open[0].user.email, email);
    let erased = w
        .svc
        .carry_out_deletion(Caller::Person(&admin), r.id)
        .await
        .unwrap();
    assert!(erased.disabled);
    assert!(!erased.email.contains("momiji"));
    assert!(erased.display_name.starts_with("削除済み"));
    assert!(
        w.svc
            .carry_out_deletion(Caller::Person(&admin), r.id)
            .await
            .is_err(),
        "done once"
    );
    assert!(w.svc.authenticate_session(&cookie, "x").await.is_err());
    assert!(matches!(
        w.svc.sign_in(email, PASSWORD, None, ip()).await.unwrap(),
        SignIn::Refused(_)
    ));
    let s = w.svc.store();
    assert!(s.tokens_of(a.user.id).await.unwrap().is_empty());
    assert_eq!(s.guard_account(email).await.unwrap(), None);
    // The audit log keeps every entry and still verifies; the erasure is in it.
    let after = w.svc.verify_audit().await.unwrap();
    assert_eq!(after.first_broken, None);
    assert!(after.entries > before);
    let mine = s.audit_for_user(a.user.id, 1000).await.unwrap();
    assert!(mine.iter().any(|e| e.action == "request_deletion"));
    assert!(mine.iter().any(|e| e.action == "erase_user"));
    assert!(
        w.svc
            .open_deletion_requests(&admin)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn console_erase_and_last_admin_guard() {
    let w = World::new(sqlite_store().await).await;
    let u = w
        .svc
        .erase_user_as_console("staff@police.example")
        .await
        .unwrap();
    assert!(u.disabled);
    let last = w
        .svc
        .erase_user_as_console("admin@mamori.example")
        .await
        .unwrap_err();
    assert_eq!(last.code(), "E-ACCOUNT-LASTADMIN");
}

#[tokio::test]
async fn export_holds_the_persons_own_reports_but_not_colleagues() {
    let t = crate::intake::Intake::new(sqlite_store().await).await;
    let me = t.a("reporter@sakura.example").await;
    let colleague = t.a("second@sakura.example").await;
    let draft = |title: &str| mamori_service::intake::DraftInput {
        kind: None,
        title: title.into(),
        answers: crate::intake::full_answers(),
    };
    t.svc()
        .create_draft(&me, draft("管理画面への不正ログイン"))
        .await
        .unwrap();
    t.svc()
        .create_draft(&colleague, draft("同僚の下書き"))
        .await
        .unwrap();
    let json = serde_json::to_value(t.svc().export_my_data(&me).await.unwrap()).unwrap();
    let reports = json["sections"]["reports"].as_array().unwrap();
    assert_eq!(reports.len(), 1, "{reports:?}");
    assert_eq!(reports[0]["report"]["title"], "管理画面への不正ログイン");
    assert!(
        reports[0]["report"]["answers"]
            .as_str()
            .unwrap()
            .contains("203.0.113.9"),
        "the answers are part of the export"
    );
    assert!(!json.to_string().contains("同僚の下書き"));
}

#[tokio::test]
async fn saved_self_checks_are_exported_and_erased_with_the_account() {
    use mamori_core::portal::selfcheck::{Answer, Answers};
    let w = World::new(sqlite_store().await).await;
    let me = w.actor("reporter@sakura.example").await;
    let other = w.actor("reporter@momiji.example").await;
    let mut answers = Answers::new();
    answers.insert("1-1".into(), Answer::Yes);
    answers.insert("1-2".into(), Answer::No);
    w.svc.save_selfcheck(&me, "sme", &answers).await.unwrap();
    w.svc
        .save_selfcheck(&other, "user", &Answers::new())
        .await
        .unwrap();
    let json = serde_json::to_value(w.svc.export_my_data(&me).await.unwrap()).unwrap();
    let checks = json["sections"]["selfchecks"].as_array().unwrap();
    assert_eq!(checks.len(), 1, "only my own: {checks:?}");
    assert_eq!(checks[0]["list"], "sme");
    assert_eq!(checks[0]["answers"]["1-1"], "yes");
    assert_eq!(checks[0]["answers"]["1-2"], "no");
    assert!(
        json["purposes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["key"] == "selfchecks")
    );
    // Deleting the account erases them; the colleague's stay.
    let uid = me.user.id;
    w.svc
        .erase_user_as_console("reporter@sakura.example")
        .await
        .unwrap();
    assert!(
        w.svc
            .store()
            .selfchecks_of(uid, 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        w.svc
            .store()
            .selfchecks_of(other.user.id, 10)
            .await
            .unwrap()
            .len(),
        1
    );
}
