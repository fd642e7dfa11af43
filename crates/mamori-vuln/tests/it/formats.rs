//! The advisory, CSAF 2.0 and CVE JSON 5.1.

use crate::common::*;
use mamori_core::Lang;
use mamori_vuln::csaf::{CsafPublisher, security_advisory};
use mamori_vuln::cve::{Cna, record};
use mamori_vuln::*;
use serde_json::Value;

fn publisher() -> CsafPublisher {
    CsafPublisher {
        category: "coordinator".into(),
        name: "JPCERT/CC".into(),
        namespace: "https://jvn.jp".into(),
    }
}

fn cna() -> Cna {
    Cna {
        org_id: "b3476cb9-2e3d-41a6-98d0-0f47421a65b6".into(),
        short_name: "jpcert".into(),
    }
}

/// Three developers: acme fixed, beta says not affected, gamma silent; date day 45.
fn multi(credit: bool) -> Sim {
    let mut s = Sim::coordinating(&["acme", "beta", "gamma"]);
    if credit {
        let consent = IdentityConsent {
            to_coordinator: false,
            to_developers: false,
            public_credit: Some("Hanako Y.".into()),
        };
        s.ok(Party::Discoverer, 1, Command::UpdateConsent { consent });
    }
    s.answer("acme", 3, Sim::verified(true, Novelty::New));
    s.answer("acme", 30, Reply::Countermeasure(fix("2.2")));
    s.answer("beta", 4, Sim::verified(false, Novelty::New));
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
    s
}

fn statuses(doc: &Value) -> Value {
    doc["vulnerabilities"][0]["product_status"].clone()
}

#[test]
fn csaf_embargoed_case_gives_a_valid_tlp_red_draft() {
    let s = multi(true);
    let adv = advisory(&s.case, &s.roster, t(41)).unwrap();
    let doc = security_advisory(&adv, &publisher(), Lang::Ja, t(41));
    assert_eq!(csaf::check(&doc), Vec::<String>::new());
    assert_eq!(doc["document"]["distribution"]["tlp"]["label"], "RED");
    assert_eq!(doc["document"]["tracking"]["status"], "draft");
    assert_eq!(doc["document"]["tracking"]["version"], "0");
    let notes = doc["document"]["notes"].to_string();
    assert!(notes.contains("2027-01-15 10:00 JST"), "{notes}");
    // The draft goes to developers: no credit without consent to them.
    assert!(doc["document"].get("acknowledgments").is_none());
    let text = doc.to_string();
    for secret in [
        SECRET_NAME,
        SECRET_CONTACT,
        "VERIFY-STEP",
        "ATTACK-CODE",
        "Hanako",
    ] {
        assert!(!text.contains(secret), "{secret} leaked");
    }
}

#[test]
fn csaf_published_lists_every_developer_and_never_turns_silence_into_not_affected() {
    let mut s = multi(true);
    s.ok(Party::Coordinator, 45, Command::Publish);
    let adv = public_advisory(&s.case, &s.roster, t(45)).unwrap();
    let doc = security_advisory(&adv, &publisher(), Lang::En, t(46));
    assert_eq!(csaf::check(&doc), Vec::<String>::new());
    assert_eq!(doc["document"]["category"], "csaf_security_advisory");
    assert_eq!(doc["document"]["distribution"]["tlp"]["label"], "WHITE");
    assert_eq!(
        doc["document"]["tracking"]["status"], "interim",
        "gamma gave no result"
    );
    assert_eq!(
        doc["document"]["tracking"]["initial_release_date"],
        "2027-01-15T01:00:00Z"
    );
    assert_eq!(
        doc["document"]["acknowledgments"][0]["names"][0],
        "Hanako Y."
    );
    assert_eq!(doc["vulnerabilities"][0]["cve"], "CVE-2026-12345");
    let st = statuses(&doc);
    assert_eq!(st["fixed"], serde_json::json!(["CSAFPID-0001"]));
    assert_eq!(
        st["known_not_affected"],
        serde_json::json!(["CSAFPID-0002"])
    );
    assert_eq!(
        st["under_investigation"],
        serde_json::json!(["CSAFPID-0003"])
    );
    assert!(
        doc["vulnerabilities"][0]["notes"]
            .to_string()
            .contains("no verification result reported")
    );
    assert_eq!(
        doc["vulnerabilities"][0]["remediations"][0]["category"],
        "vendor_fix"
    );
    let text = doc.to_string();
    for secret in [SECRET_NAME, SECRET_CONTACT, "VERIFY-STEP", "ATTACK-CODE"] {
        assert!(!text.contains(secret), "{secret} leaked");
    }
    // Japanese too.
    let ja = security_advisory(&adv, &publisher(), Lang::Ja, t(46));
    assert_eq!(csaf::check(&ja), Vec::<String>::new());
    assert!(
        ja["vulnerabilities"][0]["notes"]
            .to_string()
            .contains("報告なし")
    );
}

