//! WebAuthn ceremonies against a software authenticator (webauthn-authenticator-rs
//! `SoftPasskey`): registration, a login with the passkey as second factor, and a
//! phishing origin that cannot use it.

use crate::common::*;
use mamori_guard::*;
use std::sync::Arc;
use webauthn_authenticator_rs::prelude::{Url, WebauthnAuthenticator};
use webauthn_authenticator_rs::softpasskey::SoftPasskey;

const ORIGIN: &str = "https://shop.example.jp";

fn passkey_harness() -> (Harness, Guard) {
    let h = harness();
    let g = Guard::new(
        config(),
        h.store.clone(),
        h.notifier.clone(),
        Arc::new(h.clock.clone()),
        Arc::new(SeededRandom::new(3)),
    )
    .unwrap()
    .with_passkeys(PasskeyService::new("shop.example.jp", ORIGIN, "Example Shop").unwrap());
    (h, g)
}

#[test]
fn passkey_registration_and_login_as_second_factor() {
    let (h, g) = passkey_harness();
    h.user("taro");
    let mut authenticator = SoftPasskey::new(true);

    let (challenge, state) = g.begin_passkey_registration("taro").unwrap();
    let reply = authenticator
        .do_registration(Url::parse(ORIGIN).unwrap(), challenge)
        .unwrap();
    g.finish_passkey_registration("taro", &reply, &state)
        .unwrap();
    assert_eq!(
        g.account("taro").unwrap().unwrap().factors(),
        vec![FactorKind::Passkey]
    );
    assert!(h.notices_for("taro").contains(&OwnerNotice::FactorChanged {
        factor: "passkey".into()
    }));

    // Password alone is no longer enough.
    assert!(matches!(
        g.login(&LoginAttempt::new("taro", GOOD_PW, ip("198.51.100.1")))
            .unwrap(),
        LoginOutcome::SecondFactorRequired { .. }
    ));
    let (challenge, state) = g.begin_passkey_login("taro").unwrap();
    let assertion = authenticator
        .do_authentication(Url::parse(ORIGIN).unwrap(), challenge)
        .unwrap();
    let proof = g.finish_passkey_login("taro", &assertion, &state).unwrap();
    assert_eq!(proof.user(), "taro");
    let mut a = LoginAttempt::new("taro", GOOD_PW, ip("198.51.100.1"));
    a.second_factor = Some(SecondFactor::Passkey(proof.clone()));
    assert!(is_success(&g.login(&a).unwrap()));

    // A proof for one account does not open another.
    h.user("jiro");
    enrol_totp(&h, "jiro");
    let mut b = LoginAttempt::new("jiro", GOOD_PW, ip("198.51.100.1"));
    b.second_factor = Some(SecondFactor::Passkey(proof));
    assert_eq!(g.login(&b).unwrap(), LoginOutcome::Failed);
}

#[test]
fn a_phishing_origin_cannot_get_a_usable_assertion() {
    let (h, g) = passkey_harness();
    h.user("taro");
    let mut authenticator = SoftPasskey::new(true);
    let (challenge, state) = g.begin_passkey_registration("taro").unwrap();
    let reply = authenticator
        .do_registration(Url::parse(ORIGIN).unwrap(), challenge)
        .unwrap();
    g.finish_passkey_registration("taro", &reply, &state)
        .unwrap();

    // The look-alike site relays the real site's challenge to the victim's browser.
    let (challenge, state) = g.begin_passkey_login("taro").unwrap();
    let phished = authenticator.do_authentication(
        Url::parse("https://shop-example-jp.example.com").unwrap(),
        challenge,
    );
    match phished {
        Err(_) => {} // the client refuses: the RP id does not match the origin
        Ok(assertion) => assert!(g.finish_passkey_login("taro", &assertion, &state).is_err()),
    }
}

#[test]
fn replayed_registration_state_is_refused() {
    let (h, g) = passkey_harness();
    h.user("taro");
    let mut authenticator = SoftPasskey::new(true);
    let (challenge, state) = g.begin_passkey_registration("taro").unwrap();
    let (_other_challenge, other_state) = g.begin_passkey_registration("taro").unwrap();
    let reply = authenticator
        .do_registration(Url::parse(ORIGIN).unwrap(), challenge)
        .unwrap();
    // The reply answers the first challenge, not the second.
    assert!(
        g.finish_passkey_registration("taro", &reply, &other_state)
            .is_err()
    );
    g.finish_passkey_registration("taro", &reply, &state)
        .unwrap();
}

#[test]
fn passwordless_passkey_login_works_while_the_password_is_under_attack() {
    let h = harness();
    let mut cfg = config();
    cfg.throttle.account.limit = 5;
    cfg.throttle.account.free_attempts = u32::MAX;
    let g = Guard::new(
        cfg,
        h.store.clone(),
        h.notifier.clone(),
        Arc::new(h.clock.clone()),
        Arc::new(SeededRandom::new(4)),
    )
    .unwrap()
    .with_passkeys(PasskeyService::new("shop.example.jp", ORIGIN, "Example Shop").unwrap());
    h.user("taro");
    let mut authenticator = SoftPasskey::new(true);
    let (challenge, state) = g.begin_passkey_registration("taro").unwrap();
    let reply = authenticator
        .do_registration(Url::parse(ORIGIN).unwrap(), challenge)
        .unwrap();
    g.finish_passkey_registration("taro", &reply, &state)
        .unwrap();

    // Someone hammers the password until the account is locked.
    for i in 0..5 {
        let pw = format!("guess {i} of the attacker");
        assert_eq!(
            g.login(&LoginAttempt::new("taro", &pw, ip("203.0.113.1")))
                .unwrap(),
            LoginOutcome::Failed
        );
    }
    assert_eq!(
        g.login(&LoginAttempt::new("taro", GOOD_PW, ip("198.51.100.1")))
            .unwrap(),
        LoginOutcome::Locked
    );

    // The owner signs in with the passkey alone and is told about the attempts.
    let (challenge, state) = g.begin_passkey_login("taro").unwrap();
    let assertion = authenticator
        .do_authentication(Url::parse(ORIGIN).unwrap(), challenge)
        .unwrap();
    let proof = g.finish_passkey_login("taro", &assertion, &state).unwrap();
    let LoginOutcome::Success(s) = g
        .login_with_passkey(&proof, ip("198.51.100.1"), None)
        .unwrap()
    else {
        panic!()
    };
    assert_eq!(s.failed_attempts, 5);
    assert_eq!(s.user, "taro");
}
