//! Publishing the yearly statistics (issue 13, Act Art. 7): only a receiving body's
//! supervisor publishes, never with k under the default nor a year without data; the
//! public report is computed from what was frozen at publication; every publication is
//! audited with who did it.

use crate::world::{World, sqlite_store};
use mamori_core::stats::{Format, Unit};
use mamori_service::authz::Caller;
use mamori_service::{ServiceError, codes};

/// `n` offences the police recognised in March 2010, ids `{prefix}-1…`.
fn offences(prefix: &str, n: usize) -> String {
    (1..=n)
        .map(|i| {
            format!(
                r#"{{"id":"{prefix}-{i}","body":"police","date":"2010-03-0{}","recognized":true,"methods":["phishing_site"]}}"#,
                1 + i % 9
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn recognized(r: &mamori_core::stats::YearlyReport) -> Option<u64> {
    r.figure(Unit::Recognized).and_then(|f| f.count)
}

#[tokio::test]
async fn only_a_supervisor_publishes_and_the_public_sees_the_frozen_report() {
    let w = World::new(sqlite_store().await).await;
    let chief = w.actor("chief@police.example").await;
    let staff = w.actor("staff@police.example").await;
    let reporter = w.actor("reporter@sakura.example").await;
    w.svc
        .import_stat_records(
            Caller::Person(&chief),
            &offences("A", 12),
            Format::JsonLines,
            false,
        )
        .await
        .unwrap();

    // Staff may read the report but not publish it; a reporter neither.
    assert!(
        w.svc
            .yearly_report(Caller::Person(&staff), 2010, 3)
            .await
            .is_ok()
    );
    for who in [&staff, &reporter] {
        assert!(matches!(
            w.svc
                .publish_yearly_report(Caller::Person(who), 2010, 3)
                .await,
            Err(ServiceError::NotFound)
        ));
    }
    // k under the default, or a year with nothing in it, is refused.
    for (year, k) in [(2010, 2), (2010, 0), (2011, 3)] {
        assert!(matches!(
            w.svc
                .publish_yearly_report(Caller::Person(&chief), year, k)
                .await,
            Err(ServiceError::Invalid(codes::STATS_PUBLISH))
        ));
    }
    assert!(w.svc.published_report(2010).await.unwrap().is_none());

    let id = w
        .svc
        .publish_yearly_report(Caller::Person(&chief), 2010, 3)
        .await
        .unwrap();
    let (public, info, revision) = w.svc.published_report(2010).await.unwrap().unwrap();
    assert_eq!((recognized(&public), info.k, revision), (Some(12), 3, 1));

    // Later data does not change the published report until it is published again.
    w.svc
        .import_stat_records(
            Caller::Person(&chief),
            &offences("B", 5),
            Format::JsonLines,
            false,
        )
        .await
        .unwrap();
    let live = w
        .svc
        .yearly_report(Caller::Person(&chief), 2010, 3)
        .await
        .unwrap();
    assert_eq!(recognized(&live), Some(17));
    let (public, _, _) = w.svc.published_report(2010).await.unwrap().unwrap();
    assert_eq!(recognized(&public), Some(12));
    let id2 = w
        .svc
        .publish_yearly_report(Caller::Person(&chief), 2010, 3)
        .await
        .unwrap();
    let (public, _, revision) = w.svc.published_report(2010).await.unwrap().unwrap();
    assert_eq!((recognized(&public), revision), (Some(17), 2));

    let log = w.svc.store().audit_page(0, 10_000).await.unwrap();
    let published: Vec<(String, Option<i64>)> = log
        .iter()
        .filter(|e| e.action == "publish_stats_yearly")
        .map(|e| (e.object.clone(), e.actor.map(|u| u.0)))
        .collect();
    assert_eq!(
        published,
        vec![
            (format!("stats:published:{id}"), Some(chief.user.id.0)),
            (format!("stats:published:{id2}"), Some(chief.user.id.0)),
        ]
    );
    assert_eq!(
        w.svc.stat_publications().await.unwrap().len(),
        2,
        "both revisions are listed"
    );
}
