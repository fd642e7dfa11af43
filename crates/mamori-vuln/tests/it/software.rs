//! Ⅴ 一 and Ⅴ 二: the software-product flows, one test per clause.

use crate::common::*;
use mamori_vuln::software::NoticeKind;
use mamori_vuln::*;
use time::Duration;

fn told(applied: &software::Applied, to: &Party) -> Vec<NoticeKind> {
    applied
        .notices
        .iter()
        .filter(|n| n.to == *to)
        .map(|n| n.what.clone())
        .collect()
}

#[test]
fn discoverer_1_2_report_lacks_required_items() {
    let mut r = report();
    r.discoverer.name = " ".into();
    r.info.verification.clear();
    r.target = Target::Product {
        name: "Acme Router".into(),
        version: String::new(),
        developer_hint: String::new(),
    };
    let e = r.check_complete().unwrap_err();
    assert_eq!(e.clause(), Clause::SwDiscoverer2);
    assert_eq!(
        r.missing(),
        vec![
            ReportItem::DiscovererName,
            ReportItem::ProductVersion,
            ReportItem::Verification
        ]
    );
    assert!(report().check_complete().is_ok());
}

#[test]
fn receiving_body_2_1_refuses_incomplete_report_and_tells_why() {
    let mut s = Sim::new();
    s.case.report.info.nature.clear();
    let e = s.err(Party::ReceivingBody, 0, Command::Accept);
    assert!(
        matches!(e, VulnError::Incomplete { ref missing, .. } if missing == &[ReportItem::Nature])
    );
    let e = s.err(
        Party::ReceivingBody,
        0,
        Command::Refuse { reason: "".into() },
    );
    assert_eq!(e.clause(), Clause::SwReceiving1);
    let done = s.ok(
        Party::ReceivingBody,
        0,
        Command::Refuse {
            reason: "脆弱性情報の記載がありません".into(),
        },
    );
    assert_eq!(done.clause, Clause::SwReceiving1);
    assert_eq!(
        told(&done, &Party::Discoverer),
        vec![NoticeKind::Refused {
            reason: "脆弱性情報の記載がありません".into()
        }]
    );
    assert_eq!(s.case.stage.name(), "refused");
}

#[test]
fn receiving_body_2_1_accepts_complete_report_and_tells_discoverer() {
    let mut s = Sim::new();
    let e = s.err(Party::Coordinator, 0, Command::Accept);
    assert!(matches!(
        e,
        VulnError::NotPermitted {
            clause: Clause::SwReceiving1,
            ..
        }
    ));
    let done = s.ok(Party::ReceivingBody, 0, Command::Accept);
    assert_eq!(told(&done, &Party::Discoverer), vec![NoticeKind::Accepted]);
    assert_eq!(s.case.stage, Stage::Accepted);
}

#[test]
fn receiving_body_2_2_hands_over_to_coordinator() {
    let mut s = Sim::new();
    assert_eq!(
        s.err(Party::ReceivingBody, 0, Command::HandOver).clause(),
        Clause::SwReceiving2
    );
    s.ok(Party::ReceivingBody, 0, Command::Accept);
    // Before the hand-over the coordinator sees nothing (Ⅴ 一 2.(5)).
    assert_eq!(
        may_see(&s.case, &Party::Coordinator, Field::Nature, t(0))
            .unwrap_err()
            .clause(),
        Clause::SwReceiving5
    );
    let done = s.ok(Party::ReceivingBody, 0, Command::HandOver);
    assert_eq!(
        told(&done, &Party::Coordinator),
        vec![NoticeKind::HandedOver]
    );
    assert_eq!(s.case.stage, Stage::Coordinating);
    assert!(may_see(&s.case, &Party::Coordinator, Field::Nature, t(0)).is_ok());
}

#[test]
fn receiving_body_2_2_stops_known_vulnerability() {
    let mut s = Sim::new();
    s.ok(Party::ReceivingBody, 0, Command::Accept);
    let stop = Command::Stop {
        reason: StopReason::KnownConfirmed,
        detail: "JVN#00000001 で公表済み".into(),
    };
    let done = s.ok(Party::ReceivingBody, 1, stop);
    assert_eq!(done.clause, Clause::SwReceiving2);
    assert_eq!(
        told(&done, &Party::Discoverer),
        vec![NoticeKind::Stopped {
            reason: StopReason::KnownConfirmed
        }]
    );
    assert!(matches!(
        s.case.stage,
        Stage::Stopped {
            reason: StopReason::KnownConfirmed,
            ..
        }
    ));
    // Nothing moves after a stop.
    assert_eq!(
        s.err(Party::ReceivingBody, 2, Command::HandOver).clause(),
        Clause::SwReceiving2
    );
}

