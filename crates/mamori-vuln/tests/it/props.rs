//! Property tests: no sequence of commands, by any party in any order, makes silence read
//! as "not affected", reveals the discoverer's identity without consent, or publishes
//! before the publication date.

use crate::common::*;
use mamori_core::Lang;
use mamori_vuln::*;
use proptest::prelude::*;
use std::collections::BTreeMap;
use time::{Duration, OffsetDateTime};

const DEVS: [&str; 3] = ["acme", "beta", "gamma"];
const CREDIT: &str = "Credit-Name";

#[derive(Debug, Clone)]
struct Step {
    kind: u8,
    dev: usize,
    variant: u8,
    days: i64,
    natural_actor: bool,
    actor: u8,
    advance_hours: i64,
}

/// Command kinds, weighted so that sequences get past acceptance and reach publication
/// and cancellation often (refusals and stops end a case early).
fn kind() -> impl Strategy<Value = u8> {
    prop_oneof![
        8 => Just(0u8),
        1 => Just(1u8),
        1 => Just(2u8),
        12 => Just(3u8),
        24 => Just(4u8),
        24 => Just(5u8),
        4 => Just(6u8),
        4 => Just(7u8),
        48 => Just(8u8),
        16 => Just(9u8),
        8 => Just(10u8),
        8 => Just(11u8),
        12 => Just(12u8),
        4 => Just(13u8),
        4 => Just(14u8),
        12 => Just(15u8),
        8 => Just(16u8),
        20 => Just(17u8),
    ]
}

fn step() -> impl Strategy<Value = Step> {
    (
        kind(),
        0usize..3,
        0u8..8,
        1i64..60,
        prop::bool::weighted(0.85),
        0u8..9,
        0i64..240,
    )
        .prop_map(
            |(kind, dev, variant, days, natural_actor, actor, advance_hours)| Step {
                kind,
                dev,
                variant,
                days,
                natural_actor,
                actor,
                advance_hours,
            },
        )
}

fn any_actor(i: u8) -> Party {
    match i {
        0 => Party::Discoverer,
        1 => Party::ReceivingBody,
        2 => Party::Coordinator,
        3..=5 => Party::Developer(dev(DEVS[(i - 3) as usize])),
        6 => Party::Public,
        7 => Party::Government("g".into()),
        _ => Party::Analyst("x".into()),
    }
}

fn reply(v: u8) -> Reply {
    match v % 7 {
        0 => Reply::Acknowledge,
        1 => Reply::Investigating,
        2 => Reply::Verified {
            affected: true,
            novelty: Novelty::New,
            statement: "s".into(),
        },
        3 => Reply::Verified {
            affected: false,
            novelty: Novelty::New,
            statement: "s".into(),
        },
        4 => Reply::Verified {
            affected: false,
            novelty: Novelty::Known,
            statement: "s".into(),
        },
        5 => Reply::Status {
            text: "進行中".into(),
        },
        _ => Reply::Countermeasure(fix("2.2")),
    }
}

