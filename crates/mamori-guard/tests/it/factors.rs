//! Second factors through the login: TOTP with replay detection, grid cards,
//! recovery codes, and the "password right, factor wrong" notice.

use crate::common::*;
use mamori_guard::*;
use time::Duration;

fn with_factor<'a>(user: &'a str, f: SecondFactor<'a>) -> LoginAttempt<'a> {
    let mut a = LoginAttempt::new(user, GOOD_PW, ip("198.51.100.1"));
    a.second_factor = Some(f);
    a
}

#[test]
fn totp_is_asked_for_accepted_once_and_replay_is_reported() {
    let h = harness();
    h.user("taro");
    let secret = enrol_totp(&h, "taro");
    assert!(matches!(
        h.login("taro", GOOD_PW, "198.51.100.1"),
        LoginOutcome::SecondFactorRequired { ref methods, .. } if methods == &vec![FactorKind::Totp]
    ));
    let code = Totp::default().code_at(&secret, h.clock.now());
    assert!(is_success(
        &h.guard
            .login(&with_factor("taro", SecondFactor::Totp(&code)))
            .unwrap()
    ));
    // The same code again, within its 30 s: refused and reported as a replay.
    h.clock.advance(Duration::seconds(5));
    assert_eq!(
        h.guard
            .login(&with_factor("taro", SecondFactor::Totp(&code)))
            .unwrap(),
        LoginOutcome::Failed
    );
    let replay = h
        .notifier
        .events()
        .into_iter()
        .find(|e| e.attack == Some(Attack::OtpReplay))
        .expect("replay event");
    assert_eq!(replay.reason, "otp_replay");
    assert_eq!(replay.user.as_deref(), Some("taro"));
    // The owner hears that someone had the right password.
    assert!(
        h.notices_for("taro")
            .contains(&OwnerNotice::PasswordRightSecondFactorFailed {
                source: Some(ip("198.51.100.1"))
            })
    );
    // The next step's code works.
    h.clock.advance(Duration::seconds(30));
    let next = Totp::default().code_at(&secret, h.clock.now());
    assert!(is_success(
        &h.guard
            .login(&with_factor("taro", SecondFactor::Totp(&next)))
            .unwrap()
    ));
}

#[test]
fn enrolment_and_changes_of_factors_notify_the_owner() {
    let h = harness();
    h.user("taro");
    enrol_totp(&h, "taro");
    h.guard.issue_recovery_codes("taro").unwrap();
    let n = h.notices_for("taro");
    assert_eq!(
        n,
        vec![
            OwnerNotice::FactorChanged {
                factor: "totp".into()
            },
            OwnerNotice::FactorChanged {
                factor: "recovery_codes".into()
            },
        ]
    );
    // A wrong code at enrolment stores nothing.
    h.user("jiro");
    let setup = h.guard.begin_totp("jiro");
    assert!(!h.guard.confirm_totp("jiro", &setup, "000000").unwrap());
    assert!(h.guard.account("jiro").unwrap().unwrap().totp.is_none());
    assert!(
        setup
            .uri
            .starts_with("otpauth://totp/mamori-shop:jiro?secret=")
    );
}

#[test]
fn grid_card_login_uses_each_cell_once_and_card_is_reissued_when_spent() {
    let h = harness();
    h.user("taro");
    let card = h.guard.issue_grid_card("taro").unwrap();
    let cell = |label: &str| {
        let col = (label.as_bytes()[0] - b'A') as usize;
        let row: usize = label[1..].parse().unwrap();
        card.cells[row - 1][col].clone()
    };
    let mut used = std::collections::HashSet::new();
    let mut reissued = None;
    for _ in 0..25 {
        let LoginOutcome::SecondFactorRequired {
            grid_challenge: Some(ch),
            ..
        } = h.login("taro", GOOD_PW, "198.51.100.1")
        else {
            panic!()
        };
        assert_eq!(ch.len(), 4);
        for l in &ch {
            assert!(used.insert(l.clone()), "cell {l} asked twice");
        }
        let answer: String = ch.iter().map(|l| cell(l)).collect();
        let o = h
            .guard
            .login(&with_factor("taro", SecondFactor::GridCard(&answer)))
            .unwrap();
        let LoginOutcome::Success(s) = o else {
            panic!("{o:?}")
        };
        reissued = s.new_grid_card;
    }
    let new = reissued.expect("a new card after the 25th login");
    assert_ne!(new.serial, card.serial);
    assert!(
        h.notices_for("taro")
            .contains(&OwnerNotice::GridCardReissued)
    );
}