#[test]
fn receiving_body_2_2_stops_on_coordinators_notice_only_after_hand_over() {
    let mut s = Sim::new();
    s.ok(Party::ReceivingBody, 0, Command::Accept);
    let stop = || Command::Stop {
        reason: StopReason::NotVulnerabilityNotified,
        detail: "仕様どおりの動作".into(),
    };
    assert!(matches!(
        s.err(Party::ReceivingBody, 1, stop()),
        VulnError::WrongStage { .. }
    ));
    s.ok(Party::ReceivingBody, 1, Command::HandOver);
    let done = s.ok(Party::ReceivingBody, 2, stop());
    assert_eq!(told(&done, &Party::Coordinator).len(), 1);
}

#[test]
fn receiving_body_2_2_stops_illegally_obtained() {
    let mut s = Sim::new();
    s.case.report.discovery.lawful_confirmed = false;
    s.ok(Party::ReceivingBody, 0, Command::Accept);
    let done = s.ok(
        Party::ReceivingBody,
        1,
        Command::Stop {
            reason: StopReason::IllegallyObtained,
            detail: "他人のサーバへの侵入による取得のおそれ".into(),
        },
    );
    assert_eq!(
        told(&done, &Party::Discoverer),
        vec![NoticeKind::Stopped {
            reason: StopReason::IllegallyObtained
        }]
    );
    assert!(StopReason::IllegallyObtained.text().ja.contains("違法"));
}

#[test]
fn receiving_body_2_4_identity_hidden_without_consent() {
    let mut s = Sim::coordinating(&["acme"]);
    for viewer in [
        Party::Coordinator,
        Party::Developer(dev("acme")),
        Party::Public,
        Party::Analyst("x".into()),
    ] {
        let e = may_see(&s.case, &viewer, Field::DiscovererIdentity, t(2)).unwrap_err();
        assert_eq!(e.clause(), Clause::SwReceiving4, "{viewer}");
    }
    assert!(
        may_see(
            &s.case,
            &Party::ReceivingBody,
            Field::DiscovererIdentity,
            t(2)
        )
        .is_ok()
    );
    // Only the discoverer changes the consent.
    let consent = IdentityConsent {
        to_coordinator: true,
        to_developers: false,
        public_credit: None,
    };
    let e = s.err(
        Party::Coordinator,
        2,
        Command::UpdateConsent {
            consent: consent.clone(),
        },
    );
    assert_eq!(e.clause(), Clause::SwReceiving4);
    s.ok(Party::Discoverer, 2, Command::UpdateConsent { consent });
    assert!(
        may_see(
            &s.case,
            &Party::Coordinator,
            Field::DiscovererIdentity,
            t(2)
        )
        .is_ok()
    );
    assert!(
        may_see(
            &s.case,
            &Party::Developer(dev("acme")),
            Field::DiscovererIdentity,
            t(2)
        )
        .is_err()
    );
}

#[test]
fn receiving_body_2_5_analyst_sees_only_what_it_was_asked() {
    let mut s = Sim::coordinating(&["acme"]);
    let a = Party::Analyst("解析ラボ".into());
    assert!(may_see(&s.case, &a, Field::AttackMethod, t(2)).is_err());
    let e = s.err(
        Party::Developer(dev("acme")),
        2,
        Command::ShareForAnalysis {
            analyst: "解析ラボ".into(),
            purpose: "再現".into(),
        },
    );
    assert!(matches!(e, VulnError::NotPermitted { .. }));
    let done = s.ok(
        Party::ReceivingBody,
        2,
        Command::ShareForAnalysis {
            analyst: "解析ラボ".into(),
            purpose: "再現確認".into(),
        },
    );
    assert_eq!(done.clause, Clause::SwReceiving5);
    assert!(may_see(&s.case, &a, Field::AttackMethod, t(2)).is_ok());
    assert!(may_see(&s.case, &a, Field::DiscovererIdentity, t(2)).is_err());
    assert!(may_see(&s.case, &a, Field::DeveloperList, t(2)).is_err());
    let done = s.ok(
        Party::Coordinator,
        2,
        Command::ShareForAnalysis {
            analyst: "別ラボ".into(),
            purpose: "影響範囲".into(),
        },
    );
    assert_eq!(done.clause, Clause::SwCoordinator9);
}

