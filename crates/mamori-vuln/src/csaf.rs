//! CSAF 2.0 (`csaf_security_advisory`) from an [`Advisory`], and [`check`]: the
//! schema's required fields and the mandatory tests Mamori can break (6.1.1 product ids
//! defined, 6.1.6 no contradicting status, 6.1.16 latest version, 6.1.17 draft status,
//! 6.1.27.4–6 the security-advisory profile), so the generator is tested without an
//! external validator; `.ci/run` adds the BSI and PyPI validators.
//!
//! An embargoed case gives a **draft marked TLP:RED** for the parties (status `draft`,
//! version `0`, a note naming the publication date in JST); after publication the document
//! is TLP:WHITE, `interim` while some developer has given no result and `final` once every
//! developer has. A developer that gave no verification result is listed under
//! `under_investigation` with a note saying "no report" — never `known_not_affected`.

use crate::advisory::{Advisory, PublishedResult};
use crate::cvss::{CvssV3, score_text};
use crate::developer::CountermeasureKind;
use crate::jst::{format_jst, rfc3339_utc};
use mamori_core::Lang;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use time::OffsetDateTime;

/// Who issues the document (`/document/publisher`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsafPublisher {
    /// `coordinator`, `vendor`, `discoverer`, `other`, `translator` or `user`.
    pub category: String,
    /// E.g. `JPCERT/CC`.
    pub name: String,
    /// The publisher's URL, e.g. `https://jvn.jp`.
    pub namespace: String,
}

fn t<'a>(lang: Lang, ja: &'a str, en: &'a str) -> &'a str {
    match lang {
        Lang::Ja => ja,
        Lang::En => en,
    }
}

/// The CSAF 2.0 security advisory for `adv` in `lang`, generated at `now` (the draft's
/// release date; a published document uses its publication time).
pub fn security_advisory(
    adv: &Advisory,
    publisher: &CsafPublisher,
    lang: Lang,
    now: OffsetDateTime,
) -> Value {
    build(adv, publisher, lang, now, false)
}

/// The same advisory as a CSAF 2.0 VEX document (`csaf_vex`): each `known_not_affected`
/// product carries the developer's statement as an impact threat (6.1.27.9) and each
/// `known_affected` product an action (a remediation, `none_available` until the developer
/// reports a countermeasure; 6.1.27.10).
pub fn vex(adv: &Advisory, publisher: &CsafPublisher, lang: Lang, now: OffsetDateTime) -> Value {
    build(adv, publisher, lang, now, true)
}

