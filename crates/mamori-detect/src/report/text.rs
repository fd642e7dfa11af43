//! The terminal summary: verdict first, then findings by urgency, top sources,
//! targeted accounts, the time range, and what to do next.

use super::advice::{Fit, advise};
use crate::finding::Finding;
use crate::scan::ScanReport;
use crate::timefmt::rfc3339;
use mamori_core::{Lang, Severity};
use std::collections::HashMap;
use std::fmt::Write;
use std::net::IpAddr;

/// Findings shown in full; the rest are counted per rule.
const SHOWN: usize = 15;

fn t<'a>(lang: Lang, ja: &'a str, en: &'a str) -> &'a str {
    match lang {
        Lang::Ja => ja,
        Lang::En => en,
    }
}

fn mark(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "!!!",
        Severity::High => "!! ",
        Severity::Medium => "!  ",
        _ => "   ",
    }
}

/// Top sources over all findings (by supporting events).
pub fn top_sources(findings: &[Finding], n: usize) -> Vec<(IpAddr, u64, Severity)> {
    let mut m: HashMap<IpAddr, (u64, Severity)> = HashMap::new();
    for f in findings {
        for (ip, c) in &f.sources {
            let e = m.entry(*ip).or_insert((0, Severity::Info));
            e.0 += c;
            e.1 = e.1.max(f.severity);
        }
    }
    let mut v: Vec<_> = m.into_iter().map(|(ip, (c, s))| (ip, c, s)).collect();
    v.sort_by(|a, b| b.2.cmp(&a.2).then(b.1.cmp(&a.1)).then(a.0.cmp(&b.0)));
    v.truncate(n);
    v
}

/// Most targeted accounts over all findings.
pub fn top_accounts(findings: &[Finding], n: usize) -> Vec<(String, u64)> {
    let mut m: HashMap<&str, u64> = HashMap::new();
    for f in findings {
        for (a, c) in &f.accounts {
            *m.entry(a).or_default() += c;
        }
    }
    let mut v: Vec<_> = m.into_iter().map(|(a, c)| (a.to_owned(), c)).collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    v.truncate(n);
    v
}

/// Renders the summary. Log text in it (file names, accounts, targets, sample
/// lines) is terminal-safe: control and bidi characters are escaped
/// ([`mamori_core::escape_lines`]).
pub fn render(report: &ScanReport, lang: Lang) -> String {
    mamori_core::escape_lines(&render_raw(report, lang))
}

fn render_raw(report: &ScanReport, lang: Lang) -> String {
    let mut o = String::new();
    let advice = advise(&report.findings);
    let _ = writeln!(o, "== {} ==", advice.verdict.text().get(lang));
    let lines: u64 = report.files.iter().map(|f| f.lines).sum();
    let _ = write!(
        o,
        "{} {} / {} {}",
        report.files.len(),
        t(lang, "ファイル", "files"),
        lines,
        t(lang, "行", "lines")
    );
    if let Some((a, b)) = report.time_range() {
        let _ = write!(
            o,
            "  {} {} – {}",
            t(lang, "期間", "period"),
            rfc3339(a),
            rfc3339(b)
        );
    }
    o.push('\n');
    if !report.findings.is_empty() {
        let _ = writeln!(
            o,
            "\n{} ({})",
            t(lang, "検出結果（重要度順）", "Findings (most urgent first)"),
            report.findings.len()
        );
        for f in report.findings.iter().take(SHOWN) {
            finding(&mut o, f, report, lang);
        }
        if report.findings.len() > SHOWN {
            let mut rest: Vec<(&str, usize)> = Vec::new();
            for f in &report.findings[SHOWN..] {
                match rest.iter_mut().find(|(id, _)| *id == f.rule.id) {
                    Some(e) => e.1 += 1,
                    None => rest.push((f.rule.id, 1)),
                }
            }
            let _ = write!(o, "  … {} ", t(lang, "ほか", "and"));
            let parts: Vec<String> = rest.iter().map(|(id, n)| format!("{id}×{n}")).collect();
            let _ = writeln!(
                o,
                "{} ({})",
                parts.join(", "),
                t(lang, "--format json で全件", "all with --format json")
            );
        }
        let srcs = top_sources(&report.findings, 10);
        if !srcs.is_empty() {
            let _ = writeln!(o, "\n{}", t(lang, "主な送信元", "Top sources"));
            for (ip, c, s) in srcs {
                let _ = writeln!(
                    o,
                    "  {:<40} {:>8} {}  [{}]",
                    ip,
                    c,
                    t(lang, "件", "events"),
                    s.label(lang)
                );
            }
        }
        let accts = top_accounts(&report.findings, 10);
        if !accts.is_empty() {
            let _ = writeln!(
                o,
                "\n{}",
                t(lang, "狙われたアカウント", "Targeted accounts")
            );
            for (a, c) in accts {
                let _ = writeln!(o, "  {:<40} {:>8} {}", a, c, t(lang, "回", "attempts"));
            }
        }
    }
    let _ = writeln!(o, "\n{}", t(lang, "次にすること", "What to do next"));
    for (i, (ja, en)) in advice.steps.iter().enumerate() {
        let _ = writeln!(o, "  {}. {}", i + 1, t(lang, ja, en));
    }
    if !advice.referrals.is_empty() {
        let _ = writeln!(o, "\n{}", t(lang, "届出・相談先", "Where to report"));
        for r in &advice.referrals {
            let urgent = if r.urgent {
                t(lang, "【至急】", "[urgent] ")
            } else {
                ""
            };
            let optional = if r.fit == Fit::Possible {
                t(lang, "（必要に応じて）", " (if needed)")
            } else {
                ""
            };
            let _ = writeln!(
                o,
                "  - {urgent}{}{optional}: {}",
                r.body.text().get(lang),
                r.reason.get(lang)
            );
        }
    }
    files(&mut o, report, lang);
    o
}

