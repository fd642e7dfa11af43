//! Plain renderings of a [`YearlyReport`]: text for the terminal and CSV for downloads.
//! Every figure is printed with its unit; suppressed figures print as `—` (text) or an
//! empty field (CSV) with a note on k.

use super::aggregate::Dim;
use super::report::{Column, YearlyReport};
use crate::Lang;
use std::fmt::Write as _;

/// `1885` → `1,885`.
pub fn count(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `-910` → `-910`, `9` → `+9`, `0` → `±0`, with thousands separators.
pub fn signed(n: i64) -> String {
    let abs = count(n.unsigned_abs());
    match n.signum() {
        1 => format!("+{abs}"),
        -1 => format!("-{abs}"),
        _ => "±0".into(),
    }
}

/// A count or the suppression mark.
pub fn opt(n: Option<u64>) -> String {
    n.map_or_else(|| "—".into(), count)
}

fn with_counter(n: Option<u64>, unit: super::Unit, lang: Lang) -> String {
    match n {
        Some(n) => format!("{}{}", count(n), unit.counter().get(lang)),
        None => "—".into(),
    }
}

/// The note on suppression.
pub fn k_note(k: u64, lang: Lang) -> String {
    match lang {
        Lang::Ja => format!(
            "「—」は届出者の特定を防ぐため秘匿した値です（{k}件未満の値と、合計から逆算できないよう併せて秘匿した値）。"
        ),
        Lang::En => format!(
            "“—” marks figures withheld so that no reporter can be identified (counts under {k}, and figures withheld with them so that totals cannot reveal them)."
        ),
    }
}

/// The report as text.
pub fn text(r: &YearlyReport, lang: Lang) -> String {
    let mut o = String::new();
    let ja = lang == Lang::Ja;
    let _ = writeln!(
        o,
        "{}",
        if ja {
            format!("不正アクセス行為の発生状況 {}（年次報告）", r.year_label.ja)
        } else {
            format!("Unauthorized access in {} (yearly report)", r.year_label.en)
        }
    );
    let _ = writeln!(o);
    for f in &r.headline {
        if f.count.is_none() && f.previous.is_none() {
            continue;
        }
        if f.count == Some(0) && f.previous == Some(0) {
            continue;
        }
        let change = f.change.map_or_else(
            || "—".into(),
            |c| format!("{}{}", signed(c), f.unit.counter().get(lang)),
        );
        let _ = writeln!(
            o,
            "{}: {}（{} {}）",
            f.unit_label.get(lang),
            with_counter(f.count, f.unit, lang),
            if ja { "前年比" } else { "vs previous year" },
            change
        );
    }
    let _ = writeln!(o);
    let _ = writeln!(o, "{}", if ja { "■ 推移" } else { "■ Trend" });
    let _ = writeln!(
        o,
        "  {} | {}",
        if ja { "年" } else { "year" },
        r.trend_units
            .iter()
            .map(|u| u.label(lang))
            .collect::<Vec<_>>()
            .join(" | ")
    );
    for y in &r.trend {
        let _ = writeln!(
            o,
            "  {} | {}",
            y.label.get(lang),
            y.counts
                .iter()
                .map(|c| opt(*c))
                .collect::<Vec<_>>()
                .join(" | ")
        );
    }
    let _ = writeln!(o);
    let _ = writeln!(
        o,
        "{}",
        if ja {
            "■ 四半期別"
        } else {
            "■ By quarter"
        }
    );
    for q in &r.quarters {
        let _ = writeln!(
            o,
            "  {} | {}",
            q.label.get(lang),
            q.counts
                .iter()
                .map(|c| opt(*c))
                .collect::<Vec<_>>()
                .join(" | ")
        );
    }
    for t in &r.tables {
        let _ = writeln!(o);
        let _ = writeln!(o, "■ {}", t.label.get(lang));
        for c in &t.columns {
            column_text(&mut o, c, lang, r.year);
        }
        if t.multi_valued {
            let _ = writeln!(
                o,
                "  {}",
                if ja {
                    "（一つの事案が複数に該当することがあるため、内訳の和は合計と一致しません）"
                } else {
                    "(one case may count under several values; rows may add up to more than the total)"
                }
            );
        }
    }
    if !r.external.is_empty() {
        let _ = writeln!(o);
        let _ = writeln!(
            o,
            "{}",
            if ja {
                "■ 他機関の公表値（単位・分類が異なるため合算しません）"
            } else {
                "■ Other organizations' published figures (own units and categories; never summed)"
            }
        );
        for e in r
            .external
            .iter()
            .filter(|e| e.year == r.year || e.year == r.previous_year)
        {
            let q = e.quarter.map(|q| format!(" Q{q}")).unwrap_or_default();
            let _ = writeln!(
                o,
                "  {} [{}] {} {}{}: {}",
                e.source,
                e.unit,
                e.category,
                e.year,
                q,
                count(e.count)
            );
        }
    }
    let _ = writeln!(o);
    let _ = writeln!(o, "{}", k_note(r.k, lang));
    o
}

fn column_text(o: &mut String, c: &Column, lang: Lang, year: i32) {
    let ja = lang == Lang::Ja;
    let _ = writeln!(
        o,
        "  [{}] {} {}{}",
        c.unit_label.get(lang),
        if ja {
            format!("{year}年 計")
        } else {
            format!("{year} total")
        },
        opt(c.total),
        c.unit.counter().get(lang)
    );
    for row in &c.rows {
        let share = row
            .share_pct
            .map_or_else(|| "—".into(), |p| format!("{p}%"));
        let change = row.change.map_or_else(|| "—".into(), signed);
        let _ = writeln!(
            o,
            "    {}: {}（{} {}、{} {}）",
            row.label.get(lang),
            with_counter(row.count, c.unit, lang),
            if ja { "構成比" } else { "share" },
            share,
            if ja { "前年比" } else { "vs previous year" },
            change
        );
    }
}

fn csv_field(s: &str) -> String {
    // Leading =, +, - or @ would be a formula in a spreadsheet.
    let s = if s.starts_with(['=', '+', '-', '@']) && s.parse::<i64>().is_err() {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// The report's tables as one CSV (long format): the headline (`dimension` = `total`),
/// the trend (`trend`), the quarters (`quarter`) and every dimension table; `only`
/// keeps one dimension. Suppressed figures are empty.
pub fn csv(r: &YearlyReport, lang: Lang, only: Option<Dim>) -> String {
    let mut o = String::from(
        "table,value_code,value_label,unit,unit_label,year,count,previous,change,share_pct\n",
    );
    let n = |x: Option<u64>| x.map(|v| v.to_string()).unwrap_or_default();
    let mut line = |fields: [String; 10]| {
        let _ = writeln!(
            o,
            "{}",
            fields
                .iter()
                .map(|f| csv_field(f))
                .collect::<Vec<_>>()
                .join(",")
        );
    };
    if only.is_none() || only == Some(Dim::Total) {
        for f in &r.headline {
            line([
                "total".into(),
                String::new(),
                String::new(),
                f.unit.code().into(),
                f.unit_label.get(lang).into(),
                r.year.to_string(),
                n(f.count),
                n(f.previous),
                f.change.map(|c| c.to_string()).unwrap_or_default(),
                String::new(),
            ]);
        }
    }
    if only.is_none() {
        for (kind, rows) in [("trend", &r.trend), ("quarter", &r.quarters)] {
            for y in rows {
                for (u, c) in r.trend_units.iter().zip(&y.counts) {
                    line([
                        kind.into(),
                        y.label.get(lang).into(),
                        String::new(),
                        u.code().into(),
                        u.label(lang).into(),
                        y.year.to_string(),
                        n(*c),
                        String::new(),
                        String::new(),
                        String::new(),
                    ]);
                }
            }
        }
    }
    for t in r.tables.iter().filter(|t| only.is_none_or(|d| d == t.dim)) {
        for c in &t.columns {
            for row in &c.rows {
                line([
                    t.dim.code().into(),
                    row.code.clone(),
                    row.label.get(lang).into(),
                    c.unit.code().into(),
                    c.unit_label.get(lang).into(),
                    r.year.to_string(),
                    n(row.count),
                    n(row.previous),
                    row.change.map(|c| c.to_string()).unwrap_or_default(),
                    n(row.share_pct),
                ]);
            }
        }
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_the_japanese_way() {
        assert_eq!(count(1885), "1,885");
        assert_eq!(count(104), "104");
        assert_eq!(count(1_000_000), "1,000,000");
        assert_eq!(signed(-910), "-910");
        assert_eq!(signed(9), "+9");
        assert_eq!(signed(0), "±0");
    }

    #[test]
    fn csv_fields_are_quoted_and_formula_safe() {
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("=cmd()"), "'=cmd()");
        assert_eq!(csv_field("-910"), "-910");
    }
}