#[test]
fn receiving_body_2_6_early_notice_after_countermeasure_consultation_and_telling_discoverer() {
    let mut s = Sim::coordinating(&["acme", "beta"]);
    s.ok(
        Party::Coordinator,
        3,
        Command::SetPublicationDate {
            date: t(45),
            basis: DateBasis {
                precedent: Some("過去の重要インフラ事例".into()),
                ..basis("")
            },
        },
    );
    let notice = |devs: Vec<&str>, told: i64| Command::GiveEarlyNotice {
        bodies: vec!["内閣サイバーセキュリティセンター".into()],
        reason: "電力制御網で広く使われている".into(),
        coordinator_consulted: true,
        consulted_developers: devs.into_iter().map(dev).collect(),
        discoverer_told_at: t(told),
    };
    // No countermeasure yet.
    let e = s.err(Party::ReceivingBody, 10, notice(vec!["acme"], 9));
    assert_eq!(e.clause(), Clause::SwReceiving6);
    s.answer("acme", 5, Sim::verified(true, Novelty::New));
    s.answer("acme", 8, Reply::Countermeasure(fix("2.2")));
    // The developer with the countermeasure must be consulted.
    assert_eq!(
        s.err(Party::ReceivingBody, 10, notice(vec!["beta"], 9))
            .clause(),
        Clause::SwReceiving6
    );
    // The discoverer is told beforehand.
    assert_eq!(
        s.err(Party::ReceivingBody, 10, notice(vec!["acme"], 11))
            .clause(),
        Clause::SwReceiving6
    );
    // Only the receiving body gives it.
    assert!(matches!(
        s.err(Party::Coordinator, 10, notice(vec!["acme"], 9)),
        VulnError::NotPermitted { .. }
    ));
    let gov = Party::Government("内閣サイバーセキュリティセンター".into());
    assert!(may_see(&s.case, &gov, Field::Nature, t(10)).is_err());
    let done = s.ok(Party::ReceivingBody, 10, notice(vec!["acme"], 9));
    assert_eq!(told(&done, &gov), vec![NoticeKind::EarlyNotice]);
    assert!(may_see(&s.case, &gov, Field::Nature, t(10)).is_ok());
    assert!(may_see(&s.case, &gov, Field::DeveloperResult(dev("acme")), t(10)).is_ok());
    assert!(may_see(&s.case, &gov, Field::DiscovererIdentity, t(10)).is_err());
    assert!(may_see(&s.case, &gov, Field::VerificationMethod, t(10)).is_err());
    // Not after publication time.
    assert_eq!(
        s.err(Party::ReceivingBody, 46, notice(vec!["acme"], 40))
            .clause(),
        Clause::SwReceiving6
    );
}

#[test]
fn receiving_body_2_7_publication_tells_discoverer_and_receiving_body() {
    let mut s = Sim::coordinating(&["acme"]);
    s.answer("acme", 3, Sim::verified(true, Novelty::New));
    s.ok(
        Party::Coordinator,
        4,
        Command::SetPublicationDate {
            date: t(45),
            basis: basis(""),
        },
    );
    s.ok(
        Party::Coordinator,
        40,
        Command::WriteAdvisory { text: text() },
    );
    let done = s.ok(Party::Coordinator, 45, Command::Publish);
    assert_eq!(done.clause, Clause::SwCoordinator6);
    for p in [
        Party::Discoverer,
        Party::ReceivingBody,
        Party::Public,
        Party::Developer(dev("acme")),
    ] {
        assert_eq!(told(&done, &p), vec![NoticeKind::Published], "{p}");
    }
}

#[test]
fn coordinator_3_1_roster_requires_contact_window() {
    let mut r = roster();
    let e = r
        .upsert(Developer {
            id: dev("nowin"),
            name: "No Window".into(),
            contact_window: " ".into(),
            pgp_key: None,
            registration: Registration::Individual,
            products: vec![],
        })
        .unwrap_err();
    assert_eq!(e.clause(), Clause::SwCoordinator1);
    assert_eq!(r.concerned("acme router").len(), 1);
    assert_eq!(r.concerned("Router").len(), 2);
}

#[test]
fn coordinator_3_2_notifies_listed_developers_and_adds_new_ones_to_the_list() {
    let mut s = Sim::coordinating(&[]);
    let add = |id: &str| Command::AddDeveloper {
        developer: dev(id),
        products: vec!["Delta AP".into()],
    };
    let e = s.err(Party::Coordinator, 1, add("delta"));
    assert!(matches!(
        e,
        VulnError::UnknownDeveloper {
            clause: Clause::SwCoordinator2,
            ..
        }
    ));
    s.roster
        .upsert(Developer {
            id: dev("delta"),
            name: "Delta".into(),
            contact_window: "sec@delta.example".into(),
            pgp_key: None,
            registration: Registration::Individual,
            products: vec!["Delta AP".into()],
        })
        .unwrap();
    s.ok(Party::Coordinator, 1, add("delta"));
    assert!(
        may_see(
            &s.case,
            &Party::Developer(dev("delta")),
            Field::Nature,
            t(1)
        )
        .is_err(),
        "not before notified"
    );
    let done = s.ok(
        Party::Coordinator,
        2,
        Command::NotifyDeveloper {
            developer: dev("delta"),
        },
    );
    assert_eq!(
        told(&done, &Party::Developer(dev("delta"))),
        vec![NoticeKind::VerificationRequested]
    );
    let th = &s.case.developers[&dev("delta")];
    assert_eq!(th.status, DeveloperStatus::Notified);
    assert_eq!(th.notified_at, Some(t(2)));
    // 起算日: the first notification.
    assert_eq!(s.case.start_date, Some(t(2)));
    // The developer now sees what it must verify, but not the other developers.
    let d = Party::Developer(dev("delta"));
    assert!(may_see(&s.case, &d, Field::VerificationMethod, t(2)).is_ok());
    assert!(may_see(&s.case, &d, Field::DeveloperList, t(2)).is_err());
}

