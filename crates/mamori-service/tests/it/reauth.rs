//! Re-authentication before changing sign-in factors (issue 15): a sign-in counts
//! for ten minutes; after that replacing TOTP or issuing recovery codes needs the
//! password (or a TOTP code) again, kept with the session in both stores.

use crate::world::{PASSWORD, World, sqlite_store};
use mamori_service::ServiceError;
use std::sync::Arc;
use time::Duration;

fn needs_reauth<T: std::fmt::Debug>(r: Result<T, ServiceError>) -> bool {
    matches!(r, Err(ServiceError::Invalid(c)) if c == "E-AUTH-REAUTH")
}

async fn factors_need_a_recent_password(w: &World) {
    let (a, cookie) = w.session("reporter@sakura.example").await;
    // Just signed in with the password: fine.
    w.svc.begin_totp(&a, &cookie).await.unwrap();
    w.clock.advance(Duration::minutes(11));
    assert!(needs_reauth(w.svc.begin_totp(&a, &cookie).await));
    assert!(needs_reauth(w.svc.issue_recovery_codes(&a, &cookie).await));
    assert!(
        !w.svc
            .reauthenticate(&a, &cookie, "not my password")
            .await
            .unwrap()
    );
    assert!(needs_reauth(w.svc.issue_recovery_codes(&a, &cookie).await));
    assert!(w.svc.reauthenticate(&a, &cookie, PASSWORD).await.unwrap());
    assert_eq!(
        w.svc.issue_recovery_codes(&a, &cookie).await.unwrap().len(),
        10
    );
    w.svc.begin_totp(&a, &cookie).await.unwrap();
    // Another session of the same person is not covered by this one's proof.
    let (_, other) = w.session("reporter@sakura.example").await;
    w.clock.advance(Duration::minutes(11));
    assert!(needs_reauth(w.svc.begin_totp(&a, &other).await));
    let last = w.svc.store().last_audit().await.unwrap().unwrap();
    assert_eq!(last.action, "sign_in");
    let log = w
        .svc
        .store()
        .audit_by_actor_action(a.user.id, "reauthenticate", 10)
        .await
        .unwrap();
    assert_eq!(log.len(), 1, "the successful re-authentication is audited");
    let failed = w
        .svc
        .store()
        .audit_by_actor_action(a.user.id, "reauthenticate_failed", 10)
        .await
        .unwrap();
    assert_eq!(failed.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changing_factors_needs_a_recent_password_on_sqlite() {
    let w = World::new(sqlite_store().await).await;
    factors_need_a_recent_password(&w).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changing_factors_needs_a_recent_password_on_postgres() {
    let db = mamori_store_postgres::testing::TempDb::new().await;
    let store = Arc::new(
        mamori_store_postgres::PgStore::connect(&db.url)
            .await
            .unwrap(),
    );
    let w = World::new(store).await;
    factors_need_a_recent_password(&w).await;
    db.drop_db().await;
}
