//! The taxonomy's codes, labels and the JPCERT/CC and RSIT mapping data.

use mamori_core::Lang;
use mamori_core::taxonomy::*;
use std::collections::HashSet;

fn check_dimension<T: Copy + std::fmt::Debug + PartialEq + serde::Serialize>(
    all: &[T],
    code: fn(T) -> &'static str,
    parse: fn(&str) -> Option<T>,
    label: fn(T, Lang) -> &'static str,
) {
    let mut seen = HashSet::new();
    for &v in all {
        let c = code(v);
        assert!(seen.insert(c), "duplicate code {c}");
        assert!(
            c.chars().all(|ch| ch.is_ascii_lowercase() || ch == '_'),
            "{c} is not snake_case"
        );
        assert_eq!(parse(c), Some(v));
        assert_eq!(serde_json::to_string(&v).unwrap(), format!("\"{c}\""));
        assert!(!label(v, Lang::Ja).is_empty() && !label(v, Lang::En).is_empty());
        assert_ne!(
            label(v, Lang::Ja),
            label(v, Lang::En),
            "{c}: Japanese label missing"
        );
    }
    assert_eq!(parse("no_such_value"), None);
}

#[test]
fn every_dimension_has_unique_codes_and_both_labels() {
    check_dimension(Act::ALL, Act::code, Act::parse, Act::label);
    check_dimension(Method::ALL, Method::code, Method::parse, Method::label);
    check_dimension(
        AfterAccess::ALL,
        AfterAccess::code,
        AfterAccess::parse,
        AfterAccess::label,
    );
    check_dimension(Damage::ALL, Damage::code, Damage::parse, Damage::label);
    check_dimension(Motive::ALL, Motive::code, Motive::parse, Motive::label);
    check_dimension(Sector::ALL, Sector::code, Sector::parse, Sector::label);
    check_dimension(
        AdminType::ALL,
        AdminType::code,
        AdminType::parse,
        AdminType::label,
    );
    check_dimension(
        Discovery::ALL,
        Discovery::code,
        Discovery::parse,
        Discovery::label,
    );
}

#[test]
fn the_contract_codes_exist() {
    for c in [
        "identifier_misuse",
        "security_hole_attack",
        "stepping_stone",
        "code_provision",
        "code_acquisition",
        "code_storage",
        "code_input_request",
    ] {
        assert!(Act::parse(c).is_some(), "{c}");
    }
    assert_eq!(Act::ALL.len(), 7);
    for c in [
        "company",
        "government",
        "provider",
        "university_research",
        "other",
    ] {
        assert!(AdminType::parse(c).is_some(), "{c}");
    }
    for c in [
        "report_by_admin",
        "report_by_user",
        "police_activity",
        "other",
    ] {
        assert!(Discovery::parse(c).is_some(), "{c}");
    }
    for c in [
        "security_hole",
        "other",
        "unknown",
        "phishing_site",
        "bought",
    ] {
        assert!(Method::parse(c).is_some(), "{c}");
    }
    for c in [
        "money_lost",
        "information_leaked",
        "service_stopped",
        "data_altered",
        "none_known",
    ] {
        assert!(Damage::parse(c).is_some(), "{c}");
    }
    assert_eq!(Motive::IllicitGain.label(Lang::Ja), "不正に金を得るため");
    assert_eq!(TAXONOMY_VERSION, "2026.1");
    assert_eq!(Classification::new().version, TAXONOMY_VERSION);
}

#[test]
fn police_categories_are_labelled_as_the_police_count_them() {
    assert_eq!(
        Method::PhishingSite.label(Lang::Ja),
        "フィッシングサイトにより入手"
    );
    assert_eq!(
        AfterAccess::IllegalTransfer.label(Lang::Ja),
        "インターネットバンキングでの不正送金等"
    );
    assert_eq!(
        AdminType::UniversityResearch.label(Lang::Ja),
        "大学・研究機関等"
    );
    assert_eq!(
        Discovery::PoliceActivity.label(Lang::Ja),
        "警察活動（アクセスログ解析等）"
    );
    // Every detailed way of finding out is, to the police, the administrator's report.
    assert_eq!(
        Discovery::OwnMonitoring.police_view(),
        Discovery::ReportByAdmin
    );
    assert_eq!(
        Discovery::ToldByCustomer.police_view(),
        Discovery::ReportByAdmin
    );
    assert_eq!(
        Discovery::PoliceActivity.police_view(),
        Discovery::PoliceActivity
    );
    for d in Discovery::ALL {
        assert!(matches!(
            d.police_view(),
            Discovery::ReportByAdmin
                | Discovery::ReportByUser
                | Discovery::PoliceActivity
                | Discovery::Other
        ));
    }
}

