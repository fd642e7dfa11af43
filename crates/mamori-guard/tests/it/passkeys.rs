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

/// A software authenticator holding a passkey registered for `user`.
fn registered(g: &Guard, user: &str) -> SoftPasskey {
    let mut authenticator = SoftPasskey::new(true);
    let (challenge, state) = g.begin_passkey_registration(user).unwrap();
    let reply = authenticator
        .do_registration(Url::parse(ORIGIN).unwrap(), challenge)
        .unwrap();
    g.finish_passkey_registration(user, &reply, &state).unwrap();
    authenticator
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
    let mut authenticator = registered(&g, "taro");

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
    let mut authenticator = registered(&g, "taro");

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

/// The keys of a JSON value, recursively (the shape, not the values).
fn shape(v: &serde_json::Value) -> serde_json::Value {
    match v {
        serde_json::Value::Object(m) => m.iter().map(|(k, v)| (k.clone(), shape(v))).collect(),
        serde_json::Value::Array(a) => a.first().map_or(serde_json::Value::Null, shape),
        _ => serde_json::Value::Null,
    }
}

#[test]
fn a_decoy_challenge_does_not_tell_who_has_a_passkey() {
    let (h, g) = passkey_harness();
    h.user("taro");
    let mut authenticator = registered(&g, "taro");
    let (real, _) = g.begin_passkey_login("taro").unwrap();

    let svc = g.passkey_service().expect("enabled");
    let key = [7u8; 32];
    let decoy = svc.decoy_authentication("nobody", &key, [1; 32]).unwrap();
    let real = serde_json::to_value(&real).unwrap();
    let decoy_json = serde_json::to_value(&decoy).unwrap();
    assert_eq!(
        shape(&real),
        shape(&decoy_json),
        "same fields as a real one"
    );
    assert_eq!(decoy_json["publicKey"]["rpId"], "shop.example.jp");
    assert_eq!(
        real["publicKey"]["timeout"], decoy_json["publicKey"]["timeout"],
        "same timeout"
    );
    let again = svc.decoy_authentication("nobody", &key, [2; 32]).unwrap();
    assert_eq!(
        decoy.public_key.allow_credentials.len(),
        again.public_key.allow_credentials.len()
    );
    assert!(
        decoy
            .public_key
            .allow_credentials
            .iter()
            .zip(&again.public_key.allow_credentials)
            .all(|(a, b)| a.id == b.id),
        "the same name gets the same credential ids each time"
    );
    let other = svc.decoy_authentication("somebody", &key, [1; 32]).unwrap();
    assert_ne!(
        decoy.public_key.allow_credentials[0].id,
        other.public_key.allow_credentials[0].id
    );
    // The software authenticator holds none of them.
    assert!(
        authenticator
            .do_authentication(Url::parse(ORIGIN).unwrap(), decoy)
            .is_err()
    );
}

#[test]
fn a_passkey_can_be_removed_and_the_owner_is_told() {
    let (h, g) = passkey_harness();
    h.user("taro");
    registered(&g, "taro");
    let acc = g.account("taro").unwrap().unwrap();
    let ids = PasskeyService::passkey_ids(&acc);
    assert_eq!(ids.len(), 1);
    assert!(!g.remove_passkey("taro", "00ff").unwrap(), "unknown id");
    assert!(g.remove_passkey("taro", &ids[0]).unwrap());
    assert!(g.account("taro").unwrap().unwrap().factors().is_empty());
    assert!(h.notices_for("taro").contains(&OwnerNotice::FactorChanged {
        factor: "passkey_removed".into()
    }));
    assert!(
        g.begin_passkey_login("taro").is_err(),
        "no passkey left to sign in with"
    );
}
