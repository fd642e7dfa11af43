//! Password reissue: no enumeration, single-use short-lived hashed tokens, the
//! second factor is never bypassed, an administrator never sees the password.

use crate::common::*;
use mamori_guard::*;
use std::sync::Mutex;
use time::Duration;

#[derive(Default)]
struct Outbox(Mutex<Vec<(String, String)>>);

impl ResetDelivery for Outbox {
    fn deliver(&self, user: &str, token: &str) {
        self.0.lock().unwrap().push((user.into(), token.into()));
    }
}

impl Outbox {
    fn take(&self) -> Vec<(String, String)> {
        std::mem::take(&mut self.0.lock().unwrap())
    }
}

const NEW_PW: &str = "quiet harbour copper kettle";

#[test]
fn unknown_and_known_names_get_the_same_answer_and_only_the_owner_gets_a_token() {
    let h = harness();
    h.user("taro");
    let out = Outbox::default();
    let before = h.hashes();
    let a = h
        .guard
        .request_reset("taro", "", &PossessionOfChannel, &out);
    let b = h
        .guard
        .request_reset("nobody", "", &PossessionOfChannel, &out);
    assert!(a.is_ok() && b.is_ok());
    assert_eq!(h.hashes(), before, "same (hash-free) work either way");
    let sent = out.take();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].0, "taro");
    // Stored hashed: the raw token is not a key in the store.
    assert_eq!(h.store.take_token(&sent[0].1).unwrap(), None);
    assert!(h.notices_for("taro").contains(&OwnerNotice::ResetRequested));
}

#[test]
fn token_resets_once_and_old_password_stops_working() {
    let h = harness();
    h.user("taro");
    let out = Outbox::default();
    h.guard
        .request_reset("taro", "", &PossessionOfChannel, &out)
        .unwrap();
    let token = out.take().remove(0).1;
    // A refused password keeps the token usable.
    let r = h
        .guard
        .complete_reset(&token, "password", None, ip("198.51.100.1"))
        .unwrap();
    assert!(matches!(r, ResetOutcome::Refused(_)));
    assert_eq!(
        h.guard
            .complete_reset(&token, NEW_PW, None, ip("198.51.100.1"))
            .unwrap(),
        ResetOutcome::Done
    );
    assert_eq!(
        h.guard
            .complete_reset(
                &token,
                "another fine passphrase x",
                None,
                ip("198.51.100.1")
            )
            .unwrap(),
        ResetOutcome::InvalidToken
    );
    assert_eq!(
        h.login("taro", GOOD_PW, "198.51.100.1"),
        LoginOutcome::Failed
    );
    assert!(is_success(&h.login("taro", NEW_PW, "198.51.100.1")));
}

#[test]
fn tokens_expire_and_a_new_request_voids_the_old_token() {
    let h = harness();
    h.user("taro");
    let out = Outbox::default();
    h.guard
        .request_reset("taro", "", &PossessionOfChannel, &out)
        .unwrap();
    let old = out.take().remove(0).1;
    h.guard
        .request_reset("taro", "", &PossessionOfChannel, &out)
        .unwrap();
    let new = out.take().remove(0).1;
    assert_eq!(
        h.guard
            .complete_reset(&old, NEW_PW, None, ip("198.51.100.1"))
            .unwrap(),
        ResetOutcome::InvalidToken
    );
    h.clock.advance(Duration::minutes(31));
    assert_eq!(
        h.guard
            .complete_reset(&new, NEW_PW, None, ip("198.51.100.1"))
            .unwrap(),
        ResetOutcome::InvalidToken
    );
}

#[test]
fn reset_never_bypasses_an_enrolled_second_factor() {
    let h = harness();
    h.user("taro");
    let secret = enrol_totp(&h, "taro");
    let out = Outbox::default();
    h.guard
        .request_reset("taro", "", &PossessionOfChannel, &out)
        .unwrap();
    let token = out.take().remove(0).1;
    assert_eq!(
        h.guard
            .complete_reset(&token, NEW_PW, None, ip("198.51.100.1"))
            .unwrap(),
        ResetOutcome::SecondFactorRequired {
            methods: vec![FactorKind::Totp]
        }
    );
    assert_eq!(
        h.guard
            .complete_reset(
                &token,
                NEW_PW,
                Some(SecondFactor::Totp("000000")),
                ip("198.51.100.1")
            )
            .unwrap(),
        ResetOutcome::SecondFactorFailed
    );
    let code = Totp::default().code_at(&secret, h.clock.now());
    assert_eq!(
        h.guard
            .complete_reset(
                &token,
                NEW_PW,
                Some(SecondFactor::Totp(&code)),
                ip("198.51.100.1")
            )
            .unwrap(),
        ResetOutcome::Done
    );
}

struct KnowsDisplayName;
impl IdentityVerifier for KnowsDisplayName {
    fn verify(&self, account: &Account, evidence: &str) -> bool {
        !account.display_name.is_empty() && account.display_name == evidence
    }
}

#[test]
fn identity_verification_is_pluggable() {
    let h = harness();
    h.user("taro");
    let out = Outbox::default();
    h.guard
        .request_reset("taro", "wrong", &KnowsDisplayName, &out)
        .unwrap();
    assert!(out.take().is_empty());
    h.guard
        .request_reset("taro", "taro", &KnowsDisplayName, &out)
        .unwrap();
    assert_eq!(out.take().len(), 1);
}

#[test]
fn admin_reset_sends_the_token_to_the_owner_and_forces_a_change() {
    let h = harness();
    h.user("taro");
    let out = Outbox::default();
    // The admin API returns nothing secret: the token only goes to the owner's channel.
    let () = h.guard.admin_reset("taro", &out).unwrap();
    assert!(h.guard.account("taro").unwrap().unwrap().must_reset);
    let (to, token) = out.take().remove(0);
    assert_eq!(to, "taro");
    assert_eq!(
        h.guard
            .complete_reset(&token, NEW_PW, None, ip("198.51.100.1"))
            .unwrap(),
        ResetOutcome::Done
    );
    let LoginOutcome::Success(s) = h.login("taro", NEW_PW, "198.51.100.1") else {
        panic!()
    };
    assert!(!s.must_change_password);
}
