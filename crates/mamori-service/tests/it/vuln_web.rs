//! The website flow Ⅵ through the service (issue 12), and the product-flow commands that
//! have their own forms now (analysis sharing Ⅴ 一 2.(5), early notice 2.(6), the
//! discoverer's consent 2.(4)). Tests are named after the clause they enforce.

use crate::vuln::{SECRET_NAME, V, report};
use mamori_service::ServiceError;
use mamori_service::authz::Caller;
use mamori_store::{OrgId, VulnCaseId};
use mamori_vuln::*;

const SHOP: &str = "admin@shop.example";
const RB: &str = "staff@ipa.example";
const DISC: &str = "reporter@sakura.example";

fn web_report(to_operator: bool) -> Report {
    let mut r = report(IdentityConsent {
        to_coordinator: false,
        to_developers: to_operator,
        public_credit: None,
    });
    r.target = Target::Website {
        name: "もみじ商店".into(),
        url: "https://shop.example.jp/cart".into(),
    };
    r
}

/// The common world plus a website operator organization with one member.
async fn world() -> (V, OrgId) {
    let v = V::new().await;
    let shop =
        v.w.svc
            .create_org(Caller::Console, "もみじ商店", "website_operator", None)
            .await
            .unwrap()
            .id;
    v.w.person(shop, SHOP, "reporter").await;
    (v, shop)
}

async fn web_run(
    v: &V,
    email: &str,
    id: VulnCaseId,
    cmds: Vec<WebCommand>,
    link: Option<OrgId>,
) -> Result<(), VulnError> {
    let a = v.w.actor(email).await;
    let view = v.w.svc.vuln_web_view(&a, id).await.unwrap();
    v.w.svc
        .vuln_web_apply(&a, id, view.version, cmds, link)
        .await
        .unwrap()
        .map(|_| ())
}

/// Filed → accepted → the operator (linked organization) told the URL only.
async fn notified(v: &V, shop: OrgId, to_operator: bool) -> VulnCaseId {
    let d = v.w.actor(DISC).await;
    let id =
        v.w.svc
            .vuln_submit(&d, web_report(to_operator))
            .await
            .unwrap()
            .unwrap();
    assert!(v.w.svc.vuln_is_website(id).await.unwrap());
    web_run(
        v,
        RB,
        id,
        vec![
            WebCommand::Accept,
            WebCommand::NotifyOperator {
                contact: "info@shop.example.jp".into(),
            },
        ],
        Some(shop),
    )
    .await
    .unwrap();
    id
}

async fn fixed(v: &V, shop: OrgId) -> VulnCaseId {
    let id = notified(v, shop, false).await;
    web_run(
        v,
        SHOP,
        id,
        vec![WebCommand::OperatorAnswered {
            contact_window: "security@shop.example.jp".into(),
        }],
        None,
    )
    .await
    .unwrap();
    web_run(v, RB, id, vec![WebCommand::SendDetails], None)
        .await
        .unwrap();
    web_run(
        v,
        SHOP,
        id,
        vec![WebCommand::OperatorFixed {
            statement: "OPERATOR-NOTE: 入力値の検証を追加".into(),
        }],
        None,
    )
    .await
    .unwrap();
    id
}

#[tokio::test]
async fn web_2_2_operator_sees_only_the_url_before_answering() {
    let (v, shop) = world().await;
    let id = notified(&v, shop, false).await;
    let op = v.w.actor(SHOP).await;
    let view = v.w.svc.vuln_web_view(&op, id).await.unwrap();
    assert_eq!(view.party, Party::SiteOperator);
    assert_eq!(
        view.site,
        Some(("もみじ商店".into(), "https://shop.example.jp/cart".into()))
    );
    assert_eq!(
        (view.nature, view.verification, view.attack),
        (None, None, None),
        "no details before the operator answered"
    );
    assert!(
        view.identity.is_none(),
        "no identity without consent (Ⅵ 2.(4))"
    );
    // The audit records what was shown to the operator: the URL, not the details.
    let seen =
        v.w.svc
            .store()
            .audit_by_actor_action(op.user.id, "vuln_view", 5)
            .await
            .unwrap();
    assert!(seen[0].detail.contains("url") && !seen[0].detail.contains("nature"));
    // The operator cannot send itself the details; only the receiving body does, after
    // the answer.
    let err = web_run(&v, SHOP, id, vec![WebCommand::SendDetails], None)
        .await
        .unwrap_err();
    assert_eq!(err.clause(), Clause::WebReceiving2);
    let err = web_run(&v, RB, id, vec![WebCommand::SendDetails], None)
        .await
        .unwrap_err();
    assert_eq!(err.clause(), Clause::WebReceiving2);
    web_run(
        &v,
        SHOP,
        id,
        vec![WebCommand::OperatorAnswered {
            contact_window: "security@shop.example.jp".into(),
        }],
        None,
    )
    .await
    .unwrap();
    let view = v.w.svc.vuln_web_view(&op, id).await.unwrap();
    assert!(view.nature.is_none(), "answered, details not sent yet");
    web_run(&v, RB, id, vec![WebCommand::SendDetails], None)
        .await
        .unwrap();
    let view = v.w.svc.vuln_web_view(&op, id).await.unwrap();
    assert_eq!(view.nature.as_deref(), Some("管理画面の認証回避"));
    assert!(view.verification.is_some());
    assert!(view.identity.is_none());
    let page = format!("{view:?}");
    assert!(!page.contains(SECRET_NAME) && !page.contains("taro.secret"));
}

