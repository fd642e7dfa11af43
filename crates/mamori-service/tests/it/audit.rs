use crate::world::World;
use mamori_store::Store;
use std::sync::Arc;

async fn some_activity(w: &World) {
    let a = w.actor("reporter@sakura.example").await;
    w.svc.org(&a, w.company).await.unwrap();
    let _ = w.svc.org(&a, w.other_company).await;
}

#[tokio::test]
async fn chain_verifies_then_sqlite_tampering_is_named() {
    let store = Arc::new(mamori_store_sqlite::SqliteStore::memory().await.unwrap());
    let w = World::new(store.clone()).await;
    some_activity(&w).await;
    let ok = w.svc.verify_audit().await.unwrap();
    assert!(ok.entries > 10);
    assert_eq!(ok.first_broken, None);
    // An attacker with database access removes the guard rail and edits entry 5.
    store
        .execute_raw("DROP TRIGGER audit_no_update")
        .await
        .unwrap();
    store
        .execute_raw("UPDATE audit_log SET source = '203.0.113.9' WHERE seq = 5")
        .await
        .unwrap();
    let bad = w.svc.verify_audit().await.unwrap();
    assert_eq!(bad.first_broken.map(|b| b.0), Some(5));
}

#[tokio::test]
async fn removed_entry_is_named_on_sqlite() {
    let store = Arc::new(mamori_store_sqlite::SqliteStore::memory().await.unwrap());
    let w = World::new(store.clone()).await;
    some_activity(&w).await;
    store
        .execute_raw("DROP TRIGGER audit_no_delete")
        .await
        .unwrap();
    store
        .execute_raw("DELETE FROM audit_log WHERE seq = 3")
        .await
        .unwrap();
    let bad = w.svc.verify_audit().await.unwrap();
    assert_eq!(
        bad.first_broken,
        Some((3, "sequence gap (an entry was removed)"))
    );
}

#[tokio::test]
async fn postgres_tampering_is_named() {
    let db = mamori_store_postgres::testing::TempDb::new().await;
    let store = Arc::new(
        mamori_store_postgres::PgStore::connect(&db.url)
            .await
            .unwrap(),
    );
    let w = World::new(store.clone()).await;
    some_activity(&w).await;
    assert_eq!(w.svc.verify_audit().await.unwrap().first_broken, None);
    assert!(
        store
            .execute_raw("UPDATE audit_log SET action = 'x' WHERE seq = 2")
            .await
            .is_err()
    );
    store
        .execute_raw("ALTER TABLE audit_log DISABLE TRIGGER audit_no_change")
        .await
        .unwrap();
    store
        .execute_raw("UPDATE audit_log SET detail = '{}' WHERE seq = 2")
        .await
        .unwrap();
    let bad = w.svc.verify_audit().await.unwrap();
    assert_eq!(bad.first_broken.map(|b| b.0), Some(2));
    store.close().await;
    db.drop_db().await;
}

#[tokio::test]
async fn concurrent_writers_keep_one_chain() {
    let store: Arc<dyn Store> = Arc::new(mamori_store_sqlite::SqliteStore::memory().await.unwrap());
    let w = World::new(store.clone()).await;
    // Two service instances on one store (two processes behind a load balancer).
    let other = crate::world::services(store.clone(), &w.clock);
    let a = w.actor("reporter@sakura.example").await;
    let mut tasks = Vec::new();
    for i in 0..20 {
        let svc = if i % 2 == 0 {
            w.svc.clone()
        } else {
            other.clone()
        };
        let (a, org) = (a.clone(), w.company);
        tasks.push(tokio::spawn(
            async move { svc.org(&a, org).await.map(|_| ()) },
        ));
    }
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    assert_eq!(w.svc.verify_audit().await.unwrap().first_broken, None);
}