fn finding(o: &mut String, f: &Finding, report: &ScanReport, lang: Lang) {
    let ok = if f.succeeded {
        t(lang, "  ※成功の可能性", "  * may have succeeded")
    } else {
        ""
    };
    let _ = writeln!(
        o,
        "\n{} [{}] {} {}{}",
        mark(f.severity),
        f.severity.label(lang),
        f.rule.id,
        f.rule.title.get(lang),
        ok
    );
    let _ = writeln!(o, "      {}", f.rule.explanation.get(lang));
    let _ = writeln!(
        o,
        "      {}: {}",
        t(lang, "区分", "category"),
        f.rule.category.label(lang)
    );
    let (ja, en) = f.service.label();
    let service = t(lang, ja, en);
    match &f.target {
        Some(target) => {
            let _ = writeln!(
                o,
                "      {}: {} ({})",
                t(lang, "対象", "target"),
                target,
                service
            );
        }
        None => {
            let _ = writeln!(o, "      {}: {}", t(lang, "対象", "target"), service);
        }
    }
    if !f.references.is_empty() {
        let _ = writeln!(
            o,
            "      {}: {}",
            t(lang, "参照（脆弱性・ルール）", "references"),
            f.references.join(", ")
        );
    }
    let srcs = f.sources_ranked();
    if !srcs.is_empty() {
        let list: Vec<String> = srcs.iter().take(5).map(|(ip, _)| ip.to_string()).collect();
        let more = if srcs.len() > 5 {
            format!(" (+{})", srcs.len() - 5)
        } else {
            String::new()
        };
        let _ = writeln!(
            o,
            "      {}: {}{}",
            t(lang, "送信元", "sources"),
            list.join(", "),
            more
        );
    }
    let accts = f.accounts_ranked();
    if !accts.is_empty() {
        let list: Vec<String> = accts.iter().take(5).map(|(a, _)| a.clone()).collect();
        let more = if accts.len() > 5 {
            format!(" (+{})", accts.len() - 5)
        } else {
            String::new()
        };
        let _ = writeln!(
            o,
            "      {}: {}{}",
            t(lang, "アカウント", "accounts"),
            list.join(", "),
            more
        );
    }
    let _ = writeln!(
        o,
        "      {}: {}",
        t(lang, "期間", "seen"),
        super::seen(f, lang)
    );
    for (ja, en) in &f.facts {
        let _ = writeln!(o, "      - {}", t(lang, ja, en));
    }
    if let Some(e) = f.evidence.first() {
        let name = report
            .files
            .get(e.file as usize)
            .map_or("?", |f| f.name.as_str());
        let _ = writeln!(
            o,
            "      {}: {}:{} {}",
            t(lang, "証拠", "evidence"),
            name,
            e.line,
            e.detail().unwrap_or_default()
        );
    }
}

fn files(o: &mut String, report: &ScanReport, lang: Lang) {
    let skipped: Vec<&str> = report
        .files
        .iter()
        .filter(|f| f.unrecognised)
        .map(|f| f.name.as_str())
        .collect();
    if !skipped.is_empty() {
        let _ = writeln!(
            o,
            "\n{}: {}",
            t(
                lang,
                "形式を認識できず読み飛ばしたファイル",
                "Skipped, format not recognised"
            ),
            skipped.join(", ")
        );
    }
    let troubled: Vec<_> = report
        .files
        .iter()
        .filter(|f| (f.error.is_some() && !f.unrecognised) || f.malformed > 0)
        .collect();
    if troubled.is_empty() {
        return;
    }
    let _ = writeln!(o, "\n{}", t(lang, "読み込みの問題", "Input problems"));
    for f in troubled {
        if let Some(e) = f.error.as_ref().filter(|_| !f.unrecognised) {
            let _ = writeln!(o, "  {}: {}", f.name, e);
        }
        if f.malformed > 0 {
            let _ = writeln!(
                o,
                "  {}: {} {}",
                f.name,
                f.malformed,
                t(
                    lang,
                    "行を解釈できませんでした（例）:",
                    "lines could not be parsed (samples):"
                )
            );
            for s in &f.samples {
                let _ = writeln!(o, "    {}:{}: {} — {}", f.name, s.line, s.reason, s.text);
            }
        }
    }
}
