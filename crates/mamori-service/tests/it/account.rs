//! The account pages' use cases: password change, recovery codes, TOTP enrolment
//! bound to the session, administrators enabling and disabling people, owner
//! notices and the audit of list views.

use crate::signin::data_encoding_decode;
use crate::world::{PASSWORD, World, sqlite_store};
use mamori_guard::{ChangeOutcome, Clock, Totp};
use mamori_service::ServiceError;
use mamori_service::auth::SignIn;
use mamori_service::authz::Caller;
use time::Duration;

const NEW_PASSWORD: &str = "copper kettle quiet harbour";

fn ip() -> std::net::IpAddr {
    "198.51.100.7".parse().unwrap()
}

#[tokio::test]
async fn password_change_needs_the_current_one_follows_the_policy_and_ends_other_sessions() {
    let w = World::new(sqlite_store().await).await;
    let email = "reporter@sakura.example";
    let (a, cookie) = w.session(email).await;
    let (_, other) = w.session(email).await;

    let wrong = w
        .svc
        .change_password(&a, &cookie, "not my password at all", NEW_PASSWORD)
        .await
        .unwrap();
    assert_eq!(wrong, ChangeOutcome::WrongPassword);
    let weak = w
        .svc
        .change_password(&a, &cookie, PASSWORD, "sakura2024")
        .await
        .unwrap();
    let ChangeOutcome::Refused(r) = weak else {
        panic!("{weak:?}")
    };
    assert!(
        r.message(mamori_core::Lang::Ja).contains("短すぎます"),
        "the reason is shown"
    );
    let rules = w.svc.password_rules(&a).await.unwrap();
    assert_eq!((rules.min_len, rules.has_second_factor), (15, false));

    let done = w
        .svc
        .change_password(&a, &cookie, PASSWORD, NEW_PASSWORD)
        .await
        .unwrap();
    assert_eq!(done, ChangeOutcome::Done);
    assert!(
        w.svc.authenticate_session(&cookie, "x").await.is_ok(),
        "this session stays"
    );
    assert!(
        w.svc.authenticate_session(&other, "x").await.is_err(),
        "other sessions end"
    );
    assert!(matches!(
        w.svc.sign_in(email, PASSWORD, None, ip()).await.unwrap(),
        SignIn::Refused(_)
    ));
    w.session_from(email, NEW_PASSWORD, "198.51.100.7").await;
    // The owner is told on their home page; the audit log has both attempts.
    let notices = w.svc.my_notices(&a).await.unwrap();
    assert!(
        notices.iter().any(|n| n.kind == "password_changed"),
        "{notices:?}"
    );
    let h = w.svc.my_history(&a, 100).await.unwrap();
    let actions: Vec<&str> = h.iter().map(|e| e.action.as_str()).collect();
    assert!(actions.contains(&"change_password"));
    assert_eq!(
        actions
            .iter()
            .filter(|a| **a == "change_password_failed")
            .count(),
        2
    );
}

#[tokio::test]
async fn recovery_codes_are_shown_once_work_once_and_regenerating_voids_the_old_ones() {
    let w = World::new(sqlite_store().await).await;
    let email = "staff@police.example";
    let (a, cookie) = w.session(email).await;
    // With TOTP on, a recovery code replaces the app's code at sign-in.
    let setup = w.svc.begin_totp(&a, &cookie).await.unwrap();
    let secret = data_encoding_decode(&setup.secret_base32);
    let code = Totp::default().code_at(&secret, w.clock.now());
    assert!(w.svc.confirm_totp(&a, &cookie, &code).await.unwrap());
    let first = w.svc.issue_recovery_codes(&a, &cookie).await.unwrap();
    assert_eq!(first.len(), 10);
    assert_eq!(
        w.svc.factor_status(&a).await.unwrap().recovery_codes_left,
        10
    );
    let sign = |c: String| {
        let svc = w.svc.clone();
        async move { svc.sign_in(email, PASSWORD, Some(&c), ip()).await.unwrap() }
    };
    assert!(matches!(sign(first[0].clone()).await, SignIn::Ok(_)));
    assert!(
        matches!(sign(first[0].clone()).await, SignIn::Refused(_)),
        "each code works once"
    );
    assert_eq!(
        w.svc.factor_status(&a).await.unwrap().recovery_codes_left,
        9
    );
    let second = w.svc.issue_recovery_codes(&a, &cookie).await.unwrap();
    assert_ne!(first, second);
    w.clock.advance(Duration::seconds(5));
    assert!(
        matches!(sign(first[1].clone()).await, SignIn::Refused(_)),
        "old codes stop working"
    );
    assert!(matches!(sign(second[4].clone()).await, SignIn::Ok(_)));
    let notices = w.svc.my_notices(&a).await.unwrap();
    assert!(notices.iter().any(|n| n.detail.contains("recovery_codes")));
    assert!(notices.iter().any(|n| n.detail.contains("totp")));
}

