//! Passkeys on the platform against a software authenticator (webauthn-authenticator-rs
//! `SoftPasskey`, which builds the same answers a browser sends): registration
//! bound to the session, sign-in without a password, replay and expiry refused,
//! decoys for names without a passkey, and the origins passkeys can run on.

use crate::world::{World, sqlite_store};
use mamori_service::auth::SignIn;
use mamori_service::authz::Caller;
use mamori_service::{Actor, ServiceError, codes};
use time::Duration;
use webauthn_authenticator_rs::prelude::{Url, WebauthnAuthenticator};
use webauthn_authenticator_rs::softpasskey::SoftPasskey;

const ORIGIN: &str = "https://mamori.example.jp";
const EMAIL: &str = "reporter@sakura.example";

fn ip() -> std::net::IpAddr {
    "198.51.100.20".parse().unwrap()
}

fn detail(e: &mamori_store::AuditEntry) -> serde_json::Value {
    serde_json::from_str(&e.detail).unwrap()
}

fn origin() -> Url {
    Url::parse(ORIGIN).unwrap()
}

async fn world() -> World {
    let w = World::new(sqlite_store().await).await;
    w.svc.enable_passkeys(ORIGIN).unwrap();
    w
}

/// Registers a passkey for `EMAIL` in a new session; returns the authenticator
/// and that session's actor (a password alone no longer signs in afterwards: the
/// passkey is a second factor too).
async fn registered(w: &World) -> (SoftPasskey, Actor) {
    let (a, cookie) = w.session(EMAIL).await;
    let challenge = w.svc.begin_passkey_registration(&a, &cookie).await.unwrap();
    let mut auth = SoftPasskey::new(true);
    let answer = auth
        .do_registration(origin(), serde_json::from_value(challenge).unwrap())
        .unwrap();
    w.svc
        .finish_passkey_registration(&a, &cookie, &serde_json::to_string(&answer).unwrap())
        .await
        .unwrap();
    (auth, a)
}

/// Runs a whole sign-in ceremony for `email` with `auth`.
async fn sign_in(w: &World, auth: &mut SoftPasskey, email: &str) -> SignIn {
    let s = w.svc.begin_passkey_sign_in(email, ip()).await.unwrap();
    let answer = auth
        .do_authentication(origin(), serde_json::from_value(s.challenge).unwrap())
        .unwrap();
    w.svc
        .finish_passkey_sign_in(&s.secret, &serde_json::to_string(&answer).unwrap(), ip())
        .await
        .unwrap()
}

#[tokio::test]
async fn a_registered_passkey_signs_in_without_a_password() {
    let w = world().await;
    let (mut auth, a) = registered(&w).await;
    assert_eq!(w.svc.passkey_ids(&a).await.unwrap().len(), 1);
    assert!(
        matches!(
            w.svc
                .sign_in(EMAIL, crate::world::PASSWORD, None, ip())
                .await
                .unwrap(),
            SignIn::NeedSecondFactor
        ),
        "the password alone is no longer enough"
    );
    assert_eq!(w.svc.factor_status(&a).await.unwrap().passkeys, 1);

    let SignIn::Ok(s) = sign_in(&w, &mut auth, EMAIL).await else {
        panic!("signed in with the passkey")
    };
    let me = w
        .svc
        .authenticate_session(&s.cookie, "198.51.100.20")
        .await
        .unwrap();
    assert_eq!(me.actor.user.email, EMAIL);
    let history = w.svc.my_history(&me.actor, 20).await.unwrap();
    assert!(history.iter().any(|e| e.action == "add_passkey"));
    let last = history
        .iter()
        .find(|e| e.action == "sign_in")
        .expect("sign-in audited");
    assert_eq!(detail(last)["method"], "passkey");
    assert_eq!(last.source, "198.51.100.20");
    // The previous-login notice works for passkey sign-ins too.
    assert!(w.svc.previous_sign_in(&me.actor).await.unwrap().is_some());
}

