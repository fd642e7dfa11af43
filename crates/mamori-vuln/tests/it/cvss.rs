//! CVSS 3.1 / 4.0 base vectors on the advisory: refused with the bad metric named, kept
//! through storage, and carried into CSAF 2.0 `scores` and CVE JSON 5.1 `metrics`.

use crate::common::*;
use mamori_core::Lang;
use mamori_vuln::csaf::{CsafPublisher, security_advisory};
use mamori_vuln::cve::{Cna, record};
use mamori_vuln::cvss::{CvssError, CvssV3, CvssV4, Severity, score_text};
use mamori_vuln::*;

const V3: &str = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H";
const V4: &str = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N";

fn err3(s: &str) -> CvssError {
    CvssV3::parse(s).unwrap_err()
}

fn err4(s: &str) -> CvssError {
    CvssV4::parse(s).unwrap_err()
}

#[test]
fn cvss_refusal_names_the_bad_metric_in_both_languages() {
    let e = err3("CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
    assert_eq!(e.code(), "E-CVSS-VALUE");
    assert!(e.to_string().contains("AV (Attack Vector)"), "{e}");
    assert!(e.message(Lang::Ja).contains("AV (Attack Vector) の値 `Q`"));
    let e = err3("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H");
    assert_eq!(e.code(), "E-CVSS-MISSING");
    assert!(e.to_string().contains("A (Availability"), "{e}");
    let e = err3("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:F");
    assert_eq!(e.code(), "E-CVSS-NOT-BASE");
    assert!(e.to_string().starts_with("E (Exploit"), "{e}");
    let e = err3("CVSS:3.1/AV:N/AC:L/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H");
    assert_eq!(e.code(), "E-CVSS-DUPLICATE");
    assert!(e.to_string().contains("AC (Attack Complexity)"), "{e}");
    assert_eq!(
        err3("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H").code(),
        "E-CVSS-VERSION"
    );
    assert_eq!(err3(V4).code(), "E-CVSS-VERSION");
    assert_eq!(err3("CVSS:3.1/AV:N/ZZ:1").code(), "E-CVSS-UNKNOWN-METRIC");
    assert_eq!(err3("CVSS:3.1/AV:N/AC").code(), "E-CVSS-SYNTAX");
    assert_eq!(err3("").code(), "E-CVSS-VERSION");
    // 4.0: the metric whose value is bad is named even though the rest is fine.
    let e = err4("CVSS:4.0/AV:N/AC:L/AT:X/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N");
    assert_eq!(e.code(), "E-CVSS-VALUE");
    assert!(e.to_string().contains("AT (Attack Requirements)"), "{e}");
    let e = err4("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N");
    assert!(
        e.to_string().contains("SA (") && e.code() == "E-CVSS-MISSING",
        "{e}"
    );
    assert_eq!(err4(&format!("{V4}/E:A")).code(), "E-CVSS-NOT-BASE");
    assert_eq!(err4(V3).code(), "E-CVSS-VERSION");
    // Garbage never panics.
    for s in [
        "CVSS:4.0/",
        "CVSS:4.0//",
        "CVSS:4.0/AV:N:N",
        "ＣＶＳＳ:3.1",
        "CVSS:3.1/AV:",
    ] {
        assert!(
            CvssV4::parse(s).is_err() && CvssV3::parse(s).is_err(),
            "{s}"
        );
    }
}

#[test]
fn cvss_vectors_are_kept_in_the_specification_order() {
    let v = CvssV3::parse(" CVSS:3.1/A:H/I:H/C:H/S:U/UI:N/PR:N/AC:L/AV:N ").unwrap();
    assert_eq!(v.vector(), V3);
    assert_eq!(v, CvssV3::parse(V3).unwrap());
    let v =
        CvssV4::parse("CVSS:4.0/SA:N/SI:N/SC:N/VA:H/VI:H/VC:H/UI:N/PR:N/AT:N/AC:L/AV:N").unwrap();
    assert_eq!(v.vector(), V4);
}

#[test]
fn cvss_severity_uses_jvn_words() {
    let words: Vec<(&str, &str)> = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
    ]
    .iter()
    .map(|s| (s.text().ja, s.text().en))
    .collect();
    assert_eq!(
        words,
        vec![
            ("緊急", "Critical"),
            ("重要", "High"),
            ("警告", "Medium"),
            ("注意", "Low")
        ]
    );
    // The severity follows the score on the specification's scale.
    for s in [V3, "CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N"] {
        let v = CvssV3::parse(s).unwrap();
        let expect = match v.base_score() {
            x if x < 0.1 => Severity::None,
            x if x < 4.0 => Severity::Low,
            x if x < 7.0 => Severity::Medium,
            x if x < 9.0 => Severity::High,
            _ => Severity::Critical,
        };
        assert_eq!(v.severity(), expect, "{s}");
    }
}

#[test]
fn cvss_survives_storage_and_old_advisories_read_without_it() {
    let mut a = text();
    a.cvss_v3 = Some(CvssV3::parse(V3).unwrap());
    a.cvss_v4 = Some(CvssV4::parse(V4).unwrap());
    let json = serde_json::to_value(&a).unwrap();
    assert_eq!(json["cvss_v3"], V3);
    assert_eq!(json["cvss_v4"], V4);
    let back: AdvisoryText = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(back, a);
    // A case stored before CVSS existed.
    let mut old = json.clone();
    old.as_object_mut().unwrap().remove("cvss_v3");
    old.as_object_mut().unwrap().remove("cvss_v4");
    let back: AdvisoryText = serde_json::from_value(old).unwrap();
    assert_eq!((back.cvss_v3, back.cvss_v4), (None, None));
    // A stored vector is checked again on reading.
    let mut bad = json;
    bad["cvss_v3"] = "CVSS:3.1/AV:Q".into();
    let e = serde_json::from_value::<AdvisoryText>(bad).unwrap_err();
    assert!(e.to_string().contains("AV (Attack Vector)"), "{e}");
}

