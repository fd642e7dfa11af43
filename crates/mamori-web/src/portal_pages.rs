//! The public portal (issue 14, R-2.1–R-2.6): pages anyone may read without an
//! account — the home page (urgent alerts, 被害に遭ったら, まず最低限これだけ, entry points
//! per audience), the minimum countermeasures, やさしい日本語 and children's pages (with
//! ruby), the audiences' pages, the materials catalog, alerts (with an Atom feed) and the
//! unified links directory (with a JSON feed and an embeddable snippet). No script; large
//! text and high contrast come from cookies (`/prefs`) or the query (`?large=1`,
//! `?contrast=1`).

use crate::AppState;
use crate::error::{WebError, WebResult};
use crate::extract::MaybePage;
use crate::html::{Look, esc, page_with, t};
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use mamori_core::portal::catalog::{Freshness, Material};
use mamori_core::portal::content::{LINKS, Link, MINIMUM, audience_check, audience_intro, ruby};
use mamori_core::portal::{Audience, Topic};
use mamori_core::{Lang, Text};
use mamori_service::portal::{MaterialFilter, PublicAlert, PublicMaterial};
use mamori_store::PortalItemId;

/// Query pairs (repeated keys kept).
pub(crate) type Pairs = Vec<(String, String)>;

/// The value of `name` in the pairs ("" when absent).
pub(crate) fn get<'a>(q: &'a [(String, String)], name: &str) -> &'a str {
    q.iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

/// The display for this request: the cookies, overridden by `?large=` and `?contrast=`.
pub(crate) fn look(mp: &MaybePage, q: &[(String, String)]) -> Look {
    let flag = |name: &str, cookie: bool| match get(q, name) {
        "1" => true,
        "0" => false,
        _ => cookie,
    };
    Look {
        lang: mp.prefs.lang,
        large: flag("large", mp.prefs.large),
        contrast: flag("contrast", mp.prefs.contrast),
    }
}

/// A portal page in the site's layout, with the signed-in person's menu when there is
/// one; the display switches come back to `back`.
pub(crate) fn public_page(
    mp: &MaybePage,
    look: Look,
    back: &str,
    title: &str,
    banner: &str,
    body: &str,
) -> Html<String> {
    let nav = mp.page.as_ref().map(crate::pages::nav_of);
    page_with(look, back, title, nav.as_ref(), banner, body)
}

/// The urgent alerts still current, as a banner above the title (empty when none).
pub(crate) fn urgent_banner(lang: Lang, alerts: &[PublicAlert]) -> String {
    let items: String = alerts
        .iter()
        .filter(|a| a.alert.urgent && a.current)
        .map(|a| {
            format!(
                r#"<li><a href="/portal/alerts/{}">{}</a></li>"#,
                a.id.0,
                esc(alert_title(lang, a))
            )
        })
        .collect();
    if items.is_empty() {
        return String::new();
    }
    format!(
        r#"<section class="urgent-banner" id="urgent-alerts" aria-labelledby="urgent-h"><h2 id="urgent-h">{}</h2><ul>{items}</ul></section>"#,
        t(lang, "緊急の注意喚起", "Urgent alerts")
    )
}

fn alert_title(lang: Lang, a: &PublicAlert) -> &str {
    match lang {
        Lang::Ja => &a.alert.title_ja,
        Lang::En => &a.alert.title_en,
    }
}

fn alert_body(lang: Lang, a: &PublicAlert) -> &str {
    match lang {
        Lang::Ja => &a.alert.body_ja,
        Lang::En => &a.alert.body_en,
    }
}

/// A day as `2026-12-05` (JST).
fn day(at: time::OffsetDateTime) -> String {
    mamori_service::portal::today_jst(at)
}

