//! Conformance checks of schema 3: sessions and tokens per person, the pending TOTP
//! secret bound to a session, notices, deletion requests and erasure, and the shared
//! guard state. Called by [`crate::conformance::run_all`] on a store that already
//! holds its people; adds no person, organization or audit entry.

use crate::*;
use time::{Duration, OffsetDateTime};

fn t0() -> OffsetDateTime {
    time::macros::datetime!(2026-04-02 09:00 UTC)
}

pub(crate) async fn run(s: &dyn Store) {
    per_person(s).await;
    notices_and_deletion(s).await;
    guard_state(s).await;
    ceremonies(s).await;
}

fn session(hash: char, user: UserId) -> Session {
    Session {
        hash: hash.to_string().repeat(64),
        user,
        csrf: "c".into(),
        created_at: t0(),
        last_seen_at: t0(),
    }
}

async fn per_person(s: &dyn Store) {
    let people = s.users(None).await.expect("users");
    let (a, b) = (people[0].id, people[1].id);
    for (h, u) in [('p', a), ('q', a), ('r', b)] {
        s.insert_session(&session(h, u)).await.expect("session");
    }
    assert_eq!(s.sessions_of(a).await.expect("sessions").len(), 2);
    let keep = "p".repeat(64);
    s.put_session_totp(&keep, "SECRET1", t0())
        .await
        .expect("pending");
    s.put_session_totp(&keep, "SECRET2", t0())
        .await
        .expect("replace");
    assert_eq!(
        s.session_totp(&keep).await.expect("pending").as_deref(),
        Some("SECRET2"),
        "the pending secret is replaced, not duplicated"
    );
    s.put_session_totp(&"q".repeat(64), "OTHER", t0())
        .await
        .expect("pending");
    assert_eq!(
        s.delete_sessions_of(a, Some(&keep))
            .await
            .expect("end others"),
        1,
        "all but the kept session"
    );
    assert!(s.session(&keep).await.expect("get").is_some());
    assert!(
        s.session(&"r".repeat(64)).await.expect("get").is_some(),
        "other person's kept"
    );
    assert_eq!(
        s.session_totp(&"q".repeat(64)).await.expect("get"),
        None,
        "the pending secret goes with its session"
    );
    s.delete_session_totp(&keep).await.expect("forget");
    assert_eq!(s.session_totp(&keep).await.expect("get"), None);
    s.delete_sessions_of(a, None).await.expect("end all");
    assert!(s.sessions_of(a).await.expect("sessions").is_empty());

    s.insert_token(&ApiToken {
        hash: "t".repeat(64),
        user: a,
        label: "監視".into(),
        created_at: t0(),
        expires_at: t0() + Duration::days(1),
    })
    .await
    .expect("token");
    let mine = s.tokens_of(a).await.expect("tokens");
    assert!(mine.iter().any(|t| t.label == "監視"));
    assert!(
        s.tokens_of(b)
            .await
            .expect("tokens")
            .iter()
            .all(|t| t.user == b)
    );
}

async fn notices_and_deletion(s: &dyn Store) {
    let people = s.users(None).await.expect("users");
    let (a, b) = (people[0].clone(), people[1].clone());
    for (i, kind) in ["password_changed", "new_place"].iter().enumerate() {
        s.insert_notice(&NewNotice {
            user: a.id,
            at: t0() + Duration::minutes(i as i64),
            kind: (*kind).into(),
            detail: "{}".into(),
        })
        .await
        .expect("notice");
    }
    let n = s.notices(a.id, true, 10).await.expect("notices");
    assert_eq!(
        n.iter().map(|n| n.kind.as_str()).collect::<Vec<_>>(),
        vec!["new_place", "password_changed"],
        "newest first"
    );
    assert!(
        s.notices(b.id, false, 10)
            .await
            .expect("notices")
            .is_empty()
    );
    s.mark_notices_seen(a.id).await.expect("seen");
    assert!(s.notices(a.id, true, 10).await.expect("unseen").is_empty());
    assert_eq!(s.notices(a.id, false, 10).await.expect("all").len(), 2);

    let r = s
        .insert_deletion_request(a.id, t0(), "退職のため")
        .await
        .expect("request");
    assert_eq!(r.done_at, None);
    assert_eq!(
        s.deletion_requests(true).await.expect("open"),
        vec![r.clone()]
    );
    assert_eq!(s.deletion_requests_of(b.id).await.expect("none"), vec![]);

    s.insert_session(&session('z', a.id))
        .await
        .expect("session");
    s.put_guard_account(&a.email, "{}")
        .await
        .expect("guard record");
    s.erase_user(&Erasure {
        user: a.id,
        old_email: a.email.clone(),
        pseudonym_email: format!("erased-{}@invalid", a.id.0),
        pseudonym_name: "削除済み".into(),
        request: Some(r.id),
        at: t0() + Duration::hours(1),
        by: Some(b.id),
    })
    .await
    .expect("erase");
    let after = s.user(a.id).await.expect("user").expect("row stays");
    assert!(after.disabled);
    assert_eq!(after.display_name, "削除済み");
    assert_eq!(s.user_by_email(&a.email).await.expect("by email"), None);
    assert!(s.sessions_of(a.id).await.expect("sessions").is_empty());
    assert!(s.tokens_of(a.id).await.expect("tokens").is_empty());
    assert!(
        s.notices(a.id, false, 10)
            .await
            .expect("notices")
            .is_empty()
    );
    assert_eq!(s.guard_account(&a.email).await.expect("guard"), None);
    assert!(s.deletion_requests(true).await.expect("open").is_empty());
    let done = s.deletion_requests_of(a.id).await.expect("all");
    assert_eq!(done[0].done_at, Some(t0() + Duration::hours(1)));
    assert_eq!(done[0].done_by, Some(b.id));
    // The row of an unknown person cannot be erased.
    let missing = s
        .erase_user(&Erasure {
            user: UserId(999_999),
            ..Erasure {
                user: a.id,
                old_email: String::new(),
                pseudonym_email: "x@invalid".into(),
                pseudonym_name: "x".into(),
                request: None,
                at: t0(),
                by: None,
            }
        })
        .await;
    assert!(
        matches!(missing, Err(StoreError::NotFound(_))),
        "{missing:?}"
    );
}