#[test]
fn coordinator_3_2_unreachable_developers_are_tracked() {
    let mut s = Sim::coordinating(&["acme"]);
    s.ok(
        Party::Coordinator,
        1,
        Command::AddDeveloper {
            developer: dev("gamma"),
            products: vec!["Gamma Switch".into()],
        },
    );
    let e = s.err(
        Party::Coordinator,
        5,
        Command::MarkUnreachable {
            developer: dev("gamma"),
            note: "".into(),
        },
    );
    assert_eq!(e.clause(), Clause::SwCoordinator2);
    s.ok(
        Party::Coordinator,
        5,
        Command::MarkUnreachable {
            developer: dev("gamma"),
            note: "窓口宛メール不達、電話不通".into(),
        },
    );
    assert_eq!(s.case.unreachable_developers(), vec![&dev("gamma")]);
    // An unreachable developer cannot "answer" until reached.
    let e = s.err(
        Party::Developer(dev("gamma")),
        6,
        Command::Reply {
            developer: dev("gamma"),
            reply: Sim::verified(false, Novelty::New),
            source: None,
        },
    );
    assert_eq!(e.clause(), Clause::SwCoordinator2);
    // Listed publicly as unreachable: only a developer marked so, only by the coordinator;
    // the list names it and its products, nothing of the vulnerability.
    let list = Command::ListUnreachable {
        developer: dev("acme"),
    };
    assert_eq!(
        s.err(Party::Coordinator, 6, list).clause(),
        Clause::SwCoordinator2
    );
    let list = Command::ListUnreachable {
        developer: dev("gamma"),
    };
    assert!(matches!(
        s.err(Party::ReceivingBody, 6, list.clone()),
        VulnError::NotPermitted { .. }
    ));
    s.ok(Party::Coordinator, 6, list);
    let listed: Vec<_> = s.case.listed_unreachable().collect();
    assert_eq!(
        listed,
        vec![(&dev("gamma"), &["Gamma Switch".to_string()][..], t(6))]
    );
    s.ok(
        Party::Coordinator,
        7,
        Command::NotifyDeveloper {
            developer: dev("gamma"),
        },
    );
    assert_eq!(
        s.case.developers[&dev("gamma")].status,
        DeveloperStatus::Notified
    );
    assert_eq!(
        s.case.listed_unreachable().count(),
        0,
        "reached: off the list"
    );
}

#[test]
fn coordinator_3_3_sets_date_from_answers_or_with_precedent() {
    let mut s = Sim::coordinating(&["acme", "beta"]);
    let set = |b: DateBasis, day| Command::SetPublicationDate {
        date: t(day),
        basis: b,
    };
    // Only the coordinator, only in the future.
    assert!(matches!(
        s.err(Party::ReceivingBody, 3, set(basis(""), 45)),
        VulnError::NotPermitted { .. }
    ));
    // No answers yet: the precedents weighed must be stated.
    assert_eq!(
        s.err(Party::Coordinator, 3, set(basis(""), 45)).clause(),
        Clause::SwCoordinator3
    );
    let mut b = basis("");
    b.precedent = Some("同種のルータ製品の過去事例（45日）".into());
    let done = s.ok(Party::Coordinator, 3, set(b, 45));
    assert_eq!(done.clause, Clause::SwCoordinator3);
    assert_eq!(
        told(&done, &Party::ReceivingBody),
        vec![NoticeKind::PublicationDate { date: t(45) }]
    );
    assert_eq!(
        told(&done, &Party::Developer(dev("beta"))),
        vec![NoticeKind::PublicationDate { date: t(45) }]
    );
    assert!(
        s.case
            .publication
            .as_ref()
            .unwrap()
            .answers_considered
            .is_empty()
    );
    // A re-set after answers came in says why.
    s.answer("acme", 5, Sim::verified(true, Novelty::New));
    assert_eq!(
        s.err(Party::Coordinator, 6, set(basis(""), 60)).clause(),
        Clause::SwCoordinator3
    );
    s.ok(
        Party::Coordinator,
        6,
        set(basis("修正に時間を要するため"), 60),
    );
    let p = s.case.publication.as_ref().unwrap();
    assert_eq!((p.date, p.changes), (t(60), 1));
    assert_eq!(p.answers_considered, vec![dev("acme")]);
    assert_eq!(mamori_vuln::jst::format_jst(p.date), "2027-01-30 10:00 JST");
    assert_eq!(
        s.err(Party::Coordinator, 7, set(basis("過去"), 6)).clause(),
        Clause::SwCoordinator3
    );
}

