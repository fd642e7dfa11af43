//! Intake and case work at the service level: every authorization rule of issue 6
//! (another organization's report by id, through the queue, through search; a
//! referral before consent; notes hidden from the reporter; administrators kept out),
//! the case-work rules (transitions, the closing checklist, outcomes per body),
//! attachments (hashes, limits, evidence bundles verified) and anonymous consultation.
//! The key rules run on PostgreSQL too.

use crate::world::{World, sqlite_store};
use mamori_core::guideline::{Body, Fit, Outcome, closing_checklist};
use mamori_core::intake::Answers;
use mamori_service::cases::QueueFilter;
use mamori_service::intake::{DraftInput, SubmitTo, Upload, Viewer};
use mamori_service::{Actor, ServiceConfig, ServiceError, Services, authz::Caller, codes};
use mamori_store::{
    AttachmentKind, CaseId, CaseStatus, EventKind, OrgId, ReportId, ReportKind, ReportStatus,
    Store, Verdict, Visibility,
};
use std::sync::Arc;

pub const SCAN: &[u8] = include_bytes!("../fixtures/scan.json");

/// The three bodies (police with a prefectural unit), two companies, people in every role.
pub struct Intake {
    pub w: World,
    pub ipa: OrgId,
    pub jpcert: OrgId,
    pub npa: OrgId,
}

impl Intake {
    pub async fn new(store: Arc<dyn Store>) -> Intake {
        let w = World::new(store).await;
        let c = Caller::Console;
        let ipa = w.svc.create_org(c, "IPA", "ipa", None).await.unwrap().id;
        let jpcert = w
            .svc
            .create_org(c, "JPCERT/CC", "jpcert_cc", None)
            .await
            .unwrap()
            .id;
        let npa = w
            .svc
            .store()
            .org_by_name("警察庁")
            .await
            .unwrap()
            .unwrap()
            .id;
        w.person(ipa, "staff@ipa.example", "body_staff").await;
        w.person(ipa, "staff2@ipa.example", "body_staff").await;
        w.person(ipa, "chief@ipa.example", "body_supervisor").await;
        w.person(jpcert, "staff@jpcert.example", "body_staff").await;
        w.person(npa, "staff@npa.example", "body_staff").await;
        w.person(w.company, "second@sakura.example", "reporter")
            .await;
        Intake {
            w,
            ipa,
            jpcert,
            npa,
        }
    }

    pub async fn a(&self, email: &str) -> Actor {
        self.w.actor(email).await
    }

    pub fn svc(&self) -> &Services {
        &self.w.svc
    }
}

/// Answers that make a complete 届出 (every required question answered).
pub fn full_answers() -> Answers {
    let mut a = Answers::default();
    for q in mamori_core::intake::questions() {
        if !q.required_for_report {
            continue;
        }
        let v = match q.kind {
            mamori_core::intake::QuestionKind::DateTime => "2026-03-30T10:00".to_string(),
            mamori_core::intake::QuestionKind::ShortText
            | mamori_core::intake::QuestionKind::LongText => {
                "管理画面に不正ログインされ、顧客情報が閲覧された。攻撃元は 203.0.113.9".to_string()
            }
            _ => q.options[0].id.to_string(),
        };
        a.set(q.id, vec![v]);
    }
    a
}

fn input(title: &str, answers: Answers) -> DraftInput {
    DraftInput {
        kind: Some(ReportKind::Report),
        title: title.into(),
        answers,
    }
}

fn not_found<T: std::fmt::Debug>(r: Result<T, ServiceError>) {
    match r {
        Err(ServiceError::NotFound) => {}
        other => panic!("expected not found, got {other:?}"),
    }
}

fn invalid<T: std::fmt::Debug>(r: Result<T, ServiceError>, code: &str) {
    match r {
        Err(e) if e.code() == code => {}
        other => panic!("expected {code}, got {other:?}"),
    }
}

/// A report of 株式会社さくら submitted to IPA; returns (report, IPA case).
async fn submitted_to_ipa(t: &Intake, title: &str) -> (ReportId, CaseId) {
    let rep = t.a("reporter@sakura.example").await;
    let d = t
        .svc()
        .create_draft(&rep, input(title, full_answers()))
        .await
        .unwrap();
    let (_, cases) = t
        .svc()
        .submit_report(&rep, d.id, &[SubmitTo::body(Body::Ipa)])
        .await
        .unwrap();
    (d.id, cases[0].id)
}

