//! The conformance suite: written once, run by every [`Store`] implementation
//! against a fresh, empty store (`run_all(&store).await`). It panics with the name
//! of the broken promise.

use crate::*;
use time::{Duration, OffsetDateTime};

fn t0() -> OffsetDateTime {
    time::macros::datetime!(2026-04-01 09:00 UTC)
}

/// Runs every check against one empty store.
pub async fn run_all(store: &dyn Store) {
    orgs_and_users(store).await;
    sessions_tokens_links(store).await;
    audit_chain_order(store).await;
    guard_accounts(store).await;
    crate::conformance_account::run(store).await;
    crate::conformance_stuffing::run(store).await;
    intake(store).await;
    crate::conformance_stats::run(store).await;
    crate::conformance_portal::run(store).await;
    crate::conformance_vuln::run(store).await;
}

async fn orgs_and_users(s: &dyn Store) {
    let npa = s
        .insert_org(&NewOrg {
            name: "警察庁".into(),
            kind: OrgKind::Police,
            parent: None,
            created_at: t0(),
        })
        .await
        .expect("insert org");
    let pref = s
        .insert_org(&NewOrg {
            name: "警視庁".into(),
            kind: OrgKind::PolicePrefectural,
            parent: Some(npa.id),
            created_at: t0(),
        })
        .await
        .expect("insert child org");
    assert_ne!(npa.id, pref.id);
    assert_eq!(s.org(pref.id).await.expect("org"), Some(pref.clone()));
    assert_eq!(s.org(OrgId(999_999)).await.expect("org"), None);
    assert_eq!(
        s.org_by_name("警察庁").await.expect("by name"),
        Some(npa.clone())
    );
    let dup = s
        .insert_org(&NewOrg {
            name: "警察庁".into(),
            kind: OrgKind::Ipa,
            parent: None,
            created_at: t0(),
        })
        .await;
    assert!(
        matches!(dup, Err(StoreError::Conflict(_))),
        "org name unique: {dup:?}"
    );
    assert_eq!(
        s.orgs().await.expect("orgs"),
        vec![npa.clone(), pref.clone()]
    );

    let u = s
        .insert_user(&NewUser {
            org: pref.id,
            email: "Staff@Example.JP".into(),
            display_name: "山田 花子".into(),
            role: Role::BodyStaff,
            created_at: t0(),
        })
        .await
        .expect("insert user");
    assert_eq!(u.email, "staff@example.jp", "email lower-cased");
    assert!(!u.disabled);
    assert_eq!(s.user(u.id).await.expect("user"), Some(u.clone()));
    assert_eq!(
        s.user_by_email("STAFF@example.jp").await.expect("by email"),
        Some(u.clone())
    );
    let dup = s
        .insert_user(&NewUser {
            org: npa.id,
            email: "staff@example.jp".into(),
            display_name: "x".into(),
            role: Role::Reporter,
            created_at: t0(),
        })
        .await;
    assert!(
        matches!(dup, Err(StoreError::Conflict(_))),
        "email unique: {dup:?}"
    );
    let other = s
        .insert_user(&NewUser {
            org: npa.id,
            email: "chief@example.jp".into(),
            display_name: "佐藤".into(),
            role: Role::BodySupervisor,
            created_at: t0(),
        })
        .await
        .expect("second user");
    assert_eq!(
        s.users(Some(pref.id)).await.expect("users"),
        vec![u.clone()]
    );
    assert_eq!(s.users(None).await.expect("users").len(), 2);
    s.set_user_disabled(other.id, true).await.expect("disable");
    assert!(
        s.user(other.id)
            .await
            .expect("user")
            .expect("exists")
            .disabled
    );
    assert!(matches!(
        s.set_user_disabled(UserId(999_999), true).await,
        Err(StoreError::NotFound(_))
    ));
}

