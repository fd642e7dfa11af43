use crate::world::{PASSWORD, World, sqlite_store};
use mamori_guard::{LoginOutcome, Totp};
use mamori_service::ServiceError;
use mamori_service::auth::SignIn;
use mamori_service::authz::Caller;
use time::Duration;

fn ip() -> std::net::IpAddr {
    "198.51.100.7".parse().unwrap()
}

#[tokio::test]
async fn first_admin_link_works_once() {
    let clock = mamori_guard::ManualClock::new(time::macros::datetime!(2026-04-01 09:00 UTC));
    let svc = crate::world::services(sqlite_store().await, &clock);
    let link = svc
        .bootstrap("admin@mamori.example")
        .await
        .unwrap()
        .expect("first run");
    assert_eq!(
        svc.bootstrap("admin@mamori.example").await.unwrap(),
        None,
        "only once"
    );
    let (s, needs_password) = svc.redeem_login_link(&link, ip()).await.unwrap();
    assert!(
        needs_password,
        "the first administrator has no password yet"
    );
    let who = svc.authenticate_session(&s.cookie, "x").await.unwrap();
    assert!(who.actor.is_admin());
    // They set one on the password page, with no current password to prove...
    assert!(!svc.password_rules(&who.actor).await.unwrap().has_password);
    let weak = svc
        .change_password(&who.actor, &s.cookie, "", "admin")
        .await
        .unwrap();
    assert!(
        matches!(weak, mamori_guard::ChangeOutcome::Refused(_)),
        "the policy applies"
    );
    let first = svc
        .change_password(&who.actor, &s.cookie, "", "violet lantern gravel orbit")
        .await
        .unwrap();
    assert_eq!(first, mamori_guard::ChangeOutcome::Done);
    assert!(svc.password_rules(&who.actor).await.unwrap().has_password);
    // ...and can sign in with it; after that a change must prove the current one.
    assert!(matches!(
        svc.sign_in(
            "admin@mamori.example",
            "violet lantern gravel orbit",
            None,
            ip()
        )
        .await
        .unwrap(),
        mamori_service::auth::SignIn::Ok(_)
    ));
    let stolen_session = svc
        .change_password(&who.actor, &s.cookie, "", "copper kettle quiet harbour")
        .await
        .unwrap();
    assert_eq!(stolen_session, mamori_guard::ChangeOutcome::WrongPassword);
    let again = svc.redeem_login_link(&link, ip()).await.unwrap_err();
    assert_eq!(again.code(), "E-LINK-001");
}

#[tokio::test]
async fn set_password_link_refuses_weak_password_without_burning_the_link() {
    let w = World::new(sqlite_store().await).await;
    let created = w
        .svc
        .create_user(
            Caller::Console,
            w.company,
            "new@sakura.example",
            "新人",
            "reporter",
        )
        .await
        .unwrap();
    let t = &created.set_password_token;
    let weak = w
        .svc
        .set_password_with_link(t, "password123", ip())
        .await
        .unwrap_err();
    assert!(matches!(weak, ServiceError::PasswordRefused(_)));
    w.svc
        .set_password_with_link(t, PASSWORD, ip())
        .await
        .unwrap();
    assert!(
        w.svc
            .set_password_with_link(t, PASSWORD, ip())
            .await
            .is_err(),
        "single use"
    );
    assert!(matches!(
        w.svc
            .sign_in("new@sakura.example", PASSWORD, None, ip())
            .await
            .unwrap(),
        SignIn::Ok(_)
    ));
}

#[tokio::test]
async fn expired_link_is_refused() {
    let w = World::new(sqlite_store().await).await;
    let c = w
        .svc
        .create_user(
            Caller::Console,
            w.company,
            "late@sakura.example",
            "x",
            "reporter",
        )
        .await
        .unwrap();
    w.clock.advance(Duration::hours(25));
    let e = w
        .svc
        .set_password_with_link(&c.set_password_token, PASSWORD, ip())
        .await
        .unwrap_err();
    assert_eq!(e.code(), "E-LINK-001");
}