#[test]
fn legal_basis_names_both_numberings_of_the_act() {
    // The seed's Act (1999): Art. 3(2)(i)-(iii) define the access, Art. 4 forbids providing codes.
    assert!(
        Act::IdentifierMisuse
            .legal_basis()
            .ja
            .contains("第3条第2項第1号")
    );
    assert!(
        Act::SecurityHoleAttack
            .legal_basis()
            .ja
            .contains("第3条第2項第2号")
    );
    assert!(
        Act::SteppingStone
            .legal_basis()
            .ja
            .contains("第3条第2項第3号")
    );
    assert!(
        Act::CodeProvision
            .legal_basis()
            .ja
            .contains("制定時：第4条")
    );
    assert!(Act::CodeInputRequest.legal_basis().en.contains("Art. 7"));
    assert!(Act::IdentifierMisuse.is_unauthorized_access());
    assert!(!Act::CodeInputRequest.is_unauthorized_access());
}

#[test]
fn scan_categories_map_onto_acts() {
    assert_eq!(
        Act::try_from(ActCategory::IdentifierMisuse),
        Ok(Act::IdentifierMisuse)
    );
    assert_eq!(
        Act::from_scan_category(ActCategory::SecurityHoleAttack),
        Some(Act::SecurityHoleAttack)
    );
    assert_eq!(
        Act::try_from(ActCategory::Reconnaissance),
        Err(ActCategory::Reconnaissance)
    );
    // The scan's JSON names stay what they were.
    assert_eq!(
        ActCategory::IdentifierMisuse.as_str(),
        Act::IdentifierMisuse.code()
    );
}

#[test]
fn mapping_data_declares_the_current_version() {
    for (file, v) in data_versions() {
        assert_eq!(v, TAXONOMY_VERSION, "{file}");
    }
}

fn assert_known(t: &Triggers, what: &str) {
    for c in &t.acts {
        assert!(Act::parse(c).is_some(), "{what}: unknown act {c}");
    }
    for c in &t.methods {
        assert!(Method::parse(c).is_some(), "{what}: unknown method {c}");
    }
    for c in &t.after {
        assert!(
            AfterAccess::parse(c).is_some(),
            "{what}: unknown after-access {c}"
        );
    }
    for c in &t.damages {
        assert!(Damage::parse(c).is_some(), "{what}: unknown damage {c}");
    }
}

#[test]
fn every_code_in_the_mapping_data_exists() {
    let mut codes = HashSet::new();
    for k in jpcert_catalog() {
        assert!(codes.insert(k.code.clone()), "duplicate {}", k.code);
        assert_known(&k.when, &k.code);
        assert!(!k.text().ja.is_empty() && !k.text().en.is_empty());
    }
    let mut pairs = HashSet::new();
    for t in rsit_catalog() {
        assert!(pairs.insert((t.0, t.1)), "duplicate {}/{}", t.0, t.1);
    }
    const RSIT_CLASSES: [&str; 11] = [
        "abusive-content",
        "malicious-code",
        "information-gathering",
        "intrusion-attempts",
        "intrusions",
        "availability",
        "information-content-security",
        "fraud",
        "vulnerable",
        "other",
        "test",
    ];
    for (class, _, _) in rsit_catalog() {
        assert!(RSIT_CLASSES.contains(&class), "not an RSIT class: {class}");
    }
    for t in rsit_types() {
        assert_known(&t.when, &t.kind);
    }
}

fn one(f: impl FnOnce(&mut Classification)) -> Classification {
    let mut c = Classification::new();
    f(&mut c);
    c
}

