use mamori_vuln::*;
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

/// Day `d` of a case, 10:00 JST.
pub fn t(d: i64) -> OffsetDateTime {
    datetime!(2026-12-01 10:00 +9) + Duration::days(d)
}

pub fn dev(id: &str) -> DeveloperId {
    DeveloperId::new(id)
}

pub fn roster() -> Roster {
    let mut r = Roster::new();
    for (id, name, product) in [
        ("acme", "Acme 株式会社", "Acme Router"),
        ("beta", "Beta Systems", "Beta Router OS"),
        ("gamma", "Gamma Networks", "Gamma Switch"),
    ] {
        r.upsert(Developer {
            id: dev(id),
            name: name.into(),
            contact_window: format!("psirt@{id}.example"),
            pgp_key: Some("-----BEGIN PGP PUBLIC KEY BLOCK-----".into()),
            registration: Registration::General,
            products: vec![product.into()],
        })
        .unwrap();
    }
    r
}

pub const SECRET_NAME: &str = "秘密 太郎";
pub const SECRET_CONTACT: &str = "taro.secret@example.jp";

pub fn report() -> Report {
    Report {
        discoverer: Discoverer {
            name: SECRET_NAME.into(),
            organization: Some("秘密研究所".into()),
            contact: SECRET_CONTACT.into(),
        },
        consent: IdentityConsent::default(),
        target: Target::Product {
            name: "Acme Router".into(),
            version: "2.1".into(),
            developer_hint: "Acme".into(),
        },
        info: VulnerabilityInfo {
            nature: "管理画面の認証回避".into(),
            verification: "VERIFY-STEP: /admin に細工したヘッダで接続".into(),
            attack: Some("ATTACK-CODE: curl -H 'X-Bypass: 1'".into()),
        },
        discovery: Discovery {
            how: "自宅の検証環境での動作確認".into(),
            lawful_confirmed: true,
        },
    }
}

pub fn web_report() -> Report {
    Report {
        target: Target::Website {
            name: "例サイト".into(),
            url: "https://shop.example.jp/search".into(),
        },
        ..report()
    }
}

pub fn text() -> AdvisoryText {
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

pub fn basis(note: &str) -> DateBasis {
    DateBasis {
        fix_days_needed: Some(30),
        overseas_coordination: true,
        leak_risk: LeakRisk::Low,
        precedent: None,
        developer_opinion: None,
        note: note.into(),
    }
}

pub fn fix(text: &str) -> Countermeasure {
    Countermeasure {
        kind: CountermeasureKind::Fix,
        ja: format!("{text} に更新する"),
        en: format!("Update to {text}"),
        url: Some("https://acme.example/security/2026-01".into()),
        fixed_versions: Some(text.into()),
    }
}

pub struct Sim {
    pub case: SoftwareCase,
    pub roster: Roster,
}

impl Sim {
    pub fn new() -> Sim {
        Sim {
            case: SoftwareCase::submit(report(), t(0)).unwrap(),
            roster: roster(),
        }
    }

    /// Accepted, handed over, `devs` added and notified on day 1.
    pub fn coordinating(devs: &[&str]) -> Sim {
        let mut s = Sim::new();
        s.ok(Party::ReceivingBody, 0, Command::Accept);
        s.ok(Party::ReceivingBody, 0, Command::HandOver);
        for d in devs {
            let products = vec![s.roster.get(&dev(d)).unwrap().products[0].clone()];
            s.ok(
                Party::Coordinator,
                1,
                Command::AddDeveloper {
                    developer: dev(d),
                    products,
                },
            );
            s.ok(
                Party::Coordinator,
                1,
                Command::NotifyDeveloper { developer: dev(d) },
            );
        }
        s
    }

    pub fn apply(
        &mut self,
        by: Party,
        day: i64,
        cmd: Command,
    ) -> Result<software::Applied, VulnError> {
        self.case.apply(&self.roster, &by, t(day), cmd)
    }

    pub fn ok(&mut self, by: Party, day: i64, cmd: Command) -> software::Applied {
        self.apply(by, day, cmd).unwrap()
    }

    pub fn err(&mut self, by: Party, day: i64, cmd: Command) -> VulnError {
        let before = self.case.clone();
        let e = self.apply(by, day, cmd).unwrap_err();
        assert_eq!(before, self.case, "a refused command changes nothing");
        e
    }

    pub fn answer(&mut self, d: &str, day: i64, reply: Reply) -> software::Applied {
        self.ok(
            Party::Developer(dev(d)),
            day,
            Command::Reply {
                developer: dev(d),
                reply,
                source: None,
            },
        )
    }

    pub fn verified(affected: bool, novelty: Novelty) -> Reply {
        Reply::Verified {
            affected,
            novelty,
            statement: "社内で確認しました".into(),
        }
    }
}
