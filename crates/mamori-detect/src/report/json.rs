//! The JSON findings document, schema version 1 (`schemas/scan-findings.schema.json`),
//! and the JSON-lines event stream of `--events`.

use super::advice::advise;
use crate::event::Event;
use crate::finding::Finding;
use crate::scan::ScanReport;
use crate::timefmt::rfc3339;
use serde_json::{Value, json};

/// The schema version of [`document`]. Bumped on incompatible changes.
pub const SCHEMA_VERSION: &str = "1";

fn finding(f: &Finding, report: &ScanReport) -> Value {
    let name = |i: u32| {
        report
            .files
            .get(i as usize)
            .map_or("?", |f| f.name.as_str())
            .to_owned()
    };
    json!({
        "rule": f.rule.id,
        "name": f.rule.name,
        "title": { "ja": f.rule.title.ja, "en": f.rule.title.en },
        "category": f.rule.category.as_str(),
        "severity": f.severity.as_str(),
        "succeeded": f.succeeded,
        "service": f.service.as_str(),
        "target": f.target,
        "references": f.references,
        "sources": f.sources_ranked().iter().map(|(ip, _)| ip.to_string()).collect::<Vec<_>>(),
        "source_counts": f.sources_ranked().iter().map(|(ip, c)| json!({"source": ip.to_string(), "events": c})).collect::<Vec<_>>(),
        "accounts": f.accounts_ranked().iter().map(|(a, _)| a.clone()).collect::<Vec<_>>(),
        "first_seen": f.time_range().map(|(a, _)| rfc3339(a)),
        "last_seen": f.time_range().map(|(_, b)| rfc3339(b)),
        "count": f.count,
        "facts": f.facts.iter().map(|(ja, en)| json!({"ja": ja, "en": en})).collect::<Vec<_>>(),
        "explanation": { "ja": f.rule.explanation.ja, "en": f.rule.explanation.en },
        "evidence": f.evidence.iter().map(|e| json!({
            "file": name(e.file),
            "line": e.line,
            "time": e.time.map(rfc3339),
            "detail": e.detail(),
        })).collect::<Vec<_>>(),
    })
}

/// The whole findings document.
pub fn document(report: &ScanReport) -> Value {
    let advice = advise(&report.findings);
    json!({
        "schema_version": SCHEMA_VERSION,
        "generator": concat!("mamori ", env!("CARGO_PKG_VERSION")),
        "verdict": advice.verdict.as_str(),
        "verdict_text": { "ja": advice.verdict.text().ja, "en": advice.verdict.text().en },
        "time_range": report.time_range().map(|(a, b)| json!({"start": rfc3339(a), "end": rfc3339(b)})),
        "findings": report.findings.iter().map(|f| finding(f, report)).collect::<Vec<_>>(),
        "advice": {
            "steps": advice.steps.iter().map(|(ja, en)| json!({"ja": ja, "en": en})).collect::<Vec<_>>(),
            "accounts_to_reset": advice.accounts_to_reset,
            "referrals": advice.referrals.iter().map(|r| json!({
                "body": r.body.code(),
                "name": {"ja": r.body.text().ja, "en": r.body.text().en},
                "fit": r.fit.code(),
                "reason": {"ja": r.reason.ja, "en": r.reason.en},
                "rules": r.rules,
                "urgent": r.urgent,
            })).collect::<Vec<_>>(),
        },
        "files": report.files.iter().map(|f| json!({
            "name": f.name,
            "format": f.format.map(|x| x.name()),
            "lines": f.lines,
            "parsed": f.parsed,
            "malformed": f.malformed,
            "malformed_samples": f.samples.iter().map(|s| json!({"line": s.line, "reason": s.reason, "text": s.text})).collect::<Vec<_>>(),
            "events": f.events,
            "error": f.error,
        })).collect::<Vec<_>>(),
        "counts": {
            "auth_failure": report.counts.auth_failures,
            "auth_success": report.counts.auth_successes,
            "attack": report.counts.attacks,
            "probe": report.counts.probes,
        },
    })
}

/// One `--events` line (without the newline).
pub fn event_line(ev: &Event, file: &str) -> String {
    let mut v = json!({
        "file": file,
        "line": ev.line,
        // `null`: the line had no time stamp and none came before it.
        "time": (!ev.time_unknown).then(|| rfc3339(ev.time)),
        "kind": ev.kind.as_str(),
        "service": ev.service.as_str(),
    });
    let m = v.as_object_mut();
    if let Some(m) = m {
        if let Some(a) = ev.attack {
            m.insert("attack".into(), a.as_str().into());
        }
        if let Some(s) = ev.source {
            m.insert("source".into(), s.to_string().into());
        }
        if let Some(u) = &ev.user {
            m.insert("user".into(), u.as_ref().into());
        }
        if let Some(t) = &ev.target {
            m.insert("target".into(), t.as_ref().into());
        }
        if ev.status > 0 {
            m.insert("status".into(), ev.status.into());
        }
        if ev.bytes > 0 {
            m.insert("bytes".into(), ev.bytes.into());
        }
        if ev.success_hint {
            m.insert("success_hint".into(), true.into());
        }
        if ev.restated {
            m.insert("restated".into(), true.into());
        }
        if let Some(d) = &ev.detail {
            m.insert("detail".into(), d.as_ref().into());
        }
        if let Some(r) = &ev.reference {
            m.insert("reference".into(), r.as_ref().into());
        }
    }
    v.to_string()
}
