//! The stuffing alert's step-up for password-only users (issue 15): a known device
//! or a network the account signed in from within 90 days lets them in; anyone else
//! is asked for a second factor, without learning whether the password was right.

use crate::common::*;
use mamori_guard::*;
use time::Duration;

/// What an attacker needs to raise the alert: 150 failed logins on names that do not
/// exist, from 150 different /24 networks.
fn raise_alert(h: &Harness) {
    for i in 0..150u32 {
        let from = format!("100.{}.{}.9", 64 + i / 200, i % 200);
        let o = h.login(&format!("nobody{i}"), "leaked-password-1", &from);
        assert!(matches!(
            o,
            LoginOutcome::Failed | LoginOutcome::StepUpRequired
        ));
    }
    assert!(h.guard.under_attack().unwrap(), "the alert is on");
}

fn success(o: LoginOutcome) -> LoginSuccess {
    match o {
        LoginOutcome::Success(s) => s,
        other => panic!("expected success, got {other:?}"),
    }
}

#[test]
fn a_password_only_user_signs_in_during_the_alert_from_a_network_used_before() {
    let h = harness();
    h.user("hanako");
    success(h.login("hanako", GOOD_PW, "192.0.2.10"));
    h.clock.advance(Duration::days(3));
    raise_alert(&h);
    // Another address in the same /24 (a new DHCP lease at the office): in.
    success(h.login("hanako", GOOD_PW, "192.0.2.200"));
    // A network never used: the step-up, before any password hash.
    let before = h.hashes();
    assert_eq!(
        h.login("hanako", GOOD_PW, "198.51.100.7"),
        LoginOutcome::StepUpRequired
    );
    assert_eq!(h.hashes(), before, "no hash for a refused step-up");
    // A wrong password from the known network is a plain failure.
    assert_eq!(
        h.login("hanako", "not her password at all", "192.0.2.11"),
        LoginOutcome::Failed
    );
}

#[test]
fn ipv6_networks_are_known_per_48() {
    let h = harness();
    h.user("jiro");
    success(h.login("jiro", GOOD_PW, "2001:db8:77:1::5"));
    raise_alert(&h);
    success(h.login("jiro", GOOD_PW, "2001:db8:77:9999::abcd"));
    assert_eq!(
        h.login("jiro", GOOD_PW, "2001:db8:78::5"),
        LoginOutcome::StepUpRequired
    );
}

#[test]
fn a_known_device_cookie_passes_the_step_up_from_anywhere() {
    let h = harness();
    h.user("taro");
    let token = success(h.login("taro", GOOD_PW, "203.0.113.5"))
        .new_device_token
        .expect("a device token at the first sign-in");
    h.user("other");
    let other = success(h.login("other", GOOD_PW, "203.0.113.99"))
        .new_device_token
        .unwrap();
    raise_alert(&h);
    let mut a = LoginAttempt::new("taro", GOOD_PW, ip("198.51.100.40"));
    a.device_token = Some(&token);
    success(h.guard.login(&a).unwrap());
    // A made-up token, or another account's token, is not a known device.
    for t in ["made-up-token", other.as_str()] {
        let mut a = LoginAttempt::new("taro", GOOD_PW, ip("198.18.7.41"));
        a.device_token = Some(t);
        assert_eq!(h.guard.login(&a).unwrap(), LoginOutcome::StepUpRequired);
    }
}

#[test]
fn networks_older_than_90_days_do_not_count_and_the_list_is_bounded() {
    let h = harness();
    h.user("saburo");
    success(h.login("saburo", GOOD_PW, "192.0.2.10"));
    h.clock.advance(Duration::days(91));
    raise_alert(&h);
    assert_eq!(
        h.login("saburo", GOOD_PW, "192.0.2.10"),
        LoginOutcome::StepUpRequired
    );

    let h = harness();
    h.user("shiro");
    for i in 0..30 {
        success(h.login("shiro", GOOD_PW, &format!("198.51.{i}.1")));
        h.clock.advance(Duration::minutes(1));
    }
    let acc = h.guard.account("shiro").unwrap().unwrap();
    let max = StuffingConfig::default().known_networks_max;
    assert_eq!(acc.known_networks.len(), max);
    assert_eq!(acc.known_networks[0].net, "198.51.29.0/24", "newest first");
    // The latest networks still pass during an alert.
    raise_alert(&h);
    success(h.login("shiro", GOOD_PW, "198.51.29.77"));
}

#[test]
fn a_second_factor_is_still_asked_of_accounts_that_have_one() {
    let h = harness();
    h.user("goro");
    success(h.login("goro", GOOD_PW, "192.0.2.10"));
    enrol_totp(&h, "goro");
    raise_alert(&h);
    assert!(matches!(
        h.login("goro", GOOD_PW, "192.0.2.20"),
        LoginOutcome::SecondFactorRequired { .. }
    ));
}

#[test]
fn unknown_names_get_the_step_up_answer_during_the_alert() {
    let h = harness();
    raise_alert(&h);
    assert_eq!(
        h.login("ghost", GOOD_PW, "192.0.2.10"),
        LoginOutcome::StepUpRequired
    );
    // The message says what to do, in both languages.
    let t = LoginOutcome::StepUpRequired.text();
    assert!(t.ja.contains("二要素認証") && t.ja.contains("管理者"));
    assert!(t.en.contains("second factor") && t.en.contains("administrator"));
}