fn build(
    adv: &Advisory,
    publisher: &CsafPublisher,
    lang: Lang,
    now: OffsetDateTime,
    vex: bool,
) -> Value {
    let text = &adv.text;
    let (title, overview) = match lang {
        Lang::Ja => (&text.title_ja, &text.overview_ja),
        Lang::En => (&text.title_en, &text.overview_en),
    };
    // Product tree: vendor → product, one product id per developer product.
    let mut branches = Vec::new();
    let mut ids: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    let mut n = 0;
    for (i, d) in adv.developers.iter().enumerate() {
        let products = if d.products.is_empty() {
            vec![d.name.clone()]
        } else {
            d.products.clone()
        };
        let mut leaves = Vec::new();
        for p in products {
            n += 1;
            let pid = format!("CSAFPID-{n:04}");
            ids.entry(i).or_default().push(pid.clone());
            leaves.push(json!({
                "category": "product_name",
                "name": p,
                "product": { "name": format!("{} {}", d.name, p), "product_id": pid },
            }));
        }
        branches.push(json!({ "category": "vendor", "name": d.name, "branches": leaves }));
    }
    // Product status and per-developer notes.
    let mut status: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut notes = vec![
        json!({ "category": "description", "title": t(lang, "概要", "Overview"), "text": overview }),
    ];
    let mut remediations = Vec::new();
    let mut threats = Vec::new();
    for (i, d) in adv.developers.iter().enumerate() {
        let pids = ids.get(&i).cloned().unwrap_or_default();
        let group = match d.result {
            PublishedResult::Affected => "known_affected",
            PublishedResult::Fixed => "fixed",
            PublishedResult::NotAffected => "known_not_affected",
            PublishedResult::Investigating
            | PublishedResult::NoReport
            | PublishedResult::Unreachable => "under_investigation",
        };
        status
            .entry(group)
            .or_default()
            .extend(pids.iter().cloned());
        let mut body = String::from(d.result.text().get(lang));
        if d.no_verification_report() {
            body.push_str(t(
                lang,
                "（検証結果の報告なし。CSAF に「不明」がないため under_investigation に分類）",
                " (no verification result reported; listed as under_investigation since CSAF has no \"unknown\")",
            ));
        }
        if let Some(s) = &d.statement
            && !s.trim().is_empty()
        {
            body.push_str(&format!("\n{s}"));
        }
        match &d.status_report {
            Some(s) => body.push_str(&format!("\n{}: {s}", t(lang, "対応状況", "Status"))),
            None if d.countermeasures.is_empty() => {
                body.push_str(&format!(
                    "\n{}",
                    t(lang, "対応状況: 報告なし", "Status: no report")
                ));
            }
            None => {}
        }
        notes.push(json!({ "category": "details", "title": d.name, "text": body }));
        for c in &d.countermeasures {
            let details = match lang {
                Lang::En if !c.en.trim().is_empty() => &c.en,
                _ => &c.ja,
            };
            let mut r = json!({
                "category": match c.kind { CountermeasureKind::Fix => "vendor_fix", CountermeasureKind::Workaround => "workaround" },
                "details": details,
                "product_ids": pids,
            });
            if let Some(u) = &c.url {
                r["url"] = json!(u);
            }
            remediations.push(r);
        }
        if vex && d.result == PublishedResult::NotAffected {
            let details = d
                .statement
                .clone()
                .filter(|x| !x.trim().is_empty())
                .unwrap_or_else(|| {
                    t(
                        lang,
                        "製品開発者が影響なしと報告",
                        "The developer reported it is not affected",
                    )
                    .into()
                });
            threats.push(json!({ "category": "impact", "details": details, "product_ids": pids }));
        }
        if vex && d.result == PublishedResult::Affected && d.countermeasures.is_empty() {
            remediations.push(json!({
                "category": "none_available",
                "details": t(lang, "対策方法は報告されていません", "No countermeasure has been reported yet"),
                "product_ids": pids,
            }));
        }
    }
    // Scores: CSAF 2.0 has `cvss_v2` and `cvss_v3` only (the score object allows no other
    // property), so the 3.1 vector goes to `scores` for the products that are or may be
    // vulnerable (known affected, or no result yet) — not the fixed ones (optional test
    // 6.2.19) nor the not affected — and the 4.0 vector, where there is one, to a note.
    let vulnerable: Vec<String> = ["known_affected", "under_investigation"]
        .iter()
        .flat_map(|g| status.get(g).cloned().unwrap_or_default())
        .collect();
    let mut scores = Vec::new();
    if let Some(v3) = &text.cvss_v3
        && !vulnerable.is_empty()
    {
        scores.push(json!({ "cvss_v3": cvss_v3(v3), "products": vulnerable }));
    }
    if let Some(v4) = &text.cvss_v4 {
        notes.push(json!({
            "category": "other",
            "title": "CVSS 4.0",
            "text": format!(
                "{} {} ({}, {})",
                v4.vector(),
                score_text(v4.base_score()),
                t(lang, "基本値 CVSS-B", "base score CVSS-B"),
                v4.severity().text().get(lang),
            ),
        }));
    }
    let product_status: serde_json::Map<String, Value> = status
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| (k.to_string(), json!(v)))
        .collect();
    let mut vuln = json!({
        "ids": [{ "system_name": "JVN", "text": text.id }],
        "notes": notes,
        "product_status": product_status,
    });
    if !remediations.is_empty() {
        vuln["remediations"] = json!(remediations);
    }
    if !threats.is_empty() {
        vuln["threats"] = json!(threats);
    }
    if !scores.is_empty() {
        vuln["scores"] = json!(scores);
    }
    let vulnerabilities: Vec<Value> = if text.cve_ids.is_empty() {
        vec![vuln]
    } else {
        text.cve_ids
            .iter()
            .map(|c| {
                let mut v = vuln.clone();
                v["cve"] = json!(c);
                v
            })
            .collect()
    };
    // Tracking, distribution.
    let all_answered = adv.developers.iter().all(|d| {
        matches!(
            d.result,
            PublishedResult::Affected | PublishedResult::Fixed | PublishedResult::NotAffected
        )
    });
    let (status, version, date, summary, tlp) = match adv.published_at {
        Some(at) if !adv.embargoed => (
            if all_answered { "final" } else { "interim" },
            "1",
            at,
            t(lang, "初版公開", "Initial public release"),
            "WHITE",
        ),
        _ => (
            "draft",
            "0",
            now,
            t(
                lang,
                "公表前の関係者向け草稿",
                "Embargoed draft for the parties",
            ),
            "RED",
        ),
    };
    let mut doc_notes = vec![
        json!({ "category": "summary", "title": t(lang, "概要", "Summary"), "text": overview }),
    ];
    if adv.embargoed {
        let when = format_jst(adv.publication_date);
        let text = match lang {
            Lang::Ja => format!(
                "公表日 {when} まで関係者限り（取扱基準 Ⅴ 一 3.(9), 4.(4)）。第三者に開示しないこと。"
            ),
            Lang::En => format!(
                "Embargoed until {when}: for the parties only (handling standard V.1.3(9), V.1.4(4)). Do not share."
            ),
        };
        doc_notes.push(json!({ "category": "legal_disclaimer", "title": "TLP:RED", "text": text }));
    }
    let mut document = json!({
        "category": if vex { "csaf_vex" } else { "csaf_security_advisory" },
        "csaf_version": "2.0",
        "lang": match lang { Lang::Ja => "ja-JP", Lang::En => "en-US" },
        "title": title,
        "publisher": { "category": publisher.category, "name": publisher.name, "namespace": publisher.namespace },
        "distribution": { "tlp": { "label": tlp, "url": "https://www.first.org/tlp/" } },
        "notes": doc_notes,
        "references": [{ "category": "self", "summary": text.id, "url": text.url }],
        "tracking": {
            "id": text.id,
            "status": status,
            "version": version,
            "initial_release_date": rfc3339_utc(date),
            "current_release_date": rfc3339_utc(date),
            "revision_history": [{ "date": rfc3339_utc(date), "number": version, "summary": summary }],
            "generator": { "engine": { "name": "Mamori", "version": env!("CARGO_PKG_VERSION") } },
        },
    });
    if let Some(credit) = &adv.credit {
        document["acknowledgments"] =
            json!([{ "names": [credit], "summary": t(lang, "発見者", "discoverer") }]);
    }
    json!({
        "document": document,
        "product_tree": { "branches": branches },
        "vulnerabilities": vulnerabilities,
    })
}

