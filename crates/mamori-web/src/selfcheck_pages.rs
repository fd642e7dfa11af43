//! Self-checks (R-2.6, `/portal/selfcheck`): the countermeasure standard's four role
//! lists and the five-minute check for small businesses, answered yes / no / not
//! applicable. Posting the form renders the score per section, the gaps ordered by
//! importance and the next steps (materials by topic) — nothing is stored unless a
//! signed-in person presses "save".

use crate::AppState;
use crate::error::{WebError, WebResult};
use crate::extract::{MaybePage, Page};
use crate::html::{csrf_field, esc, t, when};
use crate::portal_pages::{Pairs, get, look, public_page};
use axum::extract::{Form, Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use mamori_core::Lang;
use mamori_core::portal::selfcheck::{
    Answer, Answers, CheckList, Score, all, answers_from_pairs, item, list, score,
};

fn answer_label(lang: Lang, a: Answer) -> &'static str {
    match a {
        Answer::Yes => t(lang, "はい（できている）", "Yes (done)"),
        Answer::No => t(lang, "いいえ（できていない）", "No (not done)"),
        Answer::NotApplicable => t(lang, "当てはまらない", "Does not apply"),
    }
}

fn weight_label(lang: Lang, w: u8) -> &'static str {
    match w {
        3 => t(lang, "重要度：高", "Importance: high"),
        2 => t(lang, "重要度：中", "Importance: medium"),
        _ => t(lang, "重要度：低", "Importance: low"),
    }
}

/// `GET /portal/selfcheck`: the lists.
pub async fn index(mp: MaybePage, Query(q): Query<Pairs>) -> Html<String> {
    let look = look(&mp, &q);
    let lang = look.lang;
    let items: String = all()
        .iter()
        .map(|l| {
            format!(
                r#"<li><a href="/portal/selfcheck/{id}">{title}</a> <span class="muted">({n} {items})</span><br>{who}</li>"#,
                id = l.id,
                title = esc(l.title.get(lang)),
                n = l.len(),
                items = t(lang, "項目", "items"),
                who = esc(l.who.get(lang)),
            )
        })
        .collect();
    let saved = if mp.page.is_some() {
        format!(
            r#"<p><a href="/portal/selfcheck/saved">{}</a></p>"#,
            t(lang, "保存した結果を見る", "Your saved results")
        )
    } else {
        String::new()
    };
    let body = format!(
        r#"<p class="lead">{lead}</p><ul class="entry-list">{items}</ul>{saved}<p class="help">{src}</p>"#,
        lead = t(
            lang,
            "役割に合ったリストを選び、各項目に「はい・いいえ・当てはまらない」で答えてください。結果は画面に表示されるだけで、保存されません（ログインしている方は保存もできます）。",
            "Pick the list for your role and answer each item yes, no or does not apply. The result is only shown to you and not stored (signed-in people may save it)."
        ),
        src = t(
            lang,
            "役割別のリストは、経済産業省「コンピュータ不正アクセス対策基準」の V. 基準項目を、項目番号はそのままに分かりやすい言葉で書き直したものです。",
            "The role lists restate section V of METI's countermeasure standard against unauthorized computer access in plain words, keeping its item numbers."
        ),
    );
    public_page(
        &mp,
        look,
        "/portal/selfcheck",
        t(lang, "セルフチェック", "Self-checks"),
        "",
        &body,
    )
}

/// The questionnaire of `l`, with `a` pre-selected.
fn questionnaire(lang: Lang, l: &CheckList, a: &Answers) -> String {
    let sections: String = l
        .sections
        .iter()
        .map(|s| {
            let items: String = s
                .items
                .iter()
                .map(|i| {
                    let key = format!("{}-{}", s.no, i.no);
                    let radios: String = [Answer::Yes, Answer::No, Answer::NotApplicable]
                        .iter()
                        .map(|ans| {
                            format!(
                                r#"<li><input type="radio" id="q{key}-{c}" name="q{key}" value="{c}"{chk}><label class="choice" for="q{key}-{c}">{label}</label></li>"#,
                                c = ans.code(),
                                chk = if a.get(&key) == Some(ans) { " checked" } else { "" },
                                label = answer_label(lang, *ans),
                            )
                        })
                        .collect();
                    format!(
                        r#"<fieldset class="question" id="item-{key}"><legend><span class="itemno">{no}</span> {text}</legend><ul class="choices inline-choices">{radios}</ul></fieldset>"#,
                        no = l.item_label(s, i),
                        text = esc(i.text.get(lang)),
                    )
                })
                .collect();
            format!(
                r#"<section aria-labelledby="sec-{n}"><h2 id="sec-{n}">{label} {title}</h2>{items}</section>"#,
                n = s.no,
                label = l.section_label(s),
                title = esc(s.title.get(lang)),
            )
        })
        .collect();
    format!(
        r#"<form method="post" action="/portal/selfcheck/{id}">{sections}<button type="submit">{go}</button></form>"#,
        id = l.id,
        go = t(lang, "結果を見る", "See the result"),
    )
}

