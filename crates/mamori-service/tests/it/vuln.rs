//! Vulnerability coordination through the service (issue 12): the party mapping, the
//! core's rules applied per clause, confidentiality by `may_see`, the audit, and the
//! public advisory. Tests are named after the clause they enforce.

use crate::world::{World, sqlite_store};
use mamori_service::ServiceError;
use mamori_service::authz::Caller;
use mamori_store::VulnCaseId;
use mamori_vuln::*;
use time::Duration;

pub(crate) const SECRET_NAME: &str = "秘密 太郎";

pub(crate) fn report(consent: IdentityConsent) -> Report {
    Report {
        discoverer: Discoverer {
            name: SECRET_NAME.into(),
            organization: None,
            contact: "taro.secret@example.jp".into(),
        },
        consent,
        target: Target::Product {
            name: "Acme Router".into(),
            version: "2.1".into(),
            developer_hint: "Acme".into(),
        },
        info: VulnerabilityInfo {
            nature: "管理画面の認証回避".into(),
            verification: "VERIFY-STEP: /admin に細工したヘッダ".into(),
            attack: Some("ATTACK-CODE: curl -H 'X-Bypass: 1'".into()),
        },
        discovery: Discovery {
            how: "自宅の検証環境".into(),
            lawful_confirmed: true,
        },
    }
}

pub(crate) fn text() -> AdvisoryText {
    AdvisoryText {
        id: "JVNVU#90000001".into(),
        title_ja: "複数のルータ製品における認証回避の脆弱性".into(),
        title_en: "Authentication bypass in multiple router products".into(),
        overview_ja: "複数のルータ製品の管理画面には認証回避の脆弱性が存在します。".into(),
        overview_en:
            "The management interface of multiple router products allows authentication bypass."
                .into(),
        url: "https://jvn.jp/vu/JVNVU90000001/".into(),
        cve_ids: vec!["CVE-2026-12345".into()],
        cwe: Some("CWE-287".into()),
        cvss_v3: None,
        cvss_v4: None,
    }
}

pub(crate) struct V {
    pub(crate) w: World,
}

impl V {
    pub(crate) async fn new() -> V {
        let w = World::new(sqlite_store().await).await;
        let c = Caller::Console;
        let ipa = w.svc.create_org(c, "IPA", "ipa", None).await.unwrap().id;
        let jp = w
            .svc
            .create_org(c, "JPCERT/CC", "jpcert_cc", None)
            .await
            .unwrap()
            .id;
        w.person(ipa, "staff@ipa.example", "body_staff").await;
        w.person(jp, "vc@jpcert.example", "coordinator").await;
        for (id, name) in [("acme", "Acme 株式会社"), ("beta", "Beta Systems")] {
            let org = w
                .svc
                .create_org(c, name, "product_developer", None)
                .await
                .unwrap()
                .id;
            w.person(org, &format!("psirt@{id}.example"), "developer_contact")
                .await;
            w.svc
                .vuln_upsert_developer(None, developer(id, name), Some(org))
                .await
                .unwrap()
                .unwrap();
        }
        V { w }
    }

    pub(crate) async fn run(
        &self,
        email: &str,
        id: VulnCaseId,
        cmds: Vec<Command>,
    ) -> Result<(), VulnError> {
        let a = self.w.actor(email).await;
        let v = self.w.svc.vuln_view(&a, id).await.unwrap();
        self.w
            .svc
            .vuln_apply(&a, id, v.version, cmds)
            .await
            .unwrap()
            .map(|_| ())
    }

    /// Report → accepted → handed over → two developers notified.
    pub(crate) async fn coordinating(&self, consent: IdentityConsent) -> VulnCaseId {
        let d = self.w.actor("reporter@sakura.example").await;
        let id = self
            .w
            .svc
            .vuln_submit(&d, report(consent))
            .await
            .unwrap()
            .unwrap();
        self.run(
            "staff@ipa.example",
            id,
            vec![Command::Accept, Command::HandOver],
        )
        .await
        .unwrap();
        let mut cmds = Vec::new();
        for dev in ["acme", "beta"] {
            cmds.push(Command::AddDeveloper {
                developer: DeveloperId::new(dev),
                products: vec![format!("{dev} Router")],
            });
            cmds.push(Command::NotifyDeveloper {
                developer: DeveloperId::new(dev),
            });
        }
        self.run("vc@jpcert.example", id, cmds).await.unwrap();
        id
    }
}

pub(crate) fn developer(id: &str, name: &str) -> Developer {
    Developer {
        id: DeveloperId::new(id),
        name: name.into(),
        contact_window: format!("psirt@{id}.example"),
        pgp_key: None,
        registration: Registration::General,
        products: vec![format!("{id} Router")],
    }
}

