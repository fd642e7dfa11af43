//! The victim wizard (R-2.4, `/portal/victim`): four short steps over the intake
//! questions the reporting guideline (`mamori_core::guideline`) looks at most, then its
//! advice — which window (police, IPA, JPCERT/CC) and why, what to prepare and what to
//! preserve — and the hand-over to the intake forms with the answers carried along:
//! `/consult` for anyone (the anonymous questionnaire, prefilled), `/reports` for a
//! signed-in reporter (a draft with these answers). Plain GET forms: no script, no
//! cookie needed until the hand-over, nothing stored.

use crate::AppState;
use crate::error::WebError;
use crate::extract::{MaybePage, set_cookie};
use crate::html::{csrf_field, esc, guidance_panel, question_field, t};
use crate::intake_pages::{CONSULT_COOKIE, answer_errors, answers_from_form};
use crate::portal_pages::{Pairs, get, look, public_page};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::http::header::SET_COOKIE;
use axum::response::{IntoResponse, Response};
use mamori_core::Lang;
use mamori_core::guideline::{Fit, advise};
use mamori_core::intake::{Answers, Question, question};
use mamori_core::portal::content::WIZARD;
use mamori_store::Role;

/// Every question the wizard asks, in order.
fn asked() -> Vec<&'static Question> {
    WIZARD
        .iter()
        .flat_map(|s| s.questions.iter().filter_map(|q| question(q)))
        .collect()
}

/// The answers as hidden fields, except those of `skip` (the questions on screen).
fn hidden(a: &Answers, skip: &[&str]) -> String {
    a.0.iter()
        .filter(|(k, _)| !skip.contains(&k.as_str()))
        .flat_map(|(k, vs)| vs.iter().map(move |v| (k, v)))
        .map(|(k, v)| {
            format!(
                r#"<input type="hidden" name="{}" value="{}">"#,
                esc(k),
                esc(v)
            )
        })
        .collect()
}

/// The answers as a query string (for "change your answers").
fn query(a: &Answers) -> String {
    a.0.iter()
        .flat_map(|(k, vs)| vs.iter().map(move |v| (k, v)))
        .map(|(k, v)| format!("&amp;{}={}", esc(k), esc(&crate::html::url_enc(v))))
        .collect()
}

/// `GET /portal/victim?step=N&…answers`: the intro (step 0), a step (1–4) or the advice.
pub async fn wizard(
    State(st): State<AppState>,
    mp: MaybePage,
    Query(q): Query<Pairs>,
) -> Result<Response, WebError> {
    let look = look(&mp, &q);
    let lang = look.lang;
    let a = answers_from_form(Answers::default(), &q, &asked());
    let errors = answer_errors(lang, &a);
    let requested: usize = get(&q, "step").parse().unwrap_or(0);
    let title = t(
        lang,
        "被害に遭ったら：相談先の案内",
        "If you were a victim: where to turn",
    );
    // Invalid answers (a tampered address) go back to the first step that holds one.
    let bad_step = WIZARD
        .iter()
        .position(|s| s.questions.iter().any(|q| errors.contains_key(*q)));
    let step = match bad_step {
        Some(i) => i + 1,
        None => requested.min(WIZARD.len() + 1),
    };
    let status = if bad_step.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let body = if step == 0 {
        intro(lang)
    } else if step <= WIZARD.len() {
        step_form(lang, step, &a, &errors)
    } else {
        let nonce = st.svc.new_nonce();
        let html = result(lang, &mp, &a, &nonce);
        let c = set_cookie(CONSULT_COOKIE, &nonce, 3600, st.secure_cookies);
        return Ok((
            [(SET_COOKIE, c)],
            public_page(&mp, look, "/portal/victim", title, "", &html),
        )
            .into_response());
    };
    Ok((
        status,
        public_page(&mp, look, "/portal/victim", title, "", &body),
    )
        .into_response())
}

fn intro(lang: Lang) -> String {
    format!(
        r#"<div class="urgent" role="note" id="call-now"><p><strong>{now_h}</strong></p><p>{now}</p></div>
<p class="lead">{lead}</p><ol><li>{k1}</li><li>{k2}</li><li>{k3}</li></ol>
<form method="get" action="/portal/victim"><button type="submit" name="step" value="1">{go}</button></form>
<p class="help">{note}</p>"#,
        now_h = t(
            lang,
            "今まさに被害が続いているとき",
            "If it is happening right now"
        ),
        now = t(
            lang,
            "お金が引き出されている・脅迫されているときは、すぐ 110 番と金融機関へ。急がない相談は警察相談専用電話 #9110 へ。",
            "If money is being taken or you are being threatened, call 110 and your bank at once. For other questions, the police consultation line is #9110."
        ),
        lead = t(
            lang,
            "4つの短い質問に答えると、警察・IPA・JPCERT/CC のどこに相談するとよいか、その理由、準備するもの、残しておくべき証拠が分かります。分からない質問は飛ばして構いません。",
            "Answer four short questions to learn whether the police, IPA or JPCERT/CC fits, why, what to prepare and what evidence to keep. Skip what you don't know."
        ),
        k1 = t(
            lang,
            "パソコンの電源を切ったり、初期化したりしない",
            "Do not switch off or reset the computer"
        ),
        k2 = t(
            lang,
            "不審なメールやファイル、画面の写真を残しておく",
            "Keep suspicious mails, files and screenshots"
        ),
        k3 = t(
            lang,
            "いつ何があったかをメモしておく",
            "Note what happened, and when"
        ),
        go = t(lang, "はじめる", "Start"),
        note = t(
            lang,
            "回答はこのブラウザーとの間でだけ使われ、保存されません。",
            "Your answers are used only to show the advice and are not stored."
        ),
    )
}