/// `GET /portal/selfcheck/{list}`: the questionnaire.
pub async fn form(mp: MaybePage, Path(id): Path<String>, Query(q): Query<Pairs>) -> Response {
    let look = look(&mp, &q);
    let lang = look.lang;
    let Some(l) = list(&id) else {
        return crate::error::not_found_page(lang, look.large);
    };
    let body = format!(
        r#"<p class="lead">{who}</p><p class="help">{how}</p>{form}"#,
        who = esc(l.who.get(lang)),
        how = t(
            lang,
            "分からない項目は空けておいて構いません（できていない項目として数えます）。",
            "You may leave items you don't know blank (they count as not done)."
        ),
        form = questionnaire(lang, l, &Answers::new()),
    );
    public_page(
        &mp,
        look,
        &format!("/portal/selfcheck/{}", l.id),
        l.title.get(lang),
        "",
        &body,
    )
    .into_response()
}

/// The result of `a` on `l`: per-section scores, the gaps by importance with next
/// steps, and (for a fresh result) the save form or the note that nothing is kept.
fn result_html(lang: Lang, l: &'static CheckList, a: &Answers, s: &Score, save: &str) -> String {
    let rows: String = l
        .sections
        .iter()
        .zip(&s.sections)
        .map(|(sec, sc)| {
            format!(
                r#"<tr><th scope="row">{n} {title}</th><td>{yes} / {app}</td><td>{pct}%</td></tr>"#,
                n = l.section_label(sec),
                title = esc(sec.title.get(lang)),
                yes = sc.yes,
                app = sc.applicable,
                pct = sc.percent(),
            )
        })
        .collect();
    let gaps: String = s
        .gaps
        .iter()
        .filter_map(|g| item(l, &g.key).map(|(sec, it)| (g, sec, it)))
        .map(|(g, sec, it)| {
            format!(
                r#"<li class="gap w{w}"><span class="tag">{weight}</span>{unanswered} <span class="itemno">{no}</span> {text}<br><a href="/portal/materials?topic={topic}">{next}</a></li>"#,
                w = g.weight,
                weight = weight_label(lang, g.weight),
                unanswered = if g.unanswered {
                    format!(r#" <span class="tag">{}</span>"#, t(lang, "未回答", "Not answered"))
                } else {
                    String::new()
                },
                no = l.item_label(sec, it),
                text = esc(it.text.get(lang)),
                topic = g.topic.code(),
                next = esc(&format!(
                    "{}: {}",
                    t(lang, "次の一歩（資料）", "Next step (materials)"),
                    g.topic.label(lang)
                )),
            )
        })
        .collect();
    let gaps = if gaps.is_empty() {
        format!(
            "<p>{}</p>",
            t(
                lang,
                "できていない項目はありません。",
                "Nothing is left to do."
            )
        )
    } else {
        format!(r#"<ol class="gaps" id="gaps">{gaps}</ol>"#)
    };
    format!(
        r#"<p class="notice score" id="total" role="status">{total_l}: {yes} / {app} ({pct}%)</p>
<table class="stack" id="sections"><caption>{cap}</caption><tr><th scope="col">{h1}</th><th scope="col">{h2}</th><th scope="col">{h3}</th></tr>{rows}</table>
<section aria-labelledby="gaps-h"><h2 id="gaps-h">{gaps_h}</h2><p class="help">{gaps_note}</p>{gaps}</section>
{save}<p class="help">{print}</p>
<details><summary>{change}</summary>{form}</details>"#,
        total_l = t(lang, "全体", "Overall"),
        yes = s.total.yes,
        app = s.total.applicable,
        pct = s.total.percent(),
        cap = t(lang, "分野ごとの結果", "By section"),
        h1 = t(lang, "分野", "Section"),
        h2 = t(lang, "できている / 対象", "Done / applicable"),
        h3 = t(lang, "割合", "Share"),
        gaps_h = t(
            lang,
            "これからやること（大事な順）",
            "What to do next (most important first)"
        ),
        gaps_note = t(
            lang,
            "「いいえ」の項目を重要度の高い順に、そのあと未回答の項目を並べています。",
            "Items answered “no”, most important first, then items left unanswered."
        ),
        print = t(
            lang,
            "このページは印刷できます（ブラウザーの印刷機能を使ってください）。",
            "You can print this page with your browser's print function."
        ),
        change = t(lang, "回答を直す", "Change your answers"),
        form = questionnaire(lang, l, a),
    )
}

/// `POST /portal/selfcheck/{list}`: the result, computed and shown, not stored.
pub async fn result(mp: MaybePage, Path(id): Path<String>, Form(pairs): Form<Pairs>) -> Response {
    let look = look(&mp, &[]);
    let lang = look.lang;
    let Some(l) = list(&id) else {
        return crate::error::not_found_page(lang, look.large);
    };
    let a = answers_from_pairs(l, &pairs);
    let s = score(l, &a);
    let save = match &mp.page {
        Some(p) => {
            let hidden: String = a
                .iter()
                .map(|(k, v)| {
                    format!(
                        r#"<input type="hidden" name="q{}" value="{}">"#,
                        esc(k),
                        v.code()
                    )
                })
                .collect();
            format!(
                r#"<form method="post" action="/portal/selfcheck/{id}/save">{csrf}{hidden}<button type="submit">{b}</button></form>"#,
                id = l.id,
                csrf = csrf_field(p.csrf()),
                b = t(lang, "この結果を保存する", "Save this result"),
            )
        }
        None => format!(
            r#"<p class="help" id="not-stored">{}</p>"#,
            t(
                lang,
                "この結果はどこにも保存されていません。ページを閉じると消えます（ログインすると保存できます）。",
                "This result is not stored anywhere and is gone when you close the page (sign in to save it)."
            )
        ),
    };
    let body = result_html(lang, l, &a, &s, &save);
    public_page(
        &mp,
        look,
        &format!("/portal/selfcheck/{}", l.id),
        &format!("{} — {}", l.title.get(lang), t(lang, "結果", "result")),
        "",
        &body,
    )
    .into_response()
}

/// `POST /portal/selfcheck/{list}/save`: keeps the signed-in person's result.
pub async fn save(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<String>,
    Form(pairs): Form<Pairs>,
) -> Result<Response, WebError> {
    p.check_csrf(get(&pairs, "csrf"))?;
    let lang = p.prefs.lang;
    let Some(l) = list(&id) else {
        return Ok(crate::error::not_found_page(lang, p.prefs.large));
    };
    let a = answers_from_pairs(l, &pairs);
    st.svc
        .save_selfcheck(&p.auth.actor, l.id, &a)
        .await
        .page(lang)?;
    Ok(Redirect::to("/portal/selfcheck/saved").into_response())
}

/// `GET /portal/selfcheck/saved[?id=N]`: the person's saved results, or one of them.
pub async fn saved(
    State(st): State<AppState>,
    p: Page,
    Query(q): Query<Pairs>,
) -> Result<Response, WebError> {
    let lang = p.prefs.lang;
    let rows = st.svc.my_selfchecks(&p.auth.actor).await.page(lang)?;
    let mp = MaybePage {
        prefs: p.prefs,
        page: None,
    };
    let look = look(&mp, &q);
    let mp = MaybePage {
        prefs: p.prefs,
        page: Some(p),
    };
    if let Ok(id) = get(&q, "id").parse::<i64>() {
        let Some((r, a)) = rows.iter().find(|(r, _)| r.id == id) else {
            return Ok(crate::error::not_found_page(lang, look.large));
        };
        let Some(l) = list(&r.list) else {
            return Ok(crate::error::not_found_page(lang, look.large));
        };
        let s = score(l, a);
        let note = format!(
            r#"<p class="help">{}: {}</p>"#,
            t(lang, "保存した日時", "Saved"),
            when(lang, r.at)
        );
        let body = result_html(lang, l, a, &s, &note);
        return Ok(public_page(
            &mp,
            look,
            "/portal/selfcheck",
            &format!(
                "{} — {}",
                l.title.get(lang),
                t(lang, "保存した結果", "saved result")
            ),
            "",
            &body,
        )
        .into_response());
    }
    let items: String = rows
        .iter()
        .filter_map(|(r, a)| list(&r.list).map(|l| (r, l, score(l, a))))
        .map(|(r, l, s)| {
            format!(
                r#"<li><a href="/portal/selfcheck/saved?id={id}">{title}</a> — {at} — {yes} / {app} ({pct}%)</li>"#,
                id = r.id,
                title = esc(l.title.get(lang)),
                at = when(lang, r.at),
                yes = s.total.yes,
                app = s.total.applicable,
                pct = s.total.percent(),
            )
        })
        .collect();
    let body = if items.is_empty() {
        format!(
            r#"<p>{}</p><p><a href="/portal/selfcheck">{}</a></p>"#,
            t(
                lang,
                "保存した結果はまだありません。",
                "No saved results yet."
            ),
            t(lang, "セルフチェックへ", "Go to the self-checks")
        )
    } else {
        format!(r#"<ul id="saved">{items}</ul>"#)
    };
    Ok(public_page(
        &mp,
        look,
        "/portal/selfcheck",
        t(lang, "保存したセルフチェック", "Saved self-checks"),
        "",
        &body,
    )
    .into_response())
}