#[test]
fn csaf_final_once_every_developer_answered() {
    let mut s = multi(false);
    s.answer("gamma", 41, Sim::verified(false, Novelty::New));
    s.ok(Party::Coordinator, 45, Command::Publish);
    let adv = public_advisory(&s.case, &s.roster, t(45)).unwrap();
    let doc = security_advisory(&adv, &publisher(), Lang::Ja, t(45));
    assert_eq!(doc["document"]["tracking"]["status"], "final");
    assert!(doc["document"].get("acknowledgments").is_none());
    assert_eq!(csaf::check(&doc), Vec::<String>::new());
}

#[test]
fn csaf_check_catches_broken_documents() {
    let mut s = multi(false);
    s.ok(Party::Coordinator, 45, Command::Publish);
    let adv = public_advisory(&s.case, &s.roster, t(45)).unwrap();
    let good = security_advisory(&adv, &publisher(), Lang::Ja, t(45));
    let mut bad = good.clone();
    bad["vulnerabilities"][0]["product_status"]["known_affected"] =
        serde_json::json!(["CSAFPID-0002", "CSAFPID-9999"]);
    let p = csaf::check(&bad);
    assert!(p.iter().any(|x| x.starts_with("6.1.1")), "{p:?}");
    assert!(p.iter().any(|x| x.starts_with("6.1.6")), "{p:?}");
    let mut bad = good.clone();
    bad["document"]["tracking"]["version"] = "0".into();
    bad["document"]["distribution"]["tlp"]["label"] = "CLEAR".into();
    let p = csaf::check(&bad);
    assert!(p.iter().any(|x| x.starts_with("6.1.16")), "{p:?}");
    assert!(p.iter().any(|x| x.starts_with("6.1.17")), "{p:?}");
    assert!(p.iter().any(|x| x.contains("TLP")), "{p:?}");
    let mut bad = good;
    bad["vulnerabilities"][0]
        .as_object_mut()
        .unwrap()
        .remove("product_status");
    assert!(csaf::check(&bad).iter().any(|x| x.starts_with("6.1.27.6")));
}