#[tokio::test]
async fn coordinator_3_6_publishes_with_silent_developer_marked_no_report() {
    let v = V::new().await;
    let id = v
        .coordinating(IdentityConsent {
            to_coordinator: true,
            to_developers: false,
            public_credit: None,
        })
        .await;
    v.run(
        "psirt@acme.example",
        id,
        vec![Command::Reply {
            developer: DeveloperId::new("acme"),
            reply: Reply::Verified {
                affected: true,
                novelty: Novelty::New,
                statement: "影響あり".into(),
            },
            source: None,
        }],
    )
    .await
    .unwrap();
    let date = time::macros::datetime!(2026-04-01 09:00 UTC) + Duration::days(30);
    let basis = DateBasis {
        fix_days_needed: Some(30),
        overseas_coordination: false,
        leak_risk: LeakRisk::Low,
        precedent: None,
        developer_opinion: None,
        note: "修正に30日".into(),
    };
    v.run(
        "vc@jpcert.example",
        id,
        vec![
            Command::SetPublicationDate { date, basis },
            Command::WriteAdvisory { text: text() },
        ],
    )
    .await
    .unwrap();
    // Before the date: publication is refused by clause, and nothing is public.
    let early = v
        .run("vc@jpcert.example", id, vec![Command::Publish])
        .await
        .unwrap_err();
    assert_eq!(early.clause(), Clause::SwCoordinator6);
    assert!(matches!(
        v.w.svc.public_advisory("JVNVU#90000001").await,
        Err(ServiceError::NotFound)
    ));
    // The receiving body's published counts (2.(8)) say a case is in coordination,
    // nothing more.
    let counts = v.w.svc.vuln_statistics().await.unwrap();
    assert_eq!(counts.software.get("coordinating"), Some(&1));
    assert_eq!(counts.software.get("published"), None);
    v.w.clock.advance(Duration::days(31));
    v.run("vc@jpcert.example", id, vec![Command::Publish])
        .await
        .unwrap();
    let counts = v.w.svc.vuln_statistics().await.unwrap();
    assert_eq!(counts.software.get("published"), Some(&1));
    assert_eq!(counts.software.values().sum::<usize>(), 1);
    let (_, adv) = v.w.svc.public_advisory("JVNVU#90000001").await.unwrap();
    let beta = adv.developers.iter().find(|d| d.id.0 == "beta").unwrap();
    assert_eq!(beta.result.text().ja, "報告なし");
    let acme = adv.developers.iter().find(|d| d.id.0 == "acme").unwrap();
    assert_ne!(acme.result.text().ja, "報告なし");
    assert_eq!(adv.credit, None);
    let csaf = serde_json::to_string(&v.w.svc.advisory_csaf(&adv, mamori_core::Lang::En)).unwrap();
    assert!(!csaf.contains(SECRET_NAME) && !csaf.contains("ATTACK-CODE"));
    assert_eq!(v.w.svc.advisory_cves(&adv).len(), 1);
    // The history table traces every change to a clause.
    let audit = v.w.svc.store().vuln_history(id).await.unwrap();
    assert!(audit.iter().any(|h| h.clause == "V.1.3(6)"), "{audit:?}");
    assert!(audit.iter().any(|h| h.clause == "V.1.2(1)"), "{audit:?}");
}

#[tokio::test]
async fn discoverer_2_4_identity_never_reaches_developers_without_consent() {
    let v = V::new().await;
    let id = v
        .coordinating(IdentityConsent {
            to_coordinator: true,
            to_developers: false,
            public_credit: None,
        })
        .await;
    let dev = v.w.actor("psirt@acme.example").await;
    let view = v.w.svc.vuln_view(&dev, id).await.unwrap();
    assert_eq!(view.party, Party::Developer(DeveloperId::new("acme")));
    assert!(view.identity.is_none());
    assert!(
        view.nature.is_some(),
        "the developer verifies with the information"
    );
    // Its own thread only.
    assert_eq!(
        view.developers
            .iter()
            .map(|t| t.developer.0.as_str())
            .collect::<Vec<_>>(),
        vec!["acme"]
    );
    let ipa = v.w.actor("staff@ipa.example").await;
    let view = v.w.svc.vuln_view(&ipa, id).await.unwrap();
    assert_eq!(view.identity.unwrap().name, SECRET_NAME);
}

