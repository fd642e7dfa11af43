//! The anonymous "where should I go?" consultation (相談窓口案内, `/consult`):
//! the questionnaire, the reporting guideline's advice, and optionally a
//! consultation left with one chosen body, read back later with a contact token.
//! No account is needed; the forms carry a double-submit CSRF token.

use crate::AppState;
use crate::error::{WebError, WebResult};
use crate::extract::{ClientIp, MaybePage, constant_time_eq, cookie, set_cookie};
use crate::html::{alert, csrf_field, esc, guidance_panel, question_field, t};
use crate::pages::render;
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::http::header::SET_COOKIE;
use axum::http::request::Parts;
use axum::response::{Html, IntoResponse, Response};
use mamori_core::Lang;
use mamori_core::guideline::{Body, advise};
use mamori_core::intake::{Answers, Question, questions};
use mamori_service::intake::{DraftInput, SubmitTo};
use mamori_service::{ServiceError, codes};
use mamori_store::ReportKind;
use std::collections::BTreeMap;

/// The consultation forms' CSRF cookie (a nonce the form repeats).
pub(crate) const CONSULT_COOKIE: &str = "mamori_consult";

/// The answers to `asked` found in a url-encoded form (repeated keys for
/// several choices). Empty text is no answer.
pub(crate) fn answers_from_form(
    mut base: Answers,
    pairs: &[(String, String)],
    asked: &[&Question],
) -> Answers {
    for q in asked {
        let vals: Vec<String> = pairs
            .iter()
            .filter(|(k, v)| k == q.id && !v.trim().is_empty())
            .map(|(_, v)| v.clone())
            .collect();
        base.set(q.id, vals);
    }
    base
}

/// Unknown fields in a form are ignored only when they are ours.
pub(crate) fn field<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

/// Validation errors by question id, in the reader's language.
pub(crate) fn answer_errors(lang: Lang, a: &Answers) -> BTreeMap<String, String> {
    match a.validate() {
        Ok(()) => BTreeMap::new(),
        Err(errs) => errs
            .into_iter()
            .map(|e| (e.question, e.message.get(lang).to_string()))
            .collect(),
    }
}

/// Every question as form controls, with errors in place; `for_report` as in
/// [`question_field`].
pub(crate) fn all_questions(
    lang: Lang,
    a: &Answers,
    errors: &BTreeMap<String, String>,
    for_report: bool,
) -> String {
    questions()
        .iter()
        .map(|q| {
            question_field(
                lang,
                q,
                a.get(q.id),
                errors.get(q.id).map(String::as_str),
                for_report,
            )
        })
        .collect()
}

/// Errors about fields no question shows (unknown ids), as one list.
pub(crate) fn stray_errors(errors: &BTreeMap<String, String>) -> String {
    let stray: Vec<String> = errors
        .iter()
        .filter(|(q, _)| mamori_core::intake::question(q).is_none())
        .map(|(q, m)| format!("<li>{}: {}</li>", esc(q), esc(m)))
        .collect();
    if stray.is_empty() {
        String::new()
    } else {
        format!(
            r#"<div class="error" role="alert"><ul>{}</ul></div>"#,
            stray.concat()
        )
    }
}

fn layout(mp: &MaybePage, title: &str, body: &str) -> Html<String> {
    match &mp.page {
        Some(p) => render(p, title, body),
        // Without an account the display switches come back here.
        None => crate::html::page_with(
            crate::html::Look {
                lang: mp.prefs.lang,
                large: mp.prefs.large,
                contrast: mp.prefs.contrast,
            },
            "/consult",
            title,
            None,
            "",
            body,
        ),
    }
}

fn respond(
    st: &AppState,
    mp: &MaybePage,
    status: StatusCode,
    title: &str,
    body: &str,
    nonce: &str,
) -> Response {
    let c = set_cookie(CONSULT_COOKIE, nonce, 3600, st.secure_cookies);
    (status, [(SET_COOKIE, c)], layout(mp, title, body)).into_response()
}

fn check_consult_csrf(
    parts: &Parts,
    pairs: &[(String, String)],
    lang: Lang,
) -> Result<(), WebError> {
    let expected = cookie(parts, CONSULT_COOKIE).unwrap_or("");
    let sent = field(pairs, "csrf");
    if expected.is_empty() || !constant_time_eq(expected.as_bytes(), sent.as_bytes()) {
        return Err(ServiceError::Invalid(codes::CSRF)).page(lang);
    }
    Ok(())
}

fn questionnaire(
    lang: Lang,
    nonce: &str,
    a: &Answers,
    errors: &BTreeMap<String, String>,
) -> String {
    format!(
        r#"<form method="post" action="/consult" class="onepage" novalidate>{csrf}{stray}{qs}
<button type="submit">{go}</button></form>"#,
        csrf = csrf_field(nonce),
        stray = stray_errors(errors),
        qs = all_questions(lang, a, errors, false),
        go = t(lang, "届出先の案内を見る", "Show where to report"),
    )
}

