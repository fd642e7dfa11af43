//! The conformance suite: written once, run by every [`Store`] implementation
//! against a fresh, empty store (`run_all(&store).await`). It panics with the name
//! of the broken promise.

use crate::*;
use time::{Duration, OffsetDateTime};

fn t0() -> OffsetDateTime {
    time::macros::datetime!(2026-04-01 09:00 UTC)
}

/// Runs every check against one empty store.
pub async fn run_all(store: &dyn Store) {
    orgs_and_users(store).await;
    sessions_tokens_links(store).await;
    audit_chain_order(store).await;
    guard_accounts(store).await;
    crate::conformance_account::run(store).await;
}

async fn orgs_and_users(s: &dyn Store) {
    let npa = s
        .insert_org(&NewOrg {
            name: "警察庁".into(),
            kind: OrgKind::Police,
            parent: None,
            created_at: t0(),
        })
        .await
        .expect("insert org");
    let pref = s
        .insert_org(&NewOrg {
            name: "警視庁".into(),
            kind: OrgKind::PolicePrefectural,
            parent: Some(npa.id),
            created_at: t0(),
        })
        .await
        .expect("insert child org");
    assert_ne!(npa.id, pref.id);
    assert_eq!(s.org(pref.id).await.expect("org"), Some(pref.clone()));
    assert_eq!(s.org(OrgId(999_999)).await.expect("org"), None);
    assert_eq!(
        s.org_by_name("警察庁").await.expect("by name"),
        Some(npa.clone())
    );
    let dup = s
        .insert_org(&NewOrg {
            name: "警察庁".into(),
            kind: OrgKind::Ipa,
            parent: None,
            created_at: t0(),
        })
        .await;
    assert!(
        matches!(dup, Err(StoreError::Conflict(_))),
        "org name unique: {dup:?}"
    );
    assert_eq!(
        s.orgs().await.expect("orgs"),
        vec![npa.clone(), pref.clone()]
    );

    let u = s
        .insert_user(&NewUser {
            org: pref.id,
            email: "Staff@Example.JP".into(),
            display_name: "山田 花子".into(),
            role: Role::BodyStaff,
            created_at: t0(),
        })
        .await
        .expect("insert user");
    assert_eq!(u.email, "staff@example.jp", "email lower-cased");
    assert!(!u.disabled);
    assert_eq!(s.user(u.id).await.expect("user"), Some(u.clone()));
    assert_eq!(
        s.user_by_email("STAFF@example.jp").await.expect("by email"),
        Some(u.clone())
    );
    let dup = s
        .insert_user(&NewUser {
            org: npa.id,
            email: "staff@example.jp".into(),
            display_name: "x".into(),
            role: Role::Reporter,
            created_at: t0(),
        })
        .await;
    assert!(
        matches!(dup, Err(StoreError::Conflict(_))),
        "email unique: {dup:?}"
    );
    let other = s
        .insert_user(&NewUser {
            org: npa.id,
            email: "chief@example.jp".into(),
            display_name: "佐藤".into(),
            role: Role::BodySupervisor,
            created_at: t0(),
        })
        .await
        .expect("second user");
    assert_eq!(
        s.users(Some(pref.id)).await.expect("users"),
        vec![u.clone()]
    );
    assert_eq!(s.users(None).await.expect("users").len(), 2);
    s.set_user_disabled(other.id, true).await.expect("disable");
    assert!(
        s.user(other.id)
            .await
            .expect("user")
            .expect("exists")
            .disabled
    );
    assert!(matches!(
        s.set_user_disabled(UserId(999_999), true).await,
        Err(StoreError::NotFound(_))
    ));
}

