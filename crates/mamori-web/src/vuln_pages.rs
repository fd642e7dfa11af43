//! Vulnerability coordination pages (issue 12, R-3.5), Japanese first with English, no
//! JavaScript, a CSRF token on every form:
//!
//! - `/vuln`: the person's cases (the receiving body's queue, the coordinator's cases, a
//!   developer's threads, a discoverer's reports) with the reminders due;
//! - `/vuln/new`: the discoverer's report form with the required items (Ⅴ 一 1.(2));
//! - `/vuln/{id}`: one case as the person's party may see it (`may_see` in the service),
//!   with the forms that party's commands need (the developer table narrowed per product
//!   with `?product=`); `POST /vuln/{id}/{action}` runs them;
//! - `/vuln/roster`: the coordinator's developer list.
//!
//! The public side (`/advisories…`) is `advisory_pages.rs`.
//!
//! The rules are the core's (`mamori-vuln`); these pages only parse forms into commands.

use crate::AppState;
use crate::error::{WebError, WebResult};
use crate::extract::Page;
use crate::html::{alert, csrf_field, esc, notice, t, when};
use crate::pages::render;
use crate::portal_pages::{Pairs, get};
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use mamori_core::Lang;
use mamori_service::vuln::VulnView;
use mamori_store::VulnCaseId;
use mamori_vuln::{
    AdvisoryText, CancelGround, Command, Countermeasure, CountermeasureKind, CvssError, CvssV3,
    CvssV4, DateBasis, Developer, DeveloperId, DeveloperStatus, Discoverer, Discovery,
    IdentityConsent, LeakRisk, Novelty, Party, Registration, Reply, Report, Severity, Stage,
    StopReason, Target, VulnError, VulnerabilityInfo,
};
use time::OffsetDateTime;

pub(crate) fn text(q: &[(String, String)], name: &str) -> String {
    get(q, name).trim().replace("\r\n", "\n")
}

pub(crate) fn all_of(q: &[(String, String)], name: &str) -> Vec<String> {
    q.iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .collect()
}

/// `2026-12-05T20:31` (a `datetime-local` field) read as JST.
pub(crate) fn jst_input(s: &str) -> Option<OffsetDateTime> {
    let f = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]");
    let fs = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
    let p = time::PrimitiveDateTime::parse(s.trim(), &f)
        .or_else(|_| time::PrimitiveDateTime::parse(s.trim(), &fs))
        .ok()?;
    Some(p.assume_offset(time::macros::offset!(+9)))
}

fn stage_name(lang: Lang, s: &Stage) -> String {
    let (ja, en) = match s {
        Stage::Submitted => ("受付待ち", "submitted"),
        Stage::Accepted => ("受理済み", "accepted"),
        Stage::Refused { .. } => ("受理しない", "refused"),
        Stage::Stopped { .. } => ("取扱い終了", "stopped"),
        Stage::Coordinating => ("調整中", "coordinating"),
        Stage::Published { .. } => ("公表済み", "published"),
        Stage::Cancelled { .. } => ("公表取りやめ", "cancelled"),
    };
    t(lang, ja, en).to_string()
}

pub(crate) fn stage_code_name(lang: Lang, code: &str) -> &'static str {
    match code {
        "submitted" => t(lang, "受付待ち", "submitted"),
        "accepted" => t(lang, "受理済み", "accepted"),
        "refused" => t(lang, "受理しない", "refused"),
        "stopped" => t(lang, "取扱い終了", "stopped"),
        "coordinating" => t(lang, "調整中", "coordinating"),
        "published" => t(lang, "公表済み", "published"),
        // Website cases (Ⅵ).
        "operator_notified" => t(
            lang,
            "運営者に通知済み（回答待ち）",
            "operator notified (awaiting answer)",
        ),
        "operator_answered" => t(
            lang,
            "運営者が回答（詳細の送付待ち）",
            "operator answered (details to send)",
        ),
        "verifying" => t(lang, "運営者が検証中", "operator verifying"),
        "fixing" => t(lang, "運営者が修正中", "operator fixing"),
        "fixed" => t(lang, "修正済み", "fixed"),
        _ => t(lang, "公表取りやめ", "cancelled"),
    }
}

pub(crate) fn party_name(lang: Lang, p: &Party) -> String {
    p.text().get(lang).to_string()
}

pub(crate) fn vuln_error(lang: Lang, e: &VulnError) -> String {
    alert(&format!(
        "{} [{} {}] {e}",
        t(
            lang,
            "取扱基準によりこの操作はできません。",
            "The handling standard does not allow this."
        ),
        t(lang, "条項", "clause"),
        e.clause().code()
    ))
}

/// The CVSS fields of the advisory form; an error names the field and the bad metric.
fn cvss_fields(
    q: &[(String, String)],
    lang: Lang,
) -> Result<(Option<CvssV3>, Option<CvssV4>), String> {
    let bad = |label: &str, e: CvssError| format!("{label}: {}", e.message(lang));
    let v3 = match get(q, "cvss_v3").trim() {
        "" => None,
        s => Some(CvssV3::parse(s).map_err(|e| bad("CVSS 3.1", e))?),
    };
    let v4 = match get(q, "cvss_v4").trim() {
        "" => None,
        s => Some(CvssV4::parse(s).map_err(|e| bad("CVSS 4.0", e))?),
    };
    Ok((v3, v4))
}

/// 深刻度 in JVN's words with the English (or the other way round on the English page).
fn severity_words(lang: Lang, s: Severity) -> String {
    let w = s.text();
    match lang {
        Lang::Ja => format!("{}（{}）", w.ja, w.en),
        Lang::En => format!("{} ({})", w.en, w.ja),
    }
}

/// The advisory's CVSS vectors with their base scores and severities (empty if none).
pub(crate) fn cvss_summary(lang: Lang, a: &AdvisoryText) -> String {
    let one = |key: &str, version: &str, vector: String, score: f64, sev: Severity| {
        format!(
            r#"<p class="cvss" id="cvss-{key}">CVSS {version} {base}: <strong class="score">{score}</strong> {sevl}: <strong class="severity">{sev}</strong> <code class="vector">{vector}</code></p>"#,
            base = t(lang, "基本値", "base score"),
            score = mamori_vuln::cvss::score_text(score),
            sevl = t(lang, "深刻度", "severity"),
            sev = esc(&severity_words(lang, sev)),
            vector = esc(&vector),
        )
    };
    let mut out = String::new();
    if let Some(v) = &a.cvss_v3 {
        out.push_str(&one("v3", "3.1", v.vector(), v.base_score(), v.severity()));
    }
    if let Some(v) = &a.cvss_v4 {
        out.push_str(&one("v4", "4.0", v.vector(), v.base_score(), v.severity()));
    }
    out
}