#[test]
fn coordinator_3_4_developer_asks_to_change_date_and_coordinator_decides() {
    let mut s = Sim::coordinating(&["acme", "beta"]);
    s.answer("acme", 3, Sim::verified(true, Novelty::New));
    s.ok(
        Party::Coordinator,
        4,
        Command::SetPublicationDate {
            date: t(45),
            basis: basis(""),
        },
    );
    let ask = |who: &str, for_: &str| {
        (
            Party::Developer(dev(who)),
            Command::RequestDateChange {
                developer: dev(for_),
                proposed: t(75),
                reason: "修正版の検証に時間を要する".into(),
            },
        )
    };
    let (by, cmd) = ask("beta", "acme");
    assert_eq!(s.err(by, 10, cmd).clause(), Clause::SwCoordinator4);
    let (by, cmd) = ask("acme", "acme");
    let done = s.ok(by, 10, cmd);
    assert_eq!(
        told(&done, &Party::Coordinator),
        vec![NoticeKind::DateChangeRequested {
            developer: dev("acme")
        }]
    );
    let due = due(&s.case, &ReminderPolicy::default(), t(11));
    assert!(
        due.iter()
            .any(|r| r.kind == ReminderKind::DecideDateChange(dev("acme")))
    );
    let decide = |accept| Command::DecideDateChange {
        request: 0,
        accept,
        date: None,
        note: "意見聴取済み".into(),
    };
    let done = s.ok(Party::Coordinator, 12, decide(true));
    assert_eq!(done.clause, Clause::SwCoordinator4);
    for p in [
        Party::ReceivingBody,
        Party::Developer(dev("acme")),
        Party::Developer(dev("beta")),
    ] {
        assert_eq!(
            told(&done, &p),
            vec![NoticeKind::PublicationDate { date: t(75) }]
        );
    }
    assert_eq!(s.case.publication_date(), Some(t(75)));
    assert_eq!(
        s.err(Party::Coordinator, 13, decide(false)).clause(),
        Clause::SwCoordinator4
    );
    let (by, cmd) = ask("acme", "acme");
    s.ok(by, 14, cmd);
    let done = s.ok(
        Party::Coordinator,
        15,
        Command::DecideDateChange {
            request: 1,
            accept: false,
            date: None,
            note: "".into(),
        },
    );
    assert_eq!(
        told(&done, &Party::Developer(dev("acme"))),
        vec![NoticeKind::DateChangeDeclined]
    );
    assert_eq!(s.case.publication_date(), Some(t(75)));
}

#[test]
fn coordinator_3_5_status_reports_are_asked_before_the_date() {
    let mut s = Sim::coordinating(&["acme", "beta"]);
    s.answer("acme", 3, Sim::verified(true, Novelty::New));
    s.answer("beta", 3, Sim::verified(true, Novelty::New));
    s.ok(
        Party::Coordinator,
        4,
        Command::SetPublicationDate {
            date: t(45),
            basis: basis(""),
        },
    );
    s.answer(
        "beta",
        20,
        Reply::Status {
            text: "修正版を準備中".into(),
        },
    );
    let p = ReminderPolicy::default();
    assert!(
        !due(&s.case, &p, t(20))
            .iter()
            .any(|r| matches!(r.kind, ReminderKind::StatusReportDue(_)))
    );
    let due32 = due(&s.case, &p, t(32));
    let status: Vec<_> = due32
        .iter()
        .filter(|r| matches!(r.kind, ReminderKind::StatusReportDue(_)))
        .collect();
    assert_eq!(status.len(), 1);
    assert_eq!(status[0].to, Party::Developer(dev("acme")));
    assert_eq!(
        (status[0].due_at, status[0].clause),
        (t(45), Clause::SwCoordinator5)
    );
    let due45 = due(&s.case, &p, t(45));
    assert!(
        due45
            .iter()
            .any(|r| r.kind == ReminderKind::PublishNow && r.to == Party::Coordinator)
    );
    assert!(
        due45
            .iter()
            .any(|r| r.kind == ReminderKind::PublishNow && r.to == Party::ReceivingBody)
    );
}

#[test]
fn coordinator_3_6_publishes_only_on_or_after_the_date() {
    let mut s = Sim::coordinating(&["acme"]);
    assert_eq!(
        s.err(Party::Coordinator, 3, Command::Publish).clause(),
        Clause::SwCoordinator3
    );
    s.answer("acme", 3, Sim::verified(true, Novelty::New));
    s.ok(
        Party::Coordinator,
        4,
        Command::SetPublicationDate {
            date: t(45),
            basis: basis(""),
        },
    );
    s.ok(
        Party::Coordinator,
        40,
        Command::WriteAdvisory { text: text() },
    );
    let e = s
        .apply(Party::Coordinator, 44, Command::Publish)
        .unwrap_err();
    assert_eq!(
        e,
        VulnError::BeforePublicationDate {
            clause: Clause::SwCoordinator6,
            date: t(45)
        }
    );
    assert!(e.to_string().contains("2027-01-15 10:00 JST"), "{e}");
    let early = s.case.apply(
        &s.roster,
        &Party::Coordinator,
        t(45) - Duration::seconds(1),
        Command::Publish,
    );
    assert!(early.is_err());
    s.ok(Party::Coordinator, 45, Command::Publish);
    assert!(s.case.is_public(t(45)));
    assert_eq!(
        s.err(Party::Coordinator, 46, Command::Publish).clause(),
        Clause::SwCoordinator6
    );
    // After publication a developer still reports its countermeasure (Ⅴ 一 4.(6)).
    s.answer("acme", 50, Reply::Countermeasure(fix("2.2")));
    assert_eq!(
        s.case.developers[&dev("acme")].status,
        DeveloperStatus::Fixed
    );
    let e = s.err(
        Party::Developer(dev("acme")),
        51,
        Command::Reply {
            developer: dev("acme"),
            reply: Sim::verified(false, Novelty::New),
            source: None,
        },
    );
    assert_eq!(e.clause(), Clause::SwDeveloper2);
}