#[tokio::test]
async fn previous_sign_in_and_history_are_shown() {
    let w = World::new(sqlite_store().await).await;
    let first = w.actor("reporter@sakura.example").await;
    assert_eq!(w.svc.previous_sign_in(&first).await.unwrap(), None);
    // A busy session: many audited views between two sign-ins.
    for _ in 0..250 {
        w.svc.org(&first, w.company).await.unwrap();
    }
    w.clock.advance(Duration::hours(3));
    let _ = w
        .svc
        .sign_in(
            "reporter@sakura.example",
            "wrong guess entirely",
            None,
            "203.0.113.5".parse().unwrap(),
        )
        .await;
    let second = w.actor("reporter@sakura.example").await;
    let prev = w
        .svc
        .previous_sign_in(&second)
        .await
        .unwrap()
        .expect("previous");
    assert_eq!(prev.source, "198.51.100.7");
    assert_eq!(prev.at, time::macros::datetime!(2026-04-01 09:00 UTC));
    let mine = w.svc.my_history(&second, 50).await.unwrap();
    assert!(
        mine.iter()
            .any(|e| e.action == "sign_in_failed" && e.source == "203.0.113.5")
    );
    // Nobody else's entries appear.
    assert!(
        mine.iter()
            .all(|e| e.actor == Some(second.user.id) || e.subject == Some(second.user.id))
    );
}

#[tokio::test]
async fn sessions_expire_when_idle_and_absolutely() {
    let w = World::new(sqlite_store().await).await;
    let s = match w
        .svc
        .sign_in("staff@police.example", PASSWORD, None, ip())
        .await
        .unwrap()
    {
        SignIn::Ok(s) => s,
        o => panic!("{o:?}"),
    };
    w.clock.advance(Duration::minutes(29));
    assert!(w.svc.authenticate_session(&s.cookie, "x").await.is_ok());
    w.clock.advance(Duration::minutes(31));
    assert!(matches!(
        w.svc.authenticate_session(&s.cookie, "x").await,
        Err(ServiceError::Unauthenticated)
    ));
    // Absolute: active every 20 minutes, still ends after 12 hours.
    let s = match w
        .svc
        .sign_in("staff@police.example", PASSWORD, None, ip())
        .await
        .unwrap()
    {
        SignIn::Ok(s) => s,
        o => panic!("{o:?}"),
    };
    for _ in 0..36 {
        w.clock.advance(Duration::minutes(20));
        assert!(w.svc.authenticate_session(&s.cookie, "x").await.is_ok());
    }
    w.clock.advance(Duration::minutes(20));
    assert!(w.svc.authenticate_session(&s.cookie, "x").await.is_err());
    // A session abandoned without a further request is removed by the sweep.
    let abandoned = match w
        .svc
        .sign_in("staff@police.example", PASSWORD, None, ip())
        .await
        .unwrap()
    {
        SignIn::Ok(s) => s,
        o => panic!("{o:?}"),
    };
    assert_eq!(
        w.svc.sweep_sessions().await.unwrap(),
        0,
        "fresh sessions stay"
    );
    w.clock.advance(Duration::minutes(31));
    assert_eq!(w.svc.sweep_sessions().await.unwrap(), 1);
    assert!(
        w.svc
            .authenticate_session(&abandoned.cookie, "x")
            .await
            .is_err()
    );
}