/// `GET /vuln`: the person's cases and reminders.
pub async fn list(State(st): State<AppState>, p: Page) -> Result<Response, WebError> {
    let lang = p.prefs.lang;
    let a = &p.auth.actor;
    let cases = st.svc.vuln_cases(a).await.page(lang)?;
    let reminders = st.svc.vuln_reminders(a).await.page(lang)?;
    let rows: String = cases
        .iter()
        .map(|(party, c)| {
            format!(
                r#"<tr><td><a href="/vuln/{id}">#{id}</a></td><td>{prod}</td><td>{stage}</td><td>{date}</td><td>{n}</td><td>{party}</td></tr>"#,
                id = c.id.0,
                prod = if c.website {
                    format!(
                        "{} {}",
                        t(lang, "［ウェブサイト］", "[website]"),
                        esc(c.product.as_deref().unwrap_or("—"))
                    )
                } else {
                    esc(c.product.as_deref().unwrap_or("—"))
                },
                stage = stage_code_name(lang, &c.stage),
                date = c.publication_at.map_or_else(|| "—".into(), |d| when(lang, d)),
                n = c.developers,
                party = esc(&party_name(lang, party)),
            )
        })
        .collect();
    let rem: String = reminders
        .iter()
        .map(|(id, r)| {
            format!(
                r#"<li><a href="/vuln/{id}">#{id}</a> {kind} — {due} ({clause})</li>"#,
                id = id.0,
                kind = esc(&r.kind.describe(lang)),
                due = when(lang, r.due_at),
                clause = esc(r.clause.code()),
            )
        })
        .collect();
    let body = format!(
        r#"<p><a class="button" href="/vuln/new">{new}</a> · <a href="/vuln/own">{own}</a> · <a href="/advisories">{pub_}</a></p>
<section aria-labelledby="rem-h"><h2 id="rem-h">{remh}</h2>{rem}</section>
<section aria-labelledby="cases-h"><h2 id="cases-h">{casesh}</h2>
<table id="vuln-cases"><thead><tr><th>{no}</th><th>{prodh}</th><th>{stageh}</th><th>{dateh}</th><th>{devh}</th><th>{asp}</th></tr></thead><tbody>{rows}</tbody></table></section>"#,
        new = t(lang, "脆弱性を届け出る", "Report a vulnerability"),
        own = t(
            lang,
            "自社製品の脆弱性を通知する（製品開発者、Ⅴ 二）",
            "Notify an own-product vulnerability (developers, Ⅴ 二)"
        ),
        pub_ = t(lang, "公表済みの脆弱性情報", "Published advisories"),
        remh = t(
            lang,
            "期限が近いもの（リマインダー）",
            "Reminders (deadlines)"
        ),
        rem = if rem.is_empty() {
            format!("<p>{}</p>", t(lang, "ありません。", "None."))
        } else {
            format!(r#"<ul id="reminders">{rem}</ul>"#)
        },
        casesh = t(lang, "案件", "Cases"),
        no = t(lang, "番号", "No."),
        prodh = t(lang, "製品・ウェブサイト", "Product or website"),
        stageh = t(lang, "状態", "Stage"),
        dateh = t(lang, "公表日（JST）", "Publication date (JST)"),
        devh = t(lang, "製品開発者数", "Developers"),
        asp = t(lang, "あなたの立場", "You act as"),
    );
    Ok(render(
        &p,
        t(lang, "脆弱性関連情報の取扱い", "Vulnerability handling"),
        &body,
    )
    .into_response())
}

fn report_form(p: &Page, q: &[(String, String)], msg: &str) -> String {
    let lang = p.prefs.lang;
    let v = |n: &str| esc(get(q, n));
    let input = |n: &str, ja: &'static str, en: &'static str, req: bool| {
        format!(
            r#"<label for="f-{n}">{l}{r}</label><input id="f-{n}" name="{n}" value="{v}"{req}>"#,
            l = t(lang, ja, en),
            r = if req {
                t(lang, "（必須）", " (required)")
            } else {
                ""
            },
            v = v(n),
            req = if req { " required" } else { "" },
        )
    };
    let area = |n: &str, ja: &'static str, en: &'static str, req: bool| {
        format!(
            r#"<label for="f-{n}">{l}{r}</label><textarea id="f-{n}" name="{n}" rows="4"{req}>{v}</textarea>"#,
            l = t(lang, ja, en),
            r = if req {
                t(lang, "（必須）", " (required)")
            } else {
                ""
            },
            v = v(n),
            req = if req { " required" } else { "" },
        )
    };
    format!(
        r#"{msg}<p>{intro}</p><form method="post" action="/vuln/new">{csrf}
<fieldset><legend>{who}</legend>{name}{org}{contact}</fieldset>
<fieldset><legend>{consent}</legend>
<p><input type="checkbox" id="f-to_coordinator" name="to_coordinator" value="1" checked><label for="f-to_coordinator">{toc}</label></p>
<p><input type="checkbox" id="f-to_developers" name="to_developers" value="1"><label for="f-to_developers">{tod}</label></p>
{credit}</fieldset>
<fieldset><legend>{target}</legend>{kind}</fieldset>
<fieldset><legend>{prod}</legend>{pname}{pver}{pdev}</fieldset>
<fieldset><legend>{site}</legend>{sname}{surl}</fieldset>
<fieldset><legend>{info}</legend>{nature}{verif}{attack}</fieldset>
<fieldset><legend>{disc}</legend>{how}
<p><input type="checkbox" id="f-lawful" name="lawful" value="1"><label for="f-lawful">{lawful}</label></p></fieldset>
<p><button type="submit">{send}</button></p></form>"#,
        intro = t(
            lang,
            "ソフトウェア製品またはウェブサイトの脆弱性関連情報を受付機関（IPA）に届け出ます。届け出た内容は公表まで（ウェブサイトは修正後も）関係者の外に出ません。あなたの氏名・連絡先は、同意しない限り製品開発者・ウェブサイト運営者に伝わりません（取扱基準 Ⅴ 一 2.(4)、Ⅵ 2.(4)）。",
            "Report a vulnerability in a software product or a website to the receiving body (IPA). Nothing leaves the parties before publication (a website case is never published). Your name and contact reach developers or the website operator only if you agree (standard Ⅴ 一 2.(4), Ⅵ 2.(4))."
        ),
        csrf = csrf_field(p.csrf()),
        who = t(lang, "届出者（あなた）", "You (the discoverer)"),
        name = input("name", "氏名", "Name", true),
        org = input(
            "organization",
            "所属（任意）",
            "Organization (optional)",
            false
        ),
        contact = input(
            "contact",
            "連絡先（メールアドレスなど）",
            "Contact (e-mail etc.)",
            true
        ),
        consent = t(
            lang,
            "あなたの情報の取扱い",
            "How your identity may be handled"
        ),
        toc = t(
            lang,
            "調整機関（JPCERT/CC）に氏名・連絡先を伝えてよい",
            "The coordinator (JPCERT/CC) may know my name and contact"
        ),
        tod = t(
            lang,
            "製品開発者（ウェブサイトの場合は運営者）に氏名・連絡先を伝えてよい",
            "Product developers (for a website: its operator) may know my name and contact"
        ),
        credit = input(
            "credit",
            "公表時に謝辞として載せる名前（載せない場合は空欄）",
            "Name to credit in the advisory (leave empty for no credit)",
            false
        ),
        target = t(lang, "届出の対象", "What the report is about"),
        kind = {
            let web = get(q, "kind") == "website";
            format!(
                r#"<label for="f-kind">{l}</label><select id="f-kind" name="kind"><option value="product"{a}>{p}</option><option value="website"{b}>{w}</option></select>"#,
                l = t(lang, "対象の種類", "Kind"),
                a = if web { "" } else { " selected" },
                b = if web { " selected" } else { "" },
                p = t(lang, "製品（ソフトウェア製品）", "Software product"),
                w = t(lang, "ウェブサイト", "Website"),
            )
        },
        prod = t(
            lang,
            "製品（製品の届出では必須）",
            "Product (required for a product)"
        ),
        pname = input("product", "製品名", "Product name", false),
        pver = input("version", "バージョン", "Version", false),
        site = t(
            lang,
            "ウェブサイト（ウェブサイトの届出では必須、Ⅵ 1.(2)）",
            "Website (required for a website, Ⅵ 1.(2))"
        ),
        sname = input("site_name", "ウェブサイト名", "Website name", false),
        surl = input("site_url", "URL（https://…）", "URL (https://…)", false),
        pdev = input(
            "developer_hint",
            "製品開発者（分かれば）",
            "Developer (if known)",
            false
        ),
        info = t(lang, "脆弱性関連情報", "Vulnerability information"),
        nature = area(
            "nature",
            "脆弱性の性質・特徴（脆弱性情報）",
            "Nature and features of the vulnerability",
            true
        ),
        verif = area("verification", "検証方法", "How to verify it", true),
        attack = area(
            "attack",
            "攻撃方法（あれば）",
            "Attack method (if any)",
            false
        ),
        disc = t(lang, "発見の経緯", "How it was found"),
        how = area("how", "どのように発見したか", "How you found it", true),
        lawful = t(
            lang,
            "法令に反する方法で発見・取得したものではありません",
            "It was not found or obtained by unlawful means"
        ),
        send = t(lang, "届け出る", "Send the report"),
    )
}

/// `GET /vuln/new`.
pub async fn new_form(p: Page) -> Result<Response, WebError> {
    let lang = p.prefs.lang;
    let body = report_form(&p, &[], "");
    Ok(render(
        &p,
        t(lang, "脆弱性関連情報の届出", "Report a vulnerability"),
        &body,
    )
    .into_response())
}

/// `POST /vuln/new`.
pub async fn create(
    State(st): State<AppState>,
    p: Page,
    Form(q): Form<Pairs>,
) -> Result<Response, WebError> {
    p.check_csrf(get(&q, "csrf"))?;
    let lang = p.prefs.lang;
    let org = text(&q, "organization");
    let attack = text(&q, "attack");
    let report = Report {
        discoverer: Discoverer {
            name: text(&q, "name"),
            organization: (!org.is_empty()).then_some(org),
            contact: text(&q, "contact"),
        },
        consent: consent_of(&q),
        target: if get(&q, "kind") == "website" {
            Target::Website {
                name: text(&q, "site_name"),
                url: text(&q, "site_url"),
            }
        } else {
            Target::Product {
                name: text(&q, "product"),
                version: text(&q, "version"),
                developer_hint: text(&q, "developer_hint"),
            }
        },
        info: VulnerabilityInfo {
            nature: text(&q, "nature"),
            verification: text(&q, "verification"),
            attack: (!attack.is_empty()).then_some(attack),
        },
        discovery: Discovery {
            how: text(&q, "how"),
            lawful_confirmed: get(&q, "lawful") == "1",
        },
    };
    let missing = report.missing();
    if !missing.is_empty() {
        let items: Vec<&str> = missing.iter().map(|m| m.text().get(lang)).collect();
        let msg = alert(&format!(
            "{} {}",
            t(
                lang,
                "必要な項目が足りません:",
                "Required items are missing:"
            ),
            items.join("、")
        ));
        let body = report_form(&p, &q, &msg);
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            render(
                &p,
                t(lang, "脆弱性関連情報の届出", "Report a vulnerability"),
                &body,
            ),
        )
            .into_response());
    }
    match st.svc.vuln_submit(&p.auth.actor, report).await.page(lang)? {
        Ok(id) => Ok(Redirect::to(&format!("/vuln/{}?sent=1", id.0)).into_response()),
        Err(e) => {
            let body = report_form(&p, &q, &vuln_error(lang, &e));
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                render(
                    &p,
                    t(lang, "脆弱性関連情報の届出", "Report a vulnerability"),
                    &body,
                ),
            )
                .into_response())
        }
    }
}