#[test]
fn coordinator_3_6_advisory_marks_silent_developers_no_report() {
    let mut s = Sim::coordinating(&["acme", "beta", "gamma"]);
    s.answer("acme", 3, Sim::verified(true, Novelty::New));
    s.answer("acme", 20, Reply::Countermeasure(fix("2.2")));
    s.answer("gamma", 4, Reply::Acknowledge);
    s.ok(
        Party::Coordinator,
        5,
        Command::SetPublicationDate {
            date: t(45),
            basis: basis(""),
        },
    );
    s.ok(
        Party::Coordinator,
        40,
        Command::WriteAdvisory { text: text() },
    );
    s.ok(Party::Coordinator, 45, Command::Publish);
    let adv = public_advisory(&s.case, &s.roster, t(45)).unwrap();
    let by: std::collections::BTreeMap<_, _> = adv
        .developers
        .iter()
        .map(|d| (d.id.0.as_str(), d))
        .collect();
    assert_eq!(by["acme"].result, PublishedResult::Fixed);
    assert_eq!(by["beta"].result, PublishedResult::NoReport);
    assert_eq!(by["gamma"].result, PublishedResult::NoReport);
    assert!(by["beta"].no_verification_report() && by["beta"].no_status_report());
    assert!(!by["acme"].no_status_report());
    assert_eq!(by["beta"].result.text().ja, "報告なし");
    assert_eq!(by["acme"].name, "Acme 株式会社");
    assert_eq!(adv.credit, None, "no credit without consent");
}

#[test]
fn coordinator_3_7_cancels_when_every_developer_says_known() {
    let mut s = Sim::coordinating(&["acme", "beta"]);
    let cancel = Command::Cancel {
        ground: CancelGround::AllKnown,
    };
    s.answer("acme", 3, Sim::verified(true, Novelty::Known));
    let e = s.err(Party::Coordinator, 4, cancel.clone());
    assert_eq!(
        e,
        VulnError::AnswersPending {
            clause: Clause::SwCoordinator7,
            pending: vec![dev("beta")]
        }
    );
    s.answer("beta", 5, Sim::verified(false, Novelty::Known));
    let done = s.ok(Party::Coordinator, 6, cancel);
    assert_eq!(done.clause, Clause::SwCoordinator7);
    assert_eq!(
        told(&done, &Party::ReceivingBody),
        vec![NoticeKind::Cancelled {
            ground: CancelGround::AllKnown
        }]
    );
    assert_eq!(
        s.case.stage,
        Stage::Cancelled {
            ground: CancelGround::AllKnown
        }
    );
}

#[test]
fn coordinator_3_8_silent_or_unreachable_developer_blocks_cancellation() {
    let mut s = Sim::coordinating(&["acme", "beta", "gamma"]);
    let cancel = Command::Cancel {
        ground: CancelGround::AllNotAffected,
    };
    s.answer("acme", 3, Sim::verified(false, Novelty::New));
    s.answer("gamma", 3, Reply::Investigating);
    s.ok(
        Party::Coordinator,
        4,
        Command::MarkUnreachable {
            developer: dev("beta"),
            note: "不達".into(),
        },
    );
    let e = s.err(Party::Coordinator, 60, cancel.clone());
    assert_eq!(
        e,
        VulnError::AnswersPending {
            clause: Clause::SwCoordinator8,
            pending: vec![dev("beta"), dev("gamma")]
        }
    );
    assert_eq!(
        s.case.developers[&dev("beta")].status,
        DeveloperStatus::Unreachable
    );
    assert_eq!(
        s.case.developers[&dev("gamma")].status,
        DeveloperStatus::Investigating
    );
}

#[test]
fn coordinator_3_8_cancels_when_every_developer_says_not_affected() {
    let mut s = Sim::coordinating(&["acme", "beta"]);
    s.answer("acme", 3, Sim::verified(false, Novelty::New));
    s.ok(
        Party::Coordinator,
        4,
        Command::Reply {
            developer: dev("beta"),
            reply: Sim::verified(false, Novelty::New),
            source: Some("beta からの PGP 署名付きメール 2026-12-05".into()),
        },
    );
    s.ok(
        Party::Coordinator,
        5,
        Command::SetPublicationDate {
            date: t(45),
            basis: basis(""),
        },
    );
    // Not on or after the date.
    let cancel = Command::Cancel {
        ground: CancelGround::AllNotAffected,
    };
    assert_eq!(
        s.err(Party::Coordinator, 45, cancel.clone()).clause(),
        Clause::SwCoordinator8
    );
    let done = s.ok(Party::Coordinator, 10, cancel);
    assert_eq!(done.clause, Clause::SwCoordinator8);
    assert!(advisory(&s.case, &s.roster, t(50)).is_err());
}