#[tokio::test]
async fn receiving_body_2_1_only_the_receiving_body_accepts_and_outsiders_see_nothing() {
    let v = V::new().await;
    let d = v.w.actor("reporter@sakura.example").await;
    let id =
        v.w.svc
            .vuln_submit(&d, report(IdentityConsent::default()))
            .await
            .unwrap()
            .unwrap();
    // The coordinator has nothing before the hand-over; another reporter never.
    let vc = v.w.actor("vc@jpcert.example").await;
    assert!(matches!(
        v.w.svc.vuln_view(&vc, id).await,
        Err(ServiceError::NotFound)
    ));
    let other = v.w.actor("reporter@momiji.example").await;
    assert!(matches!(
        v.w.svc.vuln_view(&other, id).await,
        Err(ServiceError::NotFound)
    ));
    // The discoverer cannot accept its own report.
    let err = v
        .run("reporter@sakura.example", id, vec![Command::Accept])
        .await
        .unwrap_err();
    assert_eq!(err.clause(), Clause::SwReceiving1);
    v.run("staff@ipa.example", id, vec![Command::Accept])
        .await
        .unwrap();
    let view = v.w.svc.vuln_view(&d, id).await.unwrap();
    assert_eq!(view.stage.unwrap().name(), "accepted");
}

#[tokio::test]
async fn receiving_body_2_2_stops_known_vulnerability_and_tells_the_discoverer() {
    let v = V::new().await;
    let d = v.w.actor("reporter@sakura.example").await;
    let id =
        v.w.svc
            .vuln_submit(&d, report(IdentityConsent::default()))
            .await
            .unwrap()
            .unwrap();
    v.run(
        "staff@ipa.example",
        id,
        vec![
            Command::Accept,
            Command::Stop {
                reason: StopReason::KnownConfirmed,
                detail: "JVNVU#1 で公表済み".into(),
            },
        ],
    )
    .await
    .unwrap();
    let view = v.w.svc.vuln_view(&d, id).await.unwrap();
    assert_eq!(view.stage.unwrap().name(), "stopped");
}

#[tokio::test]
async fn coordinator_3_2_notifies_200_developers_in_one_bulk_change() {
    let v = V::new().await;
    for i in 0..200 {
        v.w.svc
            .vuln_upsert_developer(
                None,
                developer(&format!("v{i:03}"), &format!("Vendor {i}")),
                None,
            )
            .await
            .unwrap()
            .unwrap();
    }
    let id = v
        .coordinating(IdentityConsent {
            to_coordinator: true,
            to_developers: false,
            public_credit: None,
        })
        .await;
    let mut cmds = Vec::new();
    for i in 0..200 {
        let d = DeveloperId::new(format!("v{i:03}"));
        cmds.push(Command::AddDeveloper {
            developer: d.clone(),
            products: Vec::new(),
        });
        cmds.push(Command::NotifyDeveloper { developer: d });
    }
    let started = std::time::Instant::now();
    v.run("vc@jpcert.example", id, cmds).await.unwrap();
    let vc = v.w.actor("vc@jpcert.example").await;
    let view = v.w.svc.vuln_view(&vc, id).await.unwrap();
    assert_eq!(view.developers.len(), 202);
    assert_eq!(
        view.developers
            .iter()
            .filter(|t| t.status == DeveloperStatus::Notified)
            .count(),
        202,
        "every one of them is visibly waiting for an answer"
    );
    assert!(
        started.elapsed() < std::time::Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    // One stored change, one history row per command.
    let h = v.w.svc.store().vuln_history(id).await.unwrap();
    assert!(h.len() >= 400, "{}", h.len());
}

#[tokio::test]
async fn coordinator_3_8_cancels_only_when_every_developer_says_not_affected() {
    let v = V::new().await;
    let id = v
        .coordinating(IdentityConsent {
            to_coordinator: true,
            to_developers: false,
            public_credit: None,
        })
        .await;
    let not_affected = |dev: &str| Command::Reply {
        developer: DeveloperId::new(dev),
        reply: Reply::Verified {
            affected: false,
            novelty: Novelty::New,
            statement: "該当しません".into(),
        },
        source: None,
    };
    v.run("psirt@acme.example", id, vec![not_affected("acme")])
        .await
        .unwrap();
    // Beta is silent: silence is not "not affected", so no cancellation yet.
    let cancel = || {
        vec![Command::Cancel {
            ground: CancelGround::AllNotAffected,
        }]
    };
    let err = v.run("vc@jpcert.example", id, cancel()).await.unwrap_err();
    assert_eq!(err.clause(), Clause::SwCoordinator8);
    // A developer cannot answer for another.
    let err = v
        .run("psirt@acme.example", id, vec![not_affected("beta")])
        .await
        .unwrap_err();
    assert!(matches!(err, VulnError::NotPermitted { .. }), "{err:?}");
    v.run("psirt@beta.example", id, vec![not_affected("beta")])
        .await
        .unwrap();
    v.run("vc@jpcert.example", id, cancel()).await.unwrap();
    let d = v.w.actor("reporter@sakura.example").await;
    assert_eq!(
        v.w.svc
            .vuln_view(&d, id)
            .await
            .unwrap()
            .stage
            .unwrap()
            .name(),
        "cancelled"
    );
}
