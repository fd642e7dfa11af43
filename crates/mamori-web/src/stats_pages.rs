//! Statistics pages (issue 13): `/stats/yearly?year=YYYY` — the anonymized yearly report
//! (Act Art. 7) with inline SVG charts (trend of 認知件数 and 検挙件数, 手口 and 動機
//! shares), tables with year-on-year change and shares, CSV and JSON downloads of every
//! table (`&format=csv[&table=DIM]`, `&format=json`), and a print stylesheet for a clean
//! PDF from the browser; `/stats/links`, the de-duplication review queue for a body's
//! supervisors. [`document`] is the same report as a self-contained file for
//! `mamori stats yearly --format html`.
//!
//! The charts use SVG presentation attributes only, so the strict CSP (no inline
//! `style`) holds; every look is a class in [`CSS`].

use crate::AppState;
use crate::error::{WebError, WebResult};
use crate::extract::{MaybePage, Page, receive};
use crate::html::{csrf_field, esc, notice, t, when};
use crate::pages::render;
use crate::portal_pages::{Pairs, look, public_page};
use axum::extract::{Form, Multipart, Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use mamori_core::Lang;
use mamori_core::stats::dedup::LinkStatus;
use mamori_core::stats::render::{count, k_note, signed};
use mamori_core::stats::{
    Column, Dim, Effect, Format, Measure, TABLE_UNITS, Table, Unit, YearlyReport, anonymize,
    dim_codes, period, render as plain,
};
use mamori_service::ServiceError;
use mamori_service::authz::{Caller, Permission, check};
use mamori_service::stats::LinkDecision;
use serde::Deserialize;
use std::fmt::Write as _;

/// The classes of the statistics pages, served with the site's stylesheet; the print
/// rules hide navigation and forms and keep tables whole on a page.
pub const CSS: &str = r#".stats-figures td.num,.stats-table td.num,.stats-table th.num{text-align:right;font-variant-numeric:tabular-nums}
.stats-table caption{text-align:left;font-weight:bold;padding:.25rem 0}.stats-table{margin:.5rem 0 1.5rem}
.chart{max-width:100%;height:auto;border:1px solid #ccc;margin:.5rem 0}.legend{list-style:none;padding:0;display:flex;gap:1rem;flex-wrap:wrap}
.swatch-1,.swatch-2,.swatch-3,.swatch-4,.swatch-5,.swatch-6{display:inline-block;width:.9rem;height:.9rem;margin-right:.3rem;vertical-align:middle;border:1px solid #333}
.swatch-1{background:#0b4f9c}.swatch-2{background:#b35900}.swatch-3{background:#2e7d32}.swatch-4{background:#6a1b9a}.swatch-5{background:#a4262c}.swatch-6{background:#767676}
.downloads{display:flex;gap:1rem;flex-wrap:wrap}.unit-def dt{font-weight:bold}.unit-def dd{margin:0 0 .5rem 1rem}
@media print{header,nav,.prefs,.downloads,.skip,form{display:none!important}body{max-width:none;padding:0;font-size:10.5pt}a{color:#000;text-decoration:none}table,.chart,figure{page-break-inside:avoid}h2{page-break-after:avoid}}
"#;

const COLORS: [&str; 6] = [
    "#0b4f9c", "#b35900", "#2e7d32", "#6a1b9a", "#a4262c", "#767676",
];

fn opt(n: Option<u64>) -> String {
    n.map_or_else(|| "—".into(), count)
}

fn change(c: Option<i64>) -> String {
    c.map_or_else(|| "—".into(), signed)
}

/// The trend of 認知件数 and 検挙件数 (and 事案 when there are any) as a line chart.
fn trend_chart(r: &YearlyReport, lang: Lang) -> String {
    let series: Vec<(usize, Unit)> = r
        .trend_units
        .iter()
        .enumerate()
        .filter(|(i, u)| {
            matches!(u, Unit::Recognized | Unit::Cleared | Unit::Incidents)
                && r.trend.iter().any(|y| y.counts[*i].unwrap_or(0) > 0)
        })
        .map(|(i, u)| (i, *u))
        .collect();
    if series.is_empty() || r.trend.is_empty() {
        return String::new();
    }
    let max = r
        .trend
        .iter()
        .flat_map(|y| series.iter().filter_map(|(i, _)| y.counts[*i]))
        .max()
        .unwrap_or(1)
        .max(1);
    let (w, h, left, bottom, top) = (640.0_f64, 260.0_f64, 64.0_f64, 40.0_f64, 16.0_f64);
    let n = r.trend.len();
    #[allow(clippy::cast_precision_loss)] // chart coordinates
    let x = |i: usize| {
        left + (w - left - 24.0)
            * if n > 1 {
                i as f64 / (n - 1) as f64
            } else {
                0.5
            }
    };
    #[allow(clippy::cast_precision_loss)]
    let y = |v: u64| top + (h - top - bottom) * (1.0 - v as f64 / max as f64);
    let mut o = format!(
        r##"<figure><svg class="chart" role="img" aria-labelledby="trend-title" viewBox="0 0 {w} {h}" width="{w}" height="{h}" xmlns="http://www.w3.org/2000/svg"><title id="trend-title">{title}</title>"##,
        title = esc(t(
            lang,
            "認知件数・検挙件数の推移",
            "Trend of recognised and cleared offences"
        )),
    );
    for k in 0..=4u64 {
        let v = max * k / 4;
        let _ = write!(
            o,
            r##"<line x1="{left}" x2="{x2}" y1="{yy:.1}" y2="{yy:.1}" stroke="#ddd"/><text x="{tx}" y="{ty:.1}" font-size="11" text-anchor="end" fill="#1a1a1a">{label}</text>"##,
            x2 = w - 16.0,
            yy = y(v),
            tx = left - 6.0,
            ty = y(v) + 4.0,
            label = count(v)
        );
    }
    for (i, yr) in r.trend.iter().enumerate() {
        let _ = write!(
            o,
            r##"<text x="{:.1}" y="{}" font-size="11" text-anchor="middle" fill="#1a1a1a">{}</text>"##,
            x(i),
            h - bottom + 18.0,
            yr.year
        );
    }
    for (s, (idx, _)) in series.iter().enumerate() {
        let color = COLORS[s % COLORS.len()];
        let pts: Vec<String> = r
            .trend
            .iter()
            .enumerate()
            .filter_map(|(i, yr)| yr.counts[*idx].map(|v| format!("{:.1},{:.1}", x(i), y(v))))
            .collect();
        let _ = write!(
            o,
            r##"<polyline fill="none" stroke="{color}" stroke-width="2.5" points="{}"/>"##,
            pts.join(" ")
        );
        for (i, yr) in r.trend.iter().enumerate() {
            if let Some(v) = yr.counts[*idx] {
                let _ = write!(
                    o,
                    r##"<circle cx="{:.1}" cy="{:.1}" r="3.5" fill="{color}"><title>{} {}: {}</title></circle>"##,
                    x(i),
                    y(v),
                    esc(yr.label.get(lang)),
                    esc(r.trend_units[*idx].label(lang)),
                    count(v)
                );
            }
        }
    }
    o.push_str("</svg><figcaption><ul class=\"legend\">");
    for (s, (_, u)) in series.iter().enumerate() {
        let _ = write!(
            o,
            r#"<li><span class="swatch-{}"></span>{}</li>"#,
            s % COLORS.len() + 1,
            esc(u.label(lang))
        );
    }
    o.push_str("</ul></figcaption></figure>");
    o
}

/// 100 % bars of one table's shares, this year and the year before.
fn share_chart(r: &YearlyReport, table: &Table, col: &Column, lang: Lang) -> String {
    let top: Vec<usize> = {
        let mut idx: Vec<usize> = (0..col.rows.len()).collect();
        idx.sort_by_key(|&i| std::cmp::Reverse(col.rows[i].count.unwrap_or(0)));
        idx.truncate(COLORS.len() - 1);
        idx
    };
    let bars = [
        (r.year, col.total, false),
        (r.previous_year, col.previous_total, true),
    ];
    let (w, bar_h, left) = (640.0_f64, 28.0_f64, 60.0_f64);
    let h = 16.0 + 2.0 * (bar_h + 12.0);
    let id = format!("share-{}", table.dim.code());
    let mut o = format!(
        r##"<figure><svg class="chart" role="img" aria-labelledby="{id}" viewBox="0 0 {w} {h}" width="{w}" height="{h}" xmlns="http://www.w3.org/2000/svg"><title id="{id}">{}</title>"##,
        esc(&format!(
            "{}（{}）",
            table.label.get(lang),
            col.unit_label.get(lang)
        ))
    );
    for (b, (year, total, prev)) in bars.iter().enumerate() {
        let Some(total) = total.filter(|t| *t > 0) else {
            continue;
        };
        #[allow(clippy::cast_precision_loss)]
        let yy = 8.0 + b as f64 * (bar_h + 12.0);
        let _ = write!(
            o,
            r##"<text x="4" y="{:.1}" font-size="12" fill="#1a1a1a">{year}</text>"##,
            yy + bar_h / 2.0 + 4.0
        );
        let mut xx = left;
        let mut shown = 0u64;
        for (s, &i) in top.iter().enumerate() {
            let row = &col.rows[i];
            let v = if *prev { row.previous } else { row.count };
            let Some(v) = v else { continue };
            shown += v;
            #[allow(clippy::cast_precision_loss)]
            let width = (w - left - 8.0) * v as f64 / total as f64;
            let _ = write!(
                o,
                r##"<rect x="{xx:.1}" y="{yy:.1}" width="{width:.1}" height="{bar_h}" fill="{}"><title>{}: {}</title></rect>"##,
                COLORS[s],
                esc(row.label.get(lang)),
                count(v)
            );
            xx += width;
        }
        let rest = total.saturating_sub(shown);
        #[allow(clippy::cast_precision_loss)]
        let width = ((w - left - 8.0) * rest as f64 / total as f64)
            .min(w - 8.0 - xx)
            .max(0.0);
        let _ = write!(
            o,
            r##"<rect x="{xx:.1}" y="{yy:.1}" width="{width:.1}" height="{bar_h}" fill="{}"><title>{}</title></rect>"##,
            COLORS[COLORS.len() - 1],
            t(lang, "その他・秘匿", "other or withheld")
        );
    }
    o.push_str("</svg><figcaption><ul class=\"legend\">");
    for (s, &i) in top.iter().enumerate() {
        let _ = write!(
            o,
            r#"<li><span class="swatch-{}"></span>{}</li>"#,
            s + 1,
            esc(col.rows[i].label.get(lang))
        );
    }
    let _ = write!(
        o,
        r#"<li><span class="swatch-{}"></span>{}</li>"#,
        COLORS.len(),
        t(lang, "その他・秘匿", "other or withheld")
    );
    o.push_str("</ul></figcaption></figure>");
    o
}

/// The column whose shares the seed's charts show: 検挙件数 for the police's cuts, else
/// incidents.
fn share_column(t: &Table) -> Option<&Column> {
    t.columns
        .iter()
        .find(|c| c.unit == Unit::Cleared)
        .or_else(|| t.columns.iter().find(|c| c.unit == Unit::Incidents))
}

fn table_html(r: &YearlyReport, tb: &Table, lang: Lang, base: Option<&str>) -> String {
    let mut o = format!(
        r#"<section id="t-{}"><h3>{}</h3>"#,
        tb.dim.code(),
        esc(tb.label.get(lang))
    );
    if matches!(tb.dim, Dim::Method | Dim::Motive)
        && let Some(c) = share_column(tb)
    {
        o.push_str(&share_chart(r, tb, c, lang));
    }
    for c in &tb.columns {
        let _ = write!(
            o,
            r#"<table class="stats-table"><caption>{label}（{unit}）</caption><tr><th scope="col">{v}</th><th scope="col" class="num">{y}</th><th scope="col" class="num">{share}</th><th scope="col" class="num">{p}</th><th scope="col" class="num">{chg}</th></tr>"#,
            label = esc(tb.label.get(lang)),
            unit = esc(c.unit_label.get(lang)),
            v = t(lang, "区分", "category"),
            y = r.year,
            share = t(lang, "構成比", "share"),
            p = r.previous_year,
            chg = t(lang, "前年比", "change"),
        );
        for row in &c.rows {
            let _ = write!(
                o,
                r#"<tr><th scope="row">{}</th><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td></tr>"#,
                esc(row.label.get(lang)),
                opt(row.count),
                row.share_pct
                    .map_or_else(|| "—".into(), |p| format!("{p}%")),
                opt(row.previous),
                change(row.change)
            );
        }
        let _ = write!(
            o,
            r#"<tr><th scope="row">{}</th><td class="num">{}</td><td class="num">100%</td><td class="num">{}</td><td class="num">{}</td></tr></table>"#,
            t(lang, "計", "total"),
            opt(c.total),
            opt(c.previous_total),
            change(
                c.total
                    .zip(c.previous_total)
                    .and_then(|(a, b)| Some(i64::try_from(a).ok()? - i64::try_from(b).ok()?))
            )
        );
    }
    if tb.multi_valued {
        let _ = write!(
            o,
            r#"<p class="muted">{}</p>"#,
            t(
                lang,
                "一つの事案が複数の区分に該当することがあるため、内訳の和は計と一致しません。",
                "One case may count under several categories, so rows may add up to more than the total."
            )
        );
    }
    if let Some(base) = base {
        let _ = write!(
            o,
            r#"<p class="downloads"><a href="{base}&amp;format=csv&amp;table={d}" download>CSV</a> <a href="{base}&amp;format=json" download>JSON</a></p>"#,
            d = tb.dim.code()
        );
    }
    o.push_str("</section>");
    o
}

/// The report as an HTML fragment; `base` (`/stats/yearly?year=…&k=…`) adds download links.
pub fn report_body(r: &YearlyReport, lang: Lang, base: Option<&str>) -> String {
    let mut o = String::new();
    if let Some(base) = base {
        let _ = write!(
            o,
            r#"<p class="downloads"><a href="{base}&amp;format=csv" download>{csv}</a> <a href="{base}&amp;format=json" download>{json}</a></p>"#,
            csv = t(
                lang,
                "全表を CSV でダウンロード",
                "Download every table (CSV)"
            ),
            json = t(lang, "JSON でダウンロード", "Download as JSON"),
        );
    }
    let _ = write!(
        o,
        r#"<h2>{}</h2><table class="stats-figures"><tr><th scope="col">{}</th><th scope="col" class="num">{}</th><th scope="col" class="num">{}</th><th scope="col" class="num">{}</th></tr>"#,
        t(
            lang,
            "主な数値（単位ごと。単位の異なる数値は合算しません）",
            "Headline figures (per unit; figures in different units are never added)"
        ),
        t(lang, "単位", "unit"),
        esc(r.year_label.get(lang)),
        r.previous_year,
        t(lang, "前年比", "change")
    );
    for f in &r.headline {
        if f.count.unwrap_or(1) == 0 && f.previous.unwrap_or(1) == 0 {
            continue;
        }
        let _ = write!(
            o,
            r#"<tr><th scope="row">{}</th><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td></tr>"#,
            esc(f.unit_label.get(lang)),
            opt(f.count),
            opt(f.previous),
            change(f.change)
        );
    }
    o.push_str("</table><dl class=\"unit-def\">");
    for f in r
        .headline
        .iter()
        .filter(|f| f.count.unwrap_or(1) > 0 || f.previous.unwrap_or(1) > 0)
    {
        let _ = write!(
            o,
            "<dt>{}</dt><dd>{}</dd>",
            esc(f.unit_label.get(lang)),
            esc(f.unit.definition().get(lang))
        );
    }
    o.push_str("</dl>");
    let _ = write!(o, "<h2>{}</h2>", t(lang, "推移", "Trend"));
    o.push_str(&trend_chart(r, lang));
    let head: String = r
        .trend_units
        .iter()
        .map(|u| format!(r#"<th scope="col" class="num">{}</th>"#, esc(u.label(lang))))
        .collect();
    for (title, rows) in [
        (t(lang, "年別", "By year"), &r.trend),
        (t(lang, "四半期別", "By quarter"), &r.quarters),
    ] {
        let _ = write!(
            o,
            r#"<table class="stats-table"><caption>{title}</caption><tr><th scope="col">{}</th>{head}</tr>"#,
            t(lang, "期間", "period")
        );
        for y in rows.iter() {
            let cells: String = y
                .counts
                .iter()
                .map(|c| format!(r#"<td class="num">{}</td>"#, opt(*c)))
                .collect();
            let _ = write!(
                o,
                r#"<tr><th scope="row">{}</th>{cells}</tr>"#,
                esc(y.label.get(lang))
            );
        }
        o.push_str("</table>");
    }
    let _ = write!(o, "<h2>{}</h2>", t(lang, "区分別", "By category"));
    for tb in &r.tables {
        o.push_str(&table_html(r, tb, lang, base));
    }
    let ext: Vec<_> = r.external.iter().collect();
    if !ext.is_empty() {
        let _ = write!(
            o,
            r#"<h2>{}</h2><table class="stats-table"><tr><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th><th scope="col" class="num">{}</th></tr>"#,
            t(
                lang,
                "他機関の公表値（各機関の単位・分類のまま。合算しません）",
                "Other organizations' published figures (their own units and categories; never summed)"
            ),
            t(lang, "出典", "source"),
            t(lang, "単位", "unit"),
            t(lang, "分類", "category"),
            t(lang, "期間", "period"),
            t(lang, "数値", "figure"),
        );
        for e in ext {
            let _ = write!(
                o,
                r#"<tr><td>{}</td><td>{}</td><td>{}</td><td>{}{}</td><td class="num">{}</td></tr>"#,
                esc(&e.source),
                esc(&e.unit),
                esc(&e.category),
                e.year,
                e.quarter.map(|q| format!(" Q{q}")).unwrap_or_default(),
                count(e.count)
            );
        }
        o.push_str("</table>");
    }
    let _ = write!(o, r#"<p class="muted">{}</p>"#, esc(&k_note(r.k, lang)));
    o
}

fn title(r: &YearlyReport, lang: Lang) -> String {
    match lang {
        Lang::Ja => format!("不正アクセス行為の発生状況 {}", r.year_label.ja),
        Lang::En => format!("Unauthorized access in {}", r.year_label.en),
    }
}

/// The report as one self-contained HTML file (for `mamori stats yearly --format html`):
/// no script, its stylesheet inside.
pub fn document(r: &YearlyReport, lang: Lang) -> String {
    let code = if lang == Lang::Ja { "ja" } else { "en" };
    format!(
        "<!doctype html>\n<html lang=\"{code}\"><head><meta charset=\"utf-8\"><title>{title}</title><style>{site}{css}</style></head><body><main><h1>{title}</h1>{body}</main></body></html>\n",
        title = esc(&title(r, lang)),
        site = crate::html::CSS,
        css = CSS,
        body = report_body(r, lang, None)
    )
}

/// The yearly report's query.
#[derive(Debug, Deserialize)]
pub struct YearQuery {
    year: Option<i32>,
    k: Option<u64>,
    #[serde(default)]
    format: String,
    #[serde(default)]
    table: String,
}

fn download(body: String, media: &str, name: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, media.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response()
}

/// `GET /stats/yearly?year=YYYY[&k=3][&format=csv|json][&table=DIM]`.
pub async fn yearly(
    State(st): State<AppState>,
    p: Page,
    Query(q): Query<YearQuery>,
) -> Result<Response, WebError> {
    let lang = p.prefs.lang;
    let Some(year) = q.year else {
        let body = format!(
            r#"<form method="get" action="/stats/yearly"><label for="year">{}</label><input id="year" name="year" type="number" min="1900" max="9999" required inputmode="numeric"><button type="submit">{}</button></form>"#,
            t(lang, "年（西暦）", "Year"),
            t(lang, "表示", "Show")
        );
        return Ok(render(
            &p,
            t(lang, "統計・年次報告", "Statistics: yearly report"),
            &body,
        )
        .into_response());
    };
    let k = q.k.unwrap_or(anonymize::DEFAULT_K);
    let r = st
        .svc
        .yearly_report(Caller::Person(&p.auth.actor), year, k)
        .await
        .page(lang)?;
    if let Some(file) = as_file(&r, lang, &q.format, &q.table).page(lang)? {
        return Ok(file);
    }
    let base = format!("/stats/yearly?year={year}&amp;k={k}");
    let nav = format!(
        r#"<p class="downloads"><a href="/stats/yearly?year={}&amp;k={k}">{}</a> <a href="/stats/yearly?year={}&amp;k={k}">{}</a> <a href="/stats/links">{}</a> <a href="/stats/import">{}</a> <a href="/stats/effect">{}</a> <a href="/statistics">{}</a></p>"#,
        year - 1,
        t(lang, "前年", "Previous year"),
        year + 1,
        t(lang, "翌年", "Next year"),
        t(lang, "重複の確認", "Duplicate review"),
        t(lang, "取り込み", "Import"),
        t(lang, "対策の効果", "Effect of a measure"),
        t(lang, "公表済みの報告", "Published reports"),
    );
    let publish = if check(&p.auth.actor, Permission::ManageStatistics).is_ok() {
        publish_form(&st, &p, year, k).await?
    } else {
        String::new()
    };
    let body = format!("{nav}{publish}{}", report_body(&r, lang, Some(&base)));
    Ok(render(&p, &title(&r, lang), &body).into_response())
}

/// The report as a download when `format` asks for one: CSV of every table or of
/// `table`, or JSON; `None` for the HTML page.
fn as_file(
    r: &YearlyReport,
    lang: Lang,
    format: &str,
    table: &str,
) -> Result<Option<Response>, ServiceError> {
    let year = r.year;
    Ok(match format {
        "csv" => {
            let only = Dim::parse(table);
            let name = format!(
                "mamori-stats-{year}{}.csv",
                only.map(|d| format!("-{}", d.code())).unwrap_or_default()
            );
            Some(download(
                plain::csv(r, lang, only),
                "text/csv; charset=utf-8",
                &name,
            ))
        }
        "json" => {
            let json = serde_json::to_string_pretty(r)
                .map_err(|e| ServiceError::Internal(e.to_string()))?;
            Some(download(
                json,
                "application/json",
                &format!("mamori-stats-{year}.json"),
            ))
        }
        _ => None,
    })
}

/// The supervisor's publish box above the report: what is published of this year, and
/// the button that publishes what is shown.
async fn publish_form(st: &AppState, p: &Page, year: i32, k: u64) -> Result<String, WebError> {
    let lang = p.prefs.lang;
    let latest = st.svc.stat_publications().await.page(lang)?;
    let status = match latest.iter().find(|x| x.year == year) {
        Some(x) => format!(
            r#"{} <a href="/statistics/{year}">{}</a>"#,
            esc(&format!(
                "{}{}（k = {}）",
                t(lang, "最終公表: ", "Last published: "),
                when(lang, x.at),
                x.k
            )),
            t(lang, "公開ページ", "public page")
        ),
        None => t(
            lang,
            "この年はまだ公表していません。",
            "This year is not published yet.",
        )
        .to_string(),
    };
    Ok(format!(
        r#"<section class="publish" aria-labelledby="publish-h"><h2 id="publish-h">{h}</h2><p>{status}</p><p>{explain}</p><form method="post" action="/stats/yearly/publish">{csrf}<input type="hidden" name="year" value="{year}"><input type="hidden" name="k" value="{k}"><button type="submit">{button}</button></form></section>"#,
        h = t(
            lang,
            "公表（不正アクセス禁止法第7条）",
            "Publication (Unauthorized Access Act, Art. 7)"
        ),
        explain = t(
            lang,
            "下の表示内容（k 匿名化済み、k は 3 以上）をそのまま公開ページに載せます。後から取り込んだデータは、再度公表するまで公開ページに反映されません。",
            "Publishes exactly what is shown below (k-anonymized, k of 3 or more) on the public page. Data imported later reaches the public page only when the year is published again."
        ),
        csrf = csrf_field(p.csrf()),
        button = t(lang, "この内容で公表する", "Publish this report"),
    ))
}

/// The publish form.
#[derive(Debug, Deserialize)]
pub struct PublishForm {
    csrf: String,
    year: i32,
    k: u64,
}

/// `POST /stats/yearly/publish`: a supervisor publishes the report shown.
pub async fn publish(
    State(st): State<AppState>,
    p: Page,
    Form(f): Form<PublishForm>,
) -> Result<Response, WebError> {
    let lang = p.prefs.lang;
    p.check_csrf(&f.csrf)?;
    st.svc
        .publish_yearly_report(Caller::Person(&p.auth.actor), f.year, f.k)
        .await
        .page(lang)?;
    Ok(Redirect::to(&format!("/statistics/{}", f.year)).into_response())
}

/// `GET /statistics`: the published yearly reports (public).
pub async fn published_list(
    State(st): State<AppState>,
    mp: MaybePage,
    Query(q): Query<Pairs>,
) -> Result<Response, WebError> {
    let look = look(&mp, &q);
    let lang = look.lang;
    let all = st.svc.stat_publications().await.page(lang)?;
    let mut seen = std::collections::BTreeMap::new();
    for x in &all {
        seen.entry(std::cmp::Reverse(x.year)).or_insert(x);
    }
    let mut o = format!(
        "<p>{}</p>",
        t(
            lang,
            "不正アクセス禁止法第7条に基づく、不正アクセス行為の発生状況の年次報告です。届出者を特定できる情報は含みません（少数のセルは秘匿しています）。",
            "Yearly reports on unauthorized access under Article 7 of the Unauthorized Access Act. They hold nothing that identifies a reporter (small cells are suppressed)."
        )
    );
    if seen.is_empty() {
        o.push_str(&notice(t(
            lang,
            "公表済みの報告はまだありません。",
            "No report has been published yet.",
        )));
    } else {
        o.push_str("<ul>");
        for (std::cmp::Reverse(year), x) in &seen {
            let _ = write!(
                o,
                r#"<li><a href="/statistics/{year}">{}</a> <span class="muted">{}</span></li>"#,
                esc(&period::year_label(*year, lang)),
                esc(&format!(
                    "{}{}",
                    t(lang, "公表: ", "published "),
                    when(lang, x.at)
                ))
            );
        }
        o.push_str("</ul>");
    }
    Ok(public_page(
        &mp,
        look,
        "/statistics",
        t(lang, "統計（公表）", "Published statistics"),
        "",
        &o,
    )
    .into_response())
}

/// The public report's query.
#[derive(Debug, Deserialize)]
pub struct PublicQuery {
    #[serde(default)]
    format: String,
    #[serde(default)]
    table: String,
}

/// `GET /statistics/{year}`: the latest published report of a year (public), with its
/// downloads.
pub async fn published(
    State(st): State<AppState>,
    mp: MaybePage,
    Path(year): Path<i32>,
    Query(q): Query<PublicQuery>,
) -> Result<Response, WebError> {
    let look = look(&mp, &[]);
    let lang = look.lang;
    let Some((r, info, revision)) = st.svc.published_report(year).await.page(lang)? else {
        return Err(ServiceError::NotFound).page(lang);
    };
    if let Some(file) = as_file(&r, lang, &q.format, &q.table).page(lang)? {
        return Ok(file);
    }
    let meta = format!(
        r#"<p class="muted">{}</p>"#,
        esc(&match lang {
            Lang::Ja => format!("公表 {}（第{revision}版）", when(lang, info.at)),
            Lang::En => format!("Published {} (revision {revision})", when(lang, info.at)),
        })
    );
    let base = format!("/statistics/{year}?rev={revision}");
    let body = format!("{meta}{}", report_body(&r, lang, Some(&base)));
    Ok(public_page(
        &mp,
        look,
        &format!("/statistics/{year}"),
        &title(&r, lang),
        "",
        &body,
    )
    .into_response())
}

/// `GET /stats/links`: the de-duplication review queue.
pub async fn links(State(st): State<AppState>, p: Page) -> Result<Response, WebError> {
    let lang = p.prefs.lang;
    let all = st
        .svc
        .stat_links(Caller::Person(&p.auth.actor), None)
        .await
        .page(lang)?;
    let mut o = format!(
        r#"<p>{}</p>"#,
        t(
            lang,
            "機関をまたいで同じ事案と思われる届出の組です。確認待ちの組を判断してください。統合はいつでも取り消せ、判断はすべて監査ログに残ります。",
            "Pairs of reports that may be one incident at several bodies. Decide the ones waiting for review; every merge can be undone and every decision is audited."
        )
    );
    let _ = write!(
        o,
        r#"<table class="stats-table"><tr><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th></tr>"#,
        t(lang, "記録", "records"),
        t(lang, "理由", "reason"),
        t(lang, "状態", "status"),
        t(lang, "操作", "action")
    );
    for l in &all {
        let actions: &[(&str, &str, &str)] = match l.status {
            LinkStatus::Proposed => &[
                ("confirm", "同じ事案として統合", "Merge: same incident"),
                ("reject", "別の事案", "Separate incidents"),
            ],
            LinkStatus::Auto | LinkStatus::Confirmed => {
                &[("undo", "統合を取り消す", "Undo the merge")]
            }
            LinkStatus::Rejected | LinkStatus::Undone => &[("confirm", "統合する", "Merge")],
        };
        let forms: String = actions
            .iter()
            .map(|(d, ja, en)| {
                format!(
                    r#"<form method="post" action="/stats/links" class="inline">{csrf}<input type="hidden" name="a" value="{a}"><input type="hidden" name="b" value="{b}"><input type="hidden" name="decision" value="{d}"><button type="submit" class="secondary">{label}</button></form> "#,
                    csrf = csrf_field(p.csrf()),
                    a = esc(&l.link.a),
                    b = esc(&l.link.b),
                    label = t(lang, ja, en)
                )
            })
            .collect();
        let _ = write!(
            o,
            r#"<tr><td class="mono">{} / {}</td><td>{}</td><td>{}</td><td>{forms}</td></tr>"#,
            esc(&l.link.a),
            esc(&l.link.b),
            esc(l.link.reason.label(lang)),
            esc(l.status.label(lang))
        );
    }
    o.push_str("</table>");
    if all.is_empty() {
        o.push_str(&notice(t(lang, "統合候補はありません。", "No links.")));
    }
    Ok(render(
        &p,
        t(
            lang,
            "重複の確認（事案の統合）",
            "Duplicate review (merging incidents)",
        ),
        &o,
    )
    .into_response())
}

/// The review form.
#[derive(Debug, Deserialize)]
pub struct DecideForm {
    csrf: String,
    a: String,
    b: String,
    decision: String,
}

/// `POST /stats/links`: confirm, reject or undo one link.
pub async fn decide(
    State(st): State<AppState>,
    p: Page,
    Form(f): Form<DecideForm>,
) -> Result<Response, WebError> {
    let lang = p.prefs.lang;
    p.check_csrf(&f.csrf)?;
    let d = LinkDecision::parse(&f.decision)
        .ok_or(mamori_service::ServiceError::Invalid(
            mamori_service::codes::STATS_LINK,
        ))
        .page(lang)?;
    st.svc
        .decide_stat_link(Caller::Person(&p.auth.actor), &f.a, &f.b, d)
        .await
        .page(lang)?;
    Ok(Redirect::to("/stats/links").into_response())
}

/// `GET /stats/import`: the supervisor's upload form for case-level records and other
/// organizations' figures (large migrations go through `mamori import cases`).
pub async fn import_form(p: Page) -> Response {
    let title = t(
        p.prefs.lang,
        "統計データの取り込み",
        "Import statistics data",
    );
    render(&p, title, &import_body(&p, "")).into_response()
}

fn import_body(p: &Page, result: &str) -> String {
    let lang = p.prefs.lang;
    format!(
        r#"{result}<p>{intro}</p><form method="post" action="/stats/import" enctype="multipart/form-data">{csrf}<fieldset><legend>{what}</legend><label><input type="radio" name="kind" value="cases" checked> {cases}</label><label><input type="radio" name="kind" value="external"> {external}</label></fieldset><label for="file">{file}</label><input id="file" name="file" type="file" accept=".jsonl,.ndjson,.json,.csv,text/csv,application/json" required><label><input type="checkbox" name="partial" value="1"> {partial}</label><button type="submit">{go}</button></form>"#,
        intro = t(
            lang,
            "事案単位の記録（JSON Lines または CSV、項目は docs/stats.md）か、他機関の公表値（CSV: source,unit,category,year,quarter,count）を取り込みます。誤りのある行が一つでもあれば、既定では何も取り込みません。大きなファイルは mamori import cases を使ってください。",
            "Imports case-level records (JSON Lines or CSV; fields in docs/stats.md) or other organizations' published figures (CSV: source,unit,category,year,quarter,count). By default a file with any bad row loads nothing. For large files use mamori import cases."
        ),
        csrf = csrf_field(p.csrf()),
        what = t(lang, "取り込むもの", "What to import"),
        cases = t(lang, "事案単位の記録", "Case-level records"),
        external = t(lang, "他機関の公表値", "Other organizations' figures"),
        file = t(lang, "ファイル", "File"),
        partial = t(
            lang,
            "誤りのない行だけ取り込む（事案単位の記録のみ）",
            "Load the good rows and skip the bad ones (case-level records only)"
        ),
        go = t(lang, "取り込む", "Import"),
    )
}

/// `POST /stats/import`: one multipart upload (`csrf`, `kind`, `partial`, `file`).
pub async fn import(
    State(st): State<AppState>,
    p: Page,
    mut mp: Multipart,
) -> Result<Response, WebError> {
    let lang = p.prefs.lang;
    let (mut csrf, mut kind, mut partial, mut file, mut name) = (
        String::new(),
        String::new(),
        false,
        Vec::new(),
        String::new(),
    );
    while let Ok(Some(mut f)) = mp.next_field().await {
        match f.name().unwrap_or("") {
            "file" => {
                name = f.file_name().unwrap_or("").to_string();
                let mut buf = st.svc.upload_buffer(name.as_str()).page(lang)?;
                receive(&mut f, &mut buf, mamori_service::codes::FILE_TOO_LARGE)
                    .await
                    .page(lang)?;
                file = buf.into_bytes();
            }
            "csrf" => csrf = f.text().await.unwrap_or_default(),
            "kind" => kind = f.text().await.unwrap_or_default(),
            "partial" => partial = !f.text().await.unwrap_or_default().is_empty(),
            _ => {}
        }
    }
    p.check_csrf(&csrf)?;
    let input = String::from_utf8(file)
        .map_err(|_| ServiceError::Invalid(mamori_service::codes::STATS_IMPORT))
        .page(lang)?;
    let caller = Caller::Person(&p.auth.actor);
    let (loaded, rejected, summary) = if kind == "external" {
        let (n, errors) = st
            .svc
            .import_external_counts(caller, &input)
            .await
            .page(lang)?;
        let summary = match lang {
            Lang::Ja => format!("{n}件の公表値を取り込みました。"),
            Lang::En => format!("{n} published figures imported."),
        };
        (n, errors, summary)
    } else {
        let format = if name.ends_with(".csv") {
            Format::Csv
        } else if name.ends_with(".jsonl") || name.ends_with(".ndjson") {
            Format::JsonLines
        } else {
            Format::sniff(&input)
        };
        let out = st
            .svc
            .import_stat_records(caller, &input, format, partial)
            .await
            .page(lang)?;
        let summary = match lang {
            Lang::Ja => format!(
                "{}件を取り込みました。重複の統合: 自動 {}組、確認待ち {}組。",
                count(out.imported),
                out.links_auto,
                out.links_proposed
            ),
            Lang::En => format!(
                "{} records imported. Links: {} merged automatically, {} waiting for review.",
                count(out.imported),
                out.links_auto,
                out.links_proposed
            ),
        };
        (out.imported, out.rejected, summary)
    };
    let mut result = String::new();
    if !rejected.is_empty() {
        let _ = write!(
            result,
            r#"<div class="notice error" role="alert"><p>{}</p><table class="stats-table"><caption>{}</caption><tr><th scope="col">{}</th><th scope="col">{}</th></tr>"#,
            esc(&if loaded == 0 {
                match lang {
                    Lang::Ja => format!(
                        "{}行に誤りがあるため、何も取り込みませんでした。",
                        rejected.len()
                    ),
                    Lang::En => {
                        format!("{} rows rejected, so nothing was imported.", rejected.len())
                    }
                }
            } else {
                match lang {
                    Lang::Ja => format!("{}行を除外しました。", rejected.len()),
                    Lang::En => format!("{} rows skipped.", rejected.len()),
                }
            }),
            esc(&name),
            t(lang, "行", "line"),
            t(lang, "理由", "reason"),
        );
        for e in rejected.iter().take(200) {
            let _ = write!(
                result,
                r#"<tr><td class="num">{}</td><td>{}</td></tr>"#,
                e.line,
                esc(&e.message(lang))
            );
        }
        result.push_str("</table></div>");
    }
    if loaded > 0 || rejected.is_empty() {
        let _ = write!(
            result,
            r#"<div class="notice" role="status"><p>{}</p></div>"#,
            esc(&summary)
        );
    }
    Ok(render(
        &p,
        t(lang, "統計データの取り込み", "Import statistics data"),
        &import_body(&p, &result),
    )
    .into_response())
}

/// `GET /stats/effect?name=…&start=YYYY-MM&dim=…&values=…&unit=…&months=N`: the
/// before/after trend of the categories a measure targets (R-3.8), with a chart.
pub async fn effect_page(
    State(st): State<AppState>,
    p: Page,
    Query(q): Query<Pairs>,
) -> Result<Response, WebError> {
    let lang = p.prefs.lang;
    let get = |k: &str| crate::portal_pages::get(&q, k);
    let dim = Dim::parse(get("dim"))
        .filter(|d| *d != Dim::Total)
        .unwrap_or(Dim::Method);
    let unit = Unit::parse(get("unit")).unwrap_or(Unit::Incidents);
    let values: Vec<String> = q
        .iter()
        .filter(|(k, v)| k == "values" && !v.is_empty())
        .map(|(_, v)| v.clone())
        .collect();
    let months: u8 = get("months").parse().unwrap_or(6).clamp(1, 36);
    let start = get("start");
    let mut o = String::new();
    let dims: String = Dim::ALL
        .iter()
        .filter(|d| **d != Dim::Total)
        .map(|d| {
            format!(
                r#"<option value="{}"{}>{}</option>"#,
                d.code(),
                if *d == dim { " selected" } else { "" },
                esc(d.label(lang))
            )
        })
        .collect();
    let units: String = TABLE_UNITS
        .iter()
        .map(|u| {
            format!(
                r#"<option value="{}"{}>{}</option>"#,
                u.code(),
                if *u == unit { " selected" } else { "" },
                esc(u.label(lang))
            )
        })
        .collect();
    let boxes: String = dim_codes(dim)
        .into_iter()
        .map(|c| {
            let label = dim.value_text(c).map_or(c, |x| x.get(lang));
            format!(
                r#"<label><input type="checkbox" name="values" value="{c}"{}> {}</label>"#,
                if values.iter().any(|v| v == c) {
                    " checked"
                } else {
                    ""
                },
                esc(label)
            )
        })
        .collect();
    let _ = write!(
        o,
        r#"<p>{intro}</p><form method="get" action="/stats/effect"><label for="name">{name_l}</label><input id="name" name="name" value="{name}" maxlength="200"><label for="start">{start_l}</label><input id="start" name="start" type="month" value="{start}" required placeholder="2010-04"><label for="dim">{dim_l}</label><select id="dim" name="dim">{dims}</select><button type="submit" class="secondary" name="pick" value="1">{pick}</button><fieldset><legend>{values_l}</legend>{boxes}</fieldset><label for="unit">{unit_l}</label><select id="unit" name="unit">{units}</select><label for="months">{months_l}</label><input id="months" name="months" type="number" min="1" max="36" value="{months}"><button type="submit">{go}</button></form>"#,
        intro = t(
            lang,
            "対策とその開始月、対象の区分を選ぶと、開始前後の月別件数（k 匿名化済み）を比べます。",
            "Choose a measure, its first month and the categories it targets to compare the monthly counts before and after (k-anonymized)."
        ),
        name_l = t(lang, "対策の名前", "Measure"),
        name = esc(get("name")),
        start_l = t(lang, "開始月（YYYY-MM）", "First month (YYYY-MM)"),
        start = esc(start),
        dim_l = t(lang, "区分", "Dimension"),
        pick = t(lang, "区分を切り替える", "Switch dimension"),
        values_l = t(lang, "対象の値", "Targeted values"),
        unit_l = t(lang, "単位", "Unit"),
        months_l = t(lang, "前後の月数", "Months each side"),
        go = t(lang, "比較する", "Compare"),
    );
    let parsed_start = start
        .split_once('-')
        .and_then(|(y, m)| Some((y.parse::<i32>().ok()?, m.parse::<u8>().ok()?)));
    if let (Some(start), false, true) = (parsed_start, values.is_empty(), get("pick").is_empty()) {
        let measure = Measure {
            name: get("name").chars().take(200).collect(),
            start,
            dim,
            values,
            unit,
        };
        let e = st
            .svc
            .measure_effect(
                Caller::Person(&p.auth.actor),
                &measure,
                months,
                anonymize::DEFAULT_K,
            )
            .await
            .page(lang)?;
        o.push_str(&effect_html(&e, lang));
    }
    Ok(render(&p, t(lang, "対策の効果", "Effect of a measure"), &o).into_response())
}

/// The before/after bars and the table of an effect.
fn effect_html(e: &Effect, lang: Lang) -> String {
    let mut o = format!(
        r#"<h2>{}</h2><p>{}</p>"#,
        esc(if e.measure.name.is_empty() {
            t(lang, "結果", "Result")
        } else {
            &e.measure.name
        }),
        esc(&match lang {
            Lang::Ja => format!(
                "月平均 {:.1} 件 → {:.1} 件{}（{}）",
                e.mean_before,
                e.mean_after,
                e.relative_change
                    .map(|c| format!("（{:+.0}%）", c * 100.0))
                    .unwrap_or_default(),
                e.measure.unit.label(lang)
            ),
            Lang::En => format!(
                "Monthly mean {:.1} → {:.1}{} ({})",
                e.mean_before,
                e.mean_after,
                e.relative_change
                    .map(|c| format!(" ({:+.0}%)", c * 100.0))
                    .unwrap_or_default(),
                e.measure.unit.label(lang)
            ),
        })
    );
    let max = e
        .trend
        .iter()
        .filter_map(|m| m.count)
        .max()
        .unwrap_or(1)
        .max(1);
    let n = e.trend.len().max(1);
    let (w, h, left, bottom, top) = (640.0_f64, 220.0_f64, 48.0_f64, 36.0_f64, 12.0_f64);
    #[allow(clippy::cast_precision_loss)] // chart coordinates
    let bw = (w - left - 8.0) / n as f64;
    let mut svg = format!(
        r##"<svg class="chart" viewBox="0 0 {w} {h}" role="img" aria-labelledby="effect-title"><title id="effect-title">{}</title><line x1="{left}" y1="{y0}" x2="{w}" y2="{y0}" stroke="#333"/><text x="4" y="{ty}" font-size="11">{max}</text><text x="4" y="{y0}" font-size="11">0</text>"##,
        esc(t(
            lang,
            "対策の前後の月別件数",
            "Monthly counts before and after the measure"
        )),
        y0 = h - bottom,
        ty = top + 10.0,
        max = count(max),
    );
    for (i, m) in e.trend.iter().enumerate() {
        #[allow(clippy::cast_precision_loss)] // chart coordinates
        let (x, v) = (left + bw * i as f64, m.count.unwrap_or(0) as f64);
        #[allow(clippy::cast_precision_loss)]
        let bh = (h - bottom - top) * v / max as f64;
        let _ = write!(
            svg,
            r#"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="{}"/>"#,
            x + 1.0,
            h - bottom - bh,
            (bw - 2.0).max(1.0),
            bh,
            if m.after { COLORS[0] } else { COLORS[5] }
        );
        if m.after && i > 0 && !e.trend[i - 1].after {
            let _ = write!(
                svg,
                r##"<line x1="{x:.1}" y1="{top}" x2="{x:.1}" y2="{:.1}" stroke="#a4262c" stroke-dasharray="4 3"/><text x="{:.1}" y="{:.1}" font-size="11">{}</text>"##,
                h - bottom,
                x + 3.0,
                top + 10.0,
                esc(t(lang, "開始", "start"))
            );
        }
        if i % 3 == 0 {
            let _ = write!(
                svg,
                r#"<text x="{:.1}" y="{:.1}" font-size="10">{}-{:02}</text>"#,
                x,
                h - bottom + 14.0,
                m.year,
                m.month
            );
        }
    }
    svg.push_str("</svg>");
    o.push_str(&svg);
    let _ = write!(
        o,
        r#"<ul class="legend"><li><span class="swatch-6"></span>{}</li><li><span class="swatch-1"></span>{}</li></ul><table class="stats-table"><tr><th scope="col">{}</th><th scope="col" class="num">{}</th><th scope="col">{}</th></tr>"#,
        t(lang, "開始前", "before"),
        t(lang, "開始後", "from the start"),
        t(lang, "月", "month"),
        esc(e.measure.unit.label(lang)),
        t(lang, "期間", "period"),
    );
    for m in &e.trend {
        let _ = write!(
            o,
            r#"<tr><th scope="row">{}-{:02}</th><td class="num">{}</td><td>{}</td></tr>"#,
            m.year,
            m.month,
            opt(m.count),
            if m.after {
                t(lang, "開始後", "after")
            } else {
                t(lang, "開始前", "before")
            }
        );
    }
    o.push_str("</table>");
    let _ = write!(
        o,
        r#"<p class="muted">{}</p>"#,
        esc(&k_note(anonymize::DEFAULT_K, lang))
    );
    o
}