async fn sessions_tokens_links(s: &dyn Store) {
    let user = s.users(None).await.expect("users")[0].id;
    let sess = Session {
        hash: "a".repeat(64),
        user,
        csrf: "csrf-1".into(),
        created_at: t0(),
        last_seen_at: t0(),
    };
    s.insert_session(&sess).await.expect("session");
    assert_eq!(
        s.session(&sess.hash).await.expect("get"),
        Some(sess.clone())
    );
    let (joined, person, org) = s
        .session_with_person(&sess.hash)
        .await
        .expect("get")
        .expect("some");
    assert_eq!(joined, sess, "the same session through the join");
    let stored = s.user(user).await.expect("user").expect("exists");
    assert_eq!(person, stored);
    assert_eq!(Some(org), s.org(stored.org).await.expect("org"));
    assert_eq!(
        s.session_with_person(&"z".repeat(64)).await.expect("get"),
        None
    );
    let later = t0() + Duration::minutes(5);
    s.touch_session(&sess.hash, later).await.expect("touch");
    assert_eq!(
        s.session(&sess.hash)
            .await
            .expect("get")
            .expect("some")
            .last_seen_at,
        later
    );
    // A person pending confirmation by their organization.
    assert!(!s.is_pending(user).await.expect("pending"));
    s.insert_pending(user, Some(user), t0())
        .await
        .expect("insert pending");
    assert!(s.is_pending(user).await.expect("pending"));
    let pending = s.pending_of_org(stored.org).await.expect("pending of org");
    assert_eq!(
        pending
            .iter()
            .map(|(u, by)| (u.id, *by))
            .collect::<Vec<_>>(),
        vec![(user, Some(user))]
    );
    assert!(s.clear_pending(user).await.expect("clear"));
    assert!(!s.clear_pending(user).await.expect("clear again"));
    assert!(!s.is_pending(user).await.expect("pending"));
    assert!(
        s.pending_of_org(stored.org)
            .await
            .expect("pending")
            .is_empty()
    );
    // Re-authentication time, kept with the session.
    assert_eq!(s.session_reauth(&sess.hash).await.expect("reauth"), None);
    s.set_session_reauth(&sess.hash, later)
        .await
        .expect("set reauth");
    assert_eq!(
        s.session_reauth(&sess.hash).await.expect("reauth"),
        Some(later)
    );
    assert_eq!(
        s.session_reauth(&"z".repeat(64)).await.expect("reauth"),
        None
    );
    s.delete_session(&sess.hash).await.expect("delete");
    assert_eq!(s.session(&sess.hash).await.expect("get"), None);
    let fresh = Session {
        hash: "d".repeat(64),
        created_at: later,
        last_seen_at: later,
        ..sess.clone()
    };
    let idle = Session {
        hash: "e".repeat(64),
        ..sess.clone()
    };
    s.insert_session(&fresh).await.expect("session");
    s.insert_session(&idle).await.expect("session");
    let n = s.delete_stale_sessions(later, t0()).await.expect("sweep");
    assert_eq!(n, 1, "only the idle one");
    assert!(s.session(&fresh.hash).await.expect("get").is_some());
    assert_eq!(
        s.delete_stale_sessions(t0(), later + Duration::seconds(1))
            .await
            .expect("sweep"),
        1,
        "absolute"
    );

    let tok = ApiToken {
        hash: "b".repeat(64),
        user,
        label: "ci".into(),
        created_at: t0(),
        expires_at: t0() + Duration::days(90),
    };
    s.insert_token(&tok).await.expect("token");
    assert_eq!(s.token(&tok.hash).await.expect("get"), Some(tok));
    assert_eq!(s.token("nope").await.expect("get"), None);

    let link = OneTimeLink {
        hash: "c".repeat(64),
        user,
        purpose: LinkPurpose::SetPassword,
        expires_at: t0() + Duration::hours(24),
    };
    s.insert_link(&link).await.expect("link");
    assert_eq!(
        s.take_link(&link.hash).await.expect("take"),
        Some(link.clone())
    );
    assert_eq!(
        s.take_link(&link.hash).await.expect("take"),
        None,
        "single use"
    );
}

fn entry(seq: i64, prev: &str, actor: Option<UserId>) -> AuditEntry {
    AuditEntry {
        seq,
        at: t0() + Duration::seconds(seq),
        actor,
        subject: None,
        action: "view_org".into(),
        object: format!("org:{seq}"),
        source: "198.51.100.7".into(),
        detail: "{}".into(),
        prev_hash: prev.into(),
        hash: format!("{seq:064}"),
    }
}

