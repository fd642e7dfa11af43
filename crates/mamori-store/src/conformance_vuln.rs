//! Conformance checks of vulnerability coordination's rows (issue 12).

use crate::*;
use time::{Duration, OffsetDateTime};

fn t0() -> OffsetDateTime {
    time::macros::datetime!(2026-11-02 09:00 UTC)
}

/// Runs the checks (makes its own organization).
pub(crate) async fn run(s: &dyn Store) {
    let org = s
        .insert_org(&NewOrg {
            name: "脆弱性適合性テスト開発者".into(),
            kind: OrgKind::ProductDeveloper,
            parent: None,
            created_at: t0(),
        })
        .await
        .expect("org");
    let new = VulnCaseRow {
        id: VulnCaseId(0),
        kind: "software".into(),
        stage: "submitted".into(),
        publication_at: None,
        published: false,
        reporter: None,
        doc: r#"{"stage":"submitted"}"#.into(),
        version: 0,
        created_at: t0(),
        updated_at: t0(),
        operator_org: None,
    };
    let a = s.insert_vuln_case(&new).await.expect("insert case");
    assert_eq!((a.version, a.stage.as_str()), (1, "submitted"));
    assert_eq!(s.vuln_case(a.id).await.expect("case"), Some(a.clone()));
    assert_eq!(s.vuln_case(VulnCaseId(987_654)).await.expect("none"), None);

    // Version-checked update with its history in the same transaction.
    let mut next = a.clone();
    next.stage = "published".into();
    next.published = true;
    next.publication_at = Some(t0() + Duration::days(45));
    next.doc = r#"{"stage":"published"}"#.into();
    let h = VulnHistoryRow {
        at: t0() + Duration::hours(1),
        party: "coordinator".into(),
        clause: "sw_coordinator_6".into(),
        command: r#"{"command":"publish"}"#.into(),
    };
    let b = s
        .update_vuln_case(
            &next,
            std::slice::from_ref(&h),
            &[],
            t0() + Duration::hours(1),
        )
        .await
        .expect("update");
    assert_eq!(b.version, 2);
    assert!(b.published);
    assert_eq!(b.publication_at, Some(t0() + Duration::days(45)));
    // A stale writer gets Conflict and its history is not written.
    let stale = s
        .update_vuln_case(&next, std::slice::from_ref(&h), &[], t0())
        .await;
    assert!(matches!(stale, Err(StoreError::Conflict(_))), "{stale:?}");
    assert_eq!(s.vuln_history(a.id).await.expect("history"), vec![h]);

    // A website case keeps its kind, and the operator's organization once linked.
    let web = s
        .insert_vuln_case(&VulnCaseRow {
            kind: "website".into(),
            ..new.clone()
        })
        .await
        .expect("website case");
    assert_eq!((web.kind.as_str(), web.operator_org), ("website", None));
    let mut linked = web.clone();
    linked.stage = "operator_notified".into();
    linked.operator_org = Some(org.id);
    let linked = s
        .update_vuln_case(&linked, &[], &[], t0() + Duration::hours(2))
        .await
        .expect("link operator");
    assert_eq!(linked.operator_org, Some(org.id));
    assert_eq!(
        s.vuln_case(web.id)
            .await
            .expect("read back")
            .map(|r| (r.kind, r.operator_org)),
        Some(("website".to_string(), Some(org.id)))
    );

    // Listing: published only, or all, newest first.
    let c = s.insert_vuln_case(&new).await.expect("second");
    let all: Vec<VulnCaseId> = s
        .vuln_cases(false, 100)
        .await
        .expect("all")
        .iter()
        .map(|r| r.id)
        .collect();
    assert!(all.starts_with(&[c.id, web.id, a.id]), "{all:?}");
    let public: Vec<VulnCaseId> = s
        .vuln_cases(true, 100)
        .await
        .expect("public")
        .iter()
        .map(|r| r.id)
        .collect();
    assert!(
        public.contains(&a.id) && !public.contains(&c.id),
        "{public:?}"
    );

    // The developer list: upsert replaces.
    let mut dev = VulnRosterRow {
        developer: "conf-dev".into(),
        org: Some(org.id),
        doc: r#"{"name":"A"}"#.into(),
    };
    s.upsert_vuln_developer(&dev, t0()).await.expect("roster");
    dev.doc = r#"{"name":"B"}"#.into();
    s.upsert_vuln_developer(&dev, t0())
        .await
        .expect("roster again");
    let roster = s.vuln_roster().await.expect("list");
    assert_eq!(
        roster
            .iter()
            .filter(|r| r.developer == "conf-dev")
            .collect::<Vec<_>>(),
        vec![&dev]
    );
    outbox(s, a.id, org.id).await;
}

