//! A self-contained HTML report with inline SVG charts (no scripts, no external
//! resources): timeline of failures and attacks, top sources, targeted accounts.

use super::advice::{Fit, advise};
use super::text::{top_accounts, top_sources};
use crate::scan::ScanReport;
use crate::timefmt::rfc3339;
use mamori_core::{Lang, Severity};
use std::fmt::Write;

fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            _ => o.push(c),
        }
    }
    o
}

fn t<'a>(lang: Lang, ja: &'a str, en: &'a str) -> &'a str {
    match lang {
        Lang::Ja => ja,
        Lang::En => en,
    }
}

const W: f64 = 760.0;

/// Stacked timeline: failures, attacks and probes per time bin.
fn timeline(report: &ScanReport, lang: Lang) -> String {
    let Some((&first, _)) = report.timeline.iter().next() else {
        return String::new();
    };
    let last = *report.timeline.keys().last().unwrap_or(&first);
    let hours = (last - first + 1).max(1);
    let bins = hours.min(120);
    let per = (hours + bins - 1) / bins;
    let mut data = vec![(0u64, 0u64, 0u64); bins as usize];
    for (h, c) in &report.timeline {
        let i = ((h - first) / per) as usize;
        if let Some(d) = data.get_mut(i) {
            d.0 += c.auth_failures;
            d.1 += c.attacks;
            d.2 += c.probes;
        }
    }
    let max = data
        .iter()
        .map(|d| d.0 + d.1 + d.2)
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let (h, bw) = (180.0, W / bins as f64);
    let mut s = format!(
        r#"<svg viewBox="0 0 {W} 220" role="img" aria-label="{}">"#,
        t(lang, "時系列", "timeline")
    );
    for (i, d) in data.iter().enumerate() {
        let x = i as f64 * bw;
        let mut y = h;
        for (v, color, name) in [
            (d.0, "#c0392b", "failures"),
            (d.1, "#8e44ad", "attacks"),
            (d.2, "#7f8c8d", "probes"),
        ] {
            if v == 0 {
                continue;
            }
            let bh = v as f64 / max * (h - 10.0);
            y -= bh;
            let _ = write!(
                s,
                r#"<rect x="{x:.1}" y="{y:.1}" width="{:.1}" height="{bh:.1}" fill="{color}"><title>{name}: {v}</title></rect>"#,
                (bw - 1.0).max(0.5)
            );
        }
    }
    let _ = write!(
        s,
        r#"<text x="0" y="200" font-size="12">{}</text><text x="{W}" y="200" font-size="12" text-anchor="end">{}</text>"#,
        rfc3339(first * 3600),
        rfc3339((last + 1) * 3600)
    );
    let _ = write!(
        s,
        r##"<rect x="0" y="206" width="10" height="10" fill="#c0392b"/><text x="14" y="215" font-size="12">{}</text><rect x="160" y="206" width="10" height="10" fill="#8e44ad"/><text x="174" y="215" font-size="12">{}</text><rect x="300" y="206" width="10" height="10" fill="#7f8c8d"/><text x="314" y="215" font-size="12">{}</text>"##,
        t(lang, "ログイン失敗", "login failures"),
        t(lang, "攻撃", "attacks"),
        t(lang, "探索", "probes")
    );
    s.push_str("</svg>");
    s
}