#[tokio::test]
async fn an_answer_cannot_be_replayed_or_finished_late() {
    let w = world().await;
    let (mut auth, me) = registered(&w).await;
    let s = w.svc.begin_passkey_sign_in(EMAIL, ip()).await.unwrap();
    let answer = auth
        .do_authentication(origin(), serde_json::from_value(s.challenge).unwrap())
        .unwrap();
    let answer = serde_json::to_string(&answer).unwrap();
    assert!(matches!(
        w.svc
            .finish_passkey_sign_in(&s.secret, &answer, ip())
            .await
            .unwrap(),
        SignIn::Ok(_)
    ));
    assert!(
        matches!(
            w.svc
                .finish_passkey_sign_in(&s.secret, &answer, ip())
                .await
                .unwrap(),
            SignIn::Refused(_)
        ),
        "the same answer again"
    );

    let late = w.svc.begin_passkey_sign_in(EMAIL, ip()).await.unwrap();
    let answer = auth
        .do_authentication(origin(), serde_json::from_value(late.challenge).unwrap())
        .unwrap();
    w.clock.advance(Duration::minutes(6));
    assert!(
        matches!(
            w.svc
                .finish_passkey_sign_in(
                    &late.secret,
                    &serde_json::to_string(&answer).unwrap(),
                    ip()
                )
                .await
                .unwrap(),
            SignIn::Refused(_)
        ),
        "after the ceremony's five minutes"
    );
    let refused = w
        .svc
        .my_history(&me, 20)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "sign_in_failed" && detail(e)["method"] == "passkey")
        .count();
    assert_eq!(refused, 1, "the late answer is audited against the person");
}

#[tokio::test]
async fn registration_is_bound_to_the_session_that_started_it() {
    let w = world().await;
    let (a, cookie) = w.session(EMAIL).await;
    let (_, other_cookie) = w.session(EMAIL).await;
    let challenge = w.svc.begin_passkey_registration(&a, &cookie).await.unwrap();
    let mut auth = SoftPasskey::new(true);
    let answer = auth
        .do_registration(origin(), serde_json::from_value(challenge).unwrap())
        .unwrap();
    let answer = serde_json::to_string(&answer).unwrap();
    let err = w
        .svc
        .finish_passkey_registration(&a, &other_cookie, &answer)
        .await
        .unwrap_err();
    assert_eq!(err.code(), codes::PASSKEY);
    // Another person cannot finish it in this session either.
    let b = w.actor("reporter@momiji.example").await;
    let err = w
        .svc
        .finish_passkey_registration(&b, &cookie, &answer)
        .await
        .unwrap_err();
    assert_eq!(err.code(), codes::PASSKEY);
    assert!(w.svc.passkey_ids(&a).await.unwrap().is_empty());
    assert!(w.svc.passkey_ids(&b).await.unwrap().is_empty());
    // Garbage is a clear refusal, not a crash.
    let (a, cookie) = w.session(EMAIL).await;
    w.svc.begin_passkey_registration(&a, &cookie).await.unwrap();
    let err = w
        .svc
        .finish_passkey_registration(&a, &cookie, "{\"id\": 1}")
        .await
        .unwrap_err();
    assert_eq!(err.code(), codes::PASSKEY);
}

#[tokio::test]
async fn names_without_a_passkey_get_a_decoy_that_cannot_succeed() {
    let w = world().await;
    let _ = registered(&w).await;
    let real = w.svc.begin_passkey_sign_in(EMAIL, ip()).await.unwrap();
    let nobody = w
        .svc
        .begin_passkey_sign_in("nobody@sakura.example", ip())
        .await
        .unwrap();
    let no_key = w
        .svc
        .begin_passkey_sign_in("reporter@momiji.example", ip())
        .await
        .unwrap();
    for decoy in [&nobody, &no_key] {
        let d = &decoy.challenge["publicKey"];
        let r = &real.challenge["publicKey"];
        assert_eq!(d["rpId"], r["rpId"]);
        assert_eq!(d["timeout"], r["timeout"]);
        assert_eq!(d["userVerification"], r["userVerification"]);
        assert!(!d["allowCredentials"].as_array().unwrap().is_empty());
    }
    let again = w
        .svc
        .begin_passkey_sign_in("nobody@sakura.example", ip())
        .await
        .unwrap();
    assert_eq!(
        nobody.challenge["publicKey"]["allowCredentials"],
        again.challenge["publicKey"]["allowCredentials"],
        "asking twice shows the same credentials, as for a real account"
    );
    // Whatever comes back, it is refused and audited.
    let SignIn::Refused(_) = w
        .svc
        .finish_passkey_sign_in(&nobody.secret, "{}", ip())
        .await
        .unwrap()
    else {
        panic!("a decoy cannot sign in")
    };
    let momiji = w.actor("reporter@momiji.example").await;
    let mine = w.svc.my_history(&momiji, 20).await.unwrap();
    let _ = w
        .svc
        .finish_passkey_sign_in(&no_key.secret, "{}", ip())
        .await
        .unwrap();
    let after = w.svc.my_history(&momiji, 20).await.unwrap();
    assert!(
        after.len() > mine.len() && after[0].action == "sign_in_failed",
        "the owner sees the failed passkey attempt in their history"
    );
}

