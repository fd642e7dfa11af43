//! Logins as a user sees them: success, the previous login, uniform failures,
//! transparent rehash, new-device notices, inactivity and the leak response.

use crate::common::*;
use mamori_guard::*;
use std::sync::Arc;
use time::Duration;

#[test]
fn login_succeeds_and_shows_previous_login_time_and_source() {
    let h = harness();
    h.user("taro");
    let LoginOutcome::Success(first) = h.login("taro", GOOD_PW, "198.51.100.1") else {
        panic!()
    };
    assert_eq!(first.previous_login, None);
    h.clock.advance(Duration::hours(5));
    let LoginOutcome::Success(second) = h.login("TARO", GOOD_PW, "198.51.100.2") else {
        panic!()
    };
    let prev = second.previous_login.expect("previous login shown");
    assert_eq!(prev.time, T0);
    assert_eq!(prev.source, Some(ip("198.51.100.1")));
}

#[test]
fn wrong_password_and_unknown_user_get_the_same_answer_and_the_same_work() {
    let h = harness();
    h.user("taro");
    let before = h.hashes();
    let a = h.login("taro", "not the password at all", "198.51.100.1");
    let b = h.login("nobody", "not the password at all", "198.51.100.1");
    assert_eq!(a, LoginOutcome::Failed);
    assert_eq!(b, LoginOutcome::Failed);
    assert_eq!(a.text(), b.text());
    assert_eq!(
        h.hashes() - before,
        2,
        "one hash each, unknown user included"
    );
}

#[test]
fn full_width_name_and_password_are_the_same_login() {
    let h = harness();
    h.user("taro@example.jp");
    let o = h.login(
        "ＴＡＲＯ+news@example.jp",
        "ｖｉｏｌｅｔ　ｌａｎｔｅｒｎ　ｇｒａｖｅｌ　ｏｒｂｉｔ",
        "198.51.100.1",
    );
    assert!(is_success(&o), "{o:?}");
}

#[test]
fn changed_hash_parameters_rehash_transparently_on_login() {
    let h = harness();
    h.user("taro");
    let old = h
        .guard
        .account("taro")
        .unwrap()
        .unwrap()
        .password_phc
        .unwrap();
    assert!(old.contains("m=64,t=1,p=1"));
    // The operator raises the cost; the same store is used by the new guard.
    let mut cfg = config();
    cfg.hash = HashParams {
        memory_kib: 256,
        iterations: 2,
        parallelism: 1,
    };
    let g2 = Guard::new(
        cfg,
        h.store.clone(),
        h.notifier.clone(),
        Arc::new(h.clock.clone()),
        Arc::new(SeededRandom::new(5)),
    )
    .unwrap();
    let o = g2
        .login(&LoginAttempt::new("taro", GOOD_PW, ip("198.51.100.1")))
        .unwrap();
    assert!(is_success(&o));
    let new = g2.account("taro").unwrap().unwrap().password_phc.unwrap();
    assert!(new.starts_with("$argon2id$v=19$m=256,t=2,p=1$"), "{new}");
    assert!(is_success(
        &g2.login(&LoginAttempt::new("taro", GOOD_PW, ip("198.51.100.1")))
            .unwrap()
    ));
}

#[test]
fn login_from_a_new_device_notifies_the_owner_and_known_device_does_not() {
    let h = harness();
    h.user("taro");
    let LoginOutcome::Success(s) = h.login("taro", GOOD_PW, "198.51.100.1") else {
        panic!()
    };
    let token = s.new_device_token.expect("device token issued");
    assert!(
        h.notices_for("taro").is_empty(),
        "first login ever is not a 'new device'"
    );
    let mut a = LoginAttempt::new("taro", GOOD_PW, ip("198.51.100.1"));
    a.device_token = Some(&token);
    let LoginOutcome::Success(s2) = h.guard.login(&a).unwrap() else {
        panic!()
    };
    assert_eq!(s2.new_device_token, None);
    assert!(h.notices_for("taro").is_empty());
    assert!(is_success(&h.login("taro", GOOD_PW, "203.0.113.50")));
    assert_eq!(
        h.notices_for("taro"),
        vec![OwnerNotice::NewDevice {
            source: Some(ip("203.0.113.50"))
        }]
    );
}