/// The FIRST `cvss-v3.1.json` object CSAF 2.0's `cvss_v3` refers to (its required fields).
fn cvss_v3(v: &CvssV3) -> Value {
    json!({
        "version": "3.1",
        "vectorString": v.vector(),
        "baseScore": v.base_score(),
        "baseSeverity": v.severity().upper(),
    })
}

fn s<'a>(v: &'a Value, path: &str) -> Option<&'a str> {
    v.pointer(path)
        .and_then(Value::as_str)
        .filter(|x| !x.is_empty())
}

fn is_rfc3339(x: &str) -> bool {
    OffsetDateTime::parse(x, &time::format_description::well_known::Rfc3339).is_ok()
}

fn product_ids(branch: &Value, out: &mut BTreeSet<String>) {
    if let Some(id) = branch
        .pointer("/product/product_id")
        .and_then(Value::as_str)
    {
        out.insert(id.to_string());
    }
    for b in branch
        .get("branches")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        product_ids(b, out);
    }
}

/// Minimal validation of a CSAF 2.0 security advisory: the schema's required fields and
/// enums, and the mandatory tests named in the module docs. Returns the problems found.
pub fn check(doc: &Value) -> Vec<String> {
    let mut p = Vec::new();
    for f in [
        "/document/category",
        "/document/csaf_version",
        "/document/title",
        "/document/publisher/name",
    ] {
        if s(doc, f).is_none() {
            p.push(format!("{f} missing"));
        }
    }
    if s(doc, "/document/csaf_version") != Some("2.0") {
        p.push("csaf_version is not 2.0".into());
    }
    let pubcat = s(doc, "/document/publisher/category").unwrap_or("");
    if ![
        "coordinator",
        "discoverer",
        "other",
        "translator",
        "user",
        "vendor",
    ]
    .contains(&pubcat)
    {
        p.push(format!("publisher category {pubcat:?} invalid"));
    }
    if s(doc, "/document/publisher/namespace")
        .is_none_or(|n| !n.starts_with("https://") && !n.starts_with("http://"))
    {
        p.push("publisher namespace is not a URI".into());
    }
    if let Some(l) = doc.pointer("/document/distribution/tlp/label")
        && !["AMBER", "GREEN", "RED", "WHITE"].contains(&l.as_str().unwrap_or(""))
    {
        p.push(format!("TLP label {l} invalid"));
    }
    let status = s(doc, "/document/tracking/status").unwrap_or("");
    if !["draft", "interim", "final"].contains(&status) {
        p.push(format!("tracking status {status:?} invalid"));
    }
    for f in [
        "id",
        "version",
        "initial_release_date",
        "current_release_date",
    ] {
        if s(doc, &format!("/document/tracking/{f}")).is_none() {
            p.push(format!("/document/tracking/{f} missing"));
        }
    }
    for f in ["initial_release_date", "current_release_date"] {
        if let Some(d) = s(doc, &format!("/document/tracking/{f}"))
            && !is_rfc3339(d)
        {
            p.push(format!("{f} {d:?} is not RFC 3339"));
        }
    }
    let version = s(doc, "/document/tracking/version").unwrap_or("");
    let history = doc
        .pointer("/document/tracking/revision_history")
        .and_then(Value::as_array);
    match history {
        Some(h) if !h.is_empty() => {
            for r in h {
                if s(r, "/date").is_none_or(|d| !is_rfc3339(d))
                    || s(r, "/number").is_none()
                    || s(r, "/summary").is_none()
                {
                    p.push("a revision lacks date, number or summary".into());
                }
            }
            if h.last().and_then(|r| s(r, "/number")) != Some(version) {
                p.push("6.1.16: version is not the latest revision number".into());
            }
        }
        _ => p.push("revision_history missing or empty".into()),
    }
    if (version == "0" || version.starts_with("0.")) && status != "draft" {
        p.push("6.1.17: version 0 requires status draft".into());
    }
    let category = s(doc, "/document/category").unwrap_or("");
    if category == "csaf_vex" {
        check_vex(doc, &mut p);
    }
    if category == "csaf_security_advisory" || category == "csaf_vex" {
        if doc.get("product_tree").is_none() {
            p.push("6.1.27.4: product_tree missing".into());
        }
        let vulns = doc.get("vulnerabilities").and_then(Value::as_array);
        if vulns.is_none_or(|v| v.is_empty()) {
            p.push("6.1.27.11: vulnerabilities missing".into());
        }
        for v in vulns.into_iter().flatten() {
            if v.get("notes")
                .and_then(Value::as_array)
                .is_none_or(|n| n.is_empty())
            {
                p.push("6.1.27.5: a vulnerability has no notes".into());
            }
            if v.get("product_status")
                .and_then(Value::as_object)
                .is_none_or(|o| o.is_empty())
            {
                p.push("6.1.27.6: a vulnerability has no product_status".into());
            }
        }
    }
    // 6.1.1 and 6.1.6.
    let mut defined = BTreeSet::new();
    for b in doc
        .pointer("/product_tree/branches")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        product_ids(b, &mut defined);
    }
    for v in doc
        .get("vulnerabilities")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let mut group_of: BTreeMap<String, &str> = BTreeMap::new();
        if let Some(ps) = v.get("product_status").and_then(Value::as_object) {
            for (k, ids) in ps {
                let group = match k.as_str() {
                    "first_affected" | "known_affected" | "last_affected" => "affected",
                    "known_not_affected" => "not_affected",
                    "first_fixed" | "fixed" => "fixed",
                    "under_investigation" => "under_investigation",
                    "recommended" => continue,
                    other => {
                        p.push(format!("product_status {other} invalid"));
                        continue;
                    }
                };
                for id in ids
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                {
                    undefined_ids(std::iter::once(id), &defined, &mut p);
                    if let Some(g) = group_of.insert(id.to_string(), group)
                        && g != group
                    {
                        p.push(format!(
                            "6.1.6: {id} in contradicting groups {g} and {group}"
                        ));
                    }
                }
            }
        }
        for r in v
            .get("remediations")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let cat = s(r, "/category").unwrap_or("");
            if ![
                "mitigation",
                "no_fix_planned",
                "none_available",
                "vendor_fix",
                "workaround",
            ]
            .contains(&cat)
            {
                p.push(format!("remediation category {cat:?} invalid"));
            }
            if s(r, "/details").is_none() {
                p.push("a remediation has no details".into());
            }
            undefined_ids(strs(r, "product_ids"), &defined, &mut p);
        }
        for sc in v
            .get("scores")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            undefined_ids(strs(sc, "products"), &defined, &mut p);
            if let Some(c) = sc.get("cvss_v3") {
                check_cvss_v3(c, &mut p);
            }
        }
        if let Some(c) = v.get("cve").and_then(Value::as_str)
            && !crate::advisory::valid_cve_id(c)
        {
            p.push(format!("cve {c:?} invalid"));
        }
    }
    p
}