#[tokio::test]
async fn a_disabled_person_cannot_sign_in_with_a_passkey() {
    let w = world().await;
    let (mut auth, _) = registered(&w).await;
    w.svc
        .set_user_enabled(Caller::Console, EMAIL, false)
        .await
        .unwrap();
    assert!(matches!(
        sign_in(&w, &mut auth, EMAIL).await,
        SignIn::Refused(mamori_guard::LoginOutcome::Disabled)
    ));
}

#[tokio::test]
async fn a_removed_passkey_no_longer_signs_in() {
    let w = world().await;
    let (mut auth, a) = registered(&w).await;
    let id = w.svc.passkey_ids(&a).await.unwrap().remove(0);
    let b = w.actor("reporter@momiji.example").await;
    assert!(
        matches!(
            w.svc.remove_passkey(&b, &id).await,
            Err(ServiceError::NotFound)
        ),
        "nobody else can remove it"
    );
    w.svc.remove_passkey(&a, &id).await.unwrap();
    assert!(w.svc.passkey_ids(&a).await.unwrap().is_empty());
    let s = w.svc.begin_passkey_sign_in(EMAIL, ip()).await.unwrap();
    assert!(
        auth.do_authentication(origin(), serde_json::from_value(s.challenge).unwrap())
            .is_err(),
        "the challenge no longer names the removed key"
    );
}

#[tokio::test]
async fn passkeys_need_a_secure_named_origin() {
    let w = World::new(sqlite_store().await).await;
    let a = w.actor(EMAIL).await;
    assert_eq!(
        w.svc
            .begin_passkey_sign_in(EMAIL, ip())
            .await
            .unwrap_err()
            .code(),
        codes::PASSKEY_OFF,
        "off until enabled"
    );
    for bad in [
        "http://127.0.0.1:8080",
        "http://mamori.example.jp",
        "https://192.0.2.1",
        "",
    ] {
        assert_eq!(
            w.svc.enable_passkeys(bad).unwrap_err().code(),
            codes::PASSKEY_OFF,
            "{bad}"
        );
    }
    w.svc.enable_passkeys("http://localhost:8080").unwrap();
    assert_eq!(
        w.svc.passkey_origin().as_deref(),
        Some("http://localhost:8080")
    );
    assert!(w.svc.passkey_ids(&a).await.unwrap().is_empty());
}

#[tokio::test]
async fn one_address_cannot_flood_the_server_with_sign_in_ceremonies() {
    let w = world().await;
    let from = |n: u8| std::net::IpAddr::from([203, 0, 113, n]);
    for _ in 0..100 {
        w.svc
            .begin_passkey_sign_in("nobody@sakura.example", from(1))
            .await
            .unwrap();
    }
    assert_eq!(
        w.svc
            .begin_passkey_sign_in("nobody@sakura.example", from(1))
            .await
            .unwrap_err()
            .code(),
        codes::TOO_MANY,
        "the 101st start in ten minutes"
    );
    assert!(
        w.svc.begin_passkey_sign_in(EMAIL, from(2)).await.is_ok(),
        "other addresses are not affected"
    );
    w.clock.advance(Duration::minutes(11));
    assert!(
        w.svc.begin_passkey_sign_in(EMAIL, from(1)).await.is_ok(),
        "the window passes"
    );
}