#[test]
fn long_unused_accounts_are_disabled_and_owners_notified() {
    let h = harness_with(|c| c.inactive_after_days = Some(180));
    h.user("active");
    h.user("idle");
    h.clock.advance(Duration::days(100));
    assert!(is_success(&h.login("active", GOOD_PW, "198.51.100.1")));
    h.clock.advance(Duration::days(90));
    assert_eq!(
        h.guard.disable_inactive().unwrap(),
        vec!["idle".to_string()]
    );
    assert_eq!(
        h.notices_for("idle"),
        vec![OwnerNotice::DisabledForInactivity { idle_days: 190 }]
    );
    // A disabled account says so only to someone who knows the password.
    assert_eq!(
        h.login("idle", "wrong password here!", "198.51.100.1"),
        LoginOutcome::Failed
    );
    assert_eq!(
        h.login("idle", GOOD_PW, "198.51.100.1"),
        LoginOutcome::Disabled
    );
    h.guard.enable_account("idle").unwrap();
    assert!(is_success(&h.login("idle", GOOD_PW, "198.51.100.1")));
}

#[test]
fn exposed_accounts_must_reset_and_are_notified() {
    let h = harness();
    h.user("taro");
    h.user("hanako");
    let LoginOutcome::Success(s) = h.login("taro", GOOD_PW, "198.51.100.1") else {
        panic!()
    };
    let token = s.new_device_token.unwrap();
    assert_eq!(h.guard.mark_exposed(["taro", "ghost"]).unwrap(), 1);
    assert_eq!(h.notices_for("taro"), vec![OwnerNotice::CredentialsExposed]);
    // The remembered device is forgotten, and the next login must change the password.
    let mut a = LoginAttempt::new("taro", GOOD_PW, ip("198.51.100.1"));
    a.device_token = Some(&token);
    let LoginOutcome::Success(s) = h.guard.login(&a).unwrap() else {
        panic!()
    };
    assert!(s.must_change_password);
    assert!(s.new_device_token.is_some());
    h.guard
        .set_password("taro", "quiet harbour copper kettle")
        .unwrap()
        .unwrap();
    let LoginOutcome::Success(s) = h.login("taro", "quiet harbour copper kettle", "198.51.100.1")
    else {
        panic!()
    };
    assert!(!s.must_change_password);
    let LoginOutcome::Success(s) = h.login("hanako", GOOD_PW, "198.51.100.1") else {
        panic!()
    };
    assert!(!s.must_change_password);
}

#[test]
fn set_password_refuses_reuse_and_weak_ones_with_reason() {
    let h = harness();
    h.user("taro");
    let r = h.guard.set_password("taro", GOOD_PW).unwrap();
    assert_eq!(r, Err(Refusal::PreviouslyUsed));
    let r = h
        .guard
        .set_password("taro", "password")
        .unwrap()
        .unwrap_err();
    assert!(
        r.message(mamori_core::Lang::Ja).contains("短すぎます"),
        "{r:?}"
    );
    h.guard
        .set_password("taro", "quiet harbour copper kettle")
        .unwrap()
        .unwrap();
    assert_eq!(h.notices_for("taro"), vec![OwnerNotice::PasswordChanged]);
    assert_eq!(
        h.guard.set_password("taro", GOOD_PW).unwrap(),
        Err(Refusal::PreviouslyUsed)
    );
}

#[test]
fn breached_corpus_refuses_passwords_it_contains() {
    let dir = tempfile::tempdir().unwrap();
    let sha = sha1_hex("river otter juggles tangerines");
    std::fs::write(dir.path().join(&sha[..5]), format!("{}:42\n", &sha[5..])).unwrap();
    let h = harness();
    let g = Guard::new(
        config(),
        h.store.clone(),
        h.notifier.clone(),
        Arc::new(h.clock.clone()),
        Arc::new(SeededRandom::new(1)),
    )
    .unwrap()
    .with_breached(Arc::new(HibpRangeDir::new(dir.path())));
    let r = g
        .create_account("jiro", "Jiro", "river otter juggles tangerines")
        .unwrap();
    assert_eq!(r.unwrap_err(), Refusal::Breached { count: 42 });
    assert!(g.create_account("jiro", "Jiro", GOOD_PW).unwrap().is_ok());
}