fn audience_tags(lang: Lang, list: &[Audience]) -> String {
    list.iter()
        .map(|a| format!(r#"<span class="tag">{}</span>"#, esc(a.label(lang))))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Renders `{漢字|かんじ}` marks as `<ruby>` (escaped).
pub(crate) fn ruby_html(s: &str) -> String {
    ruby(s)
        .iter()
        .map(|r| match r.reading {
            Some(rt) => format!("<ruby>{}<rt>{}</rt></ruby>", esc(r.base), esc(rt)),
            None => esc(r.base),
        })
        .collect()
}

async fn alerts(st: &AppState, lang: Lang) -> Result<Vec<PublicAlert>, WebError> {
    st.svc.public_alerts().await.page(lang)
}

/// `GET /portal`: the portal's home page.
pub async fn home(
    State(st): State<AppState>,
    mp: MaybePage,
    Query(q): Query<Pairs>,
) -> Result<Html<String>, WebError> {
    let look = look(&mp, &q);
    let lang = look.lang;
    let all = alerts(&st, lang).await?;
    let latest: String = all
        .iter()
        .filter(|a| a.current)
        .take(3)
        .map(|a| {
            format!(
                r#"<li><a href="/portal/alerts/{}">{}</a> <span class="muted">{}</span></li>"#,
                a.id.0,
                esc(alert_title(lang, a)),
                day(a.published_at)
            )
        })
        .collect();
    let latest = if latest.is_empty() {
        format!(
            "<p>{}</p>",
            t(lang, "現在、注意喚起はありません。", "No current alerts.")
        )
    } else {
        format!("<ul>{latest}</ul>")
    };
    let minimum: String = MINIMUM
        .iter()
        .map(|m| {
            format!(
                r#"<li class="card"><strong>{}</strong><br>{}</li>"#,
                esc(m.slogan.get(lang)),
                esc(m.what.get(lang))
            )
        })
        .collect();
    let audiences: String = Audience::ALL
        .iter()
        .map(|a| {
            format!(
                r#"<li><a href="/portal/for/{}">{}</a></li>"#,
                a.code(),
                esc(a.label(lang))
            )
        })
        .collect();
    let body = format!(
        r#"<p class="lead">{lead}</p>
<section class="victim" id="victim" aria-labelledby="victim-h"><h2 id="victim-h">{victim_h}</h2>
<ol><li>{v1}</li><li>{v2}</li><li>{v3}</li></ol>
<p><a class="button" href="/portal/victim">{v_go}</a></p>
<p class="help">{v_now}</p></section>
<section id="minimum" aria-labelledby="minimum-h"><h2 id="minimum-h">{min_h}</h2><ul class="cards">{minimum}</ul>
<p><a href="/portal/minimum">{min_more}</a> · <a href="/portal/easy" lang="ja">やさしい にほんご</a> · <a href="/portal/kids" lang="ja">こどもむけ</a></p></section>
<section id="audiences" aria-labelledby="aud-h"><h2 id="aud-h">{aud_h}</h2><ul class="entry">{audiences}</ul></section>
<section id="alerts" aria-labelledby="alerts-h"><h2 id="alerts-h">{alerts_h}</h2>{latest}<p><a href="/portal/alerts">{alerts_all}</a> · <a href="/portal/alerts.atom">Atom</a></p></section>
<section id="more" aria-labelledby="more-h"><h2 id="more-h">{more_h}</h2><ul>
<li><a href="/portal/selfcheck">{sc}</a> — {sc_d}</li>
<li><a href="/portal/materials">{mat}</a> — {mat_d}</li>
<li><a href="/portal/links">{links}</a> — {links_d}</li></ul></section>"#,
        lead = t(
            lang,
            "不正アクセスの被害に遭ったときの相談先、最低限の対策、自己点検、信頼できる教材を一か所にまとめました。アカウントは不要です。",
            "Where to turn after unauthorized access, the minimum countermeasures, self-checks and trusted materials, in one place. No account needed."
        ),
        victim_h = t(lang, "被害に遭ったら", "If you were a victim"),
        v1 = t(
            lang,
            "あわてて電源を切ったり、データを消したりしない（証拠が消えます）",
            "Do not switch off or delete anything in a hurry (evidence is lost)"
        ),
        v2 = t(
            lang,
            "いくつかの質問に答えて、警察・IPA・JPCERT/CC のどこに相談するかを確かめる",
            "Answer a few questions to see whether to go to the police, IPA or JPCERT/CC"
        ),
        v3 = t(
            lang,
            "案内に沿って、準備するものと残しておくものをそろえる",
            "Gather what to prepare and keep, as the advice says"
        ),
        v_go = t(
            lang,
            "相談先を調べる（1分）",
            "Find the right window (1 minute)"
        ),
        v_now = t(
            lang,
            "今まさにお金が引き出されている、脅迫されているなど緊急のときは、すぐ 110 番へ。警察相談専用電話は #9110 です。",
            "If money is being taken right now or you are being threatened, call 110 at once. The police consultation line is #9110."
        ),
        min_h = t(lang, "まず最低限これだけ", "The minimum, first"),
        min_more = t(lang, "くわしく見る", "More on each"),
        aud_h = t(lang, "あなたに合った入口", "Start where you are"),
        alerts_h = t(lang, "注意喚起", "Alerts"),
        alerts_all = t(lang, "すべての注意喚起", "All alerts"),
        more_h = t(lang, "調べる・確かめる", "Look up and check"),
        sc = t(lang, "セルフチェック", "Self-checks"),
        sc_d = t(
            lang,
            "コンピュータ不正アクセス対策基準の項目と、中小企業の5分間チェック",
            "The countermeasure standard's items, and the five-minute check for small businesses"
        ),
        mat = t(lang, "教材・資料の一覧", "Materials catalog"),
        mat_d = t(
            lang,
            "承認された団体の啓発資料を、対象やテーマで探せます",
            "Awareness materials from approved organizations, by audience and topic"
        ),
        links = t(lang, "関連窓口・サイトの一覧", "Related windows and sites"),
        links_d = t(lang, "どこに何があるか", "What is where"),
    );
    Ok(public_page(
        &mp,
        look,
        "/portal",
        t(
            lang,
            "不正アクセス対策ポータル",
            "Unauthorized-access portal",
        ),
        &urgent_banner(lang, &all),
        &body,
    ))
}

/// `GET /portal/minimum`: the minimum countermeasures, one by one.
pub async fn minimum(
    State(st): State<AppState>,
    mp: MaybePage,
    Query(q): Query<Pairs>,
) -> Result<Html<String>, WebError> {
    let look = look(&mp, &q);
    let lang = look.lang;
    let all = alerts(&st, lang).await?;
    let items: String = MINIMUM
        .iter()
        .enumerate()
        .map(|(n, m)| {
            format!(
                r#"<section class="minimum" id="min-{id}" aria-labelledby="min-{id}-h"><h2 id="min-{id}-h">{n}. {slogan}</h2><p>{what}</p><p><a href="/portal/materials?topic={topic}">{more}</a></p></section>"#,
                id = m.id,
                n = n + 1,
                slogan = esc(m.slogan.get(lang)),
                what = esc(m.what.get(lang)),
                topic = m.topic.code(),
                more = esc(&format!(
                    "{}: {}",
                    t(lang, "資料を見る", "Materials"),
                    m.topic.label(lang)
                )),
            )
        })
        .collect();
    let body = format!(
        r#"<p class="lead">{lead}</p>{items}<p><a href="/portal/easy" lang="ja">やさしい にほんご</a> · <a href="/portal/selfcheck/user">{check}</a></p>"#,
        lead = t(
            lang,
            "この5つで、よくある被害の多くを防げます。文字が小さいときは、上の「文字を大きく」を押してください。",
            "These five stop most common attacks. If the text is small, use “Larger text” above."
        ),
        check = t(lang, "自分で確かめる（セルフチェック）", "Check yourself"),
    );
    Ok(public_page(
        &mp,
        look,
        "/portal/minimum",
        t(lang, "まず最低限これだけ", "The minimum, first"),
        &urgent_banner(lang, &all),
        &body,
    ))
}

/// `GET /portal/easy`: the key pages in やさしい日本語 (always Japanese).
pub async fn easy(
    State(st): State<AppState>,
    mp: MaybePage,
    Query(q): Query<Pairs>,
) -> Result<Html<String>, WebError> {
    let mut look = look(&mp, &q);
    look.lang = Lang::Ja;
    let all = alerts(&st, Lang::Ja).await?;
    let items: String = MINIMUM
        .iter()
        .map(|m| format!("<li>{}</li>", esc(m.easy)))
        .collect();
    let body = format!(
        r#"<p class="lead">この ページは、やさしい にほんごで かいて います。</p>
<section aria-labelledby="easy-min"><h2 id="easy-min">まず、これを しましょう</h2><ol>{items}</ol></section>
<section aria-labelledby="easy-victim"><h2 id="easy-victim">こまった ときは</h2>
<ol><li>パソコンや スマホの データを けさないで ください。</li>
<li>おかねが とられて いる ときは、すぐ 110ばんに でんわ して ください。</li>
<li>そうだんは けいさつの でんわ「#9110」に かけて ください。</li>
<li><a href="/portal/victim">どこに そうだん するか しらべる</a></li></ol></section>
<p><a href="/portal">ポータルの トップに もどる</a></p>"#
    );
    Ok(public_page(
        &mp,
        look,
        "/portal/easy",
        "やさしい にほんご",
        &urgent_banner(Lang::Ja, &all),
        &body,
    ))
}

/// `GET /portal/kids`: the children's page, with ruby readings (always Japanese).
pub async fn kids(mp: MaybePage, Query(q): Query<Pairs>) -> Html<String> {
    let mut look = look(&mp, &q);
    look.lang = Lang::Ja;
    let items: String = MINIMUM
        .iter()
        .map(|m| format!("<li>{}</li>", ruby_html(m.kids)))
        .collect();
    let body = format!(
        r#"<p class="lead">{lead}</p><section aria-labelledby="kids-5"><h2 id="kids-5">{h5}</h2><ol class="kids">{items}</ol></section>
<section aria-labelledby="kids-help"><h2 id="kids-help">{help_h}</h2><p>{help}</p></section>
<p><a href="/portal/for/children">{adults}</a></p>"#,
        lead = ruby_html("インターネットを{安全|あんぜん}に{使|つか}うための5つのやくそく"),
        h5 = ruby_html("5つのやくそく"),
        help_h = ruby_html("こまったときは"),
        help = ruby_html(
            "「{知|し}らない{人|ひと}にパスワードを{聞|き}かれた」「{勝手|かって}にログインされた」ときは、すぐにおうちの{人|ひと}や{先生|せんせい}に{話|はな}そう。"
        ),
        adults = ruby_html("{保護者|ほごしゃ}・{先生|せんせい}のみなさまへ"),
    );
    public_page(&mp, look, "/portal/kids", "こどものページ", "", &body)
}

/// `GET /portal/for/{audience}`: an audience's entry page.
pub async fn audience(
    State(st): State<AppState>,
    mp: MaybePage,
    Path(code): Path<String>,
    Query(q): Query<Pairs>,
) -> Result<Response, WebError> {
    let look = look(&mp, &q);
    let lang = look.lang;
    let Some(a) = Audience::parse(&code) else {
        return Ok(crate::error::not_found_page(lang, look.large));
    };
    let all = alerts(&st, lang).await?;
    let mats = st
        .svc
        .public_materials(&MaterialFilter {
            audience: Some(a),
            ..MaterialFilter::default()
        })
        .await
        .page(lang)?;
    let check = audience_check(a);
    let check_title = mamori_core::portal::selfcheck::list(check).map_or("", |l| l.title.get(lang));
    let links: Vec<&Link> = LINKS.iter().filter(|l| l.audiences.contains(&a)).collect();
    let kids = if a == Audience::Children {
        format!(
            r#"<p><a href="/portal/kids" lang="ja">{}</a></p>"#,
            t(
                lang,
                "こどもむけのページ（ふりがな付き）",
                "The children's page (Japanese, with readings)"
            )
        )
    } else {
        String::new()
    };
    let body = format!(
        r#"<p class="lead">{intro}</p>{kids}
<section aria-labelledby="aud-check"><h2 id="aud-check">{check_h}</h2><p><a href="/portal/selfcheck/{check}">{check_title}</a></p></section>
<section aria-labelledby="aud-mat"><h2 id="aud-mat">{mat_h}</h2>{mats}<p><a href="/portal/materials?audience={code}">{mat_all}</a></p></section>
<section aria-labelledby="aud-links"><h2 id="aud-links">{links_h}</h2>{links}</section>"#,
        intro = esc(audience_intro(a).get(lang)),
        check_h = t(lang, "おすすめのセルフチェック", "Recommended self-check"),
        check_title = esc(check_title),
        mat_h = t(lang, "教材・資料", "Materials"),
        mats = materials_list(lang, &mats.iter().take(10).collect::<Vec<_>>()),
        code = a.code(),
        mat_all = t(
            lang,
            "この対象の資料をすべて見る",
            "All materials for this audience"
        ),
        links_h = t(lang, "関連する窓口・サイト", "Related windows and sites"),
        links = links_list(lang, &links),
    );
    Ok(public_page(
        &mp,
        look,
        &format!("/portal/for/{}", a.code()),
        &format!("{} — {}", a.label(lang), t(lang, "入口", "start here")),
        &urgent_banner(lang, &all),
        &body,
    )
    .into_response())
}

fn freshness_badge(lang: Lang, f: Freshness) -> &'static str {
    match f {
        Freshness::Stale => t(
            lang,
            r#" <span class="tag stale">見直し期限切れ：内容が古い可能性があります</span>"#,
            r#" <span class="tag stale">Past its review date: may be out of date</span>"#,
        ),
        _ => "",
    }
}

fn link_badge(lang: Lang, status: &str) -> &'static str {
    if status.starts_with("broken") {
        t(
            lang,
            r#" <span class="tag broken">リンク切れの可能性</span>"#,
            r#" <span class="tag broken">Link may be broken</span>"#,
        )
    } else {
        ""
    }
}

/// A size for people: `12 KB`, `3.4 MB`.
pub(crate) fn size_text(bytes: i64) -> String {
    match bytes {
        b if b < 1_000 => format!("{b} B"),
        b if b < 1_000_000 => format!("{} KB", (b + 999) / 1_000),
        b => format!("{}.{} MB", b / 1_000_000, (b % 1_000_000) / 100_000),
    }
}

/// How to reach a material: its download (when it is a file the portal keeps) and
/// its link (when it has one). `base` is the path the file hangs under.
pub(crate) fn material_access(
    lang: Lang,
    id: PortalItemId,
    x: &Material,
    link_status: &str,
    base: &str,
) -> String {
    let mut out = String::new();
    if let Some(f) = &x.file {
        out.push_str(&format!(
            r#"<p><a class="button" id="material-file" href="{base}/{id}/file" download>{dl}</a> <span class="muted">{name}（{kind}、{size}）</span></p>"#,
            id = id.0,
            dl = t(lang, "資料をダウンロード", "Download the material"),
            name = esc(&f.name),
            kind = f.file_type.label().get(lang),
            size = size_text(f.size),
        ));
    }
    if !x.url.is_empty() {
        out.push_str(&format!(
            r#"<p><a class="button{sec}" href="{url}" rel="noopener noreferrer">{open}</a>{broken}</p>"#,
            sec = if x.file.is_some() { " secondary" } else { "" },
            url = esc(&x.url),
            open = t(
                lang,
                "資料を開く（外部サイト）",
                "Open the material (external site)"
            ),
            broken = link_badge(lang, link_status),
        ));
    }
    out
}

/// A material file as a download: the type decided from its content when it was
/// uploaded, always an attachment (never rendered in the portal's origin), an ASCII
/// `filename` and the real name as RFC 5987 `filename*`, `nosniff` (set for every
/// response) and a sandboxing CSP in case a browser opens it anyway.
pub(crate) fn file_response(f: &mamori_store::PortalFile) -> Response {
    let ext = mamori_core::portal::files::extension(&f.name);
    let ascii = format!("material-{}.{ext}", f.item.0);
    let encoded: String = f
        .name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    (
        [
            (header::CONTENT_TYPE, f.media_type.clone()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}"),
            ),
            (
                header::CONTENT_SECURITY_POLICY,
                "sandbox; default-src 'none'".to_string(),
            ),
            (header::CACHE_CONTROL, "no-cache".to_string()),
        ],
        f.bytes.clone(),
    )
        .into_response()
}

