//! The public side of vulnerability coordination (issue 12): published advisories
//! (`/advisories`, `/advisories/{id}` in Japanese and English, with CSAF 2.0 and CVE JSON
//! 5.1), the receiving body's statistics feed (Ⅴ 一 2.(8)) and the unreachable-developers
//! list. Everything here reads only what `Services::public_advisory` /
//! `public_unreachable` give: nothing under embargo is ever shown (Ⅴ 一 3.(9)).

use crate::AppState;
use crate::error::{WebError, WebResult};
use crate::extract::MaybePage;
use crate::html::{esc, t, when};
use crate::portal_pages::{Pairs, get, look, public_page};
use crate::vuln_pages::cvss_summary;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use mamori_core::Lang;
use mamori_vuln::{Advisory, PublishedResult};

fn result_text(lang: Lang, r: PublishedResult) -> String {
    r.text().get(lang).to_string()
}

fn advisory_body(lang: Lang, key: i64, a: &Advisory) -> String {
    let overview = match lang {
        Lang::Ja => &a.text.overview_ja,
        Lang::En => &a.text.overview_en,
    };
    let rows: String = a
        .developers
        .iter()
        .map(|d| {
            format!(
                r#"<tr><td>{n}</td><td>{p}</td><td class="result">{r}</td><td>{s}</td><td>{c}</td><td>{u}</td></tr>"#,
                n = esc(&d.name),
                p = esc(&d.products.join(", ")),
                r = esc(&result_text(lang, d.result)),
                s = esc(d.statement.as_deref().or(d.status_report.as_deref()).unwrap_or("")),
                c = esc(&d.countermeasures.iter().map(|c| c.get(lang)).collect::<Vec<_>>().join(" / ")),
                u = d.updated_at.map_or_else(|| "—".into(), |x| when(lang, x)),
            )
        })
        .collect();
    format!(
        r#"<p class="muted">{id} · {pubd}: {date}</p><h2>{ovh}</h2><p>{overview}</p>
<h2>{devh}</h2><table id="advisory-developers"><thead><tr><th>{n}</th><th>{p}</th><th>{r}</th><th>{s}</th><th>{c}</th><th>{u}</th></tr></thead><tbody>{rows}</tbody></table>
{cvss}<p>{cves}{cwe}</p>{credit}
<p><a href="/advisories/{key}/csaf.json">CSAF 2.0 (JSON)</a> · <a href="/advisories/{key}/cve.json">CVE JSON 5.1</a> · <a href="/advisories">{back}</a></p>"#,
        id = esc(&a.text.id),
        pubd = t(lang, "公表日", "Published"),
        date = when(lang, a.publication_date),
        ovh = t(lang, "概要", "Overview"),
        overview = esc(overview),
        devh = t(lang, "製品開発者の状況", "Vendor status"),
        n = t(lang, "製品開発者", "Vendor"),
        p = t(lang, "製品", "Products"),
        r = t(lang, "状況", "Status"),
        s = t(lang, "見解", "Statement"),
        c = t(lang, "対策", "Countermeasures"),
        u = t(lang, "更新日時", "Updated"),
        cvss = {
            let c = cvss_summary(lang, &a.text);
            if c.is_empty() {
                c
            } else {
                format!(
                    r#"<h2>{}</h2>{c}"#,
                    t(lang, "深刻度（CVSS 基本値）", "Severity (CVSS base score)")
                )
            }
        },
        cves = esc(&a.text.cve_ids.join(", ")),
        cwe = a
            .text
            .cwe
            .as_ref()
            .map_or_else(String::new, |c| format!(" · {}", esc(c))),
        credit = a.credit.as_ref().map_or_else(String::new, |c| format!(
            r#"<p id="credit">{}: {}</p>"#,
            t(lang, "謝辞", "Credit"),
            esc(c)
        )),
        back = t(lang, "一覧に戻る", "All advisories"),
    )
}