#[tokio::test]
async fn totp_becomes_required_and_wrong_passwords_are_throttled() {
    let w = World::new(sqlite_store().await).await;
    let (a, cookie) = w.session("staff@police.example").await;
    let setup = w.svc.begin_totp(&a, &cookie).await.unwrap();
    let secret = data_encoding_decode(&setup.secret_base32);
    let code = Totp::default().code_at(&secret, w.clock.now_for_test());
    assert!(w.svc.confirm_totp(&a, &cookie, &code).await.unwrap());
    w.clock.advance(Duration::minutes(1));
    let r = w
        .svc
        .sign_in("staff@police.example", PASSWORD, None, ip())
        .await
        .unwrap();
    assert!(matches!(r, SignIn::NeedSecondFactor), "{r:?}");
    let code = Totp::default().code_at(&secret, w.clock.now_for_test());
    let r = w
        .svc
        .sign_in("staff@police.example", PASSWORD, Some(&code), ip())
        .await
        .unwrap();
    assert!(matches!(r, SignIn::Ok(_)), "{r:?}");

    let mut throttled = false;
    for _ in 0..8 {
        if let SignIn::Refused(LoginOutcome::Throttled { .. }) = w
            .svc
            .sign_in(
                "chief@police.example",
                "not the password at all",
                None,
                ip(),
            )
            .await
            .unwrap()
        {
            throttled = true;
        }
    }
    assert!(throttled, "guessing is slowed down");
}

#[tokio::test]
async fn long_inactive_accounts_are_disabled() {
    let w = World::new(sqlite_store().await).await;
    let _ = w.actor("reporter@sakura.example").await;
    w.clock.advance(Duration::days(120));
    let disabled = w.svc.disable_inactive().await.unwrap();
    assert!(
        disabled.contains(&"reporter@sakura.example".to_string()),
        "{disabled:?}"
    );
    let r = w
        .svc
        .sign_in("reporter@sakura.example", PASSWORD, None, ip())
        .await
        .unwrap();
    assert!(matches!(r, SignIn::Refused(_)), "{r:?}");
}

#[tokio::test]
async fn administrator_re_enables_and_disables_people() {
    let w = World::new(sqlite_store().await).await;
    let session = match w
        .svc
        .sign_in("reporter@sakura.example", PASSWORD, None, ip())
        .await
        .unwrap()
    {
        SignIn::Ok(s) => s,
        o => panic!("{o:?}"),
    };
    let reporter = w
        .svc
        .authenticate_session(&session.cookie, "x")
        .await
        .unwrap()
        .actor;
    // A reporter cannot disable anyone.
    let r = w
        .svc
        .set_user_enabled(Caller::Person(&reporter), "staff@police.example", false)
        .await;
    assert!(matches!(r, Err(ServiceError::NotFound)));
    // The console disables the reporter: the live session ends at once.
    w.svc
        .set_user_enabled(Caller::Console, "reporter@sakura.example", false)
        .await
        .unwrap();
    assert!(
        w.svc
            .authenticate_session(&session.cookie, "x")
            .await
            .is_err()
    );
    assert!(matches!(
        w.svc
            .sign_in("reporter@sakura.example", PASSWORD, None, ip())
            .await
            .unwrap(),
        SignIn::Refused(_)
    ));
    // Long inactivity, then re-enabled: sign-in works again.
    w.clock.advance(Duration::days(120));
    w.svc.disable_inactive().await.unwrap();
    w.svc
        .set_user_enabled(Caller::Console, "reporter@sakura.example", true)
        .await
        .unwrap();
    let r = w
        .svc
        .sign_in("reporter@sakura.example", PASSWORD, None, ip())
        .await
        .unwrap();
    assert!(matches!(r, SignIn::Ok(_)), "{r:?}");
}

pub fn data_encoding_decode(b32: &str) -> Vec<u8> {
    // RFC 4648 base32 without padding.
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut bits = 0u64;
    let mut n = 0;
    let mut out = Vec::new();
    for c in b32.bytes() {
        let v = alphabet.iter().position(|&a| a == c).unwrap() as u64;
        bits = (bits << 5) | v;
        n += 5;
        if n >= 8 {
            n -= 8;
            out.push((bits >> n) as u8);
            bits &= (1 << n) - 1;
        }
    }
    out
}

trait NowForTest {
    fn now_for_test(&self) -> time::OffsetDateTime;
}

impl NowForTest for mamori_guard::ManualClock {
    fn now_for_test(&self) -> time::OffsetDateTime {
        mamori_guard::Clock::now(self)
    }
}