/// `GET /consult`: the questionnaire, for anyone.
pub async fn consult_form(State(st): State<AppState>, mp: MaybePage) -> Response {
    let lang = mp.prefs.lang;
    let nonce = st.svc.new_nonce();
    let body = format!(
        r#"<p>{intro}</p><p class="help">{anon}</p>{form}"#,
        intro = t(
            lang,
            "何が起きたかを答えると、警察・IPA・JPCERT/CC のどこに相談・届出をすればよいか、準備するもの、残しておくべき証拠をご案内します。分かる質問だけで構いません。",
            "Answer what happened and we tell you whether to go to the police, IPA or JPCERT/CC, what to prepare and what evidence to keep. Answer only what you know."
        ),
        anon = t(
            lang,
            "アカウントは不要です。回答は案内を表示するためだけに使われ、保存されません。",
            "No account needed. Your answers are used only to show the advice and are not stored."
        ),
        form = questionnaire(lang, &nonce, &Answers::default(), &BTreeMap::new()),
    );
    respond(
        &st,
        &mp,
        StatusCode::OK,
        t(lang, "相談窓口案内", "Where to report"),
        &body,
        &nonce,
    )
}

/// `POST /consult`: the guideline's advice for the answers, the answers kept in
/// the form to change, and the offer to leave a consultation with one body.
pub async fn consult(
    State(st): State<AppState>,
    mp: MaybePage,
    parts: Parts,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let lang = mp.prefs.lang;
    check_consult_csrf(&parts, &pairs, lang)?;
    let asked: Vec<&Question> = questions().iter().collect();
    let a = answers_from_form(Answers::default(), &pairs, &asked);
    let errors = answer_errors(lang, &a);
    let nonce = st.svc.new_nonce();
    let title = t(lang, "相談窓口案内", "Where to report");
    if !errors.is_empty() {
        let body = format!(
            "{}{}",
            alert(t(
                lang,
                "入力を確認してください。",
                "Please check your answers."
            )),
            questionnaire(lang, &nonce, &a, &errors)
        );
        return Ok(respond(
            &st,
            &mp,
            StatusCode::BAD_REQUEST,
            title,
            &body,
            &nonce,
        ));
    }
    let g = advise(&a);
    let body = format!(
        r#"{panel}{leave}<details><summary>{change}</summary>{form}</details>"#,
        panel = guidance_panel(lang, &g),
        leave = leave_form(lang, &nonce, &a),
        change = t(lang, "回答を変更する", "Change your answers"),
        form = questionnaire(lang, &nonce, &a, &BTreeMap::new()),
    );
    Ok(respond(&st, &mp, StatusCode::OK, title, &body, &nonce))
}

/// The offer to leave a consultation with one body: the answers ride along as
/// hidden fields, the reporter picks the body and writes what to ask.
fn leave_form(lang: Lang, nonce: &str, a: &Answers) -> String {
    let hidden: String =
        a.0.iter()
            .flat_map(|(k, vs)| vs.iter().map(move |v| (k, v)))
            .map(|(k, v)| {
                format!(
                    r#"<input type="hidden" name="{}" value="{}">"#,
                    esc(k),
                    esc(v)
                )
            })
            .collect();
    let bodies: String = Body::ALL
        .iter()
        .map(|b| {
            format!(
                r#"<li><input type="radio" id="body-{c}" name="body" value="{c}" required><label class="choice" for="body-{c}">{n}</label></li>"#,
                c = b.code(),
                n = esc(b.text().get(lang)),
            )
        })
        .collect();
    format!(
        r#"<section aria-labelledby="leave-h"><h2 id="leave-h">{h}</h2><p>{p}</p>
<form method="post" action="/consult/leave">{csrf}{hidden}
<fieldset class="question"><legend>{which}</legend><ul class="choices">{bodies}</ul></fieldset>
<label for="consult-title">{tl}</label><input id="consult-title" name="title" maxlength="200" required>
<label for="consult-description">{dl}</label><textarea id="consult-description" name="ask" rows="6" maxlength="20000" required></textarea>
<button type="submit">{send}</button></form></section>"#,
        h = t(
            lang,
            "匿名で相談する（任意）",
            "Ask a body anonymously (optional)"
        ),
        p = t(
            lang,
            "選んだ1つの機関にだけ、この回答と相談内容が送られます。返信を読むための「連絡番号」が一度だけ表示されます。正式な届出にはアカウントが必要です。",
            "Your answers and question go to the one body you choose, nowhere else. A contact token to read replies is shown once. A formal report needs an account."
        ),
        csrf = csrf_field(nonce),
        which = t(lang, "相談先", "Ask which body"),
        tl = t(lang, "件名", "Subject"),
        dl = t(lang, "相談したいこと", "Your question"),
        send = t(lang, "この機関に相談を送る", "Send to this body"),
    )
}