/// `GET /advisories`.
pub async fn advisories(
    State(st): State<AppState>,
    mp: MaybePage,
    Query(q): Query<Pairs>,
) -> Result<Html<String>, WebError> {
    let look = look(&mp, &q);
    let lang = look.lang;
    let list = st.svc.public_advisories().await.page(lang)?;
    let rows: String = list
        .iter()
        .map(|(id, a)| {
            format!(
                r#"<li><a href="/advisories/{n}">{aid} {title}</a> — {date}</li>"#,
                n = id.0,
                aid = esc(&a.text.id),
                title = esc(match lang {
                    Lang::Ja => &a.text.title_ja,
                    Lang::En => &a.text.title_en,
                }),
                date = when(lang, a.publication_date),
            )
        })
        .collect();
    let body = if rows.is_empty() {
        format!(
            "<p>{}</p>",
            t(
                lang,
                "公表済みの脆弱性情報はまだありません。",
                "No advisories yet."
            )
        )
    } else {
        format!(r#"<ul id="advisories">{rows}</ul>"#)
    };
    let body = format!(
        r#"{body}<p><a href="/advisories/unreachable">{}</a></p>"#,
        t(lang, "連絡不能開発者一覧", "Unreachable developers")
    );
    Ok(public_page(
        &mp,
        look,
        "/advisories",
        t(lang, "脆弱性情報", "Vulnerability advisories"),
        "",
        &body,
    ))
}

/// `GET /advisories/unreachable`: the developers the coordinator could not reach and lists
/// publicly (連絡不能開発者一覧): name, products and since when; nothing of the cases.
pub async fn unreachable(
    State(st): State<AppState>,
    mp: MaybePage,
    Query(q): Query<Pairs>,
) -> Result<Html<String>, WebError> {
    let look = look(&mp, &q);
    let lang = look.lang;
    let list = st.svc.public_unreachable().await.page(lang)?;
    let rows: String = list
        .iter()
        .map(|u| {
            format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&u.name),
                esc(&u.products.join(", ")),
                when(lang, u.since)
            )
        })
        .collect();
    let intro = t(
        lang,
        "脆弱性関連情報の取扱いについて、調整機関が以下の製品開発者と連絡を取ることができていません。該当する製品開発者の方、または連絡先をご存じの方は、調整機関（JPCERT/CC）までご連絡ください。脆弱性の内容は、製品開発者と連絡が取れるまで公表しません。",
        "The coordinator cannot reach the following product developers about vulnerability information. If you are one of them, or know how to reach them, please contact the coordinator (JPCERT/CC). Nothing of the vulnerability is published until the developer is reached.",
    );
    let body = if rows.is_empty() {
        format!(
            "<p>{intro}</p><p>{}</p>",
            t(
                lang,
                "現在、掲載している製品開発者はありません。",
                "No developer is listed now."
            )
        )
    } else {
        format!(
            r#"<p>{intro}</p><table id="unreachable"><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{rows}</tbody></table>"#,
            t(lang, "製品開発者", "Developer"),
            t(lang, "製品", "Products"),
            t(lang, "掲載日時（JST）", "Listed since (JST)"),
        )
    };
    Ok(public_page(
        &mp,
        look,
        "/advisories/unreachable",
        t(lang, "連絡不能開発者一覧", "Unreachable developers"),
        "",
        &body,
    ))
}

/// `GET /advisories/{id}`: 404 for anything not public.
pub async fn advisory(
    State(st): State<AppState>,
    mp: MaybePage,
    Path(key): Path<String>,
    Query(q): Query<Pairs>,
) -> Result<Html<String>, WebError> {
    let look = look(&mp, &q);
    let lang = look.lang;
    let (id, a) = st.svc.public_advisory(&key).await.page(lang)?;
    let title = match lang {
        Lang::Ja => a.text.title_ja.clone(),
        Lang::En => a.text.title_en.clone(),
    };
    Ok(public_page(
        &mp,
        look,
        &format!("/advisories/{}", id.0),
        &title,
        "",
        &advisory_body(lang, id.0, &a),
    ))
}

pub(crate) fn json_response(v: &serde_json::Value) -> Response {
    (
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        serde_json::to_string_pretty(v).unwrap_or_default(),
    )
        .into_response()
}

/// `GET /advisories/{id}/csaf.json` (`?lang=en` for English).
pub async fn advisory_csaf(
    State(st): State<AppState>,
    mp: MaybePage,
    Path(key): Path<String>,
    Query(q): Query<Pairs>,
) -> Result<Response, WebError> {
    let lang = if get(&q, "lang") == "en" {
        Lang::En
    } else {
        mp.prefs.lang
    };
    let (_, a) = st.svc.public_advisory(&key).await.page(lang)?;
    Ok(json_response(&st.svc.advisory_csaf(&a, lang)))
}

/// `GET /advisories/statistics.json`: report counts by stage (Ⅴ 一 2.(8), Ⅵ 2.(7)),
/// software and website cases, public.
pub async fn statistics(State(st): State<AppState>, mp: MaybePage) -> Result<Response, WebError> {
    let s = st.svc.vuln_statistics().await.page(mp.prefs.lang)?;
    Ok(json_response(&serde_json::json!({
        "clause": "V.1.2(8)",
        "website_clause": "VI.2(7)",
        "software": s.software,
        "website": s.website,
    })))
}

/// `GET /advisories/{id}/cve.json`: the CVE records (one per CVE id) as an array.
pub async fn advisory_cve(
    State(st): State<AppState>,
    mp: MaybePage,
    Path(key): Path<String>,
) -> Result<Response, WebError> {
    let lang = mp.prefs.lang;
    let (_, a) = st.svc.public_advisory(&key).await.page(lang)?;
    let recs: Vec<serde_json::Value> = st
        .svc
        .advisory_cves(&a)
        .into_iter()
        .map(|(_, r)| r)
        .collect();
    Ok(json_response(&serde_json::Value::Array(recs)))
}
