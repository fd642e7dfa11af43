//! `mamori audit report`: the periodic audit report as text (stdout) and as a
//! self-contained HTML file with one SVG bar chart of the days (no script).

use mamori_core::Lang;
use mamori_service::audit_report::{AuditReport, Counts};
use std::fmt::Write as _;

fn t(lang: Lang, ja: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Ja => ja,
        Lang::En => en,
    }
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

const SERIES: [(&str, &str, &str); 4] = [
    ("#0b4f9c", "ログイン", "sign-ins"),
    ("#a4262c", "ログイン失敗", "failures"),
    ("#b35900", "拒否", "denials"),
    ("#2e7d32", "閲覧", "views"),
];

fn values(c: &Counts) -> [u64; 4] {
    [c.sign_ins, c.failures, c.denials, c.views]
}

/// The summary for the terminal.
pub fn text(r: &AuditReport, lang: Lang) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{} {} — {}",
        t(lang, "監査レポート", "Audit report"),
        r.since.date(),
        r.until.date()
    );
    let _ = writeln!(
        o,
        "{}: {}",
        t(lang, "ハッシュチェーン", "Hash chain"),
        if r.chain_intact {
            t(lang, "完全", "intact")
        } else {
            t(
                lang,
                "破損あり（mamori audit verify で確認）",
                "BROKEN (see mamori audit verify)",
            )
        }
    );
    let c = &r.totals;
    let _ = writeln!(
        o,
        "{} {}  {} {}  {} {}  {} {}  {} {}  ({} {})",
        t(lang, "ログイン", "sign-ins"),
        c.sign_ins,
        t(lang, "失敗", "failures"),
        c.failures,
        t(lang, "拒否", "denials"),
        c.denials,
        t(lang, "閲覧", "views"),
        c.views,
        t(lang, "管理操作", "admin actions"),
        c.admin_actions,
        t(lang, "記録", "entries"),
        r.entries
    );
    let _ = writeln!(o, "\n{}", t(lang, "日別", "Per day"));
    for (d, c) in &r.days {
        let _ = writeln!(
            o,
            "  {d}  {:>5} {:>5} {:>5} {:>6} {:>5}",
            c.sign_ins, c.failures, c.denials, c.views, c.admin_actions
        );
    }
    let _ = writeln!(o, "\n{}", t(lang, "利用者別", "Per person"));
    for p in &r.people {
        let c = &p.counts;
        let _ = writeln!(
            o,
            "  {} ({})  {} {} {} {} {}",
            p.email, p.org, c.sign_ins, c.failures, c.denials, c.views, c.admin_actions
        );
    }
    let _ = writeln!(o, "\n{}", t(lang, "管理操作", "Administrative actions"));
    for e in &r.admin_actions {
        let _ = writeln!(
            o,
            "  #{} {} {} {} {}",
            e.seq, e.at, e.action, e.object, e.source
        );
    }
    o
}

fn chart(r: &AuditReport, lang: Lang) -> String {
    let days: Vec<_> = r.days.iter().collect();
    let max = days
        .iter()
        .flat_map(|(_, c)| values(c))
        .max()
        .unwrap_or(0)
        .max(1);
    let (h, group, bar, left) = (200.0, 44.0, 9.0, 40.0);
    let width = left + group * days.len().max(1) as f64 + 10.0;
    let mut s = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{}" role="img" aria-label="{}">"#,
        h + 60.0,
        t(lang, "日別の件数", "Counts per day")
    );
    let _ = write!(
        s,
        r##"<line x1="{left}" y1="{h}" x2="{width}" y2="{h}" stroke="#555"/><text x="2" y="12" font-size="11">{max}</text><text x="2" y="{h}" font-size="11">0</text>"##
    );
    for (i, (d, c)) in days.iter().enumerate() {
        let x0 = left + group * i as f64 + 4.0;
        for (k, v) in values(c).iter().enumerate() {
            let bh = h * (*v as f64) / (max as f64);
            let _ = write!(
                s,
                r#"<rect x="{:.1}" y="{:.1}" width="{bar}" height="{:.1}" fill="{}"><title>{d} {}: {v}</title></rect>"#,
                x0 + bar * k as f64,
                h - bh,
                bh,
                SERIES[k].0,
                t(lang, SERIES[k].1, SERIES[k].2)
            );
        }
        let _ = write!(
            s,
            r#"<text x="{x0:.1}" y="{}" font-size="10" transform="rotate(45 {x0:.1} {})">{}</text>"#,
            h + 14.0,
            h + 14.0,
            &d.to_string()[5..]
        );
    }
    s.push_str("</svg>");
    s
}