fn scored() -> Sim {
    // acme affected, beta fixed, gamma silent; the advisory carries both vectors.
    let mut s = Sim::coordinating(&["acme", "beta", "gamma"]);
    s.answer("acme", 3, Sim::verified(true, Novelty::New));
    s.answer("beta", 4, Sim::verified(true, Novelty::New));
    s.answer("beta", 30, Reply::Countermeasure(fix("2.2")));
    s.ok(
        Party::Coordinator,
        5,
        Command::SetPublicationDate {
            date: t(45),
            basis: basis(""),
        },
    );
    let mut a = text();
    a.cvss_v3 = Some(CvssV3::parse(V3).unwrap());
    a.cvss_v4 = Some(CvssV4::parse(V4).unwrap());
    s.ok(Party::Coordinator, 40, Command::WriteAdvisory { text: a });
    s.ok(Party::Coordinator, 45, Command::Publish);
    s
}

#[test]
fn csaf_scores_the_vulnerable_products_and_notes_the_4_0_vector() {
    let s = scored();
    let adv = public_advisory(&s.case, &s.roster, t(45)).unwrap();
    let publisher = CsafPublisher {
        category: "coordinator".into(),
        name: "JPCERT/CC".into(),
        namespace: "https://jvn.jp".into(),
    };
    let v3 = CvssV3::parse(V3).unwrap();
    let v4 = CvssV4::parse(V4).unwrap();
    for lang in [Lang::Ja, Lang::En] {
        let doc = security_advisory(&adv, &publisher, lang, t(45));
        assert_eq!(csaf::check(&doc), Vec::<String>::new());
        let vuln = &doc["vulnerabilities"][0];
        let sc = &vuln["scores"];
        assert_eq!(sc.as_array().unwrap().len(), 1);
        // The affected product (acme) and the silent developer's (gamma, no result yet),
        // not the fixed one (beta; optional test 6.2.19).
        assert_eq!(
            vuln["product_status"]["fixed"],
            serde_json::json!(["CSAFPID-0002"])
        );
        assert_eq!(
            sc[0]["products"],
            serde_json::json!(["CSAFPID-0001", "CSAFPID-0003"])
        );
        let c = &sc[0]["cvss_v3"];
        assert_eq!(c["version"], "3.1");
        assert_eq!(c["vectorString"], V3);
        assert_eq!(c["baseScore"].as_f64(), Some(v3.base_score()));
        assert_eq!(c["baseSeverity"], "CRITICAL");
        let notes = vuln["notes"].to_string();
        assert!(notes.contains(V4), "{notes}");
        assert!(notes.contains(&score_text(v4.base_score())), "{notes}");
        // A wrong score is caught (6.1.9), as BSI's validator would.
        let mut bad = doc.clone();
        bad["vulnerabilities"][0]["scores"][0]["cvss_v3"]["baseScore"] = 5.0.into();
        let p = csaf::check(&bad);
        assert!(p.iter().any(|x| x.starts_with("6.1.9")), "{p:?}");
    }
}

#[test]
fn cve_record_carries_cvss_3_1_and_4_0_metrics() {
    let s = scored();
    let adv = public_advisory(&s.case, &s.roster, t(45)).unwrap();
    let cna = Cna {
        org_id: "b3476cb9-2e3d-41a6-98d0-0f47421a65b6".into(),
        short_name: "jpcert".into(),
    };
    let rec = record(&adv, "CVE-2026-12345", &cna).unwrap();
    assert_eq!(cve::check(&rec), Vec::<String>::new());
    let m = &rec["containers"]["cna"]["metrics"];
    let v4 = &m[0]["cvssV4_0"];
    assert_eq!(v4["version"], "4.0");
    assert_eq!(v4["vectorString"], V4);
    assert_eq!(
        v4["baseScore"].as_f64(),
        Some(CvssV4::parse(V4).unwrap().base_score())
    );
    assert_eq!(v4["baseSeverity"], "CRITICAL");
    let v3 = &m[1]["cvssV3_1"];
    assert_eq!(v3["vectorString"], V3);
    assert_eq!(v3["baseSeverity"], "CRITICAL");
    assert_eq!(m[1]["scenarios"][0]["value"], "GENERAL");
    let mut bad = rec.clone();
    bad["containers"]["cna"]["metrics"][0]["cvssV4_0"]["baseSeverity"] = "LOW".into();
    bad["containers"]["cna"]["metrics"][1]["cvssV3_1"]["vectorString"] = "CVSS:3.1/AV:N".into();
    assert_eq!(cve::check(&bad).len(), 2, "{:?}", cve::check(&bad));
    // Without vectors there is no metrics block at all.
    let mut plain = adv.clone();
    plain.text.cvss_v3 = None;
    plain.text.cvss_v4 = None;
    let rec = record(&plain, "CVE-2026-12345", &cna).unwrap();
    assert!(rec["containers"]["cna"].get("metrics").is_none());
}