#[tokio::test]
async fn the_pending_totp_secret_is_bound_to_the_session_that_started_it() {
    let w = World::new(sqlite_store().await).await;
    let (a, cookie) = w.session("chief@police.example").await;
    let (a2, other_cookie) = w.session("chief@police.example").await;
    let setup = w.svc.begin_totp(&a, &cookie).await.unwrap();
    let secret = data_encoding_decode(&setup.secret_base32);
    let code = Totp::default().code_at(&secret, w.clock.now());
    assert!(
        !w.svc.confirm_totp(&a2, &other_cookie, &code).await.unwrap(),
        "another session has nothing pending"
    );
    assert!(!w.svc.confirm_totp(&a, &cookie, "000000x").await.unwrap());
    assert!(w.svc.confirm_totp(&a, &cookie, &code).await.unwrap());
    assert!(
        !w.svc.confirm_totp(&a, &cookie, &code).await.unwrap(),
        "the pending secret is used up"
    );
    assert!(w.svc.factor_status(&a).await.unwrap().totp);
}

#[tokio::test]
async fn administrators_disable_and_enable_people_others_cannot() {
    let w = World::new(sqlite_store().await).await;
    w.svc
        .set_password_as_console("admin@mamori.example", PASSWORD)
        .await
        .unwrap();
    let admin = w.actor("admin@mamori.example").await;
    let (victim, victim_cookie) = w.session("reporter@sakura.example").await;
    let chief = w.actor("chief@police.example").await;
    let id = victim.user.id;
    let denied = w
        .svc
        .set_user_enabled_by_id(Caller::Person(&chief), id, false)
        .await
        .unwrap_err();
    assert!(matches!(denied, ServiceError::NotFound));
    assert!(w.svc.users_for_admin(&chief).await.is_err());
    let own = w
        .svc
        .set_user_enabled_by_id(Caller::Person(&admin), admin.user.id, false)
        .await
        .unwrap_err();
    assert_eq!(own.code(), "E-ACCOUNT-SELF");

    let u = w
        .svc
        .set_user_enabled_by_id(Caller::Person(&admin), id, false)
        .await
        .unwrap();
    assert!(u.disabled);
    assert!(
        w.svc
            .authenticate_session(&victim_cookie, "x")
            .await
            .is_err(),
        "the session ends at once"
    );
    assert!(matches!(
        w.svc
            .sign_in("reporter@sakura.example", PASSWORD, None, ip())
            .await
            .unwrap(),
        SignIn::Refused(_)
    ));
    w.svc
        .set_user_enabled_by_id(Caller::Person(&admin), id, true)
        .await
        .unwrap();
    let (again, _) = w.session("reporter@sakura.example").await;
    let notices = w.svc.my_notices(&again).await.unwrap();
    assert!(notices.iter().any(|n| n.kind == "account_enabled"));
    let list = w.svc.users_for_admin(&admin).await.unwrap();
    assert!(list.iter().any(|u| u.id == id && !u.disabled));
    w.svc.audit_log(&admin, 5).await.unwrap();
    let log = w.svc.audit_log(&admin, 50).await.unwrap();
    let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
    for a in [
        "disable_user",
        "enable_user",
        "list_users",
        "view_audit_log",
    ] {
        assert!(actions.contains(&a), "{a} audited: {actions:?}");
    }
}

#[tokio::test]
async fn a_sign_in_from_a_new_network_leaves_a_notice_the_owner_can_dismiss() {
    let w = World::new(sqlite_store().await).await;
    let email = "reporter@momiji.example";
    let (a, _) = w.session_from(email, PASSWORD, "198.51.100.7").await;
    assert!(
        w.svc.my_notices(&a).await.unwrap().is_empty(),
        "first sign-in"
    );
    w.session_from(email, PASSWORD, "198.51.100.99").await;
    assert!(
        w.svc.my_notices(&a).await.unwrap().is_empty(),
        "same /24: no notice"
    );
    w.session_from(email, PASSWORD, "203.0.113.5").await;
    let n = w.svc.my_notices(&a).await.unwrap();
    assert_eq!(n.len(), 1, "{n:?}");
    assert_eq!(n[0].kind, "new_place");
    assert!(n[0].detail.contains("203.0.113.5"));
    let text = mamori_service::notices::notice_text(&n[0]);
    assert!(text.ja.contains("異なる場所"));
    w.svc.dismiss_notices(&a).await.unwrap();
    assert!(w.svc.my_notices(&a).await.unwrap().is_empty());
}

#[tokio::test]
async fn list_views_leave_audit_entries() {
    let w = World::new(sqlite_store().await).await;
    let a = w.actor("reporter@sakura.example").await;
    let orgs = w.svc.orgs(&a).await.unwrap();
    assert_eq!(orgs.len(), 1);
    w.svc.me(&a).await.unwrap();
    w.svc.my_history(&a, 10).await.unwrap();
    let h = w.svc.my_history(&a, 100).await.unwrap();
    let actions: Vec<&str> = h.iter().map(|e| e.action.as_str()).collect();
    for want in ["list_orgs", "view_self", "view_own_history"] {
        assert!(actions.contains(&want), "{want}: {actions:?}");
    }
    let list = h.iter().find(|e| e.action == "list_orgs").unwrap();
    assert!(list.detail.contains("\"count\":1"), "{}", list.detail);
}