#[test]
fn cve_record_only_after_publication() {
    let mut s = multi(true);
    let draft = advisory(&s.case, &s.roster, t(44)).unwrap();
    let e = record(&draft, "CVE-2026-12345", &cna()).unwrap_err();
    assert_eq!(e.clause(), Clause::SwCoordinator9);
    s.ok(Party::Coordinator, 45, Command::Publish);
    let adv = public_advisory(&s.case, &s.roster, t(45)).unwrap();
    assert!(
        record(&adv, "CVE-2026-99999", &cna()).is_err(),
        "not the advisory's CVE"
    );
    let rec = record(&adv, "CVE-2026-12345", &cna()).unwrap();
    assert_eq!(cve::check(&rec), Vec::<String>::new());
    let c = &rec["containers"]["cna"];
    assert_eq!(c["descriptions"][0]["lang"], "en");
    assert_eq!(c["descriptions"][1]["lang"], "ja");
    let status: Vec<&str> = c["affected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["defaultStatus"].as_str().unwrap())
        .collect();
    assert_eq!(status, vec!["affected", "unaffected", "unknown"]);
    assert_eq!(c["credits"][0]["value"], "Hanako Y.");
    assert_eq!(c["datePublic"], "2027-01-15T01:00:00Z");
    assert_eq!(c["problemTypes"][0]["descriptions"][0]["cweId"], "CWE-287");
    let text = rec.to_string();
    for secret in [SECRET_NAME, SECRET_CONTACT, "VERIFY-STEP", "ATTACK-CODE"] {
        assert!(!text.contains(secret), "{secret} leaked");
    }
    let mut bad = rec.clone();
    bad["containers"]["cna"]["descriptions"] =
        serde_json::json!([{ "lang": "ja", "value": "日本語のみ" }]);
    bad["containers"]["cna"]["affected"][0]
        .as_object_mut()
        .unwrap()
        .remove("defaultStatus");
    let p = cve::check(&bad);
    assert_eq!(p.len(), 2, "{p:?}");
}

#[test]
fn advisory_text_requires_both_languages() {
    let mut s = multi(false);
    let mut t2 = text();
    t2.overview_en.clear();
    assert_eq!(
        s.err(Party::Coordinator, 41, Command::WriteAdvisory { text: t2 })
            .clause(),
        Clause::SwCoordinator6
    );
    let mut t3 = text();
    t3.cve_ids = vec!["CVE-26-1".into()];
    assert!(
        s.apply(Party::Coordinator, 41, Command::WriteAdvisory { text: t3 })
            .is_err()
    );
}

#[test]
fn coordinator_3_9_a_developer_gets_a_draft_with_its_own_line_only() {
    let mut s = multi(true);
    let acme = Party::Developer(dev("acme"));
    let draft = advisory_for(&s.case, &s.roster, &acme, t(41)).unwrap();
    let ids: Vec<&str> = draft.developers.iter().map(|d| d.id.0.as_str()).collect();
    assert_eq!(ids, vec!["acme"]);
    assert_eq!(
        draft.credit, None,
        "the discoverer did not agree to be named to developers"
    );
    let doc = security_advisory(&draft, &publisher(), Lang::Ja, t(41));
    assert_eq!(csaf::check(&doc), Vec::<String>::new());
    let text = doc.to_string();
    assert!(
        !text.contains("Beta Systems") && !text.contains("Gamma Networks"),
        "{text}"
    );
    // The coordinator sees every line; the public nothing before the date.
    let all = advisory_for(&s.case, &s.roster, &Party::Coordinator, t(41)).unwrap();
    assert_eq!(all.developers.len(), 3);
    let e = advisory_for(&s.case, &s.roster, &Party::Public, t(41)).unwrap_err();
    assert_eq!(e.clause(), Clause::SwCoordinator9);
    // After publication everyone sees everything public, credit included.
    s.ok(Party::Coordinator, 45, Command::Publish);
    let public = advisory_for(&s.case, &s.roster, &Party::Public, t(45)).unwrap();
    assert_eq!(
        (public.developers.len(), public.credit.as_deref()),
        (3, Some("Hanako Y."))
    );
}

#[test]
fn csaf_vex_states_impact_and_action_per_product() {
    let mut s = multi(false);
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
    s.ok(
        Party::Coordinator,
        5,
        Command::AddDeveloper {
            developer: dev("delta"),
            products: vec!["Delta AP".into()],
        },
    );
    s.ok(
        Party::Coordinator,
        6,
        Command::NotifyDeveloper {
            developer: dev("delta"),
        },
    );
    s.answer("delta", 7, Sim::verified(true, Novelty::New));
    s.ok(Party::Coordinator, 45, Command::Publish);
    let adv = public_advisory(&s.case, &s.roster, t(45)).unwrap();
    let doc = csaf::vex(&adv, &publisher(), Lang::Ja, t(45));
    assert_eq!(doc["document"]["category"], "csaf_vex");
    assert_eq!(csaf::check(&doc), Vec::<String>::new());
    let v = &doc["vulnerabilities"][0];
    assert_eq!(v["threats"][0]["category"], "impact");
    assert_eq!(
        v["threats"][0]["product_ids"],
        serde_json::json!(["CSAFPID-0002"])
    );
    let none: Vec<&Value> = v["remediations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["category"] == "none_available")
        .collect();
    assert_eq!(none.len(), 1);
    // Without the statements the profile tests fail.
    let mut bad = doc.clone();
    bad["vulnerabilities"][0]
        .as_object_mut()
        .unwrap()
        .remove("threats");
    bad["vulnerabilities"][0]
        .as_object_mut()
        .unwrap()
        .remove("remediations");
    let p = csaf::check(&bad);
    assert!(
        p.iter().any(|x| x.starts_with("6.1.27.9")) && p.iter().any(|x| x.starts_with("6.1.27.10")),
        "{p:?}"
    );
}