/// The command and the party that would normally give it.
fn command(s: &Step, now: OffsetDateTime) -> (Party, Command) {
    let d = dev(DEVS[s.dev]);
    let developer = Party::Developer(d.clone());
    match s.kind {
        0 => (Party::ReceivingBody, Command::Accept),
        1 => (
            Party::ReceivingBody,
            Command::Refuse {
                reason: "理由".into(),
            },
        ),
        2 => {
            let reason = [
                StopReason::KnownConfirmed,
                StopReason::KnownNotified,
                StopReason::NotVulnerabilityConfirmed,
                StopReason::NotVulnerabilityNotified,
                StopReason::IllegallyObtained,
            ][s.variant as usize % 5];
            (
                Party::ReceivingBody,
                Command::Stop {
                    reason,
                    detail: "d".into(),
                },
            )
        }
        3 => (Party::ReceivingBody, Command::HandOver),
        4 => (
            Party::Coordinator,
            Command::AddDeveloper {
                developer: d,
                products: vec!["P".into()],
            },
        ),
        5 => (
            Party::Coordinator,
            Command::NotifyDeveloper { developer: d },
        ),
        6 => (
            Party::Coordinator,
            Command::MarkUnreachable {
                developer: d,
                note: "n".into(),
            },
        ),
        7 => (
            Party::Coordinator,
            Command::RemoveDeveloper {
                developer: d,
                reason: "r".into(),
            },
        ),
        8 => {
            let by_coordinator = s.variant >= 6;
            let source = if by_coordinator {
                Some("mail".into())
            } else {
                None
            };
            let by = if by_coordinator {
                Party::Coordinator
            } else {
                developer
            };
            (
                by,
                Command::Reply {
                    developer: d,
                    reply: reply(s.variant + s.dev as u8),
                    source,
                },
            )
        }
        9 => {
            let mut b = basis(if s.variant.is_multiple_of(2) {
                ""
            } else {
                "変更理由"
            });
            if s.variant.is_multiple_of(3) {
                b.precedent = Some("過去事例".into());
            }
            b.developer_opinion = Some("意見".into());
            (
                Party::Coordinator,
                Command::SetPublicationDate {
                    date: now + Duration::days(s.days),
                    basis: b,
                },
            )
        }
        10 => (
            developer,
            Command::RequestDateChange {
                developer: d,
                proposed: now + Duration::days(s.days),
                reason: "r".into(),
            },
        ),
        11 => (
            Party::Coordinator,
            Command::DecideDateChange {
                request: s.variant as usize % 3,
                accept: s.variant.is_multiple_of(2),
                date: None,
                note: "n".into(),
            },
        ),
        12 => (Party::Coordinator, Command::WriteAdvisory { text: text() }),
        13 => (
            Party::ReceivingBody,
            Command::GiveEarlyNotice {
                bodies: vec!["g".into()],
                reason: "r".into(),
                coordinator_consulted: true,
                consulted_developers: DEVS.iter().map(|x| dev(x)).collect(),
                discoverer_told_at: now,
            },
        ),
        14 => (
            Party::ReceivingBody,
            Command::ShareForAnalysis {
                analyst: "x".into(),
                purpose: "p".into(),
            },
        ),
        15 => (
            Party::Discoverer,
            Command::UpdateConsent {
                consent: IdentityConsent {
                    to_coordinator: s.variant & 1 != 0,
                    to_developers: s.variant & 2 != 0,
                    public_credit: (s.variant & 4 != 0).then(|| CREDIT.to_string()),
                },
            },
        ),
        16 => (
            Party::Coordinator,
            Command::Cancel {
                ground: if s.variant.is_multiple_of(2) {
                    CancelGround::AllKnown
                } else {
                    CancelGround::AllNotAffected
                },
            },
        ),
        _ => (Party::Coordinator, Command::Publish),
    }
}

fn viewers() -> Vec<Party> {
    let mut v = vec![
        Party::Coordinator,
        Party::Public,
        Party::Government("g".into()),
        Party::Analyst("x".into()),
        Party::SiteOperator,
    ];
    v.extend(DEVS.iter().map(|d| Party::Developer(dev(d))));
    v
}