#[tokio::test]
async fn web_2_2_only_a_website_operator_organization_is_linked_as_the_operator() {
    let (v, _shop) = world().await;
    let d = v.w.actor(DISC).await;
    let id =
        v.w.svc
            .vuln_submit(&d, web_report(false))
            .await
            .unwrap()
            .unwrap();
    web_run(&v, RB, id, vec![WebCommand::Accept], None)
        .await
        .unwrap();
    // The discoverer's own company is no website operator.
    let rb = v.w.actor(RB).await;
    let view = v.w.svc.vuln_web_view(&rb, id).await.unwrap();
    let r =
        v.w.svc
            .vuln_web_apply(
                &rb,
                id,
                view.version,
                vec![WebCommand::NotifyOperator {
                    contact: "x@example.jp".into(),
                }],
                Some(d.org.id),
            )
            .await;
    assert!(matches!(r, Err(ServiceError::Invalid(_))), "{r:?}");
    // Without a link, the operator is reached by mail and nobody signs in as it; the
    // receiving body records its answer.
    web_run(
        &v,
        RB,
        id,
        vec![WebCommand::NotifyOperator {
            contact: "info@shop.example.jp".into(),
        }],
        None,
    )
    .await
    .unwrap();
    let op = v.w.actor(SHOP).await;
    assert!(matches!(
        v.w.svc.vuln_web_view(&op, id).await,
        Err(ServiceError::NotFound)
    ));
    web_run(
        &v,
        RB,
        id,
        vec![WebCommand::OperatorAnswered {
            contact_window: "security@shop.example.jp".into(),
        }],
        None,
    )
    .await
    .unwrap();
    let view = v.w.svc.vuln_web_view(&rb, id).await.unwrap();
    assert_eq!(view.stage.unwrap().name(), "operator_answered");
}

#[tokio::test]
async fn web_2_6_discoverer_told_when_fixed() {
    let (v, shop) = world().await;
    let id = fixed(&v, shop).await;
    let d = v.w.actor(DISC).await;
    let view = v.w.svc.vuln_web_view(&d, id).await.unwrap();
    assert_eq!(view.party, Party::Discoverer);
    assert!(matches!(view.stage, Some(WebStage::Fixed { .. })));
    assert!(
        view.statements.is_empty(),
        "the operator's statements stay with the bodies"
    );
    // The fix carries out Ⅵ 2.(6) and names the discoverer among those to tell.
    let h = v.w.svc.store().vuln_history(id).await.unwrap();
    assert_eq!(h.last().unwrap().clause, "VI.2(6)");
    let op = v.w.actor(SHOP).await;
    let cmds =
        v.w.svc
            .store()
            .audit_by_actor_action(op.user.id, "vuln_command", 5)
            .await
            .unwrap();
    assert!(
        cmds[0].detail.contains("VI.2(6)") && cmds[0].detail.contains("discoverer"),
        "{}",
        cmds[0].detail
    );
    // On the discoverer's list: a website case, fixed.
    let list = v.w.svc.vuln_cases(&d).await.unwrap();
    let (_, line) = list.iter().find(|(_, c)| c.id == id).unwrap();
    assert!(line.website);
    assert_eq!(line.stage, "fixed");
}