/// Digest lines: queued with a change (lost with a stale one), reminders once per key,
/// delivered with their notices in one transaction, and never twice.
async fn outbox(s: &dyn Store, case: VulnCaseId, org: OrgId) {
    let line = |item: &str, key: Option<&str>| VulnOutboxRow {
        id: 0,
        case,
        recipient: r#"{"party":"coordinator"}"#.into(),
        item: item.into(),
        key: key.map(str::to_string),
        created_at: t0(),
        sent_at: None,
    };
    let before: Vec<i64> = s
        .vuln_outbox_unsent(1000)
        .await
        .expect("unsent")
        .iter()
        .map(|r| r.id)
        .collect();
    let row = s.vuln_case(case).await.expect("case").expect("exists");
    s.update_vuln_case(&row, &[], &[line("n1", None), line("n2", None)], t0())
        .await
        .expect("change with notices");
    // A stale change queues nothing.
    let stale = s
        .update_vuln_case(&row, &[], &[line("lost", None)], t0())
        .await;
    assert!(matches!(stale, Err(StoreError::Conflict(_))), "{stale:?}");
    assert_eq!(
        s.queue_vuln_outbox(&[line("r1", Some("k1")), line("r2", Some("k2"))])
            .await
            .expect("queue"),
        2
    );
    assert_eq!(
        s.queue_vuln_outbox(&[line("r1 again", Some("k1"))])
            .await
            .expect("queue again"),
        0,
        "a reminder key is queued once"
    );
    let unsent: Vec<VulnOutboxRow> = s
        .vuln_outbox_unsent(1000)
        .await
        .expect("unsent")
        .into_iter()
        .filter(|r| !before.contains(&r.id))
        .collect();
    let items: Vec<&str> = unsent.iter().map(|r| r.item.as_str()).collect();
    assert_eq!(items, ["n1", "n2", "r1", "r2"]);
    assert_eq!(unsent[2].key.as_deref(), Some("k1"));

    let user = s
        .insert_user(&NewUser {
            org,
            email: "outbox-conformance@example.jp".into(),
            display_name: "受信者".into(),
            role: Role::Reporter,
            created_at: t0(),
        })
        .await
        .expect("user");
    let ids: Vec<i64> = unsent.iter().map(|r| r.id).collect();
    let notice = NewNotice {
        user: user.id,
        at: t0(),
        kind: "vuln_digest".into(),
        detail: "{}".into(),
    };
    s.deliver_vuln_outbox(
        &ids[..3],
        std::slice::from_ref(&notice),
        t0() + Duration::minutes(5),
    )
    .await
    .expect("deliver");
    assert_eq!(
        s.notices(user.id, true, 10).await.expect("notices").len(),
        1
    );
    let left: Vec<i64> = s
        .vuln_outbox_unsent(1000)
        .await
        .expect("unsent")
        .iter()
        .map(|r| r.id)
        .filter(|id| !before.contains(id))
        .collect();
    assert_eq!(left, [ids[3]]);
    // Delivering a sent line again stores nothing (a concurrent sweep lost the race).
    let again = s
        .deliver_vuln_outbox(&[ids[3], ids[0]], std::slice::from_ref(&notice), t0())
        .await;
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
    assert_eq!(
        s.notices(user.id, true, 10).await.expect("notices").len(),
        1
    );
    assert_eq!(
        s.vuln_outbox_unsent(1000)
            .await
            .expect("unsent")
            .iter()
            .filter(|r| r.id == ids[3])
            .count(),
        1,
        "the rolled-back line stays unsent"
    );
}
