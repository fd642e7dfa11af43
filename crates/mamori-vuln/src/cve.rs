//! A CVE JSON 5.1 record (`cveMetadata`, `containers.cna`) from a published [`Advisory`],
//! and [`check`]: the record schema's required fields for a published CNA container.
//!
//! Only a published advisory gives a record: a CVE record is public, so before the date it
//! would break Ⅴ 一 3.(9). The English description the CVE program requires comes first;
//! the Japanese one is kept alongside. A developer with no verification result appears
//! with `defaultStatus: unknown` — never `unaffected`.

use crate::advisory::{Advisory, PublishedResult, valid_cve_id};
use crate::clause::Clause;
use crate::cvss::{CvssV4, score_text};
use crate::error::VulnError;
use crate::jst::rfc3339_utc;
use serde_json::{Value, json};

/// The CNA issuing the record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cna {
    /// The CNA's organization UUID.
    pub org_id: String,
    /// Its short name, e.g. `jpcert`.
    pub short_name: String,
}

/// `8-4-4-4-12` hexadecimal.
pub fn is_uuid(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() == 5
        && parts
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(p, n)| p.len() == n && p.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The CVE record for `cve_id` of a published advisory.
pub fn record(adv: &Advisory, cve_id: &str, cna: &Cna) -> Result<Value, VulnError> {
    let published = match adv.published_at {
        Some(at) if !adv.embargoed => at,
        _ => {
            return Err(VulnError::BeforePublicationDate {
                clause: Clause::SwCoordinator9,
                date: adv.publication_date,
            });
        }
    };
    let bad = |what| VulnError::Condition {
        clause: Clause::SwCoordinator6,
        what,
    };
    if !valid_cve_id(cve_id) || !adv.text.cve_ids.iter().any(|c| c == cve_id) {
        return Err(bad("the CVE id is one of the advisory's"));
    }
    if !is_uuid(&cna.org_id) {
        return Err(bad("the CNA's org id is a UUID"));
    }
    let affected: Vec<Value> = adv
        .developers
        .iter()
        .flat_map(|d| {
            let status = match d.result {
                PublishedResult::Affected | PublishedResult::Fixed => "affected",
                PublishedResult::NotAffected => "unaffected",
                PublishedResult::Investigating
                | PublishedResult::NoReport
                | PublishedResult::Unreachable => "unknown",
            };
            let products = if d.products.is_empty() {
                vec![d.name.clone()]
            } else {
                d.products.clone()
            };
            products
                .into_iter()
                .map(move |p| json!({ "vendor": d.name, "product": p, "defaultStatus": status }))
        })
        .collect();
    if affected.is_empty() {
        return Err(bad("a CVE record lists at least one product"));
    }
    let mut references = vec![json!({ "url": adv.text.url, "tags": ["third-party-advisory"] })];
    let mut solutions = Vec::new();
    for d in &adv.developers {
        for c in &d.countermeasures {
            if let Some(u) = &c.url
                && !references.iter().any(|r| r["url"] == json!(u))
            {
                references.push(json!({ "url": u, "tags": ["vendor-advisory"] }));
            }
            if !c.en.trim().is_empty() {
                solutions.push(json!({ "lang": "en", "value": format!("{}: {}", d.name, c.en) }));
            }
        }
    }
    let mut cna_c = json!({
        "providerMetadata": { "orgId": cna.org_id, "shortName": cna.short_name },
        "title": adv.text.title_en,
        "datePublic": rfc3339_utc(adv.publication_date),
        "descriptions": [
            { "lang": "en", "value": adv.text.overview_en },
            { "lang": "ja", "value": adv.text.overview_ja },
        ],
        "affected": affected,
        "references": references,
    });
    if let Some(cwe) = &adv.text.cwe {
        cna_c["problemTypes"] = json!([{ "descriptions": [{ "lang": "en", "type": "CWE", "cweId": cwe, "description": cwe }] }]);
    }
    if !solutions.is_empty() {
        cna_c["solutions"] = json!(solutions);
    }
    let general = json!([{ "lang": "en", "value": "GENERAL" }]);
    let mut metrics = Vec::new();
    if let Some(v) = &adv.text.cvss_v4 {
        metrics.push(json!({
            "format": "CVSS",
            "scenarios": general,
            "cvssV4_0": {
                "version": "4.0",
                "vectorString": v.vector(),
                "baseScore": v.base_score(),
                "baseSeverity": v.severity().upper(),
            },
        }));
    }
    if let Some(v) = &adv.text.cvss_v3 {
        metrics.push(json!({
            "format": "CVSS",
            "scenarios": general,
            "cvssV3_1": {
                "version": "3.1",
                "vectorString": v.vector(),
                "baseScore": v.base_score(),
                "baseSeverity": v.severity().upper(),
            },
        }));
    }
    if !metrics.is_empty() {
        cna_c["metrics"] = json!(metrics);
    }
    if let Some(credit) = &adv.credit {
        cna_c["credits"] = json!([{ "lang": "en", "value": credit, "type": "finder" }]);
    }
    Ok(json!({
        "dataType": "CVE_RECORD",
        "dataVersion": "5.1",
        "cveMetadata": {
            "cveId": cve_id,
            "assignerOrgId": cna.org_id,
            "assignerShortName": cna.short_name,
            "state": "PUBLISHED",
            "datePublished": rfc3339_utc(published),
        },
        "containers": { "cna": cna_c },
    }))
}

/// Minimal validation of a published CVE JSON 5.x record; returns the problems found.
pub fn check(rec: &Value) -> Vec<String> {
    let mut p = Vec::new();
    let s = |path: &str| rec.pointer(path).and_then(Value::as_str).unwrap_or("");
    if s("/dataType") != "CVE_RECORD" {
        p.push("dataType is not CVE_RECORD".into());
    }
    if !["5.0", "5.1"].contains(&s("/dataVersion")) {
        p.push("dataVersion is not 5.0 or 5.1".into());
    }
    if !valid_cve_id(s("/cveMetadata/cveId")) {
        p.push("cveMetadata.cveId invalid".into());
    }
    if !is_uuid(s("/cveMetadata/assignerOrgId")) {
        p.push("cveMetadata.assignerOrgId is not a UUID".into());
    }
    if s("/cveMetadata/state") != "PUBLISHED" {
        p.push("cveMetadata.state is not PUBLISHED".into());
    }
    if !is_uuid(s("/containers/cna/providerMetadata/orgId")) {
        p.push("cna.providerMetadata.orgId is not a UUID".into());
    }
    let arr = |path: &str| {
        rec.pointer(path)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let descriptions = arr("/containers/cna/descriptions");
    if !descriptions.iter().any(|d| {
        d["lang"]
            .as_str()
            .is_some_and(|l| l == "en" || l.starts_with("en-"))
            && d["value"].as_str().is_some_and(|v| !v.trim().is_empty())
    }) {
        p.push("cna.descriptions has no English description".into());
    }
    let affected = arr("/containers/cna/affected");
    if affected.is_empty() {
        p.push("cna.affected is empty".into());
    }
    for a in &affected {
        let named = a["vendor"].as_str().is_some_and(|v| !v.is_empty())
            && a["product"].as_str().is_some_and(|v| !v.is_empty());
        if !named {
            p.push("an affected entry lacks vendor or product".into());
        }
        let ds = a["defaultStatus"].as_str();
        if a.get("versions").is_none() && ds.is_none() {
            p.push("an affected entry has neither versions nor defaultStatus".into());
        }
        if ds.is_some_and(|d| !["affected", "unaffected", "unknown"].contains(&d)) {
            p.push("defaultStatus invalid".into());
        }
    }
    let references = arr("/containers/cna/references");
    if references.is_empty() {
        p.push("cna.references is empty".into());
    }
    if !references.iter().all(|r| {
        r["url"]
            .as_str()
            .is_some_and(|u| u.starts_with("https://") || u.starts_with("http://"))
    }) {
        p.push("a reference url is not a URL".into());
    }
    for m in arr("/containers/cna/metrics") {
        if let Some(c) = m.get("cvssV3_1") {
            crate::csaf::check_cvss_v3(c, &mut p);
        }
        if let Some(c) = m.get("cvssV4_0") {
            check_cvss_v4(c, &mut p);
        }
    }
    for c in arr("/containers/cna/credits") {
        if c["lang"].as_str().is_none() || c["value"].as_str().is_none_or(str::is_empty) {
            p.push("a credit lacks lang or value".into());
        }
    }
    p
}

/// The 4.0 vector is valid and its base score and severity are the ones it gives.
fn check_cvss_v4(c: &Value, p: &mut Vec<String>) {
    let vector = c.get("vectorString").and_then(Value::as_str).unwrap_or("");
    match CvssV4::parse(vector) {
        Err(e) => p.push(format!("CVSS 4.0 vector {vector:?}: {e}")),
        Ok(v) => {
            if c.get("baseScore").and_then(Value::as_f64) != Some(v.base_score())
                || c.get("baseSeverity").and_then(Value::as_str) != Some(v.severity().upper())
            {
                p.push(format!(
                    "cvssV4_0 baseScore/baseSeverity do not match {vector} ({} {})",
                    score_text(v.base_score()),
                    v.severity().upper()
                ));
            }
        }
    }
}
