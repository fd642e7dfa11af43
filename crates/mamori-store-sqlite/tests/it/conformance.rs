use mamori_store::Store;
use mamori_store_sqlite::SqliteStore;

#[tokio::test]
async fn conformance_in_memory() {
    let store = SqliteStore::memory().await.unwrap();
    mamori_store::conformance::run_all(&store).await;
}

#[tokio::test]
async fn conformance_on_file_and_reopen_keeps_rows() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mamori.db");
    let store = SqliteStore::open(&path).await.unwrap();
    mamori_store::conformance::run_all(&store).await;
    let orgs = store.orgs().await.unwrap();
    store.close().await;
    let again = SqliteStore::open(&path).await.unwrap();
    assert_eq!(
        again.orgs().await.unwrap(),
        orgs,
        "rows survive reopen; migrations run once"
    );
}

#[tokio::test]
async fn audit_rows_cannot_be_updated_or_deleted() {
    let store = SqliteStore::memory().await.unwrap();
    mamori_store::conformance::run_all(&store).await;
    let upd = store
        .execute_raw("UPDATE audit_log SET action = 'x' WHERE seq = 1")
        .await;
    assert!(upd.is_err(), "update refused");
    let del = store.execute_raw("DELETE FROM audit_log").await;
    assert!(del.is_err(), "delete refused");
}

#[tokio::test]
async fn backup_is_a_readable_copy() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path().join("a.db")).await.unwrap();
    mamori_store::conformance::run_all(&store).await;
    let copy = dir.path().join("copy.db");
    store.backup_to(&copy).await.unwrap();
    let restored = SqliteStore::open(&copy).await.unwrap();
    assert_eq!(
        restored.users(None).await.unwrap(),
        store.users(None).await.unwrap()
    );
    let report = mamori_store::ReportId(1);
    assert_eq!(
        restored.events(report).await.unwrap(),
        store.events(report).await.unwrap(),
        "the case history is in the copy"
    );
    assert_eq!(restored.last_audit().await.unwrap().unwrap().seq, 2);
}
