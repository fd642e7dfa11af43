use mamori_service::guardstore::SqlGuardStore;
use mamori_store::Store;
use std::sync::Arc;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sql_guard_store_passes_the_guard_conformance_suite_on_sqlite() {
    let store = Arc::new(mamori_store_sqlite::SqliteStore::memory().await.unwrap());
    let gs = SqlGuardStore::new(store, tokio::runtime::Handle::current());
    tokio::task::spawn_blocking(move || mamori_guard::check_store(&gs))
        .await
        .unwrap()
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sql_guard_store_passes_the_guard_conformance_suite_on_postgres() {
    let db = mamori_store_postgres::testing::TempDb::new().await;
    let store = Arc::new(
        mamori_store_postgres::PgStore::connect(&db.url)
            .await
            .unwrap(),
    );
    let gs = SqlGuardStore::new(store.clone(), tokio::runtime::Handle::current());
    tokio::task::spawn_blocking(move || mamori_guard::check_store(&gs))
        .await
        .unwrap()
        .unwrap();
    store.close().await;
    db.drop_db().await;
}

/// Two `mamori serve` instances on one PostgreSQL database: failures counted by one
/// slow down guesses sent to the other (the counters are rows, not process memory),
/// and a single-use code spent on one is spent on the other.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_on_one_postgres_database_share_the_throttle() {
    use mamori_guard::LoginOutcome;
    use mamori_service::auth::SignIn;
    let db = mamori_store_postgres::testing::TempDb::new().await;
    let a_store = Arc::new(
        mamori_store_postgres::PgStore::connect(&db.url)
            .await
            .unwrap(),
    );
    let b_store = Arc::new(
        mamori_store_postgres::PgStore::connect(&db.url)
            .await
            .unwrap(),
    );
    let w = crate::world::World::new(a_store.clone()).await;
    let a = w.svc.clone();
    let b = crate::world::services(b_store.clone(), &w.clock);
    let ip = "198.51.100.7".parse().unwrap();
    let guess = |svc: &mamori_service::Services| {
        let svc = svc.clone();
        async move {
            svc.sign_in("reporter@sakura.example", "a wrong guess of mine", None, ip)
                .await
                .unwrap()
        }
    };
    // The account allows three free failures, then delays start; four on A…
    for _ in 0..4 {
        assert!(matches!(
            guess(&a).await,
            SignIn::Refused(LoginOutcome::Failed)
        ));
    }
    // …so B, a different process's memory, must refuse the next guess at once.
    assert!(
        matches!(
            guess(&b).await,
            SignIn::Refused(LoginOutcome::Throttled { .. })
        ),
        "instance B sees instance A's failures"
    );
    let counter = a_store
        .guard_counter("acct:reporter@sakura.example")
        .await
        .unwrap()
        .expect("the counter is a row");
    assert!(counter.state.contains("\"count\":4"), "{}", counter.state);

    // Single-use marks (TOTP steps, recovery codes) are shared too.
    let (ga, gb) = (
        SqlGuardStore::new(a_store.clone(), tokio::runtime::Handle::current()),
        SqlGuardStore::new(b_store.clone(), tokio::runtime::Handle::current()),
    );
    let now = time::macros::datetime!(2026-04-01 09:00 UTC);
    let until = now + time::Duration::hours(1);
    let (first, second) = tokio::task::spawn_blocking(move || {
        use mamori_guard::GuardStore;
        (
            ga.use_once("totp:chief@police.example:123", now, until)
                .unwrap(),
            gb.use_once("totp:chief@police.example:123", now, until)
                .unwrap(),
        )
    })
    .await
    .unwrap();
    assert!(first && !second, "a code used on A is spent on B");
    a_store.close().await;
    b_store.close().await;
    db.drop_db().await;
}
