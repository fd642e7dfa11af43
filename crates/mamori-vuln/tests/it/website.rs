//! Ⅵ: the website flow.

use crate::common::*;
use mamori_vuln::*;

fn accepted() -> WebsiteCase {
    let mut c = WebsiteCase::submit(web_report(), t(0)).unwrap();
    c.apply(&Party::ReceivingBody, t(0), WebCommand::Accept)
        .unwrap();
    c
}

#[test]
fn web_1_2_report_states_the_url() {
    let mut r = web_report();
    r.target = Target::Website {
        name: "例サイト".into(),
        url: "shop.example.jp".into(),
    };
    let e = r.check_complete().unwrap_err();
    assert!(
        matches!(e, VulnError::Incomplete { clause: Clause::WebDiscoverer2, ref missing } if missing == &[ReportItem::WebsiteUrl])
    );
    assert!(
        SoftwareCase::submit(web_report(), t(0)).is_err(),
        "a website report is not a product case"
    );
    assert!(WebsiteCase::submit(report(), t(0)).is_err());
}

#[test]
fn web_2_1_refuses_with_reason() {
    let mut c = WebsiteCase::submit(web_report(), t(0)).unwrap();
    assert!(
        c.apply(
            &Party::ReceivingBody,
            t(0),
            WebCommand::Refuse { reason: " ".into() }
        )
        .is_err()
    );
    let (clause, tell) = c
        .apply(
            &Party::ReceivingBody,
            t(0),
            WebCommand::Refuse {
                reason: "対象外のサイト".into(),
            },
        )
        .unwrap();
    assert_eq!(
        (clause, tell),
        (Clause::WebReceiving1, vec![Party::Discoverer])
    );
}

#[test]
fn web_2_2_staged_disclosure_url_first_details_after_answer() {
    let mut c = accepted();
    let op = Party::SiteOperator;
    assert_eq!(
        may_see_web(&c, &op, WebField::Url).unwrap_err().clause(),
        Clause::WebReceiving5
    );
    assert!(
        c.apply(
            &op,
            t(1),
            WebCommand::NotifyOperator {
                contact: "x".into()
            }
        )
        .is_err(),
        "only the receiving body"
    );
    c.apply(
        &Party::ReceivingBody,
        t(1),
        WebCommand::NotifyOperator {
            contact: "webmaster@shop.example.jp".into(),
        },
    )
    .unwrap();
    assert_eq!(c.disclosure, Disclosure::UrlOnly);
    assert!(may_see_web(&c, &op, WebField::Url).is_ok());
    for f in [
        WebField::Nature,
        WebField::VerificationMethod,
        WebField::AttackMethod,
    ] {
        assert_eq!(
            may_see_web(&c, &op, f).unwrap_err().clause(),
            Clause::WebReceiving2
        );
    }
    let e = c
        .apply(&Party::ReceivingBody, t(1), WebCommand::SendDetails)
        .unwrap_err();
    assert!(matches!(
        e,
        VulnError::WrongStage {
            clause: Clause::WebReceiving2,
            ..
        }
    ));
    c.apply(
        &op,
        t(3),
        WebCommand::OperatorAnswered {
            contact_window: "security@shop.example.jp".into(),
        },
    )
    .unwrap();
    let due = website::due_web(&c, &ReminderPolicy::default(), t(3));
    assert!(due.iter().any(|r| r.kind == ReminderKind::SendDetails));
    c.apply(&Party::ReceivingBody, t(3), WebCommand::SendDetails)
        .unwrap();
    assert_eq!(c.disclosure, Disclosure::Details);
    assert!(may_see_web(&c, &op, WebField::AttackMethod).is_ok());
    assert_eq!(
        c.operator_contact.as_deref(),
        Some("security@shop.example.jp")
    );
}

#[test]
fn web_2_2_stops_when_operator_says_not_a_vulnerability() {
    let mut c = accepted();
    let stop = WebCommand::Stop {
        reason: StopReason::NotVulnerabilityNotified,
        detail: "仕様どおり".into(),
    };
    assert!(
        c.apply(&Party::ReceivingBody, t(1), stop.clone()).is_err(),
        "no operator notice yet"
    );
    c.apply(
        &Party::ReceivingBody,
        t(1),
        WebCommand::NotifyOperator {
            contact: "w@example.jp".into(),
        },
    )
    .unwrap();
    c.apply(
        &Party::SiteOperator,
        t(2),
        WebCommand::OperatorAnswered {
            contact_window: String::new(),
        },
    )
    .unwrap();
    c.apply(&Party::ReceivingBody, t(2), WebCommand::SendDetails)
        .unwrap();
    c.apply(
        &Party::SiteOperator,
        t(4),
        WebCommand::OperatorResult {
            vulnerable: false,
            statement: "再現せず".into(),
        },
    )
    .unwrap();
    let (clause, tell) = c.apply(&Party::ReceivingBody, t(5), stop).unwrap();
    assert_eq!(clause, Clause::WebReceiving2);
    assert_eq!(tell, vec![Party::Discoverer, Party::SiteOperator]);
}

