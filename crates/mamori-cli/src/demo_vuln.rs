//! The demo world's vulnerability coordination (issue 12): a developer list, one
//! published multi-developer advisory (one developer silent → 「報告なし」) and one case
//! under embargo. The cases are played through the core's `apply` with their own past
//! times (the core needs a future date when it is set, and publication on or after it),
//! then stored by the console (`vuln_import_case`, audited).

use mamori_service::Services;
use mamori_store::{OrgId, UserId};
use mamori_vuln::*;
use time::{Duration, OffsetDateTime};

fn developer(id: &str, name: &str, product: &str) -> Developer {
    Developer {
        id: DeveloperId::new(id),
        name: name.into(),
        contact_window: format!("psirt@{id}.example.jp"),
        pgp_key: None,
        registration: Registration::General,
        products: vec![product.into()],
    }
}

fn report(product: &str, consent: IdentityConsent) -> Report {
    Report {
        discoverer: Discoverer {
            name: "山田 花子".into(),
            organization: None,
            contact: "hanako@example.jp".into(),
        },
        consent,
        target: Target::Product {
            name: product.into(),
            version: "3.2".into(),
            developer_hint: String::new(),
        },
        info: VulnerabilityInfo {
            nature: "管理画面のセッション管理の不備により、認証を回避できる".into(),
            verification: "検証環境で細工したクッキーを送る".into(),
            attack: Some("細工したクッキーを付けて /admin に接続".into()),
        },
        discovery: Discovery {
            how: "自宅の検証環境での動作確認".into(),
            lawful_confirmed: true,
        },
    }
}

fn run(
    c: &mut SoftwareCase,
    roster: &Roster,
    by: Party,
    at: OffsetDateTime,
    cmd: Command,
) -> anyhow::Result<()> {
    c.apply(roster, &by, at, cmd)
        .map(|_| ())
        .map_err(|e| anyhow::anyhow!("demo case: {e}"))
}