#[test]
fn events_are_json_lines_in_scan_taxonomy() {
    let h = harness();
    h.user("taro");
    h.login("taro", "wrong password here!", "203.0.113.9");
    h.login("taro", GOOD_PW, "203.0.113.9");
    let ev = h.notifier.events();
    let lines: Vec<serde_json::Value> = ev
        .iter()
        .map(|e| serde_json::to_value(e).unwrap())
        .collect();
    assert_eq!(lines[0]["kind"], "auth_failure");
    assert_eq!(lines[0]["source"], "203.0.113.9");
    assert_eq!(lines[0]["user"], "taro");
    assert_eq!(lines[0]["time"], "2026-04-01T09:00:00Z");
    assert_eq!(lines[1]["kind"], "auth_success");
    for e in &ev {
        let s = serde_json::to_string(e).unwrap();
        assert!(
            !s.contains(GOOD_PW) && !s.contains("wrong password"),
            "no secrets in events: {s}"
        );
    }
}

#[test]
fn success_reports_failed_attempts_since_last_login_and_usage_record_is_kept() {
    let h = harness();
    h.user("taro");
    assert!(is_success(&h.login("taro", GOOD_PW, "198.51.100.1")));
    h.clock.advance(Duration::hours(1));
    for _ in 0..2 {
        assert_eq!(
            h.login("taro", "wrong password here!", "203.0.113.66"),
            LoginOutcome::Failed
        );
    }
    h.clock.advance(Duration::hours(1));
    let LoginOutcome::Success(s) = h.login("taro", GOOD_PW, "198.51.100.1") else {
        panic!()
    };
    assert_eq!(s.failed_attempts, 2);
    let LoginOutcome::Success(s) = h.login("taro", GOOD_PW, "198.51.100.1") else {
        panic!()
    };
    assert_eq!(s.failed_attempts, 0, "counted from the last login");
    let usage = h.guard.usage_records("taro").unwrap();
    assert_eq!(usage.len(), 3);
    assert_eq!(usage[0].time, T0 + Duration::hours(2), "newest first");
    assert_eq!(usage[2].time, T0);
}

#[test]
fn change_password_needs_the_current_one_and_is_throttled() {
    let h = harness();
    h.user("taro");
    let new = "quiet harbour copper kettle";
    assert_eq!(
        h.guard
            .change_password("taro", "not it at all!", new)
            .unwrap(),
        ChangeOutcome::WrongPassword
    );
    assert!(matches!(
        h.guard.change_password("taro", GOOD_PW, "short").unwrap(),
        ChangeOutcome::Refused(Refusal::TooShort { .. })
    ));
    for _ in 0..2 {
        h.guard
            .change_password("taro", "not it at all!", new)
            .unwrap();
    }
    assert!(matches!(
        h.guard.change_password("taro", GOOD_PW, new).unwrap(),
        ChangeOutcome::Throttled { .. }
    ));
    h.clock.advance(Duration::minutes(1));
    assert_eq!(
        h.guard.change_password("taro", GOOD_PW, new).unwrap(),
        ChangeOutcome::Done
    );
    assert!(is_success(&h.login("taro", new, "198.51.100.1")));
    assert!(
        h.notices_for("taro")
            .contains(&OwnerNotice::PasswordChanged)
    );
}

#[test]
fn a_password_that_later_appears_in_a_breach_must_be_changed_at_next_login() {
    let h = harness();
    h.user("taro");
    // Later the operator loads fresh HIBP range files that contain taro's password.
    let dir = tempfile::tempdir().unwrap();
    let sha = sha1_hex(GOOD_PW);
    std::fs::write(dir.path().join(&sha[..5]), format!("{}:3\n", &sha[5..])).unwrap();
    let g = Guard::new(
        config(),
        h.store.clone(),
        h.notifier.clone(),
        Arc::new(h.clock.clone()),
        Arc::new(SeededRandom::new(8)),
    )
    .unwrap()
    .with_breached(Arc::new(HibpRangeDir::new(dir.path())));
    let LoginOutcome::Success(s) = g
        .login(&LoginAttempt::new("taro", GOOD_PW, ip("198.51.100.1")))
        .unwrap()
    else {
        panic!()
    };
    assert!(s.must_change_password);
    assert_eq!(h.notices_for("taro"), vec![OwnerNotice::CredentialsExposed]);
}