#[tokio::test]
async fn a_draft_from_a_scan_is_prefilled_and_the_scan_attached() {
    let t = Intake::new(sqlite_store().await).await;
    let rep = t.a("reporter@sakura.example").await;
    let d = t.svc().create_draft_from_scan(&rep, SCAN).await.unwrap();
    assert_eq!(d.status, ReportStatus::Draft);
    assert!(d.title.starts_with("mamori scan"), "{}", d.title);
    assert!(
        d.first_seen.is_some() && d.last_seen.is_some(),
        "time range"
    );
    assert!(!d.facets.acts.is_empty(), "act type from the findings");
    let v = t.svc().report_view(&rep, d.id).await.unwrap();
    assert!(v.answers.answered("what_happened"));
    assert!(
        v.report.description.contains("203.0.113."),
        "sources: {}",
        v.report.description
    );
    assert_eq!(v.attachments.len(), 1);
    let a = &v.attachments[0];
    assert_eq!(a.kind, AttachmentKind::ScanJson);
    let sha = {
        use sha2::Digest as _;
        hex::encode(sha2::Sha256::digest(SCAN))
    };
    assert_eq!(a.sha256, sha, "the hash of exactly the uploaded bytes");
    assert_eq!(a.blake3, blake3::hash(SCAN).to_hex().to_string());
    // The guideline answers for the draft.
    let g = t.svc().guidance(&rep, d.id).await.unwrap();
    assert_eq!(g.bodies.len(), 3);
    assert!(g.bodies.iter().any(|b| b.fit == Fit::Recommended));

    invalid(
        t.svc().create_draft_from_scan(&rep, b"not json").await,
        codes::SCAN_JSON,
    );
    invalid(
        t.svc()
            .create_draft_from_scan(&rep, br#"{"hello": 1}"#)
            .await,
        codes::SCAN_DOC,
    );
}

#[tokio::test]
async fn drafts_are_the_authors_and_reports_stay_inside_the_organization() {
    let t = Intake::new(sqlite_store().await).await;
    let rep = t.a("reporter@sakura.example").await;
    let colleague = t.a("second@sakura.example").await;
    let other = t.a("reporter@momiji.example").await;
    let ipa = t.a("staff@ipa.example").await;
    let d = t
        .svc()
        .create_draft(&rep, input("下書き", full_answers()))
        .await
        .unwrap();
    // A draft: the author only.
    assert!(t.svc().report_view(&rep, d.id).await.is_ok());
    for a in [&colleague, &other, &ipa] {
        not_found(t.svc().report_view(a, d.id).await);
        not_found(
            t.svc()
                .save_draft(a, d.id, input("x", Answers::default()))
                .await,
        );
    }
    assert!(
        t.svc()
            .my_reports(&colleague, None, 50)
            .await
            .unwrap()
            .is_empty()
    );
    // Autosave, validated.
    let mut a = full_answers();
    a.set("nonsense_question", vec!["x".into()]);
    match t.svc().save_draft(&rep, d.id, input("下書き", a)).await {
        Err(ServiceError::InvalidAnswers { code, errors }) => {
            assert_eq!(code, codes::ANSWERS);
            assert_eq!(errors[0].question, "nonsense_question");
        }
        other => panic!("{other:?}"),
    }
    let saved = t
        .svc()
        .save_draft(&rep, d.id, input("改題", full_answers()))
        .await
        .unwrap();
    assert_eq!(saved.title, "改題");
    invalid(
        t.svc()
            .save_draft(&rep, d.id, input(&"長".repeat(201), full_answers()))
            .await,
        codes::TITLE,
    );
    t.svc()
        .submit_report(&rep, d.id, &[SubmitTo::body(Body::Ipa)])
        .await
        .unwrap();
    // Submitted: the organization's reporters see it; another company never.
    let v = t.svc().report_view(&colleague, d.id).await.unwrap();
    assert_eq!(v.viewer, Viewer::Reporter { author: false });
    assert_eq!(
        t.svc()
            .my_reports(&colleague, None, 50)
            .await
            .unwrap()
            .len(),
        1
    );
    let denied = t.svc().report_view(&other, d.id).await.unwrap_err();
    let missing = t
        .svc()
        .report_view(&other, ReportId(99_999))
        .await
        .unwrap_err();
    assert_eq!(denied.code(), missing.code(), "denial looks like absence");
    assert!(
        t.svc()
            .my_reports(&other, None, 50)
            .await
            .unwrap()
            .is_empty()
    );
    not_found(t.svc().guidance(&other, d.id).await);
    let att = v.attachments.first().map(|a| a.id);
    if let Some(att) = att {
        not_found(t.svc().attachment(&other, d.id, att).await);
    }
    not_found(
        t.svc()
            .add_attachment(
                &other,
                d.id,
                Upload {
                    name: "x.log".into(),
                    bytes: b"x".to_vec(),
                },
            )
            .await,
    );
    invalid(
        t.svc()
            .save_draft(&rep, d.id, input("x", full_answers()))
            .await
            .map(|_| ()),
        "E-ACCESS-404",
    );
}

#[tokio::test]
async fn platform_administrators_do_not_read_reports() {
    let t = Intake::new(sqlite_store().await).await;
    let (report, case) = submitted_to_ipa(&t, "管理者には見えない").await;
    t.svc()
        .set_password_as_console("admin@mamori.example", crate::world::PASSWORD)
        .await
        .unwrap();
    let admin = t.a("admin@mamori.example").await;
    not_found(t.svc().report_view(&admin, report).await);
    not_found(t.svc().case_queue(&admin, &QueueFilter::default()).await);
    not_found(t.svc().accept_case(&admin, case).await);
    not_found(
        t.svc()
            .create_draft(&admin, input("x", Answers::default()))
            .await,
    );
    // The denials are in the audit log, which the administrator does read.
    let log = t.svc().audit_log(&admin, 20).await.unwrap();
    assert!(
        log.iter()
            .any(|e| e.action == "access_denied" && e.object == format!("report:{}", report.0))
    );
}

#[tokio::test]
async fn submission_needs_a_chosen_body_and_for_a_report_the_required_answers() {
    let t = Intake::new(sqlite_store().await).await;
    let rep = t.a("reporter@sakura.example").await;
    let d = t
        .svc()
        .create_draft(&rep, input("未完成", Answers::default()))
        .await
        .unwrap();
    invalid(t.svc().submit_report(&rep, d.id, &[]).await, codes::NO_BODY);
    match t
        .svc()
        .submit_report(&rep, d.id, &[SubmitTo::body(Body::Ipa)])
        .await
    {
        Err(ServiceError::InvalidAnswers { code, errors }) => {
            assert_eq!(code, codes::MISSING);
            let missing: Vec<&str> = mamori_core::intake::questions()
                .iter()
                .filter(|q| q.required_for_report)
                .map(|q| q.id)
                .collect();
            assert_eq!(
                errors
                    .iter()
                    .map(|e| e.question.as_str())
                    .collect::<Vec<_>>(),
                missing
            );
        }
        other => panic!("{other:?}"),
    }
    // A consultation needs no complete answers; it goes where the reporter chose.
    let c = t
        .svc()
        .create_draft(
            &rep,
            DraftInput {
                kind: Some(ReportKind::Consultation),
                title: "相談".into(),
                answers: Answers::default(),
            },
        )
        .await
        .unwrap();
    // A prefectural unit chosen for the police; an organization that is not the body refused.
    invalid(
        t.svc()
            .submit_report(
                &rep,
                c.id,
                &[SubmitTo {
                    body: Body::Police,
                    org: Some(t.ipa),
                }],
            )
            .await,
        codes::BODY_ORG,
    );
    let (_, cases) = t
        .svc()
        .submit_report(
            &rep,
            c.id,
            &[
                SubmitTo {
                    body: Body::Police,
                    org: Some(t.w.police),
                },
                SubmitTo::body(Body::Ipa),
            ],
        )
        .await
        .unwrap();
    let bodies: Vec<OrgId> = cases.iter().map(|c| c.body).collect();
    assert_eq!(
        bodies,
        vec![t.w.police, t.ipa],
        "the prefectural unit, not the NPA"
    );
    // JPCERT/CC and the NPA were not chosen: nothing reached them.
    for who in ["staff@jpcert.example", "staff@npa.example"] {
        let a = t.a(who).await;
        not_found(t.svc().report_view(&a, c.id).await);
        assert!(
            t.svc()
                .case_queue(&a, &QueueFilter::default())
                .await
                .unwrap()
                .rows
                .is_empty()
        );
    }
    invalid(
        t.svc()
            .submit_report(&rep, c.id, &[SubmitTo::body(Body::Ipa)])
            .await
            .map(|_| ()),
        "E-ACCESS-404",
    );
    // The police default is the National Police Agency.
    let d2 = t
        .svc()
        .create_draft(&rep, input("警察へ", full_answers()))
        .await
        .unwrap();
    let (_, cases) = t
        .svc()
        .submit_report(&rep, d2.id, &[SubmitTo::body(Body::Police)])
        .await
        .unwrap();
    assert_eq!(cases[0].body, t.npa);
}

#[tokio::test]
async fn queue_and_search_show_only_the_bodys_own_cases() {
    let t = Intake::new(sqlite_store().await).await;
    let (r1, c1) = submitted_to_ipa(&t, "不正送金の被害").await;
    let other = t.a("reporter@momiji.example").await;
    let d = t
        .svc()
        .create_draft(&other, input("もみじの不正送金", full_answers()))
        .await
        .unwrap();
    t.svc()
        .submit_report(&other, d.id, &[SubmitTo::body(Body::JpcertCc)])
        .await
        .unwrap();
    let ipa = t.a("staff@ipa.example").await;
    let jp = t.a("staff@jpcert.example").await;
    let search = |text: &str| QueueFilter {
        text: Some(text.into()),
        ..QueueFilter::default()
    };
    let page = t
        .svc()
        .case_queue(&ipa, &QueueFilter::default())
        .await
        .unwrap();
    assert_eq!(
        page.rows.iter().map(|r| r.case.id).collect::<Vec<_>>(),
        vec![c1]
    );
    let found = t.svc().case_queue(&ipa, &search("送金")).await.unwrap();
    assert_eq!(found.rows.len(), 1, "Japanese two-character search");
    assert_eq!(found.rows[0].case.report, r1);
    let found = t.svc().case_queue(&jp, &search("送金")).await.unwrap();
    assert_eq!(found.rows.len(), 1);
    assert_eq!(
        found.rows[0].case.report, d.id,
        "JPCERT/CC finds only its own"
    );
    not_found(t.svc().report_view(&jp, r1).await);
    not_found(t.svc().accept_case(&jp, c1).await);
    // Reporters have no queue.
    let rep = t.a("reporter@sakura.example").await;
    not_found(t.svc().case_queue(&rep, &QueueFilter::default()).await);
    // Staff see unassigned cases and their own; a colleague's only the supervisor.
    let chief = t.a("chief@ipa.example").await;
    let staff2 = t.a("staff2@ipa.example").await;
    t.svc()
        .assign_case(&chief, c1, Some(ipa.user.id))
        .await
        .unwrap();
    assert!(
        t.svc()
            .case_queue(&staff2, &QueueFilter::default())
            .await
            .unwrap()
            .rows
            .is_empty()
    );
    not_found(t.svc().report_view(&staff2, r1).await);
    not_found(t.svc().add_note(&staff2, c1, "x", false).await);
    assert_eq!(
        t.svc()
            .case_queue(&ipa, &QueueFilter::default())
            .await
            .unwrap()
            .rows
            .len(),
        1
    );
    assert_eq!(
        t.svc()
            .case_queue(&chief, &QueueFilter::default())
            .await
            .unwrap()
            .rows
            .len(),
        1
    );
    // Staff cannot hand a case to someone else; supervisors cannot assign outside the body.
    not_found(t.svc().assign_case(&ipa, c1, Some(staff2.user.id)).await);
    not_found(t.svc().assign_case(&chief, c1, Some(jp.user.id)).await);
    // Paging with a small page.
    for i in 0..4 {
        submitted_to_ipa(&t, &format!("追加 {i}")).await;
    }
    let mut f = QueueFilter {
        limit: Some(2),
        ..QueueFilter::default()
    };
    let mut seen = Vec::new();
    loop {
        let p = t.svc().case_queue(&chief, &f).await.unwrap();
        seen.extend(p.rows.iter().map(|r| r.case.id));
        match p.next {
            Some(n) => f.before = Some(n),
            None => break,
        }
    }
    assert_eq!(seen.len(), 5);
    assert!(seen.windows(2).all(|w| w[0] > w[1]), "newest first");
}

#[tokio::test]
async fn case_work_follows_the_states_and_the_closing_checklist() {
    let t = Intake::new(sqlite_store().await).await;
    let (report, case) = submitted_to_ipa(&t, "改ざん").await;
    let ipa = t.a("staff@ipa.example").await;
    let rep = t.a("reporter@sakura.example").await;
    invalid(t.svc().start_case(&ipa, case).await, codes::CASE_TRANSITION);
    invalid(
        t.svc().close_case(&ipa, case, "alert_issued", "").await,
        codes::CASE_TRANSITION,
    );
    t.svc().accept_case(&ipa, case).await.unwrap();
    invalid(
        t.svc().accept_case(&ipa, case).await,
        codes::CASE_TRANSITION,
    );
    t.svc().start_case(&ipa, case).await.unwrap();
    t.svc()
        .assign_case(&ipa, case, Some(ipa.user.id))
        .await
        .unwrap();
    let due = time::macros::datetime!(2026-04-10 17:00 +09:00);
    let c = t.svc().set_due(&ipa, case, Some(due)).await.unwrap();
    assert_eq!(c.due_at, Some(due));
    // Closing: a police outcome is not IPA's; the checklist must be complete.
    invalid(
        t.svc().close_case(&ipa, case, "cleared", "").await,
        codes::CASE_OUTCOME,
    );
    invalid(
        t.svc().close_case(&ipa, case, "no_such", "").await,
        codes::CASE_OUTCOME,
    );
    invalid(
        t.svc().close_case(&ipa, case, "alert_issued", "").await,
        codes::CASE_CHECKLIST,
    );
    invalid(
        t.svc()
            .tick_checklist(&ipa, case, "no_such_item", true)
            .await,
        codes::CASE_ITEM,
    );
    let items = closing_checklist(Body::Ipa);
    for (i, item) in items.iter().enumerate() {
        t.svc()
            .tick_checklist(&ipa, case, item.id, true)
            .await
            .unwrap();
        if i + 1 < items.len() {
            invalid(
                t.svc().close_case(&ipa, case, "alert_issued", "").await,
                codes::CASE_CHECKLIST,
            );
        }
    }
    // Unticking reopens the checklist.
    t.svc()
        .tick_checklist(&ipa, case, items[0].id, false)
        .await
        .unwrap();
    invalid(
        t.svc().close_case(&ipa, case, "alert_issued", "").await,
        codes::CASE_CHECKLIST,
    );
    t.svc()
        .tick_checklist(&ipa, case, items[0].id, true)
        .await
        .unwrap();
    let closed = t
        .svc()
        .close_case(
            &ipa,
            case,
            Outcome::AlertIssued.code(),
            "注意喚起に反映しました",
        )
        .await
        .unwrap();
    assert_eq!(closed.status, CaseStatus::Closed);
    assert_eq!(closed.outcome.as_deref(), Some("alert_issued"));
    invalid(
        t.svc().tick_checklist(&ipa, case, items[0].id, false).await,
        codes::CASE_TRANSITION,
    );
    // Every change is a history row; the reporter reads the public ones only.
    let body_view = t.svc().report_view(&ipa, report).await.unwrap();
    let kinds: Vec<EventKind> = body_view.events.iter().map(|e| e.event.kind).collect();
    for k in [
        EventKind::Submitted,
        EventKind::Accepted,
        EventKind::StatusChanged,
        EventKind::Assigned,
        EventKind::DueSet,
        EventKind::ChecklistTicked,
        EventKind::Closed,
    ] {
        assert!(kinds.contains(&k), "{k:?} in {kinds:?}");
    }
    let own = body_view.own_case().unwrap();
    assert_eq!(own.assignee_name.as_deref(), Some("staff"));
    assert!(own.checklist.iter().all(|l| l.done));
    let rv = t.svc().report_view(&rep, report).await.unwrap();
    let rk: Vec<EventKind> = rv.events.iter().map(|e| e.event.kind).collect();
    assert!(rk.contains(&EventKind::Closed) && rk.contains(&EventKind::Accepted));
    for k in [
        EventKind::Assigned,
        EventKind::DueSet,
        EventKind::ChecklistTicked,
    ] {
        assert!(!rk.contains(&k), "{k:?} is internal");
    }
    let c = &rv.cases[0];
    assert_eq!(
        (c.case.assignee, c.case.due_at),
        (None, None),
        "internal fields hidden"
    );
    assert!(c.checklist.is_empty());
    assert!(
        rv.events
            .iter()
            .all(|e| e.actor_name.as_deref() != Some("staff")),
        "reporters see the body, not its staff"
    );
}

#[tokio::test]
async fn not_accepted_tells_the_reporter_why() {
    let t = Intake::new(sqlite_store().await).await;
    let (report, case) = submitted_to_ipa(&t, "対象外").await;
    let ipa = t.a("staff@ipa.example").await;
    invalid(
        t.svc().not_accept_case(&ipa, case, "because", "").await,
        codes::CASE_REASON,
    );
    t.svc()
        .not_accept_case(
            &ipa,
            case,
            "not_unauthorized_access",
            "パスワードの失念と思われます。",
        )
        .await
        .unwrap();
    invalid(
        t.svc().accept_case(&ipa, case).await,
        codes::CASE_TRANSITION,
    );
    let rep = t.a("reporter@sakura.example").await;
    let v = t.svc().report_view(&rep, report).await.unwrap();
    let e = v
        .events
        .iter()
        .find(|e| e.event.kind == EventKind::NotAccepted)
        .expect("the reporter is told");
    assert_eq!(e.event.text, "パスワードの失念と思われます。");
    assert!(e.event.detail.contains("not_unauthorized_access"));
    assert_eq!(
        v.cases[0].case.reason.as_deref(),
        Some("not_unauthorized_access")
    );
}

#[tokio::test]
async fn notes_and_messages_reach_only_their_readers() {
    let t = Intake::new(sqlite_store().await).await;
    let rep = t.a("reporter@sakura.example").await;
    let d = t
        .svc()
        .create_draft(&rep, input("二機関へ", full_answers()))
        .await
        .unwrap();
    let (_, cases) = t
        .svc()
        .submit_report(
            &rep,
            d.id,
            &[SubmitTo::body(Body::Ipa), SubmitTo::body(Body::JpcertCc)],
        )
        .await
        .unwrap();
    let (ci, cj) = (cases[0].id, cases[1].id);
    let ipa = t.a("staff@ipa.example").await;
    let jp = t.a("staff@jpcert.example").await;
    t.svc()
        .add_note(&ipa, ci, "IPA内部のメモ", false)
        .await
        .unwrap();
    t.svc()
        .add_note(&ipa, ci, "機関間で共有するメモ", true)
        .await
        .unwrap();
    t.svc()
        .message_reporter(&ipa, ci, "ログの提出をお願いします")
        .await
        .unwrap();
    t.svc()
        .message_body(&rep, d.id, cj, "JPCERT/CCへの連絡")
        .await
        .unwrap();
    invalid(t.svc().message_reporter(&ipa, ci, "   ").await, codes::TEXT);
    not_found(t.svc().message_body(&rep, d.id, CaseId(9999), "x").await);
    let texts = |v: &mamori_service::intake::ReportView| -> Vec<String> {
        v.events.iter().map(|e| e.event.text.clone()).collect()
    };
    let rv = texts(&t.svc().report_view(&rep, d.id).await.unwrap());
    assert!(rv.contains(&"ログの提出をお願いします".to_string()));
    assert!(rv.contains(&"JPCERT/CCへの連絡".to_string()));
    assert!(
        !rv.iter().any(|x| x.contains("メモ")),
        "internal notes never reach the reporter: {rv:?}"
    );
    let jv = texts(&t.svc().report_view(&jp, d.id).await.unwrap());
    assert!(jv.contains(&"機関間で共有するメモ".to_string()));
    assert!(
        !jv.contains(&"IPA内部のメモ".to_string()),
        "a body's internal note stays in it"
    );
    let iv = texts(&t.svc().report_view(&ipa, d.id).await.unwrap());
    assert!(iv.contains(&"IPA内部のメモ".to_string()));
    // The reporter cannot write internal notes or work cases.
    not_found(t.svc().add_note(&rep, ci, "x", false).await);
    not_found(t.svc().accept_case(&rep, ci).await);
}

pub async fn referral_flow(t: &Intake) {
    let (report, case) = submitted_to_ipa(t, "攻撃元への連絡が必要").await;
    let ipa = t.a("staff@ipa.example").await;
    let jp = t.a("staff@jpcert.example").await;
    let rep = t.a("reporter@sakura.example").await;
    let other = t.a("reporter@momiji.example").await;
    t.svc().accept_case(&ipa, case).await.unwrap();
    t.svc()
        .add_note(&ipa, case, "IPAだけのメモ", false)
        .await
        .unwrap();
    let rf = t
        .svc()
        .propose_referral(
            &ipa,
            case,
            SubmitTo::body(Body::JpcertCc),
            "攻撃元との調整はJPCERT/CCが適切です",
        )
        .await
        .unwrap();
    invalid(
        t.svc()
            .propose_referral(&ipa, case, SubmitTo::body(Body::JpcertCc), "again")
            .await,
        codes::REFERRAL_TARGET,
    );
    invalid(
        t.svc()
            .propose_referral(&ipa, case, SubmitTo::body(Body::Ipa), "self")
            .await,
        codes::REFERRAL_TARGET,
    );
    // Before consent the target sees nothing: not by id, not in its queue, not by search.
    not_found(t.svc().report_view(&jp, report).await);
    let q = t
        .svc()
        .case_queue(&jp, &QueueFilter::default())
        .await
        .unwrap();
    assert!(q.rows.is_empty());
    let s = t
        .svc()
        .case_queue(
            &jp,
            &QueueFilter {
                text: Some("攻撃元".into()),
                ..QueueFilter::default()
            },
        )
        .await
        .unwrap();
    assert!(s.rows.is_empty());
    // Only the reporting organization decides.
    not_found(t.svc().decide_referral(&other, report, rf.id, true).await);
    not_found(t.svc().decide_referral(&ipa, report, rf.id, true).await);
    let rv = t.svc().report_view(&rep, report).await.unwrap();
    assert_eq!(rv.referrals.len(), 1);
    assert_eq!(rv.referrals[0].target_name, "JPCERT/CC");
    assert!(
        rv.events
            .iter()
            .any(|e| e.event.kind == EventKind::ReferralProposed
                && e.event.text.contains("JPCERT/CC"))
    );
    let decided = t
        .svc()
        .decide_referral(&rep, report, rf.id, true)
        .await
        .unwrap();
    let new_case = decided.new_case.expect("a case at JPCERT/CC");
    invalid(
        t.svc().decide_referral(&rep, report, rf.id, false).await,
        codes::REFERRAL_STATE,
    );
    // Now JPCERT/CC holds it: one history across bodies, without IPA's internal note.
    let jv = t.svc().report_view(&jp, report).await.unwrap();
    assert_eq!(
        jv.viewer,
        Viewer::Body {
            org: t.jpcert,
            case: new_case
        }
    );
    let own = jv.own_case().unwrap();
    assert_eq!(own.case.referred_from, Some(case));
    let kinds: Vec<EventKind> = jv.events.iter().map(|e| e.event.kind).collect();
    for k in [
        EventKind::Submitted,
        EventKind::Accepted,
        EventKind::ReferralProposed,
        EventKind::ReferralConsented,
        EventKind::Referred,
    ] {
        assert!(kinds.contains(&k), "{k:?} in {kinds:?}");
    }
    assert!(!jv.events.iter().any(|e| e.event.text == "IPAだけのメモ"));
    let q = t
        .svc()
        .case_queue(&jp, &QueueFilter::default())
        .await
        .unwrap();
    assert_eq!(
        q.rows.iter().map(|r| r.case.id).collect::<Vec<_>>(),
        vec![new_case]
    );
    let s = t
        .svc()
        .case_queue(
            &jp,
            &QueueFilter {
                text: Some("攻撃元".into()),
                ..QueueFilter::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(s.rows.len(), 1, "found by search once it holds the report");
    t.svc().accept_case(&jp, new_case).await.unwrap();
    // The reporter sees the whole history, across both bodies.
    let rv = t.svc().report_view(&rep, report).await.unwrap();
    assert_eq!(rv.cases.len(), 2);
    let bodies: Vec<Option<String>> = rv
        .events
        .iter()
        .filter(|e| e.event.kind == EventKind::Accepted)
        .map(|e| e.body_name.clone())
        .collect();
    assert_eq!(bodies, vec![Some("IPA".into()), Some("JPCERT/CC".into())]);
    // Declined: nothing reaches the police.
    let rf2 = t
        .svc()
        .propose_referral(
            &ipa,
            case,
            SubmitTo::body(Body::Police),
            "捜査が必要かもしれません",
        )
        .await
        .unwrap();
    let d = t
        .svc()
        .decide_referral(&rep, report, rf2.id, false)
        .await
        .unwrap();
    assert_eq!(d.new_case, None);
    let npa = t.a("staff@npa.example").await;
    not_found(t.svc().report_view(&npa, report).await);
}

#[tokio::test]
async fn referral_needs_the_reporters_consent_and_keeps_one_history() {
    let t = Intake::new(sqlite_store().await).await;
    referral_flow(&t).await;
}

#[tokio::test]
async fn attachments_are_hashed_limited_and_bundles_verified() {
    let t = Intake::new(sqlite_store().await).await;
    // Small limits for the test: 1 KiB per file, 1.5 KiB per report.
    let cfg = ServiceConfig {
        fast_hashing: true,
        attachment_max: 1024,
        report_attachments_max: 1536,
        ..ServiceConfig::default()
    };
    let svc = Services::new(
        t.svc().store().clone(),
        cfg,
        mamori_service::Env::new(Arc::new(t.w.clock.clone())),
    )
    .unwrap();
    let rep = t.a("reporter@sakura.example").await;
    let d = svc
        .create_draft(&rep, input("添付", full_answers()))
        .await
        .unwrap();
    let up = |name: &str, n: usize| Upload {
        name: name.into(),
        bytes: vec![b'a'; n],
    };
    let a = svc
        .add_attachment(&rep, d.id, up("access.log", 1000))
        .await
        .unwrap();
    assert_eq!(
        (a.kind, a.size, a.verdict),
        (AttachmentKind::Log, 1000, Verdict::NotApplicable)
    );
    match svc.add_attachment(&rep, d.id, up("big.log", 1025)).await {
        Err(ServiceError::TooLarge(c)) => assert_eq!(c, codes::FILE_TOO_LARGE),
        other => panic!("{other:?}"),
    }
    match svc.add_attachment(&rep, d.id, up("more.log", 600)).await {
        Err(ServiceError::TooLarge(c)) => assert_eq!(c, codes::REPORT_TOO_LARGE),
        other => panic!("{other:?}"),
    }
    invalid(
        svc.add_attachment(&rep, d.id, up("empty.log", 0)).await,
        codes::ATTACHMENT,
    );
    let (meta, bytes) = svc.attachment(&rep, d.id, a.id).await.unwrap();
    assert_eq!((meta.name.as_str(), bytes.len()), ("access.log", 1000));

    // A sealed evidence bundle verifies; a tampered one does not (on the default limits).
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("access.log");
    std::fs::write(
        &log,
        "203.0.113.9 - - [30/Mar/2026:10:00:00 +0900] \"POST /wp-login.php HTTP/1.1\" 200 12\n",
    )
    .unwrap();
    let key = mamori_integrity::seal::generate_key().unwrap();
    let out = dir.path().join("case.tar");
    mamori_integrity::evidence::collect(&mamori_integrity::evidence::CollectRequest {
        paths: &[log],
        out: &out,
        reason: Some("不正ログイン"),
        collector: "admin",
        now: time::macros::datetime!(2026-03-31 09:00 UTC),
        host: mamori_integrity::HostFacts::default(),
        key: &key,
    })
    .unwrap();
    let good = std::fs::read(&out).unwrap();
    let ok = t
        .svc()
        .add_attachment(
            &rep,
            d.id,
            Upload {
                name: "case.tar".into(),
                bytes: good.clone(),
            },
        )
        .await
        .unwrap();
    assert_eq!(
        (ok.kind, ok.verdict),
        (AttachmentKind::EvidenceBundle, Verdict::Verified),
        "{}",
        ok.verdict_detail
    );
    assert!(
        ok.verdict_detail.contains("ed25519:"),
        "{}",
        ok.verdict_detail
    );
    let mut bad = good.clone();
    let at = bad
        .windows(11)
        .position(|w| w == b"203.0.113.9")
        .expect("the log line is in the tar");
    bad[at] = b'1';
    let tampered = t
        .svc()
        .add_attachment(
            &rep,
            d.id,
            Upload {
                name: "case2.tar".into(),
                bytes: bad,
            },
        )
        .await
        .unwrap();
    assert_eq!(tampered.verdict, Verdict::Failed);
    assert!(
        tampered.verdict_detail.contains("items/"),
        "names the item: {}",
        tampered.verdict_detail
    );
    let v = t.svc().report_view(&rep, d.id).await.unwrap();
    assert_eq!(
        v.events
            .iter()
            .filter(|e| e.event.kind == EventKind::AttachmentAdded)
            .count(),
        3,
        "each stored attachment is in the history"
    );
}

#[tokio::test]
async fn anonymous_consultation_with_a_contact_token() {
    let t = Intake::new(sqlite_store().await).await;
    let mut a = Answers::default();
    a.set("what_happened", vec!["phishing_site".into()]);
    let g = t.svc().anonymous_guidance(&a).unwrap();
    assert_eq!(
        g.body(Body::JpcertCc).map(|a| a.fit),
        Some(Fit::Recommended)
    );
    let mut bad = Answers::default();
    bad.set("zzz", vec!["1".into()]);
    assert!(t.svc().anonymous_guidance(&bad).is_err());
    let (r, token) = t
        .svc()
        .leave_consultation(
            DraftInput {
                kind: None,
                title: "偽サイトを見つけました".into(),
                answers: a,
            },
            SubmitTo::body(Body::JpcertCc),
            "198.51.100.9",
        )
        .await
        .unwrap();
    assert_eq!(
        (r.kind, r.status, r.author, r.org),
        (
            ReportKind::Consultation,
            ReportStatus::Submitted,
            None,
            None
        )
    );
    let stored = t.svc().store().report(r.id).await.unwrap().unwrap();
    assert!(stored.anonymous);
    // The body holds it and answers; an internal note stays internal.
    let jp = t.a("staff@jpcert.example").await;
    let q = t
        .svc()
        .case_queue(&jp, &QueueFilter::default())
        .await
        .unwrap();
    let case = q.rows[0].case.id;
    t.svc()
        .message_reporter(&jp, case, "URLを教えてください")
        .await
        .unwrap();
    t.svc()
        .add_note(&jp, case, "内部メモ", false)
        .await
        .unwrap();
    invalid(
        t.svc()
            .propose_referral(&jp, case, SubmitTo::body(Body::Police), "x")
            .await,
        codes::REFERRAL_TARGET,
    );
    t.svc()
        .consultation_message(&token, "https://phish.example/ です", "198.51.100.9")
        .await
        .unwrap();
    let v = t
        .svc()
        .consultation_view(&token, "198.51.100.9")
        .await
        .unwrap();
    assert_eq!(v.viewer, Viewer::Anonymous);
    let texts: Vec<&str> = v.events.iter().map(|e| e.event.text.as_str()).collect();
    assert!(
        texts.contains(&"URLを教えてください") && texts.contains(&"https://phish.example/ です")
    );
    assert!(!texts.contains(&"内部メモ"));
    assert!(
        v.events
            .iter()
            .all(|e| e.event.visibility == Visibility::Reporter)
    );
    // A wrong or guessed token finds nothing; the token is not stored in clear.
    not_found(t.svc().consultation_view("mamori_c_00", "x").await);
    not_found(
        t.svc()
            .consultation_view(&token[..token.len() - 1], "x")
            .await,
    );
    not_found(t.svc().consultation_message("anything", "hi", "x").await);
    // No account reporter can open it.
    let rep = t.a("reporter@sakura.example").await;
    not_found(t.svc().report_view(&rep, r.id).await);
    invalid(
        t.svc()
            .leave_consultation(
                DraftInput::default(),
                SubmitTo {
                    body: Body::Ipa,
                    org: Some(t.jpcert),
                },
                "x",
            )
            .await
            .map(|_| ()),
        codes::BODY_ORG,
    );
}

#[tokio::test]
async fn views_and_changes_are_audited() {
    let t = Intake::new(sqlite_store().await).await;
    let (report, case) = submitted_to_ipa(&t, "監査").await;
    let ipa = t.a("staff@ipa.example").await;
    let other = t.a("reporter@momiji.example").await;
    t.svc().report_view(&ipa, report).await.unwrap();
    t.svc().accept_case(&ipa, case).await.unwrap();
    let _ = t.svc().report_view(&other, report).await;
    t.svc()
        .case_queue(
            &ipa,
            &QueueFilter {
                text: Some("監査".into()),
                ..QueueFilter::default()
            },
        )
        .await
        .unwrap();
    t.svc()
        .set_password_as_console("admin@mamori.example", crate::world::PASSWORD)
        .await
        .unwrap();
    let admin = t.a("admin@mamori.example").await;
    let log = t.svc().audit_log(&admin, 100).await.unwrap();
    let has = |actor: &Actor, action: &str, object: &str| {
        log.iter()
            .any(|e| e.actor == Some(actor.user.id) && e.action == action && e.object == object)
    };
    let rep = t.a("reporter@sakura.example").await;
    let r = format!("report:{}", report.0);
    assert!(has(&rep, "report_create", &r));
    assert!(has(&rep, "report_submit", &r));
    assert!(has(&ipa, "report_view", &r));
    assert!(has(&ipa, "case_change", &format!("case:{}", case.0)));
    assert!(has(&other, "access_denied", &r));
    assert!(
        log.iter()
            .any(|e| e.action == "case_queue" && e.detail.contains("監査"))
    );
    assert!(t.svc().verify_audit().await.unwrap().first_broken.is_none());
}

#[tokio::test]
async fn key_rules_hold_on_postgres() {
    let db = mamori_store_postgres::testing::TempDb::new().await;
    let store: Arc<dyn Store> = Arc::new(
        mamori_store_postgres::PgStore::connect(&db.url)
            .await
            .unwrap(),
    );
    {
        let t = Intake::new(store.clone()).await;
        referral_flow(&t).await;
        let other = t.a("reporter@momiji.example").await;
        let rep = t.a("reporter@sakura.example").await;
        let d = t
            .svc()
            .create_draft(&rep, input("下書き", full_answers()))
            .await
            .unwrap();
        not_found(t.svc().report_view(&other, d.id).await);
        let (report, case) = submitted_to_ipa(&t, "PostgreSQL での不正送金").await;
        not_found(t.svc().report_view(&other, report).await);
        let ipa = t.a("staff@ipa.example").await;
        let found = t
            .svc()
            .case_queue(
                &ipa,
                &QueueFilter {
                    text: Some("不正送金".into()),
                    ..QueueFilter::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(
            found.rows.iter().map(|r| r.case.id).collect::<Vec<_>>(),
            vec![case]
        );
        t.svc().accept_case(&ipa, case).await.unwrap();
        invalid(
            t.svc().close_case(&ipa, case, "alert_issued", "").await,
            codes::CASE_CHECKLIST,
        );
        let d = t.svc().create_draft_from_scan(&rep, SCAN).await.unwrap();
        assert!(!d.facets.acts.is_empty());
    }
    db.drop_db().await;
}