/// Fills the vulnerability part; `hinoki` is the developer organization with an account,
/// `discoverer` the account that reported.
pub async fn vuln_world(svc: &Services, hinoki: OrgId, discoverer: UserId) -> anyhow::Result<()> {
    let devs = [
        (
            "hinoki",
            "ひのきソフト株式会社",
            "ひのきルータ",
            Some(hinoki),
        ),
        ("kaede", "かえでネットワークス", "かえでルータ", None),
        ("sugi", "すぎシステムズ", "すぎゲートウェイ", None),
    ];
    let mut roster = Roster::new();
    for (id, name, product, org) in devs {
        let d = developer(id, name, product);
        roster.upsert(d.clone())?;
        svc.vuln_upsert_developer(None, d, org)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?
            .map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    let now = svc.clock_now();
    let d = |days: i64| now - Duration::days(days);
    let dev = |s: &str| DeveloperId::new(s);

    // Published: three developers; hinoki fixed, sugi not affected, kaede silent.
    let mut c = SoftwareCase::submit(
        report(
            "ひのきルータ",
            IdentityConsent {
                to_coordinator: true,
                to_developers: false,
                public_credit: None,
            },
        ),
        d(80),
    )?;
    run(
        &mut c,
        &roster,
        Party::ReceivingBody,
        d(79),
        Command::Accept,
    )?;
    run(
        &mut c,
        &roster,
        Party::ReceivingBody,
        d(79),
        Command::HandOver,
    )?;
    for id in ["hinoki", "kaede", "sugi"] {
        run(
            &mut c,
            &roster,
            Party::Coordinator,
            d(78),
            Command::AddDeveloper {
                developer: dev(id),
                products: roster
                    .get(&dev(id))
                    .map(|d| d.products.clone())
                    .unwrap_or_default(),
            },
        )?;
        run(
            &mut c,
            &roster,
            Party::Coordinator,
            d(78),
            Command::NotifyDeveloper { developer: dev(id) },
        )?;
    }
    let reply = |id: &str, reply: Reply| Command::Reply {
        developer: dev(id),
        reply,
        source: None,
    };
    run(
        &mut c,
        &roster,
        Party::Developer(dev("hinoki")),
        d(75),
        reply(
            "hinoki",
            Reply::Verified {
                affected: true,
                novelty: Novelty::New,
                statement: "該当製品に影響があります。".into(),
            },
        ),
    )?;
    run(
        &mut c,
        &roster,
        Party::Developer(dev("sugi")),
        d(74),
        reply(
            "sugi",
            Reply::Verified {
                affected: false,
                novelty: Novelty::New,
                statement: "当社製品は該当機能を持ちません。".into(),
            },
        ),
    )?;
    run(
        &mut c,
        &roster,
        Party::Coordinator,
        d(70),
        Command::SetPublicationDate {
            date: d(10),
            basis: DateBasis {
                fix_days_needed: Some(45),
                overseas_coordination: false,
                leak_risk: LeakRisk::Low,
                precedent: None,
                developer_opinion: None,
                note: "ひのきソフトの修正に45日。かえでネットワークスは回答なし。".into(),
            },
        },
    )?;
    run(
        &mut c,
        &roster,
        Party::Developer(dev("hinoki")),
        d(20),
        reply(
            "hinoki",
            Reply::Countermeasure(Countermeasure {
                kind: CountermeasureKind::Fix,
                ja: "ファームウェア 3.3 に更新する".into(),
                en: "Update the firmware to 3.3".into(),
                url: Some("https://hinoki-soft.example.jp/security/2026-01".into()),
                fixed_versions: Some("3.3".into()),
            }),
        ),
    )?;
    run(&mut c, &roster, Party::Coordinator, d(12), Command::WriteAdvisory {
        text: AdvisoryText {
            id: "JVNVU#99990001".into(),
            title_ja: "複数のルータ製品における認証回避の脆弱性".into(),
            title_en: "Authentication bypass in multiple router products".into(),
            overview_ja: "複数のルータ製品の管理画面には、セッション管理の不備による認証回避の脆弱性が存在します。".into(),
            overview_en: "The management interface of multiple router products allows authentication bypass through improper session management.".into(),
            url: "https://jvn.example.jp/vu/JVNVU99990001/".into(),
            cve_ids: vec!["CVE-2026-99001".into()],
            cwe: Some("CWE-287".into()),
            // Unauthenticated over the network, full control of the router.
            cvss_v3: Some(CvssV3::parse("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")?),
            cvss_v4: Some(CvssV4::parse(
                "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
            )?),
        },
    })?;
    run(&mut c, &roster, Party::Coordinator, d(10), Command::Publish)?;
    let published = svc
        .vuln_import_case(&c, Some(discoverer))
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;

    // Under embargo: hinoki notified and investigating, date in 30 days.
    let mut e = SoftwareCase::submit(
        report(
            "ひのきルータ",
            IdentityConsent {
                to_coordinator: true,
                to_developers: false,
                public_credit: Some("山田 花子".into()),
            },
        ),
        d(12),
    )?;
    run(
        &mut e,
        &roster,
        Party::ReceivingBody,
        d(11),
        Command::Accept,
    )?;
    run(
        &mut e,
        &roster,
        Party::ReceivingBody,
        d(11),
        Command::HandOver,
    )?;
    run(
        &mut e,
        &roster,
        Party::Coordinator,
        d(10),
        Command::AddDeveloper {
            developer: dev("hinoki"),
            products: vec!["ひのきルータ".into()],
        },
    )?;
    run(
        &mut e,
        &roster,
        Party::Coordinator,
        d(10),
        Command::NotifyDeveloper {
            developer: dev("hinoki"),
        },
    )?;
    run(
        &mut e,
        &roster,
        Party::Developer(dev("hinoki")),
        d(9),
        reply("hinoki", Reply::Investigating),
    )?;
    run(
        &mut e,
        &roster,
        Party::Coordinator,
        d(1),
        Command::SetPublicationDate {
            date: now + Duration::days(30),
            basis: DateBasis {
                fix_days_needed: Some(30),
                overseas_coordination: true,
                leak_risk: LeakRisk::Low,
                precedent: Some("同種のルータ製品の事例（45日）".into()),
                developer_opinion: None,
                note: "修正に30日、海外調整あり。".into(),
            },
        },
    )?;
    let embargoed = svc
        .vuln_import_case(&e, Some(discoverer))
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    // The silent developer's verification is overdue (Ⅴ 一 4.(2)): the first sweep puts
    // the reminder in the developer's and the coordinator's digests.
    let digest = svc
        .vuln_digest()
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    println!(
        "脆弱性情報 / advisories: 公表済み / published /advisories/{} ; 公表前 / under embargo: /vuln/{} ({} digests on home pages)",
        published.0,
        embargoed.0,
        digest.digests.len()
    );
    Ok(())
}