async fn guard_state(s: &dyn Store) {
    assert_eq!(s.guard_counter("k").await.expect("get"), None);
    assert!(
        s.cas_guard_counter("k", "1", None, None)
            .await
            .expect("insert")
    );
    assert!(
        !s.cas_guard_counter("k", "2", None, None)
            .await
            .expect("insert"),
        "a second insert loses"
    );
    let c = s.guard_counter("k").await.expect("get").expect("some");
    assert_eq!(c.state, "1");
    assert!(
        s.cas_guard_counter("k", "2", Some(t0()), Some(c.version))
            .await
            .expect("update")
    );
    assert!(
        !s.cas_guard_counter("k", "3", None, Some(c.version))
            .await
            .expect("stale"),
        "a stale version loses"
    );
    assert_eq!(
        s.guard_counter("k")
            .await
            .expect("get")
            .expect("some")
            .state,
        "2"
    );
    s.delete_guard_counter("k").await.expect("delete");
    assert_eq!(s.guard_counter("k").await.expect("get"), None);

    let ms = t0().unix_timestamp() * 1000;
    assert!(
        s.guard_use_once("once", ms, ms + 1000)
            .await
            .expect("first")
    );
    assert!(
        !s.guard_use_once("once", ms + 999, ms + 5000)
            .await
            .expect("again")
    );
    assert!(
        s.guard_use_once("once", ms + 1000, ms + 2000)
            .await
            .expect("after"),
        "the mark may be reused once it lapsed"
    );

    s.put_guard_token("h1", "u", "reset", "{\"a\":1}")
        .await
        .expect("put");
    s.put_guard_token("h2", "u", "reset", "{\"a\":2}")
        .await
        .expect("put");
    assert_eq!(
        s.take_guard_token("h1").await.expect("take").as_deref(),
        Some("{\"a\":1}")
    );
    assert_eq!(s.take_guard_token("h1").await.expect("take"), None, "once");
    s.drop_guard_tokens("u", "reset").await.expect("drop");
    assert_eq!(s.take_guard_token("h2").await.expect("take"), None);

    assert!(
        s.cas_guard_counter("old", "x", Some(t0()), None)
            .await
            .expect("insert")
    );
    assert!(
        s.cas_guard_counter("forever", "x", None, None)
            .await
            .expect("insert")
    );
    let n = s
        .sweep_guard_state(t0() + Duration::hours(1))
        .await
        .expect("sweep");
    assert!(n >= 2, "expired counter and lapsed marks swept ({n})");
    assert_eq!(s.guard_counter("old").await.expect("get"), None);
    assert!(s.guard_counter("forever").await.expect("get").is_some());
    s.delete_guard_counter("forever").await.expect("delete");
}

async fn ceremonies(s: &dyn Store) {
    let c = |state: &str, expires_at| Ceremony {
        user: "a@example.jp".into(),
        state: state.into(),
        expires_at,
    };
    let live = t0() + Duration::minutes(5);
    s.put_ceremony("k1", &c("{\"v\":1}", live))
        .await
        .expect("put");
    s.put_ceremony("k1", &c("{\"v\":2}", live))
        .await
        .expect("replace");
    s.put_ceremony("k2", &c("{}", t0())).await.expect("put");
    assert_eq!(
        s.take_ceremony("k1").await.expect("take"),
        Some(c("{\"v\":2}", live)),
        "the later ceremony under one key wins"
    );
    assert_eq!(
        s.take_ceremony("k1").await.expect("take"),
        None,
        "a ceremony is finished once"
    );
    s.sweep_guard_state(t0() + Duration::minutes(1))
        .await
        .expect("sweep");
    assert_eq!(
        s.take_ceremony("k2").await.expect("take"),
        None,
        "expired ceremonies are swept"
    );
}