/// 6.1.8/6.1.9: the vector is valid and the base score and severity are the ones it gives.
pub(crate) fn check_cvss_v3(c: &Value, p: &mut Vec<String>) {
    let vector = c.get("vectorString").and_then(Value::as_str).unwrap_or("");
    match CvssV3::parse(vector) {
        Err(e) => p.push(format!("6.1.8: CVSS 3.1 vector {vector:?}: {e}")),
        Ok(v) => {
            if c.get("baseScore").and_then(Value::as_f64) != Some(v.base_score())
                || c.get("baseSeverity").and_then(Value::as_str) != Some(v.severity().upper())
            {
                p.push(format!(
                    "6.1.9: baseScore/baseSeverity do not match {vector} ({} {})",
                    score_text(v.base_score()),
                    v.severity().upper()
                ));
            }
        }
    }
}

/// The strings of the array `v[key]` (none when absent or not an array).
fn strs<'a>(v: &'a Value, key: &str) -> impl Iterator<Item = &'a str> {
    v.get(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
}

/// Test 6.1.1: every product id referenced must be defined in the product tree.
fn undefined_ids<'a>(
    ids: impl Iterator<Item = &'a str>,
    defined: &BTreeSet<String>,
    p: &mut Vec<String>,
) {
    for id in ids {
        if !defined.contains(id) {
            p.push(format!("6.1.1: {id} not defined in product_tree"));
        }
    }
}