#[tokio::test]
async fn web_1_4_website_case_never_public() {
    let (v, shop) = world().await;
    let id = fixed(&v, shop).await;
    assert!(v.w.svc.public_advisories().await.unwrap().is_empty());
    assert!(matches!(
        v.w.svc.public_advisory(&id.0.to_string()).await,
        Err(ServiceError::NotFound)
    ));
    let row = v.w.svc.store().vuln_case(id).await.unwrap().unwrap();
    assert_eq!((row.kind.as_str(), row.published), ("website", false));
    // Outsiders: another reporter, the coordinator, a developer.
    for who in [
        "reporter@momiji.example",
        "vc@jpcert.example",
        "psirt@acme.example",
    ] {
        let a = v.w.actor(who).await;
        assert!(
            matches!(
                v.w.svc.vuln_web_view(&a, id).await,
                Err(ServiceError::NotFound)
            ),
            "{who}"
        );
        assert!(v.w.svc.vuln_cases(&a).await.unwrap().is_empty(), "{who}");
    }
    // The statistics count it (Ⅵ 2.(7)) and say nothing more.
    let s = v.w.svc.vuln_statistics().await.unwrap();
    assert_eq!(s.website.get("fixed"), Some(&1));
    assert!(s.software.is_empty());
}

#[tokio::test]
async fn web_3_4_a_leak_prompts_the_operator_until_the_facts_are_published() {
    let (v, shop) = world().await;
    let id = fixed(&v, shop).await;
    web_run(
        &v,
        SHOP,
        id,
        vec![WebCommand::ReportLeak {
            detail: "会員のメールアドレス".into(),
        }],
        None,
    )
    .await
    .unwrap();
    let op = v.w.actor(SHOP).await;
    let due = v.w.svc.vuln_reminders(&op).await.unwrap();
    assert!(
        due.iter()
            .any(|(c, r)| *c == id && matches!(r.kind, ReminderKind::PublishLeakFacts)),
        "{due:?}"
    );
    web_run(
        &v,
        SHOP,
        id,
        vec![WebCommand::LeakFactsPublished {
            url: "https://shop.example.jp/news/1".into(),
        }],
        None,
    )
    .await
    .unwrap();
    let due = v.w.svc.vuln_reminders(&op).await.unwrap();
    assert!(due.is_empty(), "{due:?}");
}

#[tokio::test]
async fn receiving_body_2_5_analyst_sharing_is_recorded_for_software_and_website() {
    let (v, shop) = world().await;
    let sw = v
        .coordinating(IdentityConsent {
            to_coordinator: true,
            to_developers: false,
            public_credit: None,
        })
        .await;
    let share = || Command::ShareForAnalysis {
        analyst: "解析ラボ".into(),
        purpose: "再現確認".into(),
    };
    // A developer may not share the case with anyone.
    let err = v
        .run("psirt@acme.example", sw, vec![share()])
        .await
        .unwrap_err();
    assert_eq!(err.clause(), Clause::SwReceiving5);
    v.run(RB, sw, vec![share()]).await.unwrap();
    let h = v.w.svc.store().vuln_history(sw).await.unwrap();
    assert_eq!(h.last().unwrap().clause, "V.1.2(5)");

    let web = notified(&v, shop, false).await;
    let err = web_run(
        &v,
        SHOP,
        web,
        vec![WebCommand::ShareForAnalysis {
            analyst: "x".into(),
        }],
        None,
    )
    .await
    .unwrap_err();
    assert_eq!(err.clause(), Clause::WebReceiving5);
    web_run(
        &v,
        RB,
        web,
        vec![WebCommand::ShareForAnalysis {
            analyst: "解析ラボ".into(),
        }],
        None,
    )
    .await
    .unwrap();
    let rb = v.w.actor(RB).await;
    let view = v.w.svc.vuln_web_view(&rb, web).await.unwrap();
    assert_eq!(view.analysts, vec!["解析ラボ".to_string()]);
}

#[tokio::test]
async fn discoverer_2_4_consent_change_lets_developers_see_the_identity_only_after() {
    let (v, shop) = world().await;
    let id = v
        .coordinating(IdentityConsent {
            to_coordinator: true,
            to_developers: false,
            public_credit: None,
        })
        .await;
    let dev = v.w.actor("psirt@acme.example").await;
    assert!(
        v.w.svc
            .vuln_view(&dev, id)
            .await
            .unwrap()
            .identity
            .is_none()
    );
    let agreed = IdentityConsent {
        to_coordinator: true,
        to_developers: true,
        public_credit: Some("S. Taro".into()),
    };
    // Nobody else may change it.
    let err = v
        .run(
            RB,
            id,
            vec![Command::UpdateConsent {
                consent: agreed.clone(),
            }],
        )
        .await
        .unwrap_err();
    assert_eq!(err.clause(), Clause::SwReceiving4);
    v.run(DISC, id, vec![Command::UpdateConsent { consent: agreed }])
        .await
        .unwrap();
    let view = v.w.svc.vuln_view(&dev, id).await.unwrap();
    assert_eq!(view.identity.unwrap().name, SECRET_NAME);

    // Website: the operator sees the identity only once the discoverer agrees.
    let web = notified(&v, shop, false).await;
    let op = v.w.actor(SHOP).await;
    assert!(
        v.w.svc
            .vuln_web_view(&op, web)
            .await
            .unwrap()
            .identity
            .is_none()
    );
    web_run(
        &v,
        DISC,
        web,
        vec![WebCommand::UpdateConsent {
            consent: IdentityConsent {
                to_coordinator: false,
                to_developers: true,
                public_credit: None,
            },
        }],
        None,
    )
    .await
    .unwrap();
    let view = v.w.svc.vuln_web_view(&op, web).await.unwrap();
    assert_eq!(view.identity.unwrap().name, SECRET_NAME);
}