/// Every act, method (but other/unknown) and after-access value (but other) counts under a
/// JPCERT/CC category — `other` only when the data says so — and maps to an RSIT type.
#[test]
fn every_value_maps() {
    let other = jpcert_category("other").unwrap();
    let mut cases: Vec<(String, Classification, bool)> = Vec::new();
    for &a in Act::ALL {
        cases.push((
            a.code().into(),
            one(|c| c.acts = vec![a]),
            other.when.acts.iter().any(|x| x == a.code()),
        ));
    }
    for &m in Method::ALL
        .iter()
        .filter(|m| !matches!(m, Method::Other | Method::Unknown))
    {
        cases.push((
            m.code().into(),
            one(|c| c.methods = vec![m]),
            other.when.methods.iter().any(|x| x == m.code()),
        ));
    }
    for &x in AfterAccess::ALL
        .iter()
        .filter(|x| **x != AfterAccess::Other)
    {
        cases.push((
            x.code().into(),
            one(|c| c.after = vec![x]),
            other.when.after.iter().any(|y| y == x.code()),
        ));
    }
    for (code, c, to_other) in cases {
        let j = jpcert_categories(&c);
        if to_other {
            assert_eq!(j, vec!["other"], "{code} is listed under other");
        } else {
            assert!(
                !j.contains(&"other"),
                "{code} maps to no JPCERT/CC category: add it to data/jpcert.toml"
            );
        }
        let r = rsit(&c);
        assert_ne!(
            r,
            vec![("other", "undetermined")],
            "{code} maps to no RSIT type: add it to data/rsit.toml"
        );
    }
    for &d in [
        Damage::InformationLeaked,
        Damage::DataAltered,
        Damage::DataDestroyed,
    ]
    .iter()
    {
        assert_ne!(
            rsit(&one(|c| c.damages = vec![d])),
            vec![("other", "undetermined")]
        );
    }
}

#[test]
fn mappings_cut_a_case_the_bodies_ways() {
    let phishing = one(|c| {
        c.acts = vec![Act::CodeInputRequest];
        c.methods = vec![Method::PhishingSite];
    });
    assert_eq!(jpcert_categories(&phishing), vec!["phishing_site"]);
    assert_eq!(rsit(&phishing), vec![("fraud", "phishing")]);

    let defaced = one(|c| {
        c.acts = vec![Act::SecurityHoleAttack];
        c.after = vec![AfterAccess::Defacement, AfterAccess::PlantedFiles];
    });
    assert_eq!(
        jpcert_categories(&defaced),
        vec!["website_defacement", "malware_site"]
    );
    let r = rsit(&defaced);
    assert!(
        r.contains(&("intrusions", "application-compromise")),
        "{r:?}"
    );
    assert!(r.contains(&(
        "information-content-security",
        "unauthorised-information-modification"
    )));

    // A failed brute force is an attempt; the same method with a login is a compromise.
    let attempt = one(|c| c.methods = vec![Method::WeakPasswordManagement]);
    assert_eq!(rsit(&attempt), vec![("intrusion-attempts", "brute-force")]);
    let success = one(|c| {
        c.acts = vec![Act::IdentifierMisuse];
        c.methods = vec![Method::WeakPasswordManagement];
    });
    assert_eq!(
        rsit(&success),
        vec![("intrusions", "unprivileged-account-compromise")]
    );
    assert_eq!(jpcert_categories(&success), vec!["other"]);

    let empty = Classification::new();
    assert_eq!(jpcert_categories(&empty), vec!["other"]);
    assert_eq!(rsit(&empty), vec![("other", "undetermined")]);
}

#[test]
fn classification_round_trips_through_json() {
    let c = one(|c| {
        c.acts = vec![Act::IdentifierMisuse];
        c.sector = Some(Sector::Finance);
        c.discovery = Some(Discovery::OwnMonitoring);
    });
    let j = serde_json::to_value(&c).unwrap();
    assert_eq!(j["acts"][0], "identifier_misuse");
    assert_eq!(j["sector"], "finance");
    assert_eq!(j["version"], "2026.1");
    let back: Classification = serde_json::from_value(j).unwrap();
    assert_eq!(back, c);
}