fn status_badge(lang: Lang, s: DeveloperStatus) -> String {
    // Words, not colour: the badge reads the same without colour.
    let txt = if s == DeveloperStatus::Notified {
        t(lang, "回答なし（通知済み）", "no answer (notified)").to_string()
    } else {
        s.text().get(lang).to_string()
    };
    format!(r#"<span class="tag status-{s:?}">{}</span>"#, esc(&txt))
}

pub(crate) fn form(
    p: &Page,
    id: VulnCaseId,
    version: i64,
    action: &str,
    inner: &str,
    button: &str,
) -> String {
    // Field ids are unique on the page: each form's own prefix.
    let inner = inner
        .replace(r#"id="f-"#, &format!(r#"id="f-{action}-"#))
        .replace(r#"for="f-"#, &format!(r#"for="f-{action}-"#));
    format!(
        r#"<form method="post" action="/vuln/{id}/{action}" class="vuln-action">{csrf}<input type="hidden" name="version" value="{version}">{inner}<button type="submit">{button}</button></form>"#,
        id = id.0,
        csrf = csrf_field(p.csrf()),
        button = esc(button),
    )
}

pub(crate) fn field(name: &str, label: &str, kind: &str) -> String {
    let step = if kind == "datetime-local" {
        r#" step="1""#
    } else {
        ""
    };
    format!(
        r#"<label for="f-{name}">{label}</label><input id="f-{name}" name="{name}" type="{kind}"{step}>"#,
        label = esc(label)
    )
}

pub(crate) fn area(name: &str, label: &str) -> String {
    format!(
        r#"<label for="f-{name}">{label}</label><textarea id="f-{name}" name="{name}" rows="3"></textarea>"#,
        label = esc(label)
    )
}

pub(crate) fn select(name: &str, label: &str, opts: &[(&str, String)]) -> String {
    let o: String = opts
        .iter()
        .map(|(v, l)| format!(r#"<option value="{v}">{}</option>"#, esc(l)))
        .collect();
    format!(
        r#"<label for="f-{name}">{label}</label><select id="f-{name}" name="{name}">{o}</select>"#,
        label = esc(label)
    )
}

/// The products of a case's developers, with how many developers name each.
fn products_of(v: &VulnView) -> std::collections::BTreeMap<&str, usize> {
    let mut out = std::collections::BTreeMap::new();
    for d in &v.developers {
        for p in &d.products {
            *out.entry(p.as_str()).or_insert(0) += 1;
        }
    }
    out
}

/// Per-product threads of a big case: links that narrow the developer table to the
/// developers of one product (`?product=`), with counts; the current one marked.
fn product_nav(lang: Lang, v: &VulnView, product: Option<&str>) -> String {
    let products = products_of(v);
    if products.len() < 2 {
        return String::new();
    }
    let link = |href: String, label: String, current: bool| {
        format!(
            r#"<li><a href="{href}#devs-h"{cur}>{label}</a></li>"#,
            cur = if current {
                r#" aria-current="page""#
            } else {
                ""
            }
        )
    };
    let mut items = link(
        format!("/vuln/{}", v.id.0),
        format!("{} ({})", t(lang, "すべて", "All"), v.developers.len()),
        product.is_none(),
    );
    for (name, n) in &products {
        items.push_str(&link(
            format!("/vuln/{}?product={}", v.id.0, crate::html::url_enc(name)),
            format!("{} ({n})", esc(name)),
            product == Some(*name),
        ));
    }
    format!(
        r#"<nav aria-label="{l}"><ul class="counts" id="by-product">{items}</ul></nav>"#,
        l = t(lang, "製品ごとの製品開発者", "Developers by product")
    )
}

fn developers_table(
    lang: Lang,
    v: &VulnView,
    p: &Page,
    coordinator: bool,
    product: Option<&str>,
) -> String {
    // Grouped by status with counts, and per product on request, so that a 200-developer
    // case stays readable.
    let shown: Vec<&mamori_vuln::developer::DeveloperThread> = v
        .developers
        .iter()
        .filter(|d| product.is_none_or(|p| d.products.iter().any(|x| x == p)))
        .collect();
    let order = [
        DeveloperStatus::Notified,
        DeveloperStatus::NotContacted,
        DeveloperStatus::Unreachable,
        DeveloperStatus::Acknowledged,
        DeveloperStatus::Investigating,
        DeveloperStatus::Affected,
        DeveloperStatus::Fixed,
        DeveloperStatus::NotAffected,
    ];
    let counts: String = order
        .iter()
        .filter_map(|s| {
            let n = shown.iter().filter(|d| d.status == *s).count();
            (n > 0).then(|| format!("<li>{}: {n}</li>", status_badge(lang, *s)))
        })
        .collect();
    let mut groups = String::new();
    for s in order {
        let rows: String = shown
            .iter()
            .filter(|d| d.status == s)
            .map(|d| {
                let name = v.roster.name(&d.developer);
                let pick = if coordinator {
                    format!(
                        r#"<td><input type="checkbox" form="bulk-notify" name="developer" value="{id}" id="pick-{id}" aria-label="{name}"></td>"#,
                        id = esc(&d.developer.0),
                        name = esc(&name)
                    )
                } else {
                    String::new()
                };
                format!(
                    r#"<tr id="dev-{id}">{pick}<td>{name}</td><td>{prods}</td><td>{badge}</td><td>{notified}</td><td>{answered}</td><td>{stmt}</td><td>{cm}</td></tr>"#,
                    id = esc(&d.developer.0),
                    name = esc(&name),
                    prods = esc(&d.products.join(", ")),
                    badge = status_badge(lang, d.status),
                    notified = d.notified_at.map_or_else(|| "—".into(), |x| when(lang, x)),
                    answered = d.answered_at.map_or_else(|| t(lang, "回答なし", "no answer").into(), |x| when(lang, x)),
                    stmt = esc(d.statement.as_deref().or(d.status_report.as_deref()).unwrap_or("")),
                    cm = esc(&d.countermeasures.iter().map(|c| c.get(lang)).collect::<Vec<_>>().join(" / ")),
                )
            })
            .collect();
        if !rows.is_empty() {
            groups.push_str(&format!(
                r#"<tbody><tr><th colspan="8" scope="rowgroup">{}</th></tr>{rows}</tbody>"#,
                status_badge(lang, s)
            ));
        }
    }
    let bulk = if coordinator {
        format!(
            r#"<form method="post" action="/vuln/{id}/notify" id="bulk-notify">{csrf}<input type="hidden" name="version" value="{ver}"><button type="submit">{b}</button></form>"#,
            id = v.id.0,
            csrf = csrf_field(p.csrf()),
            ver = v.version,
            b = t(
                lang,
                "選んだ製品開発者にまとめて通知し、検証を依頼する",
                "Notify the selected developers and ask them to verify"
            ),
        )
    } else {
        String::new()
    };
    format!(
        r#"{nav}<ul class="counts" id="dev-counts">{counts}</ul>{bulk}<table id="developers"><thead><tr>{pickh}<th>{n}</th><th>{pr}</th><th>{st}</th><th>{no}</th><th>{an}</th><th>{sm}</th><th>{cm}</th></tr></thead>{groups}</table>"#,
        nav = product_nav(lang, v, product),
        pickh = if coordinator {
            format!("<th>{}</th>", t(lang, "選択", "Pick"))
        } else {
            String::new()
        },
        n = t(lang, "製品開発者", "Developer"),
        pr = t(lang, "製品", "Products"),
        st = t(lang, "状態", "Status"),
        no = t(lang, "通知日時（JST）", "Notified (JST)"),
        an = t(lang, "回答日時（JST）", "Answered (JST)"),
        sm = t(lang, "見解・状況", "Statement / status"),
        cm = t(lang, "対策", "Countermeasures"),
    )
}

fn case_body(p: &Page, v: &VulnView, msg: &str, product: Option<&str>) -> String {
    let lang = p.prefs.lang;
    let row = |k: &str, val: String| format!("<dt>{}</dt><dd>{val}</dd>", esc(k));
    let mut facts = vec![
        row(
            t(lang, "あなたの立場", "You act as"),
            esc(&party_name(lang, &v.party)),
        ),
        row(
            t(lang, "状態", "Stage"),
            v.stage.as_ref().map_or_else(String::new, |s| {
                let extra = match s {
                    Stage::Refused { reason } => format!(" — {}", esc(reason)),
                    Stage::Stopped { reason, detail } => {
                        format!(" — {} {}", esc(reason.text().get(lang)), esc(detail))
                    }
                    Stage::Cancelled { ground } => format!(" — {ground:?}"),
                    _ => String::new(),
                };
                format!(r#"<span id="stage">{}</span>{extra}"#, stage_name(lang, s))
            }),
        ),
    ];
    if let Some(pd) = &v.publication {
        facts.push(row(
            t(lang, "公表日", "Publication date"),
            format!(
                r#"<strong id="pubdate">{}</strong> ({}: {})"#,
                when(lang, pd.date),
                t(lang, "根拠", "basis"),
                esc(&pd.basis.note)
            ),
        ));
    }
    if let Some(Target::Product { name, version, .. }) = &v.target {
        facts.push(row(
            t(lang, "製品", "Product"),
            esc(&format!("{name} {version}")),
        ));
    }
    if let Some(d) = &v.identity {
        facts.push(discoverer_row(lang, d));
    }
    if let Some(c) = &v.consent {
        facts.push(row(
            t(lang, "届出者の同意", "Discoverer's consent"),
            esc(&format!(
                "{}: {} / {}: {} / {}: {}",
                t(lang, "調整機関へ", "to coordinator"),
                c.to_coordinator,
                t(lang, "製品開発者へ", "to developers"),
                c.to_developers,
                t(lang, "謝辞", "credit"),
                c.public_credit.clone().unwrap_or_else(|| "—".into())
            )),
        ));
    }
    if let Some(n) = &v.nature {
        facts.push(row(t(lang, "脆弱性情報", "Nature"), esc(n)));
    }
    if let Some(n) = &v.verification {
        facts.push(row(t(lang, "検証方法", "Verification method"), esc(n)));
    }
    if let Some(n) = &v.attack {
        facts.push(row(t(lang, "攻撃方法", "Attack method"), esc(n)));
    }
    if let Some(a) = &v.advisory {
        let c = cvss_summary(lang, a);
        if !c.is_empty() {
            facts.push(row(t(lang, "深刻度（CVSS）", "Severity (CVSS)"), c));
        }
    }
    let coordinator = v.party == Party::Coordinator;
    let devs = if v.developers.is_empty() && !coordinator {
        String::new()
    } else {
        format!(
            r#"<section aria-labelledby="devs-h"><h2 id="devs-h">{}</h2>{}</section>"#,
            t(lang, "製品開発者", "Developers"),
            developers_table(lang, v, p, coordinator, product)
        )
    };
    let actions = actions(p, v);
    let history: String = v
        .history
        .iter()
        .map(|h| {
            format!(
                "<li>{} — {} — {} [{}]</li>",
                when(lang, h.at),
                esc(&party_name(lang, &h.by)),
                esc(serde_json::to_value(&h.command)
                    .ok()
                    .and_then(|c| c
                        .get("command")
                        .and_then(|x| x.as_str())
                        .map(str::to_string))
                    .as_deref()
                    .unwrap_or("")),
                esc(h.clause.code())
            )
        })
        .collect();
    let draft = if v.advisory.is_some() && v.publication.is_some() {
        format!(
            r#"<p><a id="csaf-draft" href="/vuln/{id}/csaf.json">{l}</a> · <a href="/vuln/{id}/csaf.json?lang=en">English</a></p>"#,
            id = v.id.0,
            l = t(
                lang,
                "CSAF 2.0 の下書き（公表前は TLP:RED、あなたが見てよい内容のみ）",
                "CSAF 2.0 draft (TLP:RED before publication; what you may see only)"
            ),
        )
    } else {
        String::new()
    };
    format!(
        r#"{msg}<dl id="case-facts">{facts}</dl>{draft}{rem}{devs}{actions}{hist}"#,
        facts = facts.concat(),
        rem = reminders_section(lang, &v.reminders),
        hist = if history.is_empty() {
            String::new()
        } else {
            format!(
                r#"<section><h2>{}</h2><ol id="history">{history}</ol></section>"#,
                t(lang, "経過（条項つき）", "History (with clauses)")
            )
        },
    )
}

/// The five grounds of Ⅴ 一 2.(2) / Ⅵ 2.(2) and the explanation told to the discoverer.
pub(crate) fn stop_fields(lang: Lang) -> String {
    let opts: Vec<(&str, String)> = [
        ("known_confirmed", StopReason::KnownConfirmed),
        ("known_notified", StopReason::KnownNotified),
        (
            "not_vulnerability_confirmed",
            StopReason::NotVulnerabilityConfirmed,
        ),
        (
            "not_vulnerability_notified",
            StopReason::NotVulnerabilityNotified,
        ),
        ("illegally_obtained", StopReason::IllegallyObtained),
    ]
    .iter()
    .map(|(c, r)| (*c, r.text().get(lang).to_string()))
    .collect();
    format!(
        "{}{}",
        select(
            "reason",
            t(lang, "取扱いを終える根拠", "Ground for stopping"),
            &opts
        ),
        area(
            "detail",
            t(lang, "届出者に伝える説明", "Explanation for the discoverer")
        )
    )
}

/// The discoverer's consent on their identity (Ⅴ 一 2.(4), Ⅵ 2.(4)), as it stands; for a
/// website only the operator's line (`to_developers` covers the operator).
pub(crate) fn consent_fields(lang: Lang, c: &IdentityConsent, website: bool) -> String {
    let check = |name: &str, label: &str, on: bool| {
        format!(
            r#"<p><input type="checkbox" id="f-{name}" name="{name}" value="1"{c}><label for="f-{name}">{l}</label></p>"#,
            c = if on { " checked" } else { "" },
            l = esc(label)
        )
    };
    if website {
        return format!(
            r#"<input type="hidden" name="to_coordinator" value="{}">{}"#,
            if c.to_coordinator { "1" } else { "0" },
            check(
                "to_developers",
                t(
                    lang,
                    "ウェブサイト運営者に氏名・連絡先を伝えてよい",
                    "The website operator may know my name and contact"
                ),
                c.to_developers
            )
        );
    }
    format!(
        r#"{}{}<label for="f-credit">{}</label><input id="f-credit" name="credit" value="{}">"#,
        check(
            "to_coordinator",
            t(
                lang,
                "調整機関（JPCERT/CC）に氏名・連絡先を伝えてよい",
                "The coordinator (JPCERT/CC) may know my name and contact"
            ),
            c.to_coordinator
        ),
        check(
            "to_developers",
            t(
                lang,
                "製品開発者に氏名・連絡先を伝えてよい",
                "Product developers may know my name and contact"
            ),
            c.to_developers
        ),
        t(
            lang,
            "公表時に謝辞として載せる名前（載せない場合は空欄）",
            "Name to credit in the advisory (leave empty for no credit)"
        ),
        esc(c.public_credit.as_deref().unwrap_or(""))
    )
}

/// The consent posted by [`consent_fields`] (or the report form).
pub(crate) fn consent_of(q: &[(String, String)]) -> IdentityConsent {
    let credit = text(q, "credit");
    IdentityConsent {
        to_coordinator: get(q, "to_coordinator") == "1",
        to_developers: get(q, "to_developers") == "1",
        public_credit: (!credit.is_empty()).then_some(credit),
    }
}

/// The stop ground chosen on the form.
pub(crate) fn stop_reason(q: &[(String, String)]) -> Option<StopReason> {
    serde_json::from_value(serde_json::Value::String(get(q, "reason").into())).ok()
}

/// Analysis sharing (Ⅴ 一 2.(5), 3.(9)), early notice (Ⅴ 一 2.(6)) and the discoverer's
/// consent (Ⅴ 一 2.(4)).
fn more_actions(p: &Page, v: &VulnView) -> Vec<String> {
    let lang = p.prefs.lang;
    let (id, ver) = (v.id, v.version);
    let stage = v.stage.as_ref().map_or("", Stage::name);
    let mut out = Vec::new();
    let rb = v.party == Party::ReceivingBody;
    let share_ok = match v.party {
        Party::ReceivingBody => matches!(stage, "submitted" | "accepted" | "coordinating"),
        Party::Coordinator => stage == "coordinating",
        _ => false,
    };
    if share_ok {
        out.push(form(
            p,
            id,
            ver,
            "share",
            &format!(
                "{}{}",
                field("analyst", t(lang, "分析の依頼先", "Analyst"), "text"),
                area("purpose", t(lang, "依頼の目的", "Purpose"))
            ),
            t(
                lang,
                "第三者に分析を依頼する（守秘のうえ、Ⅴ 一 2.(5)）",
                "Ask a third party to analyse (under confidentiality, Ⅴ 一 2.(5))",
            ),
        ));
    }
    if rb && stage == "coordinating" {
        let devs: String = v
            .developers
            .iter()
            .map(|d| {
                format!(
                    r#"<p><input type="checkbox" name="consulted" value="{id}" id="f-consulted-{id}"><label for="f-consulted-{id}">{n}</label></p>"#,
                    id = esc(&d.developer.0),
                    n = esc(&v.roster.name(&d.developer))
                )
            })
            .collect();
        out.push(form(
            p,
            id,
            ver,
            "early_notice",
            &format!(
                r#"{}{}<p><input type="checkbox" id="f-coordinator_consulted" name="coordinator_consulted" value="1"><label for="f-coordinator_consulted">{}</label></p><fieldset><legend>{}</legend>{devs}</fieldset>{}"#,
                field(
                    "bodies",
                    t(lang, "通知先の政府機関等（カンマ区切り）", "Government bodies (comma separated)"),
                    "text"
                ),
                area(
                    "reason",
                    t(lang, "重要インフラ等への影響", "Impact on critical infrastructure")
                ),
                t(lang, "調整機関と協議した", "The coordinator was consulted"),
                t(lang, "協議した製品開発者", "Developers consulted"),
                field(
                    "told_at",
                    t(lang, "届出者に事前に伝えた日時（JST）", "When the discoverer was told beforehand (JST)"),
                    "datetime-local"
                ),
            ),
            t(
                lang,
                "政府機関等に事前に通知する（Ⅴ 一 2.(6)）",
                "Give early notice to government bodies (Ⅴ 一 2.(6))",
            ),
        ));
    }
    if v.party == Party::Discoverer
        && let Some(c) = &v.consent
        && !matches!(stage, "published" | "cancelled" | "refused" | "stopped")
    {
        out.push(form(
            p,
            id,
            ver,
            "consent",
            &consent_fields(lang, c, false),
            t(
                lang,
                "同意を変更する（Ⅴ 一 2.(4)）",
                "Change my consent (Ⅴ 一 2.(4))",
            ),
        ));
    }
    out
}

fn actions(p: &Page, v: &VulnView) -> String {
    let lang = p.prefs.lang;
    let (id, ver) = (v.id, v.version);
    let stage = v.stage.as_ref().map_or("", Stage::name);
    let mut out = Vec::new();
    if v.party == Party::ReceivingBody {
        if stage == "submitted" {
            out.push(form(
                p,
                id,
                ver,
                "accept",
                "",
                t(lang, "受理する（Ⅴ 一 2.(1)）", "Accept (Ⅴ 一 2.(1))"),
            ));
            out.push(form(
                p,
                id,
                ver,
                "refuse",
                &area(
                    "reason",
                    t(
                        lang,
                        "受理しない理由（届出者に伝えます）",
                        "Reason (told to the discoverer)",
                    ),
                ),
                t(lang, "受理しない", "Refuse"),
            ));
        }
        if stage == "accepted" {
            out.push(form(
                p,
                id,
                ver,
                "handover",
                "",
                t(
                    lang,
                    "調整機関に通知する（Ⅴ 一 2.(2)）",
                    "Hand over to the coordinator (Ⅴ 一 2.(2))",
                ),
            ));
        }
        if stage == "accepted" || stage == "coordinating" {
            out.push(form(
                p,
                id,
                ver,
                "stop",
                &stop_fields(lang),
                t(
                    lang,
                    "取扱いを終える（Ⅴ 一 2.(2)）",
                    "Stop handling (Ⅴ 一 2.(2))",
                ),
            ));
        }
    }
    out.extend(more_actions(p, v));
    match &v.party {
        Party::Coordinator if stage == "coordinating" => {
            let roster_opts: String = v
                .roster
                .iter()
                .filter(|d| !v.developers.iter().any(|t| t.developer == d.id))
                .map(|d| format!(r#"<p><input type="checkbox" name="developer" value="{id}" id="add-{id}"><label for="add-{id}">{n} ({pr})</label></p>"#, id = esc(&d.id.0), n = esc(&d.name), pr = esc(&d.products.join(", "))))
                .collect();
            out.push(form(
                p,
                id,
                ver,
                "add",
                &format!(
                    "<fieldset><legend>{}</legend>{roster_opts}</fieldset>",
                    t(
                        lang,
                        "名簿から製品開発者を選ぶ",
                        "Pick developers from the list"
                    )
                ),
                t(
                    lang,
                    "案件に加えて通知する（Ⅴ 一 3.(2)）",
                    "Add and notify (Ⅴ 一 3.(2))",
                ),
            ));
            let dev_opts: Vec<(String, String)> = v
                .developers
                .iter()
                .map(|d| (d.developer.0.clone(), v.roster.name(&d.developer)))
                .collect();
            let dev_opts: Vec<(&str, String)> = dev_opts
                .iter()
                .map(|(a, b)| (a.as_str(), b.clone()))
                .collect();
            out.push(form(
                p,
                id,
                ver,
                "unreachable",
                &format!(
                    "{}{}",
                    select("developer", t(lang, "製品開発者", "Developer"), &dev_opts),
                    area("note", t(lang, "試みた連絡方法", "What was tried"))
                ),
                t(lang, "連絡不能として記録する", "Mark unreachable"),
            ));
            let unlisted: Vec<(&str, String)> = v
                .developers
                .iter()
                .filter(|d| {
                    d.status == DeveloperStatus::Unreachable && d.listed_unreachable.is_none()
                })
                .map(|d| (d.developer.0.as_str(), v.roster.name(&d.developer)))
                .collect();
            if !unlisted.is_empty() {
                out.push(form(
                    p,
                    id,
                    ver,
                    "list_unreachable",
                    &format!(
                        "<p>{}</p>{}",
                        t(
                            lang,
                            "製品開発者名と製品名だけを連絡不能開発者一覧（/advisories/unreachable）に掲載し、連絡先を知る人からの連絡を求めます。脆弱性の内容は掲載しません。",
                            "Lists only the developer's name and products on the public unreachable-developers list (/advisories/unreachable), asking anyone who can reach it to contact the coordinator. Nothing of the vulnerability is listed."
                        ),
                        select("developer", t(lang, "製品開発者", "Developer"), &unlisted)
                    ),
                    t(
                        lang,
                        "連絡不能開発者一覧に掲載する",
                        "List as unreachable"
                    ),
                ));
            }
            out.push(form(
                p,
                id,
                ver,
                "date",
                &format!(
                    "{}{}{}{}{}{}",
                    field("date", t(lang, "公表日時（日本時間 JST）", "Publication date and time (JST)"), "datetime-local"),
                    field("fix_days", t(lang, "対策作成に要する日数", "Days needed for a fix"), "number"),
                    select("leak", t(lang, "漏えいの危険", "Leak risk"), &[("low", t(lang, "低", "low").into()), ("medium", t(lang, "中", "medium").into()), ("high", t(lang, "高", "high").into())]),
                    r#"<p><input type="checkbox" id="f-overseas" name="overseas" value="1"><label for="f-overseas">海外の調整機関との調整 / overseas coordination</label></p>"#,
                    area("note", t(lang, "根拠（開発者の回答、対策期間など）", "Basis (developers' answers, fix time, ...)")),
                    area("opinion", t(lang, "聴取した製品開発者の意見（自社製品の通知 Ⅴ 二 (2) では必須）", "The developer's opinion heard (required for an own-product case, Ⅴ 二 (2))"))
                ),
                t(lang, "公表日を決める（Ⅴ 一 3.(3)）", "Set the publication date (Ⅴ 一 3.(3))"),
            ));
            for (i, r) in &v.date_changes {
                if r.accepted.is_none() {
                    out.push(form(p, id, ver, "decide", &format!(r#"<p>{} {} — {}</p><input type="hidden" name="request" value="{i}"><select name="accept" aria-label="decision"><option value="1">{}</option><option value="0">{}</option></select>{}"#, esc(&r.developer.0), when(lang, r.proposed), esc(&r.reason), t(lang, "受け入れる", "accept"), t(lang, "受け入れない", "decline"), area("note", t(lang, "説明", "Note"))), t(lang, "公表日の変更依頼に答える（Ⅴ 一 3.(4)）", "Decide the date change (Ⅴ 一 3.(4))")));
                }
            }
            let a = v.advisory.clone();
            let val = |f: fn(&AdvisoryText) -> String| a.as_ref().map(f).unwrap_or_default();
            let inp = |n: &str, l: &str, value: String| {
                format!(
                    r#"<label for="f-{n}">{l}</label><input id="f-{n}" name="{n}" value="{}">"#,
                    esc(&value)
                )
            };
            out.push(form(
                p,
                id,
                ver,
                "advisory",
                &[
                    inp("adv_id", "ID (JVNVU#…)", val(|a| a.id.clone())),
                    inp(
                        "title_ja",
                        "タイトル（日本語）",
                        val(|a| a.title_ja.clone()),
                    ),
                    inp("title_en", "Title (English)", val(|a| a.title_en.clone())),
                    inp(
                        "overview_ja",
                        "概要（日本語）",
                        val(|a| a.overview_ja.clone()),
                    ),
                    inp(
                        "overview_en",
                        "Overview (English)",
                        val(|a| a.overview_en.clone()),
                    ),
                    inp("url", "URL", val(|a| a.url.clone())),
                    inp(
                        "cves",
                        "CVE (comma separated)",
                        val(|a| a.cve_ids.join(",")),
                    ),
                    inp("cwe", "CWE", val(|a| a.cwe.clone().unwrap_or_default())),
                    inp(
                        "cvss_v3",
                        "CVSS 3.1 基本値ベクトル（任意） / base vector (optional): CVSS:3.1/AV:…",
                        val(|a| a.cvss_v3.as_ref().map(CvssV3::vector).unwrap_or_default()),
                    ),
                    inp(
                        "cvss_v4",
                        "CVSS 4.0 基本値ベクトル（任意） / base vector (optional): CVSS:4.0/AV:…",
                        val(|a| a.cvss_v4.as_ref().map(CvssV4::vector).unwrap_or_default()),
                    ),
                ]
                .concat(),
                t(lang, "公表文を書く", "Write the advisory text"),
            ));
            out.push(form(
                p,
                id,
                ver,
                "cancel",
                &select(
                    "ground",
                    t(lang, "取りやめの根拠", "Ground"),
                    &[
                        (
                            "all_known",
                            t(
                                lang,
                                "全開発者が既知と回答（Ⅴ 一 3.(7)）",
                                "every developer says known (Ⅴ 一 3.(7))",
                            )
                            .into(),
                        ),
                        (
                            "all_not_affected",
                            t(
                                lang,
                                "全開発者が影響なしと回答（Ⅴ 一 3.(8)）",
                                "every developer says not affected (Ⅴ 一 3.(8))",
                            )
                            .into(),
                        ),
                    ],
                ),
                t(lang, "公表を取りやめる", "Cancel publication"),
            ));
            out.push(form(
                p,
                id,
                ver,
                "publish",
                "",
                t(lang, "公表する（Ⅴ 一 3.(6)）", "Publish (Ⅴ 一 3.(6))"),
            ));
        }
        Party::Developer(_) if stage == "coordinating" => {
            out.push(form(
                p,
                id,
                ver,
                "ack",
                "",
                t(lang, "受け取りを確認した", "Acknowledge"),
            ));
            out.push(form(
                p,
                id,
                ver,
                "investigating",
                "",
                t(lang, "調査中", "Investigating"),
            ));
            out.push(form(
                p,
                id,
                ver,
                "verify",
                &format!(
                    "{}{}{}",
                    select(
                        "affected",
                        t(lang, "影響", "Affected"),
                        &[
                            ("1", t(lang, "影響あり", "affected").into()),
                            ("0", t(lang, "影響なし", "not affected").into())
                        ]
                    ),
                    select(
                        "novelty",
                        t(lang, "新規・既知", "New or known"),
                        &[
                            ("new", t(lang, "新規", "new").into()),
                            ("known", t(lang, "既知", "known").into())
                        ]
                    ),
                    area("statement", t(lang, "見解", "Statement"))
                ),
                t(
                    lang,
                    "検証結果を報告する（Ⅴ 一 4.(2)）",
                    "Report the verification (Ⅴ 一 4.(2))",
                ),
            ));
            out.push(form(
                p,
                id,
                ver,
                "status",
                &area("text", t(lang, "対応状況", "Status")),
                t(lang, "対応状況を報告する", "Report status"),
            ));
            out.push(form(
                p,
                id,
                ver,
                "countermeasure",
                &format!(
                    "{}{}{}{}",
                    select(
                        "kind",
                        t(lang, "種類", "Kind"),
                        &[
                            ("fix", t(lang, "修正", "fix").into()),
                            ("workaround", t(lang, "回避策", "workaround").into())
                        ]
                    ),
                    field("cm_ja", "対策（日本語）", "text"),
                    field("cm_en", "Countermeasure (English)", "text"),
                    field("fixed", t(lang, "修正版", "Fixed versions"), "text")
                ),
                t(
                    lang,
                    "対策を報告する（Ⅴ 一 4.(5)）",
                    "Report a countermeasure (Ⅴ 一 4.(5))",
                ),
            ));
            out.push(form(
                p,
                id,
                ver,
                "datechange",
                &format!(
                    "{}{}",
                    field(
                        "date",
                        t(lang, "希望する公表日時（JST）", "Proposed date (JST)"),
                        "datetime-local"
                    ),
                    area("reason", t(lang, "理由", "Reason"))
                ),
                t(
                    lang,
                    "公表日の変更を依頼する（Ⅴ 一 3.(4)）",
                    "Ask to change the date (Ⅴ 一 3.(4))",
                ),
            ));
        }
        _ => {}
    }
    if out.is_empty() {
        String::new()
    } else {
        format!(
            r#"<section aria-labelledby="act-h"><h2 id="act-h">{}</h2>{}</section>"#,
            t(lang, "操作", "Actions"),
            out.concat()
        )
    }
}

/// `GET /vuln/{id}`.
pub async fn show(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<i64>,
    Query(q): Query<Pairs>,
) -> Result<Response, WebError> {
    let lang = p.prefs.lang;
    let msg = show_message(lang, &q);
    if st.svc.vuln_is_website(VulnCaseId(id)).await.page(lang)? {
        return crate::vuln_web_pages::show(&st, &p, VulnCaseId(id), &msg).await;
    }
    let v = st
        .svc
        .vuln_view(&p.auth.actor, VulnCaseId(id))
        .await
        .page(lang)?;
    let title = format!("{} #{id}", t(lang, "脆弱性案件", "Vulnerability case"));
    let product = Some(crate::portal_pages::get(&q, "product")).filter(|p| !p.is_empty());
    Ok(render(&p, &title, &case_body(&p, &v, &msg, product)).into_response())
}

/// The message a case page opens with after a redirect.
fn show_message(lang: Lang, q: &[(String, String)]) -> String {
    match get(q, "done") {
        "1" => notice(t(lang, "記録しました。", "Recorded.")),
        _ if get(q, "sent") == "1" => notice(t(
            lang,
            "届け出ました。受付機関からの連絡をお待ちください。",
            "Sent. The receiving body will contact you.",
        )),
        _ => String::new(),
    }
}

fn commands(action: &str, party: &Party, q: &[(String, String)]) -> Option<Vec<Command>> {
    let dev = |s: &str| DeveloperId::new(s);
    let me = match party {
        Party::Developer(d) => Some(d.clone()),
        _ => None,
    };
    let reply = |r: Reply| -> Option<Vec<Command>> {
        Some(vec![Command::Reply {
            developer: me.clone()?,
            reply: r,
            source: None,
        }])
    };
    Some(match action {
        "accept" => vec![Command::Accept],
        "refuse" => vec![Command::Refuse {
            reason: text(q, "reason"),
        }],
        "handover" => vec![Command::HandOver],
        "stop" => vec![Command::Stop {
            reason: stop_reason(q)?,
            detail: text(q, "detail"),
        }],
        "add" => all_of(q, "developer")
            .into_iter()
            .flat_map(|d| {
                [
                    Command::AddDeveloper {
                        developer: dev(&d),
                        products: Vec::new(),
                    },
                    Command::NotifyDeveloper { developer: dev(&d) },
                ]
            })
            .collect(),
        "notify" => all_of(q, "developer")
            .into_iter()
            .map(|d| Command::NotifyDeveloper { developer: dev(&d) })
            .collect(),
        "unreachable" => vec![Command::MarkUnreachable {
            developer: dev(get(q, "developer")),
            note: text(q, "note"),
        }],
        "date" => vec![Command::SetPublicationDate {
            date: jst_input(get(q, "date"))?,
            basis: DateBasis {
                fix_days_needed: get(q, "fix_days").parse().ok(),
                overseas_coordination: get(q, "overseas") == "1",
                leak_risk: match get(q, "leak") {
                    "high" => LeakRisk::High,
                    "medium" => LeakRisk::Medium,
                    _ => LeakRisk::Low,
                },
                precedent: None,
                developer_opinion: Some(text(q, "opinion")).filter(|s| !s.is_empty()),
                note: text(q, "note"),
            },
        }],
        "list_unreachable" => vec![Command::ListUnreachable {
            developer: DeveloperId::new(get(q, "developer")),
        }],
        "decide" => vec![Command::DecideDateChange {
            request: get(q, "request").parse().ok()?,
            accept: get(q, "accept") == "1",
            date: None,
            note: text(q, "note"),
        }],
        "advisory" => vec![Command::WriteAdvisory {
            text: AdvisoryText {
                id: text(q, "adv_id"),
                title_ja: text(q, "title_ja"),
                title_en: text(q, "title_en"),
                overview_ja: text(q, "overview_ja"),
                overview_en: text(q, "overview_en"),
                url: text(q, "url"),
                cve_ids: text(q, "cves")
                    .split(',')
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect(),
                cwe: Some(text(q, "cwe")).filter(|s| !s.is_empty()),
                cvss_v3: cvss_fields(q, Lang::En).ok()?.0,
                cvss_v4: cvss_fields(q, Lang::En).ok()?.1,
            },
        }],
        "cancel" => vec![Command::Cancel {
            ground: if get(q, "ground") == "all_known" {
                CancelGround::AllKnown
            } else {
                CancelGround::AllNotAffected
            },
        }],
        "publish" => vec![Command::Publish],
        "share" => vec![Command::ShareForAnalysis {
            analyst: text(q, "analyst"),
            purpose: text(q, "purpose"),
        }],
        "early_notice" => vec![Command::GiveEarlyNotice {
            bodies: text(q, "bodies")
                .split(',')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect(),
            reason: text(q, "reason"),
            coordinator_consulted: get(q, "coordinator_consulted") == "1",
            consulted_developers: all_of(q, "consulted")
                .into_iter()
                .map(DeveloperId::new)
                .collect(),
            discoverer_told_at: jst_input(get(q, "told_at"))?,
        }],
        "consent" => vec![Command::UpdateConsent {
            consent: consent_of(q),
        }],
        "ack" => return reply(Reply::Acknowledge),
        "investigating" => return reply(Reply::Investigating),
        "verify" => {
            return reply(Reply::Verified {
                affected: get(q, "affected") == "1",
                novelty: if get(q, "novelty") == "known" {
                    Novelty::Known
                } else {
                    Novelty::New
                },
                statement: text(q, "statement"),
            });
        }
        "status" => {
            return reply(Reply::Status {
                text: text(q, "text"),
            });
        }
        "countermeasure" => {
            return reply(Reply::Countermeasure(Countermeasure {
                kind: if get(q, "kind") == "workaround" {
                    CountermeasureKind::Workaround
                } else {
                    CountermeasureKind::Fix
                },
                ja: text(q, "cm_ja"),
                en: text(q, "cm_en"),
                url: None,
                fixed_versions: Some(text(q, "fixed")).filter(|s| !s.is_empty()),
            }));
        }
        "datechange" => vec![Command::RequestDateChange {
            developer: me?,
            proposed: jst_input(get(q, "date"))?,
            reason: text(q, "reason"),
        }],
        _ => return None,
    })
}

/// `POST /vuln/{id}/{action}`.
pub async fn act(
    State(st): State<AppState>,
    p: Page,
    Path((id, action)): Path<(i64, String)>,
    Form(q): Form<Pairs>,
) -> Result<Response, WebError> {
    p.check_csrf(get(&q, "csrf"))?;
    let lang = p.prefs.lang;
    let id = VulnCaseId(id);
    let a = &p.auth.actor;
    if st.svc.vuln_is_website(id).await.page(lang)? {
        return crate::vuln_web_pages::act(&st, &p, id, &action, &q).await;
    }
    let v = st.svc.vuln_view(a, id).await.page(lang)?;
    let version: i64 = get(&q, "version").parse().unwrap_or(0);
    let title = format!("{} #{}", t(lang, "脆弱性案件", "Vulnerability case"), id.0);
    if action == "advisory"
        && let Err(e) = cvss_fields(&q, lang)
    {
        let msg = alert(&format!(
            "{} {e}",
            t(
                lang,
                "CVSS ベクトルが正しくありません。",
                "The CVSS vector is not valid."
            )
        ));
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            render(&p, &title, &case_body(&p, &v, &msg, None)),
        )
            .into_response());
    }
    let Some(cmds) = commands(&action, &v.party, &q).filter(|c| !c.is_empty()) else {
        let msg = alert(t(
            lang,
            "入力が足りません（日時は「年-月-日 時:分」で入力します）。",
            "Some input is missing (dates as year-month-day hour:minute).",
        ));
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            render(&p, &title, &case_body(&p, &v, &msg, None)),
        )
            .into_response());
    };
    match st.svc.vuln_apply(a, id, version, cmds).await {
        Ok(Ok(_)) => Ok(Redirect::to(&format!("/vuln/{}?done=1", id.0)).into_response()),
        Ok(Err(e)) => {
            let v = st.svc.vuln_view(a, id).await.page(lang)?;
            Ok((
                StatusCode::CONFLICT,
                render(&p, &title, &case_body(&p, &v, &vuln_error(lang, &e), None)),
            )
                .into_response())
        }
        Err(e @ mamori_service::ServiceError::Invalid(_)) => {
            let v = st.svc.vuln_view(a, id).await.page(lang)?;
            Ok((
                StatusCode::CONFLICT,
                render(
                    &p,
                    &title,
                    &case_body(&p, &v, &alert(e.text().get(lang)), None),
                ),
            )
                .into_response())
        }
        Err(e) => Err(e).page(lang),
    }
}

/// `GET /vuln/roster` (coordinator): the developer list and a form to add one.
pub async fn roster(State(st): State<AppState>, p: Page) -> Result<Response, WebError> {
    let lang = p.prefs.lang;
    let r = st.svc.vuln_roster(&p.auth.actor).await.page(lang)?;
    let rows: String = r
        .iter()
        .map(|d| {
            format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{:?}</td><td>{}</td></tr>",
                esc(&d.id.0),
                esc(&d.name),
                esc(&d.contact_window),
                esc(&d.products.join(", ")),
                d.registration,
                if d.pgp_key.is_some() { "PGP" } else { "—" }
            )
        })
        .collect();
    let body = format!(
        r#"<table id="roster"><thead><tr><th>ID</th><th>{n}</th><th>{c}</th><th>{pr}</th><th>{rg}</th><th>PGP</th></tr></thead><tbody>{rows}</tbody></table>
<h2>{add}</h2><form method="post" action="/vuln/roster">{csrf}{f1}{f2}{f3}{f4}{f5}<button type="submit">{save}</button></form>"#,
        n = t(lang, "名称", "Name"),
        c = t(lang, "連絡窓口", "Contact window"),
        pr = t(lang, "製品", "Products"),
        rg = t(lang, "登録", "Registration"),
        add = t(
            lang,
            "製品開発者を名簿に追加（Ⅴ 一 3.(1)）",
            "Add a developer to the list (Ⅴ 一 3.(1))"
        ),
        csrf = csrf_field(p.csrf()),
        f1 = field("id", "ID", "text"),
        f2 = field("name", t(lang, "名称", "Name"), "text"),
        f3 = field("contact", t(lang, "連絡窓口", "Contact window"), "text"),
        f4 = field(
            "products",
            t(lang, "製品（カンマ区切り）", "Products (comma separated)"),
            "text"
        ),
        f5 = area(
            "pgp",
            t(lang, "PGP 公開鍵（任意）", "PGP public key (optional)")
        ),
        save = t(lang, "保存", "Save"),
    );
    Ok(render(&p, t(lang, "製品開発者名簿", "Developer list"), &body).into_response())
}

/// `POST /vuln/roster`.
pub async fn roster_save(
    State(st): State<AppState>,
    p: Page,
    Form(q): Form<Pairs>,
) -> Result<Response, WebError> {
    p.check_csrf(get(&q, "csrf"))?;
    let lang = p.prefs.lang;
    let pgp = text(&q, "pgp");
    let d = Developer {
        id: DeveloperId::new(text(&q, "id")),
        name: text(&q, "name"),
        contact_window: text(&q, "contact"),
        pgp_key: (!pgp.is_empty()).then_some(pgp),
        registration: Registration::Individual,
        products: text(&q, "products")
            .split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect(),
    };
    match st
        .svc
        .vuln_upsert_developer(Some(&p.auth.actor), d, None)
        .await
        .page(lang)?
    {
        Ok(()) => Ok(Redirect::to("/vuln/roster").into_response()),
        Err(e) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            render(
                &p,
                t(lang, "製品開発者名簿", "Developer list"),
                &vuln_error(lang, &e),
            ),
        )
            .into_response()),
    }
}

// ---- public advisories ----

/// A case's due reminders as a 「期限」 section, empty when none are due.
pub(crate) fn reminders_section(lang: Lang, reminders: &[mamori_vuln::Reminder]) -> String {
    if reminders.is_empty() {
        return String::new();
    }
    let items: String = reminders
        .iter()
        .map(|r| {
            format!(
                "<li>{} — {} ({})</li>",
                esc(&r.kind.describe(lang)),
                when(lang, r.due_at),
                esc(r.clause.code())
            )
        })
        .collect();
    format!(
        r#"<section><h2>{}</h2><ul id="reminders">{items}</ul></section>"#,
        t(lang, "期限", "Deadlines")
    )
}

/// The discoverer's identity as a fact row (shown only where `may_see` allowed it).
pub(crate) fn discoverer_row(lang: Lang, d: &mamori_vuln::Discoverer) -> String {
    format!(
        "<dt>{}</dt><dd>{}</dd>",
        esc(t(lang, "届出者", "Discoverer")),
        esc(&format!(
            "{} {} <{}>",
            d.name,
            d.organization.clone().unwrap_or_default(),
            d.contact
        ))
    )
}