/// `GET /portal/materials/{id}/file`: a published material's file.
pub async fn material_file(
    State(st): State<AppState>,
    mp: MaybePage,
    Path(id): Path<i64>,
    Query(q): Query<Pairs>,
) -> Result<Response, WebError> {
    let lang = look(&mp, &q).lang;
    let f = st
        .svc
        .public_material_file(PortalItemId(id))
        .await
        .page(lang)?;
    Ok(file_response(&f))
}

fn materials_list(lang: Lang, list: &[&PublicMaterial]) -> String {
    if list.is_empty() {
        return format!(
            "<p>{}</p>",
            t(lang, "該当する資料はありません。", "No materials match.")
        );
    }
    let items: String = list
        .iter()
        .map(|m| {
            let x = &m.material;
            format!(
                r#"<li class="material"><a href="/portal/materials/{id}">{title}</a>{fresh}{broken}<br><span class="muted">{publisher} · {format} · {language}{file}</span><br>{aud}</li>"#,
                id = m.id.0,
                title = esc(&x.title),
                fresh = freshness_badge(lang, m.freshness),
                broken = link_badge(lang, &m.link_status),
                publisher = esc(&m.publisher),
                format = x.format.map_or("", |f| f.label(lang)),
                language = x.language.map_or("", |l| l.label(lang)),
                file = x.file.as_ref().map_or(String::new(), |f| format!(
                    " · {} {}",
                    t(lang, "ダウンロード可", "download"),
                    size_text(f.size)
                )),
                aud = audience_tags(lang, &x.audiences),
            )
        })
        .collect();
    format!(r#"<ul class="materials">{items}</ul>"#)
}

fn links_list(lang: Lang, list: &[&Link]) -> String {
    let items: String = list
        .iter()
        .map(|l| {
            format!(
                r#"<li id="link-{id}"><a href="{url}" rel="noopener noreferrer">{name}</a>{window}<br>{holds}</li>"#,
                id = l.id,
                url = esc(l.url),
                name = esc(l.name.get(lang)),
                window = if l.window {
                    format!(
                        r#" <span class="tag">{}</span>"#,
                        t(lang, "届出・相談の窓口", "Takes reports")
                    )
                } else {
                    String::new()
                },
                holds = esc(l.holds.get(lang)),
            )
        })
        .collect();
    format!(r#"<ul class="links">{items}</ul>"#)
}

fn select_of<T: Copy + PartialEq>(
    lang: Lang,
    id: &str,
    label: &str,
    all: &[T],
    code: fn(T) -> &'static str,
    text: fn(T) -> Text,
    chosen: Option<T>,
) -> String {
    let opts: String = all
        .iter()
        .map(|v| {
            format!(
                r#"<option value="{}"{}>{}</option>"#,
                code(*v),
                if chosen == Some(*v) { " selected" } else { "" },
                esc(text(*v).get(lang))
            )
        })
        .collect();
    format!(
        r#"<div><label for="{id}">{label}</label><select id="{id}" name="{id}"><option value="">{any}</option>{opts}</select></div>"#,
        any = t(lang, "すべて", "All"),
    )
}

/// `GET /portal/materials?q=&audience=&topic=`: the catalog, awareness materials first
/// and product promotion apart.
pub async fn materials(
    State(st): State<AppState>,
    mp: MaybePage,
    Query(q): Query<Pairs>,
) -> Result<Html<String>, WebError> {
    let look = look(&mp, &q);
    let lang = look.lang;
    let all = alerts(&st, lang).await?;
    let words: String = get(&q, "q").chars().take(200).collect();
    let f = MaterialFilter {
        q: words.clone(),
        audience: Audience::parse(get(&q, "audience")),
        topic: Topic::parse(get(&q, "topic")),
    };
    let list = st.svc.public_materials(&f).await.page(lang)?;
    let (promo, awareness): (Vec<&PublicMaterial>, Vec<&PublicMaterial>) =
        list.iter().partition(|m| m.material.promotion);
    let promo_html = if promo.is_empty() {
        String::new()
    } else {
        format!(
            r#"<section class="promotion" id="promotion" aria-labelledby="promo-h"><h2 id="promo-h">{}</h2><p class="help">{}</p>{}</section>"#,
            t(
                lang,
                "製品・サービスの紹介（広告）",
                "Products and services (promotion)"
            ),
            t(
                lang,
                "企業が自社の製品やサービスを紹介するものです。啓発資料とは分けて載せています。",
                "Companies presenting their own products or services, listed apart from awareness material."
            ),
            materials_list(lang, &promo)
        )
    };
    let body = format!(
        r#"<form method="get" action="/portal/materials" class="filters" role="search">
<div><label for="q">{kw}</label><input id="q" name="q" value="{words}"></div>
{aud}{topic}<div><button type="submit">{go}</button></div></form>
<p class="help">{note}</p>
<section id="awareness" aria-labelledby="aw-h"><h2 id="aw-h">{aw_h} ({n})</h2>{aw}</section>{promo_html}"#,
        kw = t(lang, "キーワード", "Keywords"),
        words = esc(&words),
        aud = select_of(
            lang,
            "audience",
            t(lang, "対象", "Audience"),
            Audience::ALL,
            Audience::code,
            Audience::text,
            f.audience
        ),
        topic = select_of(
            lang,
            "topic",
            t(lang, "テーマ", "Topic"),
            Topic::ALL,
            Topic::code,
            Topic::text,
            f.topic
        ),
        go = t(lang, "探す", "Search"),
        note = t(
            lang,
            "掲載しているのは、編集者が承認した団体の資料です。見直し期限を過ぎた資料には印が付き、さらに90日たつと一覧から外れます。",
            "Only materials of organizations approved by the editors are listed. Items past their review date are marked, and after 90 more days they are taken off the list."
        ),
        aw_h = t(lang, "啓発資料", "Awareness materials"),
        n = awareness.len(),
        aw = materials_list(lang, &awareness),
    );
    Ok(public_page(
        &mp,
        look,
        "/portal/materials",
        t(lang, "教材・資料の一覧", "Materials catalog"),
        &urgent_banner(lang, &all),
        &body,
    ))
}

/// `GET /portal/materials/{id}`: one material with its terms of use and owner.
pub async fn material(
    State(st): State<AppState>,
    mp: MaybePage,
    Path(id): Path<i64>,
    Query(q): Query<Pairs>,
) -> Result<Html<String>, WebError> {
    let look = look(&mp, &q);
    let lang = look.lang;
    let m = st.svc.public_material(PortalItemId(id)).await.page(lang)?;
    let x = &m.material;
    let row = |k: &str, v: String| format!("<dt>{}</dt><dd>{v}</dd>", esc(k));
    let body = format!(
        r#"{promo}{fresh}<p>{summary}</p>{access}<dl>{rows}</dl><p><a href="/portal/materials">{back}</a></p>"#,
        promo = if x.promotion {
            format!(
                r#"<p class="notice">{}</p>"#,
                t(
                    lang,
                    "これは製品・サービスの紹介（広告）です。",
                    "This presents a product or service (promotion)."
                )
            )
        } else {
            String::new()
        },
        fresh = if m.freshness == Freshness::Stale {
            format!(
                r#"<p class="notice" id="stale">{}</p>"#,
                t(
                    lang,
                    "この資料は見直し期限を過ぎています。内容が古い可能性があります。",
                    "This material is past its review date and may be out of date."
                )
            )
        } else {
            String::new()
        },
        summary = esc(&x.summary),
        access = material_access(lang, m.id, x, &m.link_status, "/portal/materials"),
        rows = [
            row(
                t(
                    lang,
                    "掲載団体（更新の責任者）",
                    "Publisher (keeps it current)"
                ),
                esc(&m.publisher)
            ),
            row(
                t(lang, "対象", "Audience"),
                audience_tags(lang, &x.audiences)
            ),
            row(
                t(lang, "テーマ", "Topic"),
                esc(x.topic.map_or("", |v| v.label(lang)))
            ),
            row(
                t(lang, "形式", "Format"),
                esc(x.format.map_or("", |v| v.label(lang)))
            ),
            row(
                t(lang, "言語", "Language"),
                esc(x.language.map_or("", |v| v.label(lang)))
            ),
            row(t(lang, "利用条件", "Terms of use"), esc(&x.terms)),
            row(t(lang, "出典の書き方", "How to cite"), esc(&x.citation)),
            row(t(lang, "次の見直し期限", "Next review"), esc(&x.review_by)),
        ]
        .concat(),
        back = t(lang, "一覧に戻る", "Back to the catalog"),
    );
    Ok(public_page(
        &mp,
        look,
        "/portal/materials",
        &x.title,
        "",
        &body,
    ))
}

/// `GET /portal/alerts`: every published alert, current ones first.
pub async fn alerts_page(
    State(st): State<AppState>,
    mp: MaybePage,
    Query(q): Query<Pairs>,
) -> Result<Html<String>, WebError> {
    let look = look(&mp, &q);
    let lang = look.lang;
    let all = alerts(&st, lang).await?;
    let mut sorted: Vec<&PublicAlert> = all.iter().collect();
    sorted.sort_by_key(|a| !a.current);
    let items: String = sorted
        .iter()
        .map(|a| {
            format!(
                r#"<li><a href="/portal/alerts/{id}">{title}</a>{urgent}{past}<br><span class="muted">{day}</span> {aud}</li>"#,
                id = a.id.0,
                title = esc(alert_title(lang, a)),
                urgent = if a.alert.urgent {
                    format!(r#" <span class="tag urgent-tag">{}</span>"#, t(lang, "緊急", "Urgent"))
                } else {
                    String::new()
                },
                past = if a.current {
                    String::new()
                } else {
                    format!(r#" <span class="tag">{}</span>"#, t(lang, "終了", "Past"))
                },
                day = day(a.published_at),
                aud = audience_tags(lang, &a.alert.audiences),
            )
        })
        .collect();
    let body = format!(
        r#"<p><a href="/portal/alerts.atom">{feed}</a></p>{list}"#,
        feed = t(
            lang,
            "Atom フィードで受け取る",
            "Subscribe with the Atom feed"
        ),
        list = if items.is_empty() {
            format!(
                "<p>{}</p>",
                t(lang, "注意喚起はまだありません。", "No alerts yet.")
            )
        } else {
            format!(r#"<ul class="alerts">{items}</ul>"#)
        },
    );
    Ok(public_page(
        &mp,
        look,
        "/portal/alerts",
        t(lang, "注意喚起", "Alerts"),
        &urgent_banner(lang, &all),
        &body,
    ))
}

/// `GET /portal/alerts/{id}`: one alert.
pub async fn alert(
    State(st): State<AppState>,
    mp: MaybePage,
    Path(id): Path<i64>,
    Query(q): Query<Pairs>,
) -> Result<Response, WebError> {
    let look = look(&mp, &q);
    let lang = look.lang;
    let all = alerts(&st, lang).await?;
    let Some(a) = all.iter().find(|a| a.id.0 == id) else {
        return Ok(crate::error::not_found_page(lang, look.large));
    };
    let (other_lang, other_title, other_body) = match lang {
        Lang::Ja => ("en", &a.alert.title_en, &a.alert.body_en),
        Lang::En => ("ja", &a.alert.title_ja, &a.alert.body_ja),
    };
    let body = format!(
        r#"<p class="muted">{day} {aud}</p>{text}<section lang="{other_lang}" aria-labelledby="other-h"><h2 id="other-h">{other_title}</h2>{other_body}</section><p><a href="/portal/alerts">{back}</a></p>"#,
        day = day(a.published_at),
        aud = audience_tags(lang, &a.alert.audiences),
        text = crate::html::text_block(alert_body(lang, a)),
        other_title = esc(other_title),
        other_body = crate::html::text_block(other_body),
        back = t(lang, "注意喚起の一覧へ", "All alerts"),
    );
    Ok(public_page(
        &mp,
        look,
        "/portal/alerts",
        alert_title(lang, a),
        &urgent_banner(lang, &all),
        &body,
    )
    .into_response())
}

fn rfc3339(at: time::OffsetDateTime) -> String {
    at.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// `GET /portal/alerts.atom`: the alerts as an Atom feed (Japanese with English).
pub async fn alerts_atom(State(st): State<AppState>) -> Result<Response, WebError> {
    let all = alerts(&st, Lang::Ja).await?;
    let base = &st.base_url;
    let updated = all
        .iter()
        .map(|a| a.published_at)
        .max()
        .map_or_else(|| "1970-01-01T00:00:00Z".to_string(), rfc3339);
    let entries: String = all
        .iter()
        .map(|a| {
            format!(
                r#"<entry><id>{base}/portal/alerts/{id}</id><title>{tja} / {ten}</title><updated>{at}</updated><link href="{base}/portal/alerts/{id}"/>{cats}<content type="text">{bja}

{ben}</content></entry>"#,
                base = esc(base),
                id = a.id.0,
                tja = esc(&a.alert.title_ja),
                ten = esc(&a.alert.title_en),
                at = rfc3339(a.published_at),
                cats = a
                    .alert
                    .audiences
                    .iter()
                    .map(|c| format!(r#"<category term="{}"/>"#, c.code()))
                    .collect::<String>(),
                bja = esc(&a.alert.body_ja),
                ben = esc(&a.alert.body_en),
            )
        })
        .collect();
    let xml = format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="ja"><id>{base}/portal/alerts.atom</id><title>守り Mamori 注意喚起 / Alerts</title><updated>{updated}</updated><link rel="self" href="{base}/portal/alerts.atom"/><link href="{base}/portal/alerts"/><author><name>守り Mamori</name></author>{entries}</feed>
"#,
        base = esc(base),
    );
    Ok((
        [
            (header::CONTENT_TYPE, "application/atom+xml; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=300"),
        ],
        xml,
    )
        .into_response())
}

/// `GET /portal/links`: the directory, with the JSON feed and the snippet for other portals.
pub async fn links(
    State(st): State<AppState>,
    mp: MaybePage,
    Query(q): Query<Pairs>,
) -> Result<Html<String>, WebError> {
    let look = look(&mp, &q);
    let lang = look.lang;
    let all = alerts(&st, lang).await?;
    let list: Vec<&Link> = LINKS.iter().collect();
    let body = format!(
        r#"<p class="lead">{lead}</p>{list}
<section aria-labelledby="share-h"><h2 id="share-h">{share_h}</h2><p>{share}</p>
<ul><li><a href="/portal/links.json">{json}</a></li><li><a href="/portal/links/snippet.html">{snip}</a></li></ul>
<p>{paste}</p><pre class="code"><code>{code}</code></pre></section>"#,
        lead = t(
            lang,
            "不正アクセスに関係する公的な窓口とサイトを、どこに何があるかと一緒にまとめました。",
            "The public windows and sites about unauthorized access, with what each one holds."
        ),
        list = links_list(lang, &list),
        share_h = t(
            lang,
            "他のポータルで同じ案内を使う",
            "Use the same directory on your portal"
        ),
        share = t(
            lang,
            "同じ一覧を JSON フィードと、そのまま貼り付けられる HTML の断片で配信しています。",
            "The same list is published as a JSON feed and as an HTML fragment to paste."
        ),
        json = t(lang, "JSON フィード", "JSON feed"),
        snip = t(lang, "HTML の断片", "HTML fragment"),
        paste = t(lang, "貼り付け用の HTML：", "HTML to paste:"),
        code = esc(&snippet(lang)),
    );
    Ok(public_page(
        &mp,
        look,
        "/portal/links",
        t(lang, "関連窓口・サイトの一覧", "Related windows and sites"),
        &urgent_banner(lang, &all),
        &body,
    ))
}

/// The directory as an HTML fragment other portals embed (no style, no script).
fn snippet(lang: Lang) -> String {
    let items: String = LINKS
        .iter()
        .map(|l| {
            format!(
                "  <li><a href=\"{}\">{}</a> — {}</li>\n",
                esc(l.url),
                esc(l.name.get(lang)),
                esc(l.holds.get(lang))
            )
        })
        .collect();
    format!(
        "<nav class=\"mamori-links\" aria-label=\"{}\">\n<ul>\n{items}</ul>\n</nav>\n",
        t(
            lang,
            "不正アクセスの相談窓口と関連サイト",
            "Windows and sites about unauthorized access"
        )
    )
}

/// `GET /portal/links/snippet.html`: the fragment itself.
pub async fn links_snippet(mp: MaybePage) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
            (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
        ],
        snippet(mp.prefs.lang),
    )
        .into_response()
}

/// `GET /portal/links.json`: the directory as a JSON feed.
pub async fn links_json(State(st): State<AppState>) -> Response {
    let links: Vec<serde_json::Value> = LINKS
        .iter()
        .map(|l| {
            serde_json::json!({
                "id": l.id,
                "name": l.name,
                "url": l.url,
                "holds": l.holds,
                "audiences": l.audiences.iter().map(|a| a.code()).collect::<Vec<_>>(),
                "window": l.window,
            })
        })
        .collect();
    let doc = serde_json::json!({
        "version": 1,
        "title": {"ja": "不正アクセスの相談窓口と関連サイト", "en": "Windows and sites about unauthorized access"},
        "home": format!("{}/portal/links", st.base_url),
        "updated": st.svc.portal_today(),
        "links": links,
    });
    (
        StatusCode::OK,
        [
            (header::CACHE_CONTROL, "public, max-age=3600"),
            (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
        ],
        axum::Json(doc),
    )
        .into_response()
}