#[tokio::test]
async fn receiving_body_2_6_early_notice_only_after_a_countermeasure_and_consultation() {
    let v = V::new().await;
    let id = v
        .coordinating(IdentityConsent {
            to_coordinator: true,
            to_developers: false,
            public_credit: None,
        })
        .await;
    let now = time::macros::datetime!(2026-04-01 09:00 UTC);
    let notice = |consulted: Vec<&str>| Command::GiveEarlyNotice {
        bodies: vec!["NISC".into()],
        reason: "重要インフラの制御網で使われている".into(),
        coordinator_consulted: true,
        consulted_developers: consulted.into_iter().map(DeveloperId::new).collect(),
        discoverer_told_at: now,
    };
    // No countermeasure yet.
    let err = v.run(RB, id, vec![notice(vec!["acme"])]).await.unwrap_err();
    assert_eq!(err.clause(), Clause::SwReceiving6);
    v.run(
        "psirt@acme.example",
        id,
        vec![
            Command::Reply {
                developer: DeveloperId::new("acme"),
                reply: Reply::Verified {
                    affected: true,
                    novelty: Novelty::New,
                    statement: "影響あり".into(),
                },
                source: None,
            },
            Command::Reply {
                developer: DeveloperId::new("acme"),
                reply: Reply::Countermeasure(Countermeasure {
                    kind: CountermeasureKind::Fix,
                    ja: "2.2 に更新".into(),
                    en: "Update to 2.2".into(),
                    url: None,
                    fixed_versions: Some("2.2".into()),
                }),
                source: None,
            },
        ],
    )
    .await
    .unwrap();
    // Acme, whose countermeasure is shared, was not consulted.
    let err = v.run(RB, id, vec![notice(vec![])]).await.unwrap_err();
    assert_eq!(err.clause(), Clause::SwReceiving6);
    // Only the receiving body gives it.
    let err = v
        .run("vc@jpcert.example", id, vec![notice(vec!["acme"])])
        .await
        .unwrap_err();
    assert_eq!(err.clause(), Clause::SwReceiving6);
    v.run(RB, id, vec![notice(vec!["acme"])]).await.unwrap();
    let h = v.w.svc.store().vuln_history(id).await.unwrap();
    assert_eq!(h.last().unwrap().clause, "V.1.2(6)");
    assert!(h.last().unwrap().command.contains("NISC"));
}

fn opinion_basis(opinion: Option<&str>) -> DateBasis {
    DateBasis {
        fix_days_needed: Some(0),
        overseas_coordination: false,
        leak_risk: LeakRisk::Low,
        precedent: None,
        developer_opinion: opinion.map(str::to_string),
        note: "修正版は公開済み".into(),
    }
}

