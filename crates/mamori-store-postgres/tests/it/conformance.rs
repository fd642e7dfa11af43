use mamori_store::Store;
use mamori_store_postgres::PgStore;
use mamori_store_postgres::testing::TempDb;

#[tokio::test]
async fn conformance_on_postgres() {
    let db = TempDb::new().await;
    let store = PgStore::connect(&db.url).await.unwrap();
    mamori_store::conformance::run_all(&store).await;
    // A second instance connecting to the same database does not re-run migrations.
    let second = PgStore::connect(&db.url).await.unwrap();
    assert_eq!(second.orgs().await.unwrap(), store.orgs().await.unwrap());
    let upd = store
        .execute_raw("UPDATE audit_log SET action = 'x' WHERE seq = 1")
        .await;
    assert!(upd.is_err(), "the audit log refuses updates");
    store.close().await;
    second.close().await;
    db.drop_db().await;
}