#[test]
fn coordinator_3_9_nothing_public_before_the_date() {
    let mut s = Sim::coordinating(&["acme"]);
    s.answer("acme", 3, Sim::verified(true, Novelty::New));
    s.ok(
        Party::Coordinator,
        4,
        Command::SetPublicationDate {
            date: t(45),
            basis: basis(""),
        },
    );
    s.ok(
        Party::Coordinator,
        5,
        Command::WriteAdvisory { text: text() },
    );
    for f in [
        Field::Nature,
        Field::Target,
        Field::DeveloperList,
        Field::PublicationDate,
    ] {
        assert_eq!(
            may_see(&s.case, &Party::Public, f, t(44))
                .unwrap_err()
                .clause(),
            Clause::SwCoordinator9
        );
    }
    let e = public_advisory(&s.case, &s.roster, t(44)).unwrap_err();
    assert_eq!(e.clause(), Clause::SwCoordinator9);
    let draft = advisory(&s.case, &s.roster, t(44)).unwrap();
    assert!(draft.embargoed && draft.published_at.is_none());
    s.ok(Party::Coordinator, 45, Command::Publish);
    assert!(may_see(&s.case, &Party::Public, Field::Nature, t(45)).is_ok());
    // Verification and attack methods are never published (Ⅱ 2).
    assert_eq!(
        may_see(&s.case, &Party::Public, Field::AttackMethod, t(45))
            .unwrap_err()
            .clause(),
        Clause::Def2
    );
    assert!(may_see(&s.case, &Party::Public, Field::VerificationMethod, t(90)).is_err());
}

#[test]
fn developer_4_2_silence_stays_no_answer() {
    let s = Sim::coordinating(&["acme"]);
    let p = ReminderPolicy::default();
    assert!(
        due(&s.case, &p, t(3))
            .iter()
            .all(|r| !matches!(r.kind, ReminderKind::VerificationDue(_)))
    );
    let late = due(&s.case, &p, t(30));
    let v: Vec<_> = late
        .iter()
        .filter(|r| r.kind == ReminderKind::VerificationDue(dev("acme")))
        .collect();
    assert_eq!(v.len(), 2, "the developer and the coordinator are reminded");
    assert_eq!(v[0].due_at, t(8));
    assert_eq!(
        s.case.developers[&dev("acme")].status,
        DeveloperStatus::Notified
    );
    assert_eq!(DeveloperStatus::Notified.text().ja, "通知済み（回答なし）");
    assert_eq!(
        PublishedResult::from_status(DeveloperStatus::Notified),
        PublishedResult::NoReport
    );
}

#[test]
fn developer_4_2_coordinator_records_an_answer_only_with_its_source() {
    let mut s = Sim::coordinating(&["acme", "beta"]);
    let reply = |source: Option<&str>| Command::Reply {
        developer: dev("acme"),
        reply: Sim::verified(false, Novelty::New),
        source: source.map(String::from),
    };
    assert_eq!(
        s.err(Party::Coordinator, 3, reply(None)).clause(),
        Clause::SwDeveloper2
    );
    assert_eq!(
        s.err(Party::Coordinator, 3, reply(Some(" "))).clause(),
        Clause::SwDeveloper2
    );
    assert!(matches!(
        s.err(Party::Developer(dev("beta")), 3, reply(None)),
        VulnError::NotPermitted { .. }
    ));
    assert!(matches!(
        s.err(Party::ReceivingBody, 3, reply(Some("x"))),
        VulnError::NotPermitted { .. }
    ));
    s.ok(
        Party::Coordinator,
        3,
        reply(Some("acme 窓口からの回答メール")),
    );
    let th = &s.case.developers[&dev("acme")];
    assert_eq!(th.status, DeveloperStatus::NotAffected);
    let last = th.history.last().unwrap();
    assert_eq!(
        (last.by.clone(), last.source.as_deref()),
        (Party::Coordinator, Some("acme 窓口からの回答メール"))
    );
}

#[test]
fn developer_4_3_other_vendors_are_recorded() {
    let mut s = Sim::coordinating(&["acme"]);
    let done = s.answer(
        "acme",
        3,
        Reply::OtherVendors {
            vendors: vec!["Gamma Networks".into()],
            reason: "共通の SDK".into(),
        },
    );
    assert_eq!(done.clause, Clause::SwDeveloper3);
    assert_eq!(
        s.case.developers[&dev("acme")].other_vendors,
        vec!["Gamma Networks".to_string()]
    );
}