#[test]
fn recovery_code_works_once() {
    let h = harness();
    h.user("taro");
    enrol_totp(&h, "taro");
    let codes = h.guard.issue_recovery_codes("taro").unwrap();
    assert!(is_success(
        &h.guard
            .login(&with_factor("taro", SecondFactor::RecoveryCode(&codes[0])))
            .unwrap()
    ));
    assert_eq!(
        h.guard
            .login(&with_factor("taro", SecondFactor::RecoveryCode(&codes[0])))
            .unwrap(),
        LoginOutcome::Failed
    );
    assert_eq!(
        h.guard
            .account("taro")
            .unwrap()
            .unwrap()
            .recovery_hashes
            .len(),
        9
    );
    assert!(is_success(
        &h.guard
            .login(&with_factor(
                "taro",
                SecondFactor::RecoveryCode(&codes[1].to_lowercase())
            ))
            .unwrap()
    ));
}

#[test]
fn guessing_second_factor_codes_is_throttled() {
    let h = harness();
    h.user("taro");
    let secret = enrol_totp(&h, "taro");
    let mut throttled = false;
    for i in 0..20 {
        let code = format!("{:06}", 111_111 + i);
        if let LoginOutcome::Throttled { .. } = h
            .guard
            .login(&with_factor("taro", SecondFactor::Totp(&code)))
            .unwrap()
        {
            throttled = true;
            break;
        }
        h.clock.advance(Duration::seconds(40));
    }
    assert!(throttled, "code guessing is limited");
    // After the window, the owner's real code still works.
    h.clock.advance(Duration::minutes(16));
    let code = Totp::default().code_at(&secret, h.clock.now());
    assert!(is_success(
        &h.guard
            .login(&with_factor("taro", SecondFactor::Totp(&code)))
            .unwrap()
    ));
}

/// A parallel request that loaded the account before the first one saved it writes
/// the stale copy back; the used code or cells must still be refused.
#[test]
fn regression_stale_account_copy_cannot_replay_a_code_or_grid_cells() {
    let h = harness();
    h.user("taro");
    let card = h.guard.issue_grid_card("taro").unwrap();
    let LoginOutcome::SecondFactorRequired {
        grid_challenge: Some(ch),
        ..
    } = h.login("taro", GOOD_PW, "198.51.100.1")
    else {
        panic!()
    };
    let answer: String = ch
        .iter()
        .map(|l| {
            let col = (l.as_bytes()[0] - b'A') as usize;
            let row: usize = l[1..].parse().unwrap();
            card.cells[row - 1][col].clone()
        })
        .collect();
    let stale = h.store.account("taro").unwrap().unwrap();
    assert!(is_success(
        &h.guard
            .login(&with_factor("taro", SecondFactor::GridCard(&answer)))
            .unwrap()
    ));
    h.store.put_account(&stale).unwrap();
    assert_eq!(
        h.guard
            .login(&with_factor("taro", SecondFactor::GridCard(&answer)))
            .unwrap(),
        LoginOutcome::Failed
    );

    let h = harness();
    h.user("jiro");
    let secret = enrol_totp(&h, "jiro");
    let code = Totp::default().code_at(&secret, h.clock.now());
    let stale = h.store.account("jiro").unwrap().unwrap();
    assert!(is_success(
        &h.guard
            .login(&with_factor("jiro", SecondFactor::Totp(&code)))
            .unwrap()
    ));
    h.store.put_account(&stale).unwrap();
    assert_eq!(
        h.guard
            .login(&with_factor("jiro", SecondFactor::Totp(&code)))
            .unwrap(),
        LoginOutcome::Failed
    );
}
