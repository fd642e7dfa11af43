use mamori_service::guardstore::SqlGuardStore;
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
