//! Digests and reminders of vulnerability cases (issue 12: "digests instead of a mail per
//! event", reminders before deadlines Ⅴ 一 4.(2), 3.(3)): what each person finds on their
//! home page after a sweep, that nothing is told twice, and that a digest carries no
//! details.

use crate::vuln::{SECRET_NAME, V};
use mamori_service::vuln_digest::VULN_DIGEST;
use mamori_vuln::digest::{Digest, DigestItem};
use mamori_vuln::software::NoticeKind;
use mamori_vuln::*;
use time::Duration;

/// The person's unread vuln digests.
async fn digests(v: &V, email: &str) -> Vec<Digest> {
    let a = v.w.actor(email).await;
    v.w.svc
        .my_notices(&a)
        .await
        .unwrap()
        .into_iter()
        .filter(|n| n.kind == VULN_DIGEST)
        .map(|n| serde_json::from_str(&n.detail).unwrap())
        .collect()
}

fn consent() -> IdentityConsent {
    IdentityConsent {
        to_coordinator: true,
        to_developers: false,
        public_credit: None,
    }
}

#[tokio::test]
async fn developer_4_2_each_person_gets_one_digest_per_sweep_and_nothing_twice() {
    let v = V::new().await;
    let id = v.coordinating(consent()).await;
    let run = v.w.svc.vuln_digest().await.unwrap();
    assert_eq!(run.outside, 0, "every party has people: {run:?}");

    // The developer is asked to verify (Ⅴ 一 3.(2)), in one digest, with no details.
    let acme = digests(&v, "psirt@acme.example").await;
    assert_eq!(acme.len(), 1);
    let lines: Vec<&DigestItem> = acme[0].entries.iter().map(|e| &e.item).collect();
    assert_eq!(
        lines,
        [&DigestItem::Notice {
            clause: Clause::SwCoordinator2,
            what: Some(NoticeKind::VerificationRequested),
        }]
    );
    assert_eq!(acme[0].entries[0].case, id.0);
    let body = acme[0].body("https://mamori.example");
    for secret in [
        SECRET_NAME,
        "taro.secret",
        "認証回避",
        "ATTACK-CODE",
        "VERIFY-STEP",
    ] {
        assert!(!body.contains(secret), "{secret} in the digest:\n{body}");
    }
    // The discoverer hears of the acceptance; the receiving body of the new report; the
    // coordinator of the hand-over.
    let told = |d: &[Digest], what: &NoticeKind| {
        d.iter()
            .flat_map(|d| &d.entries)
            .any(|e| matches!(&e.item, DigestItem::Notice { what: Some(w), .. } if w == what))
    };
    assert!(told(
        &digests(&v, "reporter@sakura.example").await,
        &NoticeKind::Accepted
    ));
    assert!(told(
        &digests(&v, "vc@jpcert.example").await,
        &NoticeKind::HandedOver
    ));
    let ipa = digests(&v, "staff@ipa.example").await;
    assert!(
        ipa.iter()
            .flat_map(|d| &d.entries)
            .any(|e| e.item.clause() == Clause::SwDiscoverer1),
        "{ipa:?}"
    );
    // Another company's reporter is no party: nothing.
    assert!(digests(&v, "reporter@momiji.example").await.is_empty());

    // A second sweep tells nothing again.
    let again = v.w.svc.vuln_digest().await.unwrap();
    assert_eq!((again.lines, again.digests.len()), (0, 0), "{again:?}");
    assert_eq!(digests(&v, "psirt@acme.example").await.len(), 1);

    // A week passes without an answer (Ⅴ 一 4.(2)): both developers and the coordinator
    // are reminded, once; silence stays "no answer".
    v.w.clock.advance(Duration::days(8));
    v.w.svc.vuln_digest().await.unwrap();
    let acme = digests(&v, "psirt@acme.example").await;
    assert_eq!(acme.len(), 2);
    assert!(
        acme[0].entries.iter().any(|e| matches!(
            &e.item,
            DigestItem::Reminder { kind: ReminderKind::VerificationDue(d), clause: Clause::SwDeveloper2, .. } if d.0 == "acme"
        )),
        "{acme:?}"
    );
    let vc = digests(&v, "vc@jpcert.example").await;
    let reminded: Vec<&ReminderKind> = vc[0]
        .entries
        .iter()
        .filter_map(|e| match &e.item {
            DigestItem::Reminder { kind, .. } => Some(kind),
            DigestItem::Notice { .. } => None,
        })
        .collect();
    assert!(
        reminded.contains(&&ReminderKind::VerificationDue(DeveloperId::new("beta")))
            && reminded.contains(&&ReminderKind::SetPublicationDate),
        "{reminded:?}"
    );
    // An hour later the same deadlines are not sent again, though "set the date" is
    // still due (it is dated at each sweep).
    v.w.clock.advance(Duration::hours(1));
    let later = v.w.svc.vuln_digest().await.unwrap();
    assert_eq!(later.lines, 0, "{later:?}");
    assert_eq!(digests(&v, "vc@jpcert.example").await.len(), 2);
    let view =
        v.w.svc
            .vuln_view(&v.w.actor("vc@jpcert.example").await, id)
            .await
            .unwrap();
    assert!(
        view.developers
            .iter()
            .all(|t| t.status == DeveloperStatus::Notified),
        "a reminder changes no status"
    );
}

#[tokio::test]
async fn coordinator_3_2_a_developer_reached_by_mail_is_counted_outside() {
    let v = V::new().await;
    // "gamma" is on the list with no organization on the platform.
    v.w.svc
        .vuln_upsert_developer(None, crate::vuln::developer("gamma", "Gamma"), None)
        .await
        .unwrap()
        .unwrap();
    let id = v.coordinating(consent()).await;
    v.run(
        "vc@jpcert.example",
        id,
        vec![
            Command::AddDeveloper {
                developer: DeveloperId::new("gamma"),
                products: vec!["Gamma Router".into()],
            },
            Command::NotifyDeveloper {
                developer: DeveloperId::new("gamma"),
            },
        ],
    )
    .await
    .unwrap();
    let run = v.w.svc.vuln_digest().await.unwrap();
    assert_eq!(run.outside, 1, "{run:?}");
    assert!(run.lines > run.outside);
    // Nobody else gets gamma's line.
    let acme = digests(&v, "psirt@acme.example").await;
    assert_eq!(acme[0].entries.len(), 1);
}