async fn sessions_tokens_links(s: &dyn Store) {
    let user = s.users(None).await.expect("users")[0].id;
    let sess = Session {
        hash: "a".repeat(64),
        user,
        csrf: "csrf-1".into(),
        created_at: t0(),
        last_seen_at: t0(),
    };
    s.insert_session(&sess).await.expect("session");
    assert_eq!(
        s.session(&sess.hash).await.expect("get"),
        Some(sess.clone())
    );
    let later = t0() + Duration::minutes(5);
    s.touch_session(&sess.hash, later).await.expect("touch");
    assert_eq!(
        s.session(&sess.hash)
            .await
            .expect("get")
            .expect("some")
            .last_seen_at,
        later
    );
    s.delete_session(&sess.hash).await.expect("delete");
    assert_eq!(s.session(&sess.hash).await.expect("get"), None);
    let fresh = Session {
        hash: "d".repeat(64),
        created_at: later,
        last_seen_at: later,
        ..sess.clone()
    };
    let idle = Session {
        hash: "e".repeat(64),
        ..sess.clone()
    };
    s.insert_session(&fresh).await.expect("session");
    s.insert_session(&idle).await.expect("session");
    let n = s.delete_stale_sessions(later, t0()).await.expect("sweep");
    assert_eq!(n, 1, "only the idle one");
    assert!(s.session(&fresh.hash).await.expect("get").is_some());
    assert_eq!(
        s.delete_stale_sessions(t0(), later + Duration::seconds(1))
            .await
            .expect("sweep"),
        1,
        "absolute"
    );

    let tok = ApiToken {
        hash: "b".repeat(64),
        user,
        label: "ci".into(),
        created_at: t0(),
        expires_at: t0() + Duration::days(90),
    };
    s.insert_token(&tok).await.expect("token");
    assert_eq!(s.token(&tok.hash).await.expect("get"), Some(tok));
    assert_eq!(s.token("nope").await.expect("get"), None);

    let link = OneTimeLink {
        hash: "c".repeat(64),
        user,
        purpose: LinkPurpose::SetPassword,
        expires_at: t0() + Duration::hours(24),
    };
    s.insert_link(&link).await.expect("link");
    assert_eq!(
        s.take_link(&link.hash).await.expect("take"),
        Some(link.clone())
    );
    assert_eq!(
        s.take_link(&link.hash).await.expect("take"),
        None,
        "single use"
    );
}

fn entry(seq: i64, prev: &str, actor: Option<UserId>) -> AuditEntry {
    AuditEntry {
        seq,
        at: t0() + Duration::seconds(seq),
        actor,
        subject: None,
        action: "view_org".into(),
        object: format!("org:{seq}"),
        source: "198.51.100.7".into(),
        detail: "{}".into(),
        prev_hash: prev.into(),
        hash: format!("{seq:064}"),
    }
}

async fn audit_chain_order(s: &dyn Store) {
    let user = s.users(None).await.expect("users")[0].id;
    assert_eq!(s.last_audit().await.expect("last"), None);
    let e1 = entry(1, &"0".repeat(64), Some(user));
    s.append_audit(&e1).await.expect("append 1");
    let e2 = entry(2, &e1.hash, None);
    s.append_audit(&e2).await.expect("append 2");
    let fork = entry(2, &e1.hash, None);
    assert!(
        matches!(s.append_audit(&fork).await, Err(StoreError::Conflict(_))),
        "a second entry 2 would fork the chain"
    );
    let gap = entry(4, &e2.hash, None);
    assert!(
        matches!(s.append_audit(&gap).await, Err(StoreError::Conflict(_))),
        "gaps refused"
    );
    assert_eq!(s.last_audit().await.expect("last"), Some(e2.clone()));
    assert_eq!(
        s.audit_page(0, 10).await.expect("page"),
        vec![e1.clone(), e2.clone()]
    );
    assert_eq!(s.audit_page(1, 10).await.expect("page"), vec![e2]);
    assert_eq!(
        s.audit_for_user(user, 10).await.expect("mine"),
        vec![e1.clone()]
    );
    assert_eq!(
        s.audit_by_actor_action(user, "view_org", 10)
            .await
            .expect("by action"),
        vec![e1]
    );
    assert_eq!(
        s.audit_by_actor_action(user, "sign_in", 10)
            .await
            .expect("none"),
        vec![]
    );
}

async fn guard_accounts(s: &dyn Store) {
    assert_eq!(s.guard_account("x@example.jp").await.expect("get"), None);
    s.put_guard_account("x@example.jp", r#"{"v":1}"#)
        .await
        .expect("put");
    s.put_guard_account("x@example.jp", r#"{"v":2}"#)
        .await
        .expect("replace");
    s.put_guard_account("y@example.jp", r#"{"v":3}"#)
        .await
        .expect("put");
    assert_eq!(
        s.guard_account("x@example.jp")
            .await
            .expect("get")
            .as_deref(),
        Some(r#"{"v":2}"#)
    );
    let mut names = s.guard_account_names().await.expect("names");
    names.sort();
    assert_eq!(
        names,
        vec!["x@example.jp".to_string(), "y@example.jp".to_string()]
    );
}