async fn audit_chain_order(s: &dyn Store) {
    let user = s.users(None).await.expect("users")[0].id;
    assert_eq!(s.last_audit().await.expect("last"), None);
    let e1 = entry(1, &"0".repeat(64), Some(user));
    s.append_audit(&e1).await.expect("append 1");
    let e2 = entry(2, &e1.hash, None);
    s.append_audit(&e2).await.expect("append 2");
    let fork = entry(2, &e1.hash, None);
    assert!(
        matches!(s.append_audit(&fork).await, Err(StoreError::Conflict(_))),
        "a second entry 2 would fork the chain"
    );
    let gap = entry(4, &e2.hash, None);
    assert!(
        matches!(s.append_audit(&gap).await, Err(StoreError::Conflict(_))),
        "gaps refused"
    );
    assert_eq!(s.last_audit().await.expect("last"), Some(e2.clone()));
    assert_eq!(
        s.audit_page(0, 10).await.expect("page"),
        vec![e1.clone(), e2.clone()]
    );
    assert_eq!(s.audit_page(1, 10).await.expect("page"), vec![e2]);
    assert_eq!(
        s.audit_for_user(user, 10).await.expect("mine"),
        vec![e1.clone()]
    );
    assert_eq!(
        s.audit_by_actor_action(user, "view_org", 10)
            .await
            .expect("by action"),
        vec![e1]
    );
    assert_eq!(
        s.audit_by_actor_action(user, "sign_in", 10)
            .await
            .expect("none"),
        vec![]
    );
}