#[test]
fn developer_4_6_fix_moves_affected_to_fixed() {
    let mut s = Sim::coordinating(&["acme"]);
    let e = s.err(
        Party::Developer(dev("acme")),
        3,
        Command::Reply {
            developer: dev("acme"),
            reply: Reply::Countermeasure(fix("2.2")),
            source: None,
        },
    );
    assert_eq!(e.clause(), Clause::SwDeveloper6);
    s.answer("acme", 3, Sim::verified(true, Novelty::New));
    let mut w = fix("x");
    w.kind = CountermeasureKind::Workaround;
    s.answer("acme", 4, Reply::Countermeasure(w));
    assert_eq!(
        s.case.developers[&dev("acme")].status,
        DeveloperStatus::Affected
    );
    let done = s.answer("acme", 5, Reply::Countermeasure(fix("2.2")));
    assert_eq!(done.clause, Clause::SwDeveloper6);
    let th = &s.case.developers[&dev("acme")];
    assert_eq!(th.status, DeveloperStatus::Fixed);
    let path: Vec<_> = th.history.iter().map(|h| (h.to, h.clause)).collect();
    assert_eq!(
        path,
        vec![
            (DeveloperStatus::Notified, Clause::SwCoordinator2),
            (DeveloperStatus::Affected, Clause::SwDeveloper2),
            (DeveloperStatus::Fixed, Clause::SwDeveloper6),
        ]
    );
}

#[test]
fn own_product_2_1_notifies_with_countermeasure() {
    let r = roster();
    let info = VulnerabilityInfo {
        nature: "自社製品の XSS".into(),
        verification: "手順".into(),
        attack: None,
    };
    let mut empty = fix("2.2");
    empty.ja.clear();
    let e = SoftwareCase::own_product(
        &r,
        &dev("acme"),
        ("Acme Router".into(), "2.1".into()),
        info.clone(),
        empty,
        t(0),
    )
    .unwrap_err();
    assert_eq!(e.clause(), Clause::Own1);
    let case = SoftwareCase::own_product(
        &r,
        &dev("acme"),
        ("Acme Router".into(), "2.1".into()),
        info,
        fix("2.2"),
        t(0),
    )
    .unwrap();
    assert_eq!(case.flow, Flow::OwnProduct);
    assert_eq!(case.stage, Stage::Coordinating);
    assert_eq!(case.developers[&dev("acme")].status, DeveloperStatus::Fixed);
}

#[test]
fn own_product_2_2_date_set_after_hearing_the_developer_then_published() {
    let roster = roster();
    let info = VulnerabilityInfo {
        nature: "自社製品の XSS".into(),
        verification: "手順".into(),
        attack: None,
    };
    let mut case = SoftwareCase::own_product(
        &roster,
        &dev("acme"),
        ("Acme Router".into(), "2.1".into()),
        info,
        fix("2.2"),
        t(0),
    )
    .unwrap();
    let set = |opinion: Option<&str>| Command::SetPublicationDate {
        date: t(14),
        basis: DateBasis {
            developer_opinion: opinion.map(String::from),
            ..basis("")
        },
    };
    let e = case
        .apply(&roster, &Party::Coordinator, t(1), set(None))
        .unwrap_err();
    assert_eq!(e.clause(), Clause::Own2);
    case.apply(
        &roster,
        &Party::Coordinator,
        t(1),
        set(Some("12月15日の定例更新に合わせたい")),
    )
    .unwrap();
    case.apply(
        &roster,
        &Party::Coordinator,
        t(2),
        Command::WriteAdvisory { text: text() },
    )
    .unwrap();
    // Flow 二 has no cancellation (Ⅴ 一 3.(7)(8) belong to flow 一).
    assert!(
        case.apply(
            &roster,
            &Party::Coordinator,
            t(3),
            Command::Cancel {
                ground: CancelGround::AllKnown
            }
        )
        .is_err()
    );
    let done = case
        .apply(&roster, &Party::Coordinator, t(14), Command::Publish)
        .unwrap();
    assert_eq!(done.clause, Clause::Own2);
    assert!(done.notices.iter().all(|n| n.to != Party::Discoverer));
    let adv = public_advisory(&case, &roster, t(14)).unwrap();
    assert_eq!(adv.developers[0].result, PublishedResult::Fixed);
}

#[test]
fn history_traces_every_change_to_a_clause_and_round_trips() {
    let mut s = Sim::coordinating(&["acme"]);
    s.answer("acme", 3, Sim::verified(true, Novelty::New));
    let clauses: Vec<Clause> = s.case.history.iter().map(|h| h.clause).collect();
    assert_eq!(
        clauses,
        vec![
            Clause::SwReceiving1,
            Clause::SwReceiving2,
            Clause::SwCoordinator2,
            Clause::SwCoordinator2,
            Clause::SwDeveloper2
        ]
    );
    let json = serde_json::to_string(&s.case).unwrap();
    let back: SoftwareCase = serde_json::from_str(&json).unwrap();
    assert_eq!(back, s.case);
    assert!(json.contains("\"V.1.2(1)\""));
}

#[test]
fn statistics_count_cases_by_stage() {
    let a = Sim::coordinating(&["acme"]).case;
    let b = Sim::new().case;
    let w = WebsiteCase::submit(web_report(), t(0)).unwrap();
    let st = stats::statistics([&a, &b], [&w]);
    assert_eq!(st.software["coordinating"], 1);
    assert_eq!(st.software["submitted"], 1);
    assert_eq!(st.website["submitted"], 1);
}