fn check_invariants(
    s: &Sim,
    last_verdict: &BTreeMap<DeveloperId, bool>,
    now: OffsetDateTime,
) -> Result<(), TestCaseError> {
    let case = &s.case;
    // 1. Silence never reads as "not affected".
    for (id, th) in &case.developers {
        if th.status == DeveloperStatus::NotAffected {
            prop_assert_eq!(
                last_verdict.get(id),
                Some(&false),
                "{} is not affected without saying so",
                id
            );
        }
    }
    if let Stage::Cancelled {
        ground: CancelGround::AllNotAffected,
    } = case.stage
    {
        for id in case.developers.keys() {
            prop_assert_eq!(last_verdict.get(id), Some(&false));
        }
    }
    // 2. The discoverer's identity only with consent.
    let consent = &case.report.consent;
    for v in viewers() {
        if may_see(case, &v, Field::DiscovererIdentity, now).is_ok() {
            let ok = match &v {
                Party::Coordinator => consent.to_coordinator,
                Party::Developer(_) => consent.to_developers,
                _ => false,
            };
            prop_assert!(ok, "{} sees the identity without consent", v);
        }
        if may_see(case, &v, Field::Credit, now).is_ok() {
            let public = consent.public_credit.is_some() && case.is_public(now);
            let ok = public
                || match &v {
                    Party::Coordinator => consent.to_coordinator,
                    Party::Developer(_) => consent.to_developers,
                    _ => false,
                };
            prop_assert!(ok, "{} sees the credit without consent", v);
        }
    }
    if let Ok(adv) = advisory(case, &s.roster, now) {
        if adv.credit.is_some() {
            prop_assert!(consent.public_credit.is_some());
            prop_assert!(!adv.embargoed || consent.to_developers);
        }
        for d in &adv.developers {
            if d.result == PublishedResult::NotAffected {
                prop_assert_eq!(last_verdict.get(&d.id), Some(&false));
            }
        }
        let publisher = csaf::CsafPublisher {
            category: "coordinator".into(),
            name: "JPCERT/CC".into(),
            namespace: "https://jvn.jp".into(),
        };
        let doc = csaf::security_advisory(&adv, &publisher, Lang::Ja, now);
        prop_assert_eq!(csaf::check(&doc), Vec::<String>::new());
        let vex = csaf::vex(&adv, &publisher, Lang::En, now);
        prop_assert_eq!(csaf::check(&vex), Vec::<String>::new());
        let mut outputs = vec![serde_json::to_string(&adv).unwrap(), doc.to_string()];
        let cna = cve::Cna {
            org_id: "b3476cb9-2e3d-41a6-98d0-0f47421a65b6".into(),
            short_name: "jpcert".into(),
        };
        match cve::record(&adv, "CVE-2026-12345", &cna) {
            Ok(rec) => {
                prop_assert!(!adv.embargoed);
                prop_assert_eq!(cve::check(&rec), Vec::<String>::new());
                outputs.push(rec.to_string());
            }
            Err(e) => {
                prop_assert!(adv.embargoed, "{}", e);
            }
        }
        for out in outputs {
            prop_assert!(!out.contains(SECRET_NAME) && !out.contains(SECRET_CONTACT));
            prop_assert!(!out.contains("VERIFY-STEP") && !out.contains("ATTACK-CODE"));
            if consent.public_credit.is_none() {
                prop_assert!(!out.contains(CREDIT));
            }
        }
    }
    // A party's own view of the advisory never shows what it may not see.
    for v in viewers() {
        if let Ok(adv) = advisory_for(case, &s.roster, &v, now) {
            if let Party::Developer(me) = &v
                && !case.is_public(now)
            {
                prop_assert!(adv.developers.iter().all(|d| d.id == *me));
            }
            if adv.credit.is_some() {
                prop_assert!(may_see(case, &v, Field::Credit, now).is_ok());
            }
            let out = serde_json::to_string(&adv).unwrap();
            prop_assert!(!out.contains(SECRET_NAME) && !out.contains(SECRET_CONTACT));
        }
    }
    // 3. Never published before the date.
    if let Stage::Published { at } = case.stage {
        let date = case.publication_date().expect("published with a date");
        prop_assert!(at >= date, "published at {} before {}", at, date);
    }
    if let Some(date) = case.publication_date() {
        let before = date - Duration::seconds(1);
        prop_assert!(!case.is_public(before));
        prop_assert!(public_advisory(case, &s.roster, before).is_err());
        prop_assert!(may_see(case, &Party::Public, Field::Nature, before).is_err());
    }
    if !case.is_public(now) {
        prop_assert!(public_advisory(case, &s.roster, now).is_err());
        for f in [
            Field::Nature,
            Field::Target,
            Field::DeveloperList,
            Field::PublicationDate,
        ] {
            prop_assert!(may_see(case, &Party::Public, f, now).is_err());
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn no_command_sequence_breaks_the_standard(
        handed_over in prop::bool::weighted(0.7),
        steps in prop::collection::vec(step(), 1..80),
    ) {
        let mut s = if handed_over { Sim::coordinating(&[]) } else { Sim::new() };
        let mut now = t(0);
        let mut last_verdict: BTreeMap<DeveloperId, bool> = BTreeMap::new();
        for st in &steps {
            now += Duration::hours(st.advance_hours);
            let (natural, cmd) = command(st, now);
            let by = if st.natural_actor { natural } else { any_actor(st.actor) };
            let verdict = match &cmd {
                Command::Reply { developer, reply: Reply::Verified { affected, .. }, .. } => Some((developer.clone(), *affected)),
                _ => None,
            };
            let before = s.case.clone();
            match s.case.apply(&s.roster, &by, now, cmd) {
                Ok(applied) => {
                    prop_assert_eq!(s.case.history.last().map(|h| h.clause), Some(applied.clause));
                    if let Some((d, affected)) = verdict {
                        last_verdict.insert(d, affected);
                    }
                }
                Err(e) => {
                    prop_assert_eq!(&before, &s.case, "a refused command changed the case");
                    prop_assert!(Clause::ALL.contains(&e.clause()));
                }
            }
            check_invariants(&s, &last_verdict, now)?;
            // Reminders are pure: computing them never moves a status.
            let before = s.case.clone();
            let _ = due(&s.case, &ReminderPolicy::default(), now);
            prop_assert_eq!(&before, &s.case);
        }
    }
}

fn web_command(kind: u8, variant: u8) -> (Party, WebCommand) {
    match kind % 12 {
        0 => (Party::ReceivingBody, WebCommand::Accept),
        1 => (
            Party::ReceivingBody,
            WebCommand::Refuse { reason: "r".into() },
        ),
        2 => (
            Party::ReceivingBody,
            WebCommand::Stop {
                reason: if variant.is_multiple_of(2) {
                    StopReason::KnownNotified
                } else {
                    StopReason::KnownConfirmed
                },
                detail: "d".into(),
            },
        ),
        3 => (
            Party::ReceivingBody,
            WebCommand::NotifyOperator {
                contact: "w@example.jp".into(),
            },
        ),
        4 => (
            Party::SiteOperator,
            WebCommand::OperatorAnswered {
                contact_window: String::new(),
            },
        ),
        5 => (Party::ReceivingBody, WebCommand::SendDetails),
        6 => (
            Party::SiteOperator,
            WebCommand::OperatorResult {
                vulnerable: variant.is_multiple_of(2),
                statement: "s".into(),
            },
        ),
        7 => (
            Party::SiteOperator,
            WebCommand::OperatorFixed {
                statement: "s".into(),
            },
        ),
        8 => (
            Party::SiteOperator,
            WebCommand::ReportLeak { detail: "d".into() },
        ),
        9 => (
            Party::SiteOperator,
            WebCommand::LeakFactsPublished {
                url: "https://e.jp/n".into(),
            },
        ),
        10 => (
            Party::ReceivingBody,
            WebCommand::ShareForAnalysis {
                analyst: "x".into(),
            },
        ),
        _ => (
            Party::Discoverer,
            WebCommand::UpdateConsent {
                consent: IdentityConsent {
                    to_developers: variant & 1 != 0,
                    ..Default::default()
                },
            },
        ),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn no_website_sequence_shows_details_early_or_the_identity_without_consent(
        steps in prop::collection::vec((0u8..12, 0u8..4, prop::bool::weighted(0.85), 0u8..9, 0i64..72), 1..40),
    ) {
        let mut c = WebsiteCase::submit(web_report(), t(0)).unwrap();
        let mut now = t(0);
        let mut answered = false;
        for (kind, variant, natural, actor, hours) in steps {
            now += Duration::hours(hours);
            let (party, cmd) = web_command(kind, variant);
            let by = if natural { party } else { any_actor(actor) };
            let was_answer = matches!(cmd, WebCommand::OperatorAnswered { .. });
            let before = c.clone();
            match c.apply(&by, now, cmd) {
                Ok(_) => answered |= was_answer,
                Err(_) => prop_assert_eq!(&before, &c),
            }
            let op = Party::SiteOperator;
            if may_see_web(&c, &op, WebField::Nature).is_ok() || may_see_web(&c, &op, WebField::AttackMethod).is_ok() {
                prop_assert!(answered, "details before the operator answered");
            }
            if may_see_web(&c, &op, WebField::DiscovererIdentity).is_ok() {
                prop_assert!(c.report.consent.to_developers);
            }
            for v in [Party::Public, Party::Coordinator, Party::Government("g".into())] {
                prop_assert!(may_see_web(&c, &v, WebField::Url).is_err());
            }
            if matches!(c.stage, WebStage::Fixed { .. }) {
                let fixed_by_operator = c.history.iter().any(|h| matches!(h.3, WebCommand::OperatorFixed { .. }));
                prop_assert!(fixed_by_operator, "fixed without the operator's report");
            }
        }
    }
}