async fn guard_accounts(s: &dyn Store) {
    assert_eq!(s.guard_account("x@example.jp").await.expect("get"), None);
    s.put_guard_account("x@example.jp", r#"{"v":1}"#)
        .await
        .expect("put");
    s.put_guard_account("x@example.jp", r#"{"v":2}"#)
        .await
        .expect("replace");
    s.put_guard_account("y@example.jp", r#"{"v":3}"#)
        .await
        .expect("put");
    assert_eq!(
        s.guard_account("x@example.jp")
            .await
            .expect("get")
            .as_deref(),
        Some(r#"{"v":2}"#)
    );
    let mut names = s.guard_account_names().await.expect("names");
    names.sort();
    assert_eq!(
        names,
        vec!["x@example.jp".to_string(), "y@example.jp".to_string()]
    );
}

fn content(title: &str, description: &str, acts: &[&str], sector: Option<&str>) -> ReportContent {
    ReportContent {
        kind: ReportKind::Report,
        title: title.into(),
        description: description.into(),
        answers: r#"{"what":["不正ログインされた"],"method":["phishing"]}"#.into(),
        taxonomy_version: "2026.1".into(),
        facets: Facets {
            acts: acts.iter().map(|a| a.to_string()).collect(),
            methods: vec!["phishing".into()],
            sector: sector.map(str::to_string),
            admin_type: Some("company".into()),
        },
        first_seen: Some(t0() - Duration::days(2)),
        last_seen: Some(t0() - Duration::days(1)),
    }
}

async fn intake(s: &dyn Store) {
    let org = |name: &str, kind| NewOrg {
        name: name.into(),
        kind,
        parent: None,
        created_at: t0(),
    };
    let ipa = s.insert_org(&org("IPA", OrgKind::Ipa)).await.expect("org");
    let jp = s
        .insert_org(&org("JPCERT/CC", OrgKind::JpcertCc))
        .await
        .expect("org");
    let police = s.org_by_name("警視庁").await.expect("org").expect("exists");
    let co = s
        .insert_org(&org("株式会社さくら", OrgKind::AccessAdministrator))
        .await
        .expect("org");
    let user = |org: OrgId, email: &str, role| NewUser {
        org,
        email: email.into(),
        display_name: email.into(),
        role,
        created_at: t0(),
    };
    let rep = s
        .insert_user(&user(co.id, "r1@sakura.example", Role::Reporter))
        .await
        .expect("user");
    let rep2 = s
        .insert_user(&user(co.id, "r2@sakura.example", Role::Reporter))
        .await
        .expect("user");
    let staff = s
        .insert_user(&user(ipa.id, "staff@ipa.example", Role::BodyStaff))
        .await
        .expect("user");

    // A draft, its history, autosave.
    let new = NewReport {
        content: content(
            "不正ログイン",
            "管理画面に不正アクセスがありました。",
            &["identifier_misuse"],
            Some("retail"),
        ),
        author: Some(rep.id),
        org: Some(co.id),
        contact_hash: None,
        created_at: t0(),
    };
    let d = s.insert_report(&new).await.expect("insert report");
    assert_eq!(d.status, ReportStatus::Draft);
    assert_eq!(d.facets, new.content.facets);
    assert_eq!(d.first_seen, new.content.first_seen);
    assert!(!d.anonymous);
    assert_eq!(s.report(d.id).await.expect("get"), Some(d.clone()));
    assert_eq!(s.report(ReportId(999_999)).await.expect("get"), None);
    let ev = s.events(d.id).await.expect("events");
    assert_eq!(ev.len(), 1);
    assert_eq!(ev[0].kind, EventKind::Created);
    let later = t0() + Duration::minutes(3);
    let mut c2 = new.content.clone();
    c2.description = "管理画面に不正アクセスがあり、不正送金が行われました。攻撃元 203.0.113.9 から wp-login.php へ".into();
    let d = s.update_draft(d.id, &c2, later).await.expect("autosave");
    assert_eq!(d.description, c2.description);
    assert_eq!(d.updated_at, later);
    assert!(matches!(
        s.update_draft(ReportId(999_999), &c2, later).await,
        Err(StoreError::NotFound(_))
    ));

    // Another reporter's draft is not in the first reporter's list.
    let other_draft = s
        .insert_report(&NewReport {
            author: Some(rep2.id),
            ..new.clone()
        })
        .await
        .expect("draft 2");
    let mine = s
        .reports_of_org(co.id, rep.id, None, 10)
        .await
        .expect("list");
    assert_eq!(mine.iter().map(|r| r.id).collect::<Vec<_>>(), vec![d.id]);
    assert_eq!(s.count_drafts(rep.id).await.expect("count"), 1);
    assert_eq!(s.count_drafts(rep2.id).await.expect("count"), 1);

    // Submit to two bodies: one case each, atomically, once.
    let at = t0() + Duration::hours(1);
    let (sub, cases) = s
        .submit_report(d.id, &[ipa.id, police.id], Some(rep.id), at)
        .await
        .expect("submit");
    assert_eq!(sub.status, ReportStatus::Submitted);
    assert_eq!(sub.submitted_at, Some(at));
    assert_eq!(cases.len(), 2);
    assert!(
        cases
            .iter()
            .all(|c| c.status == CaseStatus::Received && c.version == 1)
    );
    assert_eq!(s.cases_of_report(d.id).await.expect("cases"), cases);
    assert_eq!(
        s.count_drafts(rep.id).await.expect("count"),
        0,
        "a submitted report is no longer an open draft"
    );
    assert!(
        matches!(
            s.submit_report(d.id, &[jp.id], Some(rep.id), at).await,
            Err(StoreError::Conflict(_))
        ),
        "submitted once"
    );
    assert!(
        matches!(
            s.update_draft(d.id, &c2, at).await,
            Err(StoreError::Conflict(_))
        ),
        "a submitted report is no longer editable"
    );
    let kinds: Vec<EventKind> = s
        .events(d.id)
        .await
        .expect("events")
        .iter()
        .map(|e| e.kind)
        .collect();
    assert_eq!(
        kinds,
        vec![
            EventKind::Created,
            EventKind::Submitted,
            EventKind::Submitted
        ]
    );
    // The other author's draft becomes visible to the org once submitted.
    s.submit_report(other_draft.id, &[jp.id], Some(rep2.id), at)
        .await
        .expect("submit 2");
    let mine = s
        .reports_of_org(co.id, rep.id, None, 10)
        .await
        .expect("list");
    assert_eq!(
        mine.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![other_draft.id, d.id]
    );
    let page2 = s
        .reports_of_org(co.id, rep.id, Some(other_draft.id), 10)
        .await
        .expect("list");
    assert_eq!(page2.iter().map(|r| r.id).collect::<Vec<_>>(), vec![d.id]);

    // Anonymous consultation by contact hash.
    let anon = s
        .insert_report(&NewReport {
            content: ReportContent {
                kind: ReportKind::Consultation,
                ..c2.clone()
            },
            author: None,
            org: None,
            contact_hash: Some("f".repeat(64)),
            created_at: t0(),
        })
        .await
        .expect("anonymous");
    assert!(anon.anonymous);
    assert_eq!(
        s.report_by_contact(&"f".repeat(64))
            .await
            .expect("by contact")
            .map(|r| r.id),
        Some(anon.id)
    );
    assert_eq!(
        s.report_by_contact(&"e".repeat(64))
            .await
            .expect("by contact"),
        None
    );

    // Case changes: versioned, each with its history entry.
    let ipa_case = cases
        .iter()
        .find(|c| c.body == ipa.id)
        .expect("ipa case")
        .clone();
    let mut next = ipa_case.clone();
    next.status = CaseStatus::Accepted;
    next.assignee = Some(staff.id);
    next.due_at = Some(t0() + Duration::days(1));
    next.checklist = vec!["logs".into()];
    let ev = NewEvent::new(
        d.id,
        Some(ipa_case.id),
        at,
        Some(staff.id),
        EventKind::Accepted,
        Visibility::Reporter,
    );
    let updated = s.update_case(&next, &ev).await.expect("update case");
    assert_eq!(updated.version, 2);
    assert_eq!(updated.status, CaseStatus::Accepted);
    assert_eq!(updated.checklist, vec!["logs".to_string()]);
    assert_eq!(
        s.case(ipa_case.id).await.expect("case"),
        Some(updated.clone())
    );
    assert!(
        matches!(
            s.update_case(&next, &ev).await,
            Err(StoreError::Conflict(_))
        ),
        "a stale version is refused"
    );
    let note = NewEvent {
        text: "内部メモ".into(),
        ..NewEvent::new(
            d.id,
            Some(ipa_case.id),
            at,
            Some(staff.id),
            EventKind::Note,
            Visibility::BodyInternal,
        )
    };
    let n = s.insert_event(&note).await.expect("note");
    assert_eq!(
        (n.kind, n.visibility, n.text.as_str()),
        (EventKind::Note, Visibility::BodyInternal, "内部メモ")
    );

    // Attachments within the per-report limit.
    let att = |bytes: &[u8]| NewAttachment {
        report: d.id,
        name: "access.log".into(),
        media_type: "text/plain".into(),
        blake3: "b".repeat(64),
        sha256: "c".repeat(64),
        kind: AttachmentKind::Log,
        verdict: Verdict::NotApplicable,
        verdict_detail: String::new(),
        bytes: bytes.to_vec(),
        uploaded_by: Some(rep.id),
        uploaded_at: at,
    };
    let aev = NewEvent::new(
        d.id,
        None,
        at,
        Some(rep.id),
        EventKind::AttachmentAdded,
        Visibility::Reporter,
    );
    let a1 = s
        .insert_attachment(&att(&[1u8; 600]), 1000, &aev)
        .await
        .expect("attach")
        .expect("fits");
    assert_eq!(a1.size, 600);
    assert_eq!(
        s.insert_attachment(&att(&[2u8; 401]), 1000, &aev)
            .await
            .expect("attach"),
        None,
        "over the total"
    );
    let a2 = s
        .insert_attachment(&att(&[3u8; 400]), 1000, &aev)
        .await
        .expect("attach")
        .expect("fits exactly");
    assert_eq!(
        s.attachments(d.id).await.expect("list"),
        vec![a1.clone(), a2]
    );
    let (meta, bytes) = s
        .attachment_bytes(a1.id)
        .await
        .expect("bytes")
        .expect("exists");
    assert_eq!((meta, bytes), (a1, vec![1u8; 600]));
    let n_added = s
        .events(d.id)
        .await
        .expect("events")
        .iter()
        .filter(|e| e.kind == EventKind::AttachmentAdded)
        .count();
    assert_eq!(n_added, 2, "the refused upload left no history entry");

    // Referral: proposed, consented once, a linked case at the target.
    let r = s
        .insert_referral(
            &NewReferral {
                report: d.id,
                from_case: ipa_case.id,
                target: jp.id,
                proposed_by: staff.id,
                text: "調整が必要".into(),
                at,
            },
            &NewEvent::new(
                d.id,
                Some(ipa_case.id),
                at,
                Some(staff.id),
                EventKind::ReferralProposed,
                Visibility::Reporter,
            ),
        )
        .await
        .expect("propose");
    assert_eq!(r.status, ReferralStatus::Proposed);
    assert_eq!(s.referrals(d.id).await.expect("list"), vec![r.clone()]);
    let (decided, new_case) = s
        .decide_referral(r.id, true, Some(rep.id), at)
        .await
        .expect("consent");
    let new_case = new_case.expect("a case at the target");
    assert_eq!(decided.status, ReferralStatus::Consented);
    assert_eq!(decided.new_case, Some(new_case.id));
    assert_eq!(
        (new_case.body, new_case.referred_from),
        (jp.id, Some(ipa_case.id))
    );
    assert_eq!(s.referral(r.id).await.expect("get"), Some(decided));
    assert!(
        matches!(
            s.decide_referral(r.id, false, Some(rep.id), at).await,
            Err(StoreError::Conflict(_))
        ),
        "decided once"
    );
    let r2 = s
        .insert_referral(
            &NewReferral {
                report: d.id,
                from_case: ipa_case.id,
                target: jp.id,
                proposed_by: staff.id,
                text: "再度".into(),
                at,
            },
            &NewEvent::new(
                d.id,
                Some(ipa_case.id),
                at,
                Some(staff.id),
                EventKind::ReferralProposed,
                Visibility::Reporter,
            ),
        )
        .await
        .expect("propose again");
    assert!(
        s.decide_referral(r2.id, true, Some(rep.id), at)
            .await
            .is_err(),
        "the target holds a case already"
    );
    let (declined, none) = s
        .decide_referral(r2.id, false, Some(rep.id), at)
        .await
        .expect("decline");
    assert_eq!((declined.status, none), (ReferralStatus::Declined, None));
    let kinds: Vec<EventKind> = s
        .events(d.id)
        .await
        .expect("events")
        .iter()
        .map(|e| e.kind)
        .collect();
    assert!(
        kinds.ends_with(&[
            EventKind::ReferralConsented,
            EventKind::Referred,
            EventKind::ReferralProposed,
            EventKind::ReferralDeclined
        ]),
        "{kinds:?}"
    );

    queue(s, &ipa, &jp, &co, &staff, &rep).await;
    deep_search(s, &co, &rep).await;
}

/// A body with more cases than a search looks at newest-first before asking the index
/// for older matches (PostgreSQL: 2,000): rare words far back, common words everywhere.
async fn deep_search(s: &dyn Store, co: &Org, rep: &User) {
    let body = s
        .insert_org(&NewOrg {
            name: "大量の届出を受ける機関".into(),
            kind: OrgKind::Ipa,
            parent: None,
            created_at: t0(),
        })
        .await
        .expect("org");
    let n = 3200;
    let rows: Vec<ImportedReport> = (0..n)
        .map(|i| ImportedReport {
            report: NewReport {
                content: content(
                    &format!("届出 {i}"),
                    if i < 20 {
                        "古い事件: 暗号資産の流出"
                    } else if i % 25 == 0 {
                        "ときどき: 踏み台にされた"
                    } else {
                        "よくある: 不正ログインの試行"
                    },
                    &["identifier_misuse"],
                    None,
                ),
                author: Some(rep.id),
                org: Some(co.id),
                contact_hash: None,
                created_at: t0(),
            },
            cases: vec![ImportedCase::new(body.id, CaseStatus::Received)],
        })
        .collect();
    for chunk in rows.chunks(800) {
        s.import_reports(chunk).await.expect("import");
    }
    let scope = QueueScope {
        body: body.id,
        unassigned_or: None,
    };
    let search = |text: &str, before: Option<CaseId>, limit: i64| {
        let mut q = CaseQuery::new(scope, limit);
        q.text = Some(text.into());
        q.before = before;
        q
    };
    // Rare and old: all 20, newest first, in pages across the window's edge.
    let all = s
        .case_queue(&search("暗号資産", None, 50))
        .await
        .expect("q");
    assert_eq!(all.len(), 20);
    assert!(all.windows(2).all(|w| w[0].case.id > w[1].case.id));
    let p1 = s
        .case_queue(&search("暗号資産", None, 15))
        .await
        .expect("q");
    let p2 = s
        .case_queue(&search("暗号資産", p1.last().map(|r| r.case.id), 15))
        .await
        .expect("q");
    assert_eq!((p1.len(), p2.len()), (15, 5));
    // Every 25th: a page mixes the newest window and older matches.
    let some = s.case_queue(&search("踏み台", None, 200)).await.expect("q");
    assert_eq!(
        some.len(),
        n / 25 - 1,
        "every 25th except the first (an old one)"
    );
    assert!(some.windows(2).all(|w| w[0].case.id > w[1].case.id));
    // Common: a full page at once, the newest.
    let common = s.case_queue(&search("不正", None, 50)).await.expect("q");
    assert_eq!(common.len(), 50);
    let newest = s.case_queue(&CaseQuery::new(scope, 1)).await.expect("q");
    assert_eq!(common[0].case.id, newest[0].case.id);
    // Nothing: nothing, also far back.
    assert!(
        s.case_queue(&search("該当なし", None, 50))
            .await
            .expect("q")
            .is_empty()
    );
}

async fn queue(s: &dyn Store, ipa: &Org, jp: &Org, co: &Org, staff: &User, rep: &User) {
    // 30 more reports at IPA (imported), every third about a different act and sector.
    let rows: Vec<ImportedReport> = (0..30)
        .map(|i| ImportedReport {
            report: NewReport {
                content: if i % 3 == 0 {
                    content(
                        &format!("フィッシング {i}"),
                        "偽サイトで識別符号を入力させられた。phishing kit",
                        &["code_input_request"],
                        Some("finance"),
                    )
                } else {
                    content(
                        &format!("改ざん {i}"),
                        "ウェブサイトが改ざんされ、不正なファイルが置かれた。",
                        &["security_hole_attack"],
                        Some("retail"),
                    )
                },
                author: Some(rep.id),
                org: Some(co.id),
                contact_hash: None,
                created_at: t0() + Duration::minutes(i),
            },
            cases: vec![ImportedCase::new(
                ipa.id,
                if i % 2 == 0 {
                    CaseStatus::Received
                } else {
                    CaseStatus::InProgress
                },
            )],
        })
        .collect();
    s.import_reports(&rows).await.expect("import");
    let scope = QueueScope {
        body: ipa.id,
        unassigned_or: None,
    };
    let all = s
        .case_queue(&CaseQuery::new(scope, 100))
        .await
        .expect("queue");
    assert_eq!(all.len(), 31, "30 imported + the submitted one at IPA");
    assert!(
        all.windows(2).all(|w| w[0].case.id > w[1].case.id),
        "newest first"
    );
    assert!(
        all.iter().all(|r| r.case.body == ipa.id),
        "only this body's cases"
    );
    // Keyset paging covers everything once.
    let mut seen = Vec::new();
    let mut q = CaseQuery::new(scope, 7);
    loop {
        let page = s.case_queue(&q).await.expect("page");
        let Some(last) = page.last() else { break };
        q.before = Some(last.case.id);
        seen.extend(page.iter().map(|r| r.case.id));
    }
    assert_eq!(seen, all.iter().map(|r| r.case.id).collect::<Vec<_>>());
    let count = |q: CaseQuery| async move { s.case_queue(&q).await.expect("query").len() };
    let with = |f: &dyn Fn(&mut CaseQuery)| {
        let mut q = CaseQuery::new(scope, 100);
        f(&mut q);
        q
    };
    assert_eq!(
        count(with(&|q| q.statuses = vec![CaseStatus::InProgress])).await,
        15
    );
    assert_eq!(
        count(with(
            &|q| q.statuses = vec![CaseStatus::InProgress, CaseStatus::Accepted]
        ))
        .await,
        16
    );
    assert_eq!(count(with(&|q| q.assignee = Some(staff.id))).await, 1);
    let mine_or_free = QueueScope {
        body: ipa.id,
        unassigned_or: Some(UserId(999_999)),
    };
    assert_eq!(
        count(CaseQuery::new(mine_or_free, 100)).await,
        30,
        "a colleague's case is out of scope"
    );
    assert_eq!(
        count(with(&|q| q.overdue_at = Some(t0() + Duration::days(2)))).await,
        1
    );
    assert_eq!(count(with(&|q| q.overdue_at = Some(t0()))).await, 0);
    assert_eq!(
        count(with(&|q| q.act = Some("code_input_request".into()))).await,
        10
    );
    assert_eq!(
        count(with(&|q| q.sector = Some("finance".into()))).await,
        10
    );
    assert_eq!(
        count(with(&|q| {
            q.act = Some("security_hole_attack".into());
            q.statuses = vec![CaseStatus::Received];
        }))
        .await,
        10
    );
    // Japanese full text: two and three characters, across the script boundary, one character.
    assert_eq!(count(with(&|q| q.text = Some("送金".into()))).await, 1);
    assert_eq!(count(with(&|q| q.text = Some("改ざん".into()))).await, 20);
    assert_eq!(count(with(&|q| q.text = Some("偽サイト".into()))).await, 10);
    assert_eq!(count(with(&|q| q.text = Some("識".into()))).await, 10);
    assert_eq!(
        count(with(&|q| q.text = Some("ん".into()))).await,
        20,
        "a character at the end of a run"
    );
    assert_eq!(
        count(with(&|q| q.text = Some("ざん 不正".into()))).await,
        20,
        "every term must match"
    );
    assert_eq!(
        count(with(&|q| q.text = Some("改ざん 送金".into()))).await,
        0
    );
    assert_eq!(
        count(with(&|q| q.text = Some("サイト改".into()))).await,
        0,
        "a phrase, not a bag of bigrams"
    );
    // Latin words, case-insensitive; addresses as phrases.
    assert_eq!(count(with(&|q| q.text = Some("KIT".into()))).await, 10);
    assert_eq!(
        count(with(&|q| q.text = Some("203.0.113.9".into()))).await,
        1
    );
    assert_eq!(
        count(with(&|q| q.text = Some("wp-login.php".into()))).await,
        1
    );
    assert_eq!(count(with(&|q| q.text = Some("、、".into()))).await, 0);
    assert_eq!(
        count(with(&|q| {
            q.text = Some("改ざん".into());
            q.statuses = vec![CaseStatus::InProgress];
            q.limit = 4;
        }))
        .await,
        4
    );
    // Text search pages newest first too.
    let p1 = s
        .case_queue(&with(&|q| {
            q.text = Some("改ざん".into());
            q.limit = 5;
        }))
        .await
        .expect("page");
    let p2 = s
        .case_queue(&with(&|q| {
            q.text = Some("改ざん".into());
            q.limit = 5;
            q.before = Some(p1[4].case.id);
        }))
        .await
        .expect("page");
    assert!(
        p1.iter()
            .chain(&p2)
            .collect::<Vec<_>>()
            .windows(2)
            .all(|w| w[0].case.id > w[1].case.id)
    );
    assert_eq!(p2.len(), 5);
    // Another body's queue shows only its own case, whatever the query.
    let jq = QueueScope {
        body: jp.id,
        unassigned_or: None,
    };
    let j = s.case_queue(&CaseQuery::new(jq, 100)).await.expect("queue");
    assert!(j.iter().all(|r| r.case.body == jp.id));
    let mut q = CaseQuery::new(jq, 100);
    q.text = Some("改ざん".into());
    assert_eq!(s.case_queue(&q).await.expect("queue").len(), 0);
}