/// `POST /consult/leave`: leaves an anonymous consultation with one body and
/// shows the contact token once.
pub async fn consult_leave(
    State(st): State<AppState>,
    mp: MaybePage,
    ClientIp(ip): ClientIp,
    parts: Parts,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let lang = mp.prefs.lang;
    check_consult_csrf(&parts, &pairs, lang)?;
    let asked: Vec<&Question> = questions().iter().collect();
    let a = answers_from_form(Answers::default(), &pairs, &asked);
    let body = Body::ALL
        .iter()
        .copied()
        .find(|b| b.code() == field(&pairs, "body"));
    let title = field(&pairs, "title").trim();
    let description = field(&pairs, "ask").trim();
    let nonce = st.svc.new_nonce();
    let page_title = t(lang, "匿名の相談", "Anonymous consultation");
    let (Some(body), false, false) = (body, title.is_empty(), description.is_empty()) else {
        let msg = alert(t(
            lang,
            "相談先・件名・相談したいことをすべて入力してください。",
            "Choose a body and fill in the subject and your question.",
        ));
        let body = format!("{msg}{}", leave_form(lang, &nonce, &a));
        return Ok(respond(
            &st,
            &mp,
            StatusCode::BAD_REQUEST,
            page_title,
            &body,
            &nonce,
        ));
    };
    let mut answers = a;
    let told = answers.one("description").unwrap_or("").to_string();
    let full = if told.is_empty() {
        description.to_string()
    } else {
        format!("{description}\n\n{told}")
    };
    answers.set("description", vec![full]);
    let input = DraftInput {
        kind: Some(ReportKind::Consultation),
        title: title.to_string(),
        answers,
    };
    let (_, left) = st
        .svc
        .leave_consultation(input, SubmitTo::body(body), &ip.to_string())
        .await
        .page(lang)?;
    let html = format!(
        r#"<p class="notice" role="status">{sent}</p><p>{keep}</p><p class="secret" id="contact-token">{token}</p>
<p><a href="/consult/replies">{read}</a></p>"#,
        sent = esc(&format!(
            "{} {}",
            body.text().get(lang),
            t(
                lang,
                "に相談を送りました。",
                ": your consultation was sent."
            )
        )),
        keep = t(
            lang,
            "返信を読むには次の連絡番号が必要です。今すぐ控えてください（再表示できません）。",
            "You need this contact token to read replies. Write it down now (it cannot be shown again)."
        ),
        token = esc(&left),
        read = t(lang, "返信を読む", "Read replies"),
    );
    Ok(respond(&st, &mp, StatusCode::OK, page_title, &html, &nonce))
}

fn replies_form(lang: Lang, nonce: &str) -> String {
    format!(
        r#"<form method="post" action="/consult/replies">{csrf}
<label for="contact-token-input">{l}</label><input id="contact-token-input" name="token" autocomplete="off" required>
<button type="submit">{b}</button></form>"#,
        csrf = csrf_field(nonce),
        l = t(lang, "連絡番号", "Contact token"),
        b = t(lang, "返信を読む", "Read replies"),
    )
}

/// `GET /consult/replies`: the contact-token form.
pub async fn replies_page(State(st): State<AppState>, mp: MaybePage) -> Response {
    let lang = mp.prefs.lang;
    let nonce = st.svc.new_nonce();
    let body = replies_form(lang, &nonce);
    respond(
        &st,
        &mp,
        StatusCode::OK,
        t(lang, "相談への返信", "Replies to your consultation"),
        &body,
        &nonce,
    )
}

/// `POST /consult/replies`: the consultation's reporter-visible history for
/// the holder of its contact token; a wrong token reads as "not found".
pub async fn replies(
    State(st): State<AppState>,
    mp: MaybePage,
    ClientIp(ip): ClientIp,
    parts: Parts,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let lang = mp.prefs.lang;
    check_consult_csrf(&parts, &pairs, lang)?;
    let token = field(&pairs, "token").trim();
    let ip = ip.to_string();
    let text = field(&pairs, "text").trim();
    if !text.is_empty() {
        st.svc
            .consultation_message(token, text, &ip)
            .await
            .page(lang)?;
    }
    let v = st.svc.consultation_view(token, &ip).await.page(lang)?;
    let items = crate::report_pages::timeline(lang, &v);
    let nonce = st.svc.new_nonce();
    let body = format!(
        r#"<h2>{title}</h2>{items}<h2>{write}</h2><form method="post" action="/consult/replies">{csrf}<input type="hidden" name="token" value="{token}">
<label for="reply-text">{label}</label><textarea id="reply-text" name="text" rows="4" maxlength="20000" required></textarea>
<button type="submit">{send}</button></form>"#,
        title = esc(&v.report.title),
        write = t(lang, "返信を書く", "Write back"),
        csrf = csrf_field(&nonce),
        token = esc(token),
        label = t(lang, "メッセージ", "Message"),
        send = t(lang, "送る", "Send"),
    );
    Ok(respond(
        &st,
        &mp,
        StatusCode::OK,
        t(lang, "相談への返信", "Replies to your consultation"),
        &body,
        &nonce,
    ))
}