fn bars(rows: &[(String, u64)], color: &str) -> String {
    if rows.is_empty() {
        return String::new();
    }
    let max = rows.iter().map(|r| r.1).max().unwrap_or(1).max(1) as f64;
    let h = rows.len() as f64 * 22.0;
    let mut s = format!(r#"<svg viewBox="0 0 {W} {h}" role="img">"#);
    for (i, (label, v)) in rows.iter().enumerate() {
        let y = i as f64 * 22.0;
        let bw = (*v as f64 / max) * (W - 330.0);
        let _ = write!(
            s,
            r#"<text x="0" y="{:.0}" font-size="13">{}</text><rect x="260" y="{:.0}" width="{bw:.1}" height="16" fill="{color}"/><text x="{:.1}" y="{:.0}" font-size="12">{v}</text>"#,
            y + 15.0,
            esc(label),
            y + 2.0,
            265.0 + bw,
            y + 15.0
        );
    }
    s.push_str("</svg>");
    s
}

/// Renders the report.
pub fn render(report: &ScanReport, lang: Lang) -> String {
    let advice = advise(&report.findings);
    let mut o = String::new();
    let title = t(lang, "Mamori スキャン結果", "Mamori scan report");
    let _ = write!(
        o,
        r#"<!doctype html><html lang="{}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>{title}</title><style>
body{{font-family:system-ui,"Hiragino Sans","Noto Sans JP",sans-serif;max-width:820px;margin:2em auto;padding:0 1em;color:#1b1b1b;line-height:1.6}}
h1{{font-size:1.4em}} .verdict{{font-size:1.3em;font-weight:bold;padding:.6em 1em;border-radius:6px;background:#eee}}
.critical{{background:#fde2e1;color:#7a0b05}} .high{{background:#fff0d9;color:#6b3d00}} .ok{{background:#e3f4e5;color:#0b4d16}}
.f{{border-left:6px solid #999;padding:.3em .9em;margin:1em 0;background:#fafafa}} .f.critical{{border-color:#b3261e}} .f.high{{border-color:#c66a00}} .f.medium{{border-color:#b59b00}}
code{{background:#f1f1f1;padding:0 .2em}} table{{border-collapse:collapse}} td,th{{padding:.2em .6em;border-bottom:1px solid #ddd;text-align:left}}
</style></head><body>"#,
        match lang {
            Lang::Ja => "ja",
            Lang::En => "en",
        }
    );
    let cls = match advice.verdict {
        super::Verdict::LikelyIntrusion => "critical",
        super::Verdict::Attacked => "high",
        _ => "ok",
    };
    let _ = write!(
        o,
        r#"<h1>{title}</h1><p class="verdict {cls}">{}</p>"#,
        esc(advice.verdict.text().get(lang))
    );
    if let Some((a, b)) = report.time_range() {
        let _ = write!(
            o,
            "<p>{}: {} – {}</p>",
            t(lang, "期間", "Period"),
            rfc3339(a),
            rfc3339(b)
        );
    }
    let _ = write!(
        o,
        "<h2>{}</h2><ol>",
        t(lang, "次にすること", "What to do next")
    );
    for (ja, en) in &advice.steps {
        let _ = write!(o, "<li>{}</li>", esc(t(lang, ja, en)));
    }
    o.push_str("</ol>");
    if !advice.referrals.is_empty() {
        let _ = write!(
            o,
            "<h2>{}</h2><ul>",
            t(lang, "届出・相談先", "Where to report")
        );
        for r in &advice.referrals {
            let optional = if r.fit == Fit::Possible {
                t(lang, "（必要に応じて）", " (if needed)")
            } else {
                ""
            };
            let urgent = if r.urgent {
                t(lang, "【至急】", "[urgent] ")
            } else {
                ""
            };
            let _ = write!(
                o,
                "<li>{}<strong>{}</strong>{}: {}</li>",
                esc(urgent),
                esc(r.body.text().get(lang)),
                esc(optional),
                esc(r.reason.get(lang))
            );
        }
        o.push_str("</ul>");
    }
    let _ = write!(
        o,
        "<h2>{}</h2>{}",
        t(lang, "時系列", "Timeline"),
        timeline(report, lang)
    );
    let srcs: Vec<(String, u64)> = top_sources(&report.findings, 15)
        .into_iter()
        .map(|(ip, c, _)| (ip.to_string(), c))
        .collect();
    if !srcs.is_empty() {
        let _ = write!(
            o,
            "<h2>{}</h2>{}",
            t(lang, "主な送信元", "Top sources"),
            bars(&srcs, "#2c6e9b")
        );
    }
    let accts = top_accounts(&report.findings, 15);
    if !accts.is_empty() {
        let _ = write!(
            o,
            "<h2>{}</h2>{}",
            t(lang, "狙われたアカウント", "Targeted accounts"),
            bars(&accts, "#b9770e")
        );
    }
    let _ = write!(
        o,
        "<h2>{} ({})</h2>",
        t(lang, "検出結果", "Findings"),
        report.findings.len()
    );
    for f in report.findings.iter().take(200) {
        let c = match f.severity {
            Severity::Critical => "critical",
            Severity::High => "high",
            Severity::Medium => "medium",
            _ => "low",
        };
        let _ = write!(
            o,
            r#"<div class="f {c}"><h3>[{}] {} {}</h3><p>{}</p><table>"#,
            esc(f.severity.label(lang)),
            f.rule.id,
            esc(f.rule.title.get(lang)),
            esc(f.rule.explanation.get(lang))
        );
        let row = |o: &mut String, k: &str, v: &str| {
            let _ = write!(o, "<tr><th>{}</th><td>{}</td></tr>", esc(k), esc(v));
        };
        row(
            &mut o,
            t(lang, "区分", "Category"),
            f.rule.category.label(lang),
        );
        if let Some(tg) = &f.target {
            row(&mut o, t(lang, "対象", "Target"), tg);
        }
        if !f.references.is_empty() {
            row(
                &mut o,
                t(lang, "参照（脆弱性・ルール）", "References"),
                &f.references.join(", "),
            );
        }
        let s: Vec<String> = f
            .sources_ranked()
            .iter()
            .take(10)
            .map(|(ip, _)| ip.to_string())
            .collect();
        row(
            &mut o,
            t(lang, "送信元", "Sources"),
            &format!(
                "{}{}",
                s.join(", "),
                if f.sources.len() > 10 {
                    format!(" (+{})", f.sources.len() - 10)
                } else {
                    String::new()
                }
            ),
        );
        let a: Vec<String> = f
            .accounts_ranked()
            .iter()
            .take(10)
            .map(|(a, _)| a.clone())
            .collect();
        if !a.is_empty() {
            row(&mut o, t(lang, "アカウント", "Accounts"), &a.join(", "));
        }
        row(&mut o, t(lang, "期間", "Seen"), &super::seen(f, lang));
        for (ja, en) in &f.facts {
            row(&mut o, "", t(lang, ja, en));
        }
        o.push_str("</table><details><summary>");
        o.push_str(t(lang, "証拠の行", "Evidence lines"));
        o.push_str("</summary><ul>");
        for e in &f.evidence {
            let name = report
                .files
                .get(e.file as usize)
                .map_or("?", |f| f.name.as_str());
            let _ = write!(
                o,
                "<li><code>{}:{}</code> {}</li>",
                esc(name),
                e.line,
                esc(&e.detail().unwrap_or_default())
            );
        }
        o.push_str("</ul></details></div>");
    }
    o.push_str("</body></html>\n");
    o
}