fn ids_in(items: Option<&Value>) -> BTreeSet<&str> {
    items
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .flat_map(|i| {
            i.get("product_ids")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
        })
        .filter_map(Value::as_str)
        .collect()
}

/// The VEX profile's own tests: 6.1.27.7 (a VEX status), 6.1.27.8 (an id), 6.1.27.9 (an
/// impact statement per not-affected product), 6.1.27.10 (an action per affected product).
fn check_vex(doc: &Value, p: &mut Vec<String>) {
    for v in doc
        .get("vulnerabilities")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let ps = v.get("product_status").and_then(Value::as_object);
        let has = |k: &str| ps.and_then(|o| o.get(k)).is_some();
        if ![
            "fixed",
            "known_affected",
            "known_not_affected",
            "under_investigation",
        ]
        .iter()
        .any(|k| has(k))
        {
            p.push("6.1.27.7: no VEX product status".into());
        }
        if v.get("cve").is_none()
            && v.get("ids")
                .and_then(Value::as_array)
                .is_none_or(|a| a.is_empty())
        {
            p.push("6.1.27.8: neither cve nor ids".into());
        }
        let list = |k: &str| -> Vec<&str> {
            ps.and_then(|o| o.get(k))
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect()
        };
        let mut impact = ids_in(v.get("flags"));
        let threats = v
            .get("threats")
            .and_then(Value::as_array)
            .into_iter()
            .flatten();
        impact.extend(
            threats
                .filter(|t| t.get("category").and_then(Value::as_str) == Some("impact"))
                .flat_map(|t| {
                    t.get("product_ids")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                })
                .filter_map(Value::as_str),
        );
        for id in list("known_not_affected") {
            if !impact.contains(id) {
                p.push(format!("6.1.27.9: {id} has no impact statement"));
            }
        }
        let action = ids_in(v.get("remediations"));
        for id in list("known_affected") {
            if !action.contains(id) {
                p.push(format!("6.1.27.10: {id} has no action statement"));
            }
        }
    }
}
