//! The audit chain's external anchor and the periodic audit report.

use crate::world::World;
use mamori_integrity::seal::SigningKey;
use mamori_service::anchor::AnchorCheck;
use mamori_service::audit_report::Counts;
use mamori_store::Store;
use std::sync::Arc;

async fn activity(w: &World) {
    let a = w.actor("reporter@sakura.example").await;
    w.svc.orgs(&a).await.unwrap();
    w.svc.org(&a, w.company).await.unwrap();
    let _ = w.svc.org(&a, w.other_company).await;
}

#[tokio::test]
async fn anchor_holds_then_catches_truncation_and_a_consistent_rewrite() {
    let store = Arc::new(mamori_store_sqlite::SqliteStore::memory().await.unwrap());
    let w = World::new(store.clone()).await;
    activity(&w).await;
    let key = SigningKey::from_bytes(&[7; 32]);
    let anchor = w.svc.audit_anchor(&key).await.unwrap();
    let head = store.last_audit().await.unwrap().unwrap();
    assert_eq!(
        (anchor.anchor.seq, &anchor.anchor.hash),
        (head.seq, &head.hash)
    );
    let pinned = key.verifying_key();
    assert_eq!(
        w.svc.check_anchor(&anchor, Some(&pinned)).await.unwrap(),
        AnchorCheck::Holds { newer: 0 }
    );
    activity(&w).await;
    let AnchorCheck::Holds { newer } = w.svc.check_anchor(&anchor, None).await.unwrap() else {
        panic!("still holds")
    };
    assert!(newer > 0);

    // An edited anchor file, or one signed by another key, is refused.
    let mut edited = anchor.clone();
    edited.anchor.seq -= 1;
    assert!(matches!(
        w.svc.check_anchor(&edited, None).await.unwrap(),
        AnchorCheck::BadSignature(_)
    ));
    let other = SigningKey::from_bytes(&[8; 32]).verifying_key();
    assert!(matches!(
        w.svc.check_anchor(&anchor, Some(&other)).await.unwrap(),
        AnchorCheck::BadSignature(_)
    ));

    // Someone with the database rewrites the whole chain consistently: the chain
    // check alone passes, the anchor does not.
    store
        .execute_raw("DROP TRIGGER audit_no_delete")
        .await
        .unwrap();
    store.execute_raw("DELETE FROM audit_log").await.unwrap();
    for _ in 0..(anchor.anchor.seq + 3) {
        let _ = w.actor("chief@police.example").await;
    }
    assert_eq!(w.svc.verify_audit().await.unwrap().first_broken, None);
    assert_eq!(
        w.svc.check_anchor(&anchor, Some(&pinned)).await.unwrap(),
        AnchorCheck::Rewritten
    );
    // …or cuts it short.
    store
        .execute_raw("DELETE FROM audit_log WHERE seq > 2")
        .await
        .unwrap();
    assert_eq!(
        w.svc.check_anchor(&anchor, Some(&pinned)).await.unwrap(),
        AnchorCheck::Truncated { length: 2 }
    );
}

#[tokio::test]
async fn anchoring_a_broken_chain_is_refused() {
    let store = Arc::new(mamori_store_sqlite::SqliteStore::memory().await.unwrap());
    let w = World::new(store.clone()).await;
    store
        .execute_raw("DROP TRIGGER audit_no_update")
        .await
        .unwrap();
    store
        .execute_raw("UPDATE audit_log SET source = 'x' WHERE seq = 2")
        .await
        .unwrap();
    let e = w
        .svc
        .audit_anchor(&SigningKey::from_bytes(&[7; 32]))
        .await
        .unwrap_err();
    assert_eq!(e.code(), "E-AUDIT-BROKEN");
}

#[tokio::test]
async fn report_counts_sign_ins_failures_denials_views_and_admin_actions() {
    let store: Arc<dyn Store> = Arc::new(mamori_store_sqlite::SqliteStore::memory().await.unwrap());
    let w = World::new(store).await;
    let day1 = mamori_guard::Clock::now(&w.clock);
    // Day 1 (JST): setup actions by the console, a sign-in and views.
    activity(&w).await;
    // Day 2: a failed sign-in on the reporter's name and one more sign-in.
    w.clock.advance(time::Duration::days(1));
    let _ = w
        .svc
        .sign_in(
            "reporter@sakura.example",
            "wrong password here!",
            None,
            "203.0.113.9".parse().unwrap(),
        )
        .await
        .unwrap();
    let _ = w.actor("reporter@sakura.example").await;
    let until = mamori_guard::Clock::now(&w.clock) + time::Duration::hours(1);
    let r = w
        .svc
        .audit_report(day1 - time::Duration::hours(1), until)
        .await
        .unwrap();
    assert!(r.chain_intact);
    assert_eq!(r.days.len(), 2, "{:?}", r.days.keys());
    let d: Vec<Counts> = r.days.values().copied().collect();
    assert_eq!((d[0].sign_ins, d[0].failures, d[0].denials), (1, 0, 1));
    assert_eq!(d[0].views, 2, "list_orgs and view_org");
    assert_eq!((d[1].sign_ins, d[1].failures), (1, 1));
    let reporter = r
        .people
        .iter()
        .find(|p| p.email == "reporter@sakura.example")
        .unwrap();
    assert_eq!(reporter.org, "株式会社さくら");
    assert_eq!(
        (
            reporter.counts.sign_ins,
            reporter.counts.failures,
            reporter.counts.denials,
            reporter.counts.views
        ),
        (2, 1, 1, 2)
    );
    assert_eq!(r.orgs["株式会社さくら"].sign_ins, 2);
    // World::new created orgs and people from the console: administrative actions.
    assert!(
        r.admin_actions
            .iter()
            .filter(|e| e.action == "create_org")
            .count()
            >= 4
    );
    assert!(r.admin_actions.iter().any(|e| e.action == "create_user"));
    assert_eq!(r.totals.sign_ins, 2);
    // The report is itself audited.
    let last = w.svc.store().last_audit().await.unwrap().unwrap();
    assert_eq!(last.action, "audit_report");
    // A period with nothing in it.
    let empty = w
        .svc
        .audit_report(
            until + time::Duration::days(10),
            until + time::Duration::days(11),
        )
        .await
        .unwrap();
    assert_eq!(empty.entries, 0);
}