fn step_form(
    lang: Lang,
    step: usize,
    a: &Answers,
    errors: &std::collections::BTreeMap<String, String>,
) -> String {
    let Some(s) = WIZARD.get(step - 1) else {
        return String::new();
    };
    let fields: String = s
        .questions
        .iter()
        .filter_map(|q| question(q))
        .map(|q| {
            question_field(
                lang,
                q,
                a.get(q.id),
                errors.get(q.id).map(String::as_str),
                false,
            )
        })
        .collect();
    let last = step == WIZARD.len();
    format!(
        r#"<p class="progress" id="progress">{progress}</p><form method="get" action="/portal/victim" novalidate><h2>{title}</h2>{hidden}{fields}
<div class="steps">{back}<button type="submit" name="step" value="{next}">{next_label}</button></div></form>"#,
        progress = esc(&format!(
            "{} {step} / {}",
            t(lang, "質問", "Question"),
            WIZARD.len()
        )),
        title = esc(s.title.get(lang)),
        hidden = hidden(a, s.questions),
        back = if step > 1 {
            format!(
                r#"<button type="submit" class="secondary" name="step" value="{}">{}</button>"#,
                step - 1,
                t(lang, "戻る", "Back")
            )
        } else {
            String::new()
        },
        next = step + 1,
        next_label = if last {
            t(lang, "相談先を見る", "Show where to turn")
        } else {
            t(lang, "次へ", "Next")
        },
    )
}

fn result(lang: Lang, mp: &MaybePage, a: &Answers, nonce: &str) -> String {
    let g = advise(a);
    let recommended: Vec<&str> = g
        .bodies
        .iter()
        .filter(|b| b.fit == Fit::Recommended)
        .map(|b| b.body.text().get(lang))
        .collect();
    let summary = if recommended.is_empty() {
        t(
            lang,
            "今の回答では、すぐに届け出る先はありません。下の説明を読み、心配なときは相談してください。",
            "From these answers no window needs a report right now; read below, and ask if you are worried.",
        )
        .to_string()
    } else {
        format!(
            "{}{}",
            t(lang, "おすすめの相談先：", "Where to turn: "),
            recommended.join(t(lang, "、", ", "))
        )
    };
    let reporter = mp
        .page
        .as_ref()
        .filter(|p| p.auth.actor.user.role == Role::Reporter);
    let report_form = match reporter {
        Some(p) => format!(
            r#"<form method="post" action="/reports">{csrf}{hidden}<button type="submit">{go}</button></form>"#,
            csrf = csrf_field(p.csrf()),
            hidden = hidden(a, &[]),
            go = t(
                lang,
                "この回答で届出を作成する（下書き）",
                "Start a report with these answers (draft)"
            ),
        ),
        None => format!(
            r#"<p class="help">{} <a href="/login">{}</a></p>"#,
            t(
                lang,
                "組織として正式に届け出るにはアカウントが必要です。",
                "A formal report from an organization needs an account."
            ),
            t(lang, "ログイン", "Sign in")
        ),
    };
    format!(
        r#"<p class="notice" role="status" id="summary">{summary}</p>{panel}
<section aria-labelledby="next-h" id="handover"><h2 id="next-h">{next_h}</h2>
<form method="post" action="/consult">{csrf}{hidden}<button type="submit">{consult}</button></form>
<p class="help">{consult_note}</p>{report_form}
<p><a href="/portal/victim?step=1{query}">{change}</a> · <a href="/portal/links">{windows}</a></p>
<p class="help">{print}</p></section>"#,
        panel = guidance_panel(lang, &g),
        next_h = t(lang, "次にすること", "What to do next"),
        csrf = csrf_field(nonce),
        hidden = hidden(a, &[]),
        consult = t(
            lang,
            "この回答のまま相談窓口案内へ進む",
            "Continue to the consultation form with these answers"
        ),
        consult_note = t(
            lang,
            "質問の全体を見直したり、1つの機関に匿名で相談を送ったりできます。",
            "There you can review every question or send one body an anonymous question."
        ),
        query = query(a),
        change = t(lang, "回答を変える", "Change your answers"),
        windows = t(lang, "各窓口の連絡先", "The windows' contacts"),
        print = t(
            lang,
            "このページを印刷して、相談のときに持参できます。",
            "You can print this page and take it with you."
        ),
    )
}