#[tokio::test]
async fn own_product_2_2_date_set_after_hearing_the_developer_then_published() {
    let v = V::new().await;
    let info = VulnerabilityInfo {
        nature: "管理画面の CSRF".into(),
        verification: "細工したフォームを送る".into(),
        attack: None,
    };
    let cm = Countermeasure {
        kind: CountermeasureKind::Fix,
        ja: "3.1 に更新".into(),
        en: "Update to 3.1".into(),
        url: None,
        fixed_versions: Some("3.1".into()),
    };
    // Only a developer on the list reports its own product.
    let outsider = v.w.actor(DISC).await;
    assert!(matches!(
        v.w.svc
            .vuln_own_product(
                &outsider,
                ("acme Router".into(), "3.0".into()),
                info.clone(),
                cm.clone()
            )
            .await,
        Err(ServiceError::NotFound)
    ));
    let acme = v.w.actor("psirt@acme.example").await;
    // The countermeasure comes with the notice (Ⅴ 二 (1)).
    let no_cm = Countermeasure {
        ja: String::new(),
        ..cm.clone()
    };
    let err =
        v.w.svc
            .vuln_own_product(
                &acme,
                ("acme Router".into(), "3.0".into()),
                info.clone(),
                no_cm,
            )
            .await
            .unwrap()
            .unwrap_err();
    assert_eq!(err.clause(), Clause::Own1);
    let id =
        v.w.svc
            .vuln_own_product(&acme, ("acme Router".into(), "3.0".into()), info, cm)
            .await
            .unwrap()
            .unwrap();
    // It acts as the developer on its own case, already fixed, and goes to the coordinator.
    let mine = v.w.svc.vuln_view(&acme, id).await.unwrap();
    assert_eq!(mine.party, Party::Developer(DeveloperId::new("acme")));
    assert_eq!(mine.developers[0].status, DeveloperStatus::Fixed);
    let date = time::macros::datetime!(2026-04-08 09:00 UTC);
    let err = v
        .run(
            "vc@jpcert.example",
            id,
            vec![Command::SetPublicationDate {
                date,
                basis: opinion_basis(None),
            }],
        )
        .await
        .unwrap_err();
    assert_eq!(err.clause(), Clause::Own2);
    let mut t = crate::vuln::text();
    t.id = "JVNVU#90000002".into();
    v.run(
        "vc@jpcert.example",
        id,
        vec![
            Command::SetPublicationDate {
                date,
                basis: opinion_basis(Some("1週間後で差し支えない")),
            },
            Command::WriteAdvisory { text: t },
        ],
    )
    .await
    .unwrap();
    v.w.clock.advance(time::Duration::days(8));
    v.run("vc@jpcert.example", id, vec![Command::Publish])
        .await
        .unwrap();
    let h = v.w.svc.store().vuln_history(id).await.unwrap();
    assert_eq!(h.last().unwrap().clause, "V.2(2)");
    let (_, adv) = v.w.svc.public_advisory("JVNVU#90000002").await.unwrap();
    assert_eq!(adv.developers.len(), 1);
    assert!(matches!(adv.developers[0].result, PublishedResult::Fixed));
}

#[tokio::test]
async fn coordinator_3_9_csaf_draft_is_tlp_red_and_cut_per_party() {
    let (v, shop) = world().await;
    let id = v
        .coordinating(IdentityConsent {
            to_coordinator: true,
            to_developers: false,
            public_credit: Some("S. Taro".into()),
        })
        .await;
    let acme = v.w.actor("psirt@acme.example").await;
    // No advisory text yet: refused by clause, not a 500.
    let e =
        v.w.svc
            .vuln_csaf_draft(&acme, id, mamori_core::Lang::Ja)
            .await
            .unwrap()
            .unwrap_err();
    assert_eq!(e.clause(), Clause::SwCoordinator6);
    v.run(
        "vc@jpcert.example",
        id,
        vec![
            Command::SetPublicationDate {
                date: time::macros::datetime!(2026-06-01 09:00 UTC),
                basis: DateBasis {
                    precedent: Some("同種のルータの事例で 45 日".into()),
                    ..opinion_basis(None)
                },
            },
            Command::WriteAdvisory {
                text: crate::vuln::text(),
            },
        ],
    )
    .await
    .unwrap();
    let doc =
        v.w.svc
            .vuln_csaf_draft(&acme, id, mamori_core::Lang::Ja)
            .await
            .unwrap()
            .unwrap();
    assert_eq!(
        doc.pointer("/document/distribution/tlp/label")
            .and_then(|x| x.as_str()),
        Some("RED")
    );
    let s = doc.to_string();
    assert!(s.contains("Acme"), "its own line");
    assert!(!s.contains("Beta Systems"), "not the other developer's");
    assert!(!s.contains(SECRET_NAME) && !s.contains("S. Taro"));
    let seen =
        v.w.svc
            .store()
            .audit_by_actor_action(acme.user.id, "vuln_view", 1)
            .await
            .unwrap();
    assert!(seen[0].detail.contains("csaf"), "{}", seen[0].detail);
    // No party: not found, as for the embargoed public advisory; a website case has none.
    let other = v.w.actor("reporter@momiji.example").await;
    assert!(matches!(
        v.w.svc
            .vuln_csaf_draft(&other, id, mamori_core::Lang::Ja)
            .await,
        Err(ServiceError::NotFound)
    ));
    let web = notified(&v, shop, true).await;
    let rb = v.w.actor(RB).await;
    assert!(matches!(
        v.w.svc
            .vuln_csaf_draft(&rb, web, mamori_core::Lang::Ja)
            .await,
        Err(ServiceError::NotFound)
    ));
}