#[test]
fn web_2_4_operator_never_sees_identity_without_consent() {
    let mut c = accepted();
    c.apply(
        &Party::ReceivingBody,
        t(1),
        WebCommand::NotifyOperator {
            contact: "w@example.jp".into(),
        },
    )
    .unwrap();
    let e = may_see_web(&c, &Party::SiteOperator, WebField::DiscovererIdentity).unwrap_err();
    assert_eq!(e.clause(), Clause::WebReceiving4);
    let consent = IdentityConsent {
        to_developers: true,
        ..Default::default()
    };
    assert!(
        c.apply(
            &Party::SiteOperator,
            t(2),
            WebCommand::UpdateConsent {
                consent: consent.clone()
            }
        )
        .is_err()
    );
    c.apply(
        &Party::Discoverer,
        t(2),
        WebCommand::UpdateConsent { consent },
    )
    .unwrap();
    assert!(may_see_web(&c, &Party::SiteOperator, WebField::DiscovererIdentity).is_ok());
}

#[test]
fn web_2_6_discoverer_told_when_fixed() {
    let mut c = accepted();
    c.apply(
        &Party::ReceivingBody,
        t(1),
        WebCommand::NotifyOperator {
            contact: "w@example.jp".into(),
        },
    )
    .unwrap();
    let fixed = WebCommand::OperatorFixed {
        statement: "入力検証を追加".into(),
    };
    assert!(
        c.apply(&Party::SiteOperator, t(2), fixed.clone()).is_err(),
        "not before it has the details"
    );
    c.apply(
        &Party::SiteOperator,
        t(2),
        WebCommand::OperatorAnswered {
            contact_window: String::new(),
        },
    )
    .unwrap();
    c.apply(&Party::ReceivingBody, t(2), WebCommand::SendDetails)
        .unwrap();
    let late = website::due_web(&c, &ReminderPolicy::default(), t(20));
    assert!(
        late.iter()
            .any(|r| r.kind == ReminderKind::OperatorResultDue && r.clause == Clause::WebOperator2)
    );
    let (clause, tell) = c.apply(&Party::SiteOperator, t(9), fixed).unwrap();
    assert_eq!(clause, Clause::WebReceiving6);
    assert!(tell.contains(&Party::Discoverer));
    assert_eq!(c.stage, WebStage::Fixed { at: t(9) });
}

#[test]
fn web_3_4_personal_data_leak_prompts_publication_of_facts() {
    let mut c = accepted();
    c.apply(
        &Party::ReceivingBody,
        t(1),
        WebCommand::NotifyOperator {
            contact: "w@example.jp".into(),
        },
    )
    .unwrap();
    c.apply(
        &Party::SiteOperator,
        t(2),
        WebCommand::ReportLeak {
            detail: "会員 1,200 名の氏名とメールアドレス".into(),
        },
    )
    .unwrap();
    let p = ReminderPolicy::default();
    assert!(
        website::due_web(&c, &p, t(3))
            .iter()
            .any(|r| r.kind == ReminderKind::PublishLeakFacts && r.to == Party::SiteOperator)
    );
    let (clause, _) = c
        .apply(
            &Party::SiteOperator,
            t(5),
            WebCommand::LeakFactsPublished {
                url: "https://shop.example.jp/notice".into(),
            },
        )
        .unwrap();
    assert_eq!(clause, Clause::WebOperator4);
    assert!(
        !website::due_web(&c, &p, t(6))
            .iter()
            .any(|r| r.kind == ReminderKind::PublishLeakFacts)
    );
}

#[test]
fn web_3_3_nothing_public_and_outsiders_see_nothing() {
    let mut c = accepted();
    c.apply(
        &Party::ReceivingBody,
        t(1),
        WebCommand::NotifyOperator {
            contact: "w@example.jp".into(),
        },
    )
    .unwrap();
    for p in [
        Party::Public,
        Party::Coordinator,
        Party::Developer(dev("acme")),
        Party::Analyst("a".into()),
    ] {
        assert!(may_see_web(&c, &p, WebField::Url).is_err(), "{p}");
    }
    c.apply(
        &Party::ReceivingBody,
        t(1),
        WebCommand::ShareForAnalysis {
            analyst: "a".into(),
        },
    )
    .unwrap();
    assert!(may_see_web(&c, &Party::Analyst("a".into()), WebField::Nature).is_ok());
    assert!(
        may_see_web(
            &c,
            &Party::Analyst("a".into()),
            WebField::DiscovererIdentity
        )
        .is_err()
    );
    let json = serde_json::to_string(&c).unwrap();
    let back: WebsiteCase = serde_json::from_str(&json).unwrap();
    assert_eq!(back, c);
}