/// The self-contained HTML report.
pub fn html(r: &AuditReport, lang: Lang) -> String {
    let legend: String = SERIES
        .iter()
        .map(|(c, ja, en)| {
            format!(
                r#"<span style="display:inline-block;width:1em;height:1em;background:{c}"></span> {} "#,
                t(lang, ja, en)
            )
        })
        .collect();
    let row = |name: &str, c: &Counts| {
        format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(name),
            c.sign_ins,
            c.failures,
            c.denials,
            c.views,
            c.admin_actions
        )
    };
    let head = format!(
        "<tr><th></th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
        t(lang, "ログイン", "Sign-ins"),
        t(lang, "失敗", "Failures"),
        t(lang, "拒否", "Denials"),
        t(lang, "閲覧", "Views"),
        t(lang, "管理操作", "Admin actions")
    );
    let days: String = r.days.iter().map(|(d, c)| row(&d.to_string(), c)).collect();
    let people: String = r
        .people
        .iter()
        .map(|p| row(&format!("{} ({})", p.email, p.org), &p.counts))
        .collect();
    let orgs: String = r.orgs.iter().map(|(o, c)| row(o, c)).collect();
    let admin: String = r
        .admin_actions
        .iter()
        .map(|e| {
            format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                e.seq,
                esc(&e.at.to_string()),
                esc(&e.action),
                esc(&e.object),
                esc(&e.source)
            )
        })
        .collect();
    format!(
        r#"<!doctype html><html lang="{code}"><head><meta charset="utf-8"><title>{title}</title>
<style>body{{font-family:system-ui,"Noto Sans JP",sans-serif;color:#1a1a1a;max-width:60rem;margin:auto;padding:1rem}}table{{border-collapse:collapse;margin-bottom:1rem}}td,th{{border:1px solid #767676;padding:.2rem .5rem;text-align:right}}td:first-child{{text-align:left}}</style></head>
<body><h1>{title}</h1><p>{since} — {until} · {chain}: <strong id="chain">{intact}</strong> · {entries_l}: {entries}</p>
<h2>{per_day}</h2><p>{legend}</p>{chart}<table id="days">{head}{days}</table>
<h2>{per_person}</h2><table id="people">{head}{people}</table>
<h2>{per_org}</h2><table id="orgs">{head}{orgs}</table>
<h2>{admin_h}</h2><table id="admin-actions">{admin}</table></body></html>"#,
        code = if lang == Lang::Ja { "ja" } else { "en" },
        title = t(lang, "監査レポート", "Audit report"),
        since = r.since,
        until = r.until,
        chain = t(lang, "ハッシュチェーン", "Hash chain"),
        intact = if r.chain_intact {
            t(lang, "完全", "intact")
        } else {
            t(lang, "破損あり", "BROKEN")
        },
        entries_l = t(lang, "記録", "Entries"),
        entries = r.entries,
        per_day = t(lang, "日別（日本時間）", "Per day (JST)"),
        chart = chart(r, lang),
        per_person = t(lang, "利用者別", "Per person"),
        per_org = t(lang, "組織別", "Per organization"),
        admin_h = t(lang, "管理操作", "Administrative actions"),
    )
}
