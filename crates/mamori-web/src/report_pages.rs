//! The reporter's pages: `/reports` (the organization's reports with each
//! body's status), the step-by-step form (`/reports/{id}/edit?step=N`, every
//! step saves the draft) and its one-page view, attachments, the submit page
//! where the reporter chooses the bodies, and `/reports/{id}` with the whole
//! history across bodies, messages and referral proposals.

use crate::AppState;
use crate::error::{WebError, WebResult};
use crate::extract::{Page, cookie, receive, set_cookie};
use crate::html::{
    alert, answers_list, attachments_table, body_advice, case_status, csrf_field, esc, event_kind,
    guidance_advice, guidance_panel, notice, question_field, report_kind, report_status, t,
    urgent_banner, when,
};
use crate::intake_pages::{all_questions, answer_errors, answers_from_form, field, stray_errors};
use crate::pages::render;
use axum::extract::{Form, Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::http::header::{self, SET_COOKIE};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use mamori_core::Lang;
use mamori_core::guideline::{Body, Guidance, advise};
use mamori_core::intake::{Answers, Question, questions};
use mamori_service::ServiceError;
use mamori_service::intake::{DraftInput, ReportView, SubmitTo};
use mamori_store::{
    AttachmentId, AttachmentKind, CaseId, Org, ReferralId, ReferralStatus, ReportId, ReportKind,
    ReportStatus,
};
use serde::Deserialize;
use std::collections::BTreeMap;

/// The cookie remembering "one question per screen" or "all on one page".
const VIEW_COOKIE: &str = "mamori_form_view";
/// Longest title.
const MAX_TITLE: usize = 200;

/// The report as `p` may see it (an error page otherwise).
async fn report_view(st: &AppState, p: &Page, id: i64) -> Result<ReportView, WebError> {
    st.svc
        .report_view(&p.auth.actor, ReportId(id))
        .await
        .page(p.prefs.lang)
}

/// The report while it is a draft; `None` once it has been sent (the caller
/// redirects to the report page).
async fn draft_view(st: &AppState, p: &Page, id: i64) -> Result<Option<ReportView>, WebError> {
    let v = report_view(st, p, id).await?;
    Ok((v.report.status == ReportStatus::Draft).then_some(v))
}

/// Steps: 1 is the title and overview, then one per question.
fn total_steps() -> usize {
    questions().len() + 1
}

/// `GET /reports`: the organization's reports, each body's status.
pub async fn list(State(st): State<AppState>, p: Page) -> Result<Response, WebError> {
    let lang = p.prefs.lang;
    let rows = st
        .svc
        .my_report_lines(&p.auth.actor, None, 100)
        .await
        .page(lang)?;
    let table: String = rows
        .iter()
        .map(|r| {
            let bodies: Vec<String> = r
                .cases
                .iter()
                .map(|(name, status)| format!("{}: {}", esc(name), case_status(lang, *status)))
                .collect();
            let link = if r.summary.status == ReportStatus::Draft {
                format!("/reports/{}/edit", r.summary.id.0)
            } else {
                format!("/reports/{}", r.summary.id.0)
            };
            format!(
                r#"<tr><td><a href="{link}">{title}</a></td><td>{kind}</td><td>{status}</td><td>{bodies}</td><td>{updated}</td></tr>"#,
                title = esc(if r.summary.title.is_empty() {
                    t(lang, "（件名なし）", "(no title)")
                } else {
                    &r.summary.title
                }),
                kind = report_kind(lang, r.summary.kind),
                status = report_status(lang, r.summary.status),
                bodies = if bodies.is_empty() { "—".to_string() } else { bodies.join("<br>") },
                updated = when(lang, r.summary.updated_at),
            )
        })
        .collect();
    let body = format!(
        r#"<p><a href="/reports/new">{new}</a> · <a href="/consult">{consult}</a></p>
<table class="stack" id="reports"><caption>{cap}</caption><tr><th scope="col">{h1}</th><th scope="col">{h2}</th><th scope="col">{h3}</th><th scope="col">{h4}</th><th scope="col">{h5}</th></tr>{table}</table>"#,
        new = t(lang, "新しい報告を作成する", "Start a new report"),
        consult = t(lang, "どこに届け出るか調べる", "Find out where to report"),
        cap = t(
            lang,
            "組織の報告（下書きは自分のものだけ）",
            "Your organization's reports (drafts: only yours)"
        ),
        h1 = t(lang, "件名", "Title"),
        h2 = t(lang, "種別", "Kind"),
        h3 = t(lang, "状態", "Status"),
        h4 = t(lang, "届出先ごとの状況", "Status at each body"),
        h5 = t(lang, "更新", "Updated"),
    );
    Ok(render(&p, t(lang, "報告", "Reports"), &body).into_response())
}

/// `GET /reports/new`: explains the form and starts a draft.
pub async fn new_form(p: Page) -> Response {
    let lang = p.prefs.lang;
    let body = format!(
        r#"<p>{intro}</p><p class="help">{scan}</p>
<form method="post" action="/reports">{csrf}<button type="submit">{go}</button></form>"#,
        intro = t(
            lang,
            "質問に順番に答えていきます。入力した内容は「次へ」を押すたびに下書きとして保存されるので、途中でブラウザーを閉じても続きから再開できます。届出先は最後に自分で選びます。",
            "You answer one question at a time. Each “Next” saves a draft, so closing the browser loses nothing. You choose the receiving bodies at the end."
        ),
        scan = t(
            lang,
            "mamori scan の結果がある場合は、`mamori report submit --server URL --token TOKEN findings.json` で回答を自動入力した下書きを作れます。",
            "With a mamori scan result, `mamori report submit --server URL --token TOKEN findings.json` creates a draft with the answers filled in."
        ),
        csrf = csrf_field(p.csrf()),
        go = t(lang, "報告の作成を始める", "Start the report"),
    );
    render(&p, t(lang, "新しい報告", "New report"), &body).into_response()
}

/// `POST /reports`: creates a draft and opens its first step. Answers posted along
/// (the portal's victim wizard hands its answers over) are kept in the draft.
pub async fn create(
    State(st): State<AppState>,
    p: Page,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    p.check_csrf(field(&pairs, "csrf"))?;
    let asked: Vec<&Question> = questions().iter().collect();
    let answers = answers_from_form(Answers::default(), &pairs, &asked);
    let r = st
        .svc
        .create_draft(
            &p.auth.actor,
            DraftInput {
                answers,
                ..DraftInput::default()
            },
        )
        .await
        .page(p.prefs.lang)?;
    Ok(Redirect::to(&format!("/reports/{}/edit?step=1", r.id.0)).into_response())
}

/// `?step=N&view=all|step` on the form.
#[derive(Debug, Deserialize)]
pub struct EditQuery {
    step: Option<usize>,
    view: Option<String>,
}

/// `GET /reports/{id}/edit`: one step, or every question on one page.
pub async fn edit(
    State(st): State<AppState>,
    p: Page,
    parts: Parts,
    Path(id): Path<i64>,
    Query(q): Query<EditQuery>,
) -> Result<Response, WebError> {
    let Some(v) = draft_view(&st, &p, id).await? else {
        return Ok(Redirect::to(&format!("/reports/{id}")).into_response());
    };
    let remembered = cookie(&parts, VIEW_COOKIE).unwrap_or("step");
    let all = match q.view.as_deref() {
        Some("all") => true,
        Some("step") => false,
        _ => remembered == "all" && q.step.is_none(),
    };
    let html = form_page(
        &p,
        &v,
        &v.answers,
        &BTreeMap::new(),
        all,
        q.step.unwrap_or(1),
        None,
    );
    let mut res = (StatusCode::OK, html).into_response();
    if let Some(choice) = q.view.as_deref().filter(|c| *c == "all" || *c == "step") {
        let c = set_cookie(VIEW_COOKIE, choice, 31_536_000, st.secure_cookies);
        if let Ok(h) = c.parse() {
            res.headers_mut().append(SET_COOKIE, h);
        }
    }
    Ok(res)
}

/// Renders the form (one step or all questions) with the guidance panel.
#[allow(clippy::too_many_arguments)]
fn form_page(
    p: &Page,
    v: &ReportView,
    a: &Answers,
    errors: &BTreeMap<String, String>,
    all: bool,
    step: usize,
    title: Option<&str>,
) -> axum::response::Html<String> {
    let lang = p.prefs.lang;
    let id = v.report.id.0;
    let total = total_steps();
    let step = step.clamp(1, total);
    let title = title.unwrap_or(v.report.title.as_str());
    let overview_html = format!(
        r#"<div class="question{cls}" id="question-title"><label for="title">{tl}</label><p class="help" id="help-title">{th}</p>{terr}<input id="title" name="title" value="{tv}" maxlength="{MAX_TITLE}" aria-describedby="help-title"></div>"#,
        cls = if errors.contains_key("title") {
            " has-error"
        } else {
            ""
        },
        tl = t(lang, "件名", "Title"),
        th = t(
            lang,
            "一言で（例：管理画面への不正ログイン）。届出先の担当者が最初に目にします。",
            "In a few words (e.g. break-in to the admin page); the first thing the body's staff see."
        ),
        terr = errors.get("title").map_or(String::new(), |e| format!(
            r#"<p class="field-error" role="alert">{}</p>"#,
            esc(e)
        )),
        tv = esc(title),
    );
    let from_scan = v
        .attachments
        .iter()
        .any(|x| x.kind == AttachmentKind::ScanJson);
    let prefilled = if from_scan {
        notice(t(
            lang,
            "mamori scan の結果から回答の一部を入力済みです。内容を確認してください。",
            "Some answers were filled in from a mamori scan result. Please check them.",
        ))
    } else {
        String::new()
    };
    let err_box = if errors.is_empty() {
        String::new()
    } else {
        alert(t(
            lang,
            "入力を確認してください。",
            "Please check your answers.",
        ))
    };
    let switch = if all {
        format!(
            r#"<a href="/reports/{id}/edit?view=step&amp;step=1">{}</a>"#,
            t(
                lang,
                "1問ずつ表示する（スマートフォン向け）",
                "One question per screen (for phones)"
            )
        )
    } else {
        format!(
            r#"<a href="/reports/{id}/edit?view=all">{}</a>"#,
            t(
                lang,
                "すべての質問を1ページで表示する",
                "All questions on one page"
            )
        )
    };
    let csrf = csrf_field(p.csrf());
    let form = if all {
        let qs = all_questions(lang, a, errors, true);
        format!(
            r#"<form method="post" action="/reports/{id}/edit" class="onepage" novalidate>{csrf}<input type="hidden" name="step" value="all">{stray}{overview_html}{qs}
<div class="steps"><button type="submit" name="go" value="save">{save}</button><button type="submit" name="go" value="review" class="secondary">{review}</button></div></form>"#,
            stray = stray_errors(errors),
            save = t(lang, "下書きを保存", "Save draft"),
            review = t(lang, "保存して送信の確認へ", "Save and review"),
        )
    } else {
        let content = if step == 1 {
            overview_html
        } else {
            let q = &questions()[step - 2];
            question_field(
                lang,
                q,
                a.get(q.id),
                errors.get(q.id).map(String::as_str),
                true,
            )
        };
        let back = if step > 1 {
            format!(
                r#"<button type="submit" name="go" value="back" class="secondary">{}</button>"#,
                t(lang, "← 戻る", "← Back")
            )
        } else {
            String::new()
        };
        let next = if step < total {
            format!(
                r#"<button type="submit" name="go" value="next">{}</button>"#,
                t(lang, "次へ →", "Next →")
            )
        } else {
            format!(
                r#"<button type="submit" name="go" value="review">{}</button>"#,
                t(lang, "保存して送信の確認へ", "Save and review")
            )
        };
        format!(
            r#"<p class="progress" id="progress">{label} {step} / {total}</p>
<form method="post" action="/reports/{id}/edit" novalidate>{csrf}<input type="hidden" name="step" value="{step}">{stray}{content}
<div class="steps">{back}{next}<button type="submit" name="go" value="save" class="secondary">{save}</button></div></form>"#,
            label = t(lang, "質問", "Question"),
            stray = stray_errors(errors),
            save = t(lang, "保存して中断", "Save and stop here"),
        )
    };
    let attach = format!(
        r#"<section aria-labelledby="att-h"><h2 id="att-h">{h}</h2>{table}
<form method="post" action="/reports/{id}/attachments?csrf={tok}" enctype="multipart/form-data">
<label for="file">{fl}</label><p class="help" id="help-file">{fh}</p><input id="file" name="file" type="file" required aria-describedby="help-file">
<button type="submit" class="secondary">{up}</button></form></section>"#,
        h = t(lang, "添付ファイル", "Attachments"),
        table = attachments_table(lang, &format!("/reports/{id}"), &v.attachments),
        tok = esc(p.csrf()),
        fl = t(lang, "ファイルを選ぶ", "Choose a file"),
        fh = t(
            lang,
            "ログの抜粋、mamori scan の JSON、mamori evidence の証拠バンドル（.tar）など。1ファイル 25 MiB まで。証拠バンドルは受け取った時点で検証します。",
            "Log excerpts, mamori scan JSON, mamori evidence bundles (.tar) and the like. Up to 25 MiB per file; evidence bundles are verified on arrival."
        ),
        up = t(lang, "添付する", "Attach"),
    );
    // The police warning first, where it cannot be missed; the rest of the
    // advice after the form.
    let g = advise(a);
    let body = format!(
        r#"{urgent}{prefilled}{err_box}<p>{switch} · <a href="/reports/{id}/submit">{review}</a></p>{form}{attach}{panel}"#,
        urgent = urgent_banner(lang, &g),
        review = t(lang, "送信の確認へ", "Review and send"),
        panel = guidance_advice(lang, &g),
    );
    render(p, t(lang, "報告の作成", "Write the report"), &body)
}

/// `POST /reports/{id}/edit`: saves the step's answers into the draft, then
/// goes on (`go=next|back|save|review`). Invalid answers are shown in place and
/// nothing is saved.
pub async fn save(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let lang = p.prefs.lang;
    p.check_csrf(field(&pairs, "csrf"))?;
    let Some(v) = draft_view(&st, &p, id).await? else {
        return Ok(Redirect::to(&format!("/reports/{id}")).into_response());
    };
    let step_field = field(&pairs, "step");
    let all = step_field == "all";
    let step: usize = step_field.parse().unwrap_or(1).clamp(1, total_steps());
    let asked: Vec<&Question> = if all {
        questions().iter().collect()
    } else if step >= 2 {
        vec![&questions()[step - 2]]
    } else {
        Vec::new()
    };
    let a = answers_from_form(v.answers.clone(), &pairs, &asked);
    let mut errors = answer_errors(lang, &a);
    let title = if all || step == 1 {
        field(&pairs, "title").trim()
    } else {
        v.report.title.as_str()
    };
    if title.chars().count() > MAX_TITLE {
        errors.insert(
            "title".into(),
            t(
                lang,
                "件名は200文字までです。",
                "The title can be 200 characters at most.",
            )
            .into(),
        );
    }
    if !errors.is_empty() {
        let html = form_page(&p, &v, &a, &errors, all, step, Some(title));
        return Ok((StatusCode::BAD_REQUEST, html).into_response());
    }
    let input = DraftInput {
        kind: None,
        title: title.to_string(),
        answers: a,
    };
    st.svc
        .save_draft(&p.auth.actor, ReportId(id), input)
        .await
        .page(lang)?;
    let to = match field(&pairs, "go") {
        "review" => format!("/reports/{id}/submit"),
        "save" if all => format!("/reports/{id}/edit?view=all&saved=1"),
        "save" => "/reports".to_string(),
        _ if all => format!("/reports/{id}/edit?view=all"),
        "back" => format!("/reports/{id}/edit?step={}", step.saturating_sub(1).max(1)),
        _ => format!("/reports/{id}/edit?step={}", (step + 1).min(total_steps())),
    };
    Ok(Redirect::to(&to).into_response())
}

/// `?csrf=` on the multipart form (its fields arrive after the file).
#[derive(Debug, Deserialize)]
pub struct UploadQuery {
    csrf: String,
}

/// `POST /reports/{id}/attachments`: stores a file with its hashes and, for an
/// evidence bundle, the verification verdict; then back to the page it came from.
pub async fn upload(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<i64>,
    Query(q): Query<UploadQuery>,
    mut mp: Multipart,
) -> Result<Response, WebError> {
    let lang = p.prefs.lang;
    p.check_csrf(&q.csrf)?;
    let mut up = None;
    while let Ok(Some(mut f)) = mp.next_field().await {
        if f.name() != Some("file") {
            continue;
        }
        let mut buf = st
            .svc
            .upload_buffer(f.file_name().unwrap_or(""))
            .page(lang)?;
        receive(&mut f, &mut buf, mamori_service::codes::FILE_TOO_LARGE)
            .await
            .page(lang)?;
        up = Some(buf);
        break;
    }
    let up = up
        .ok_or(ServiceError::Invalid(mamori_service::codes::ATTACHMENT))
        .page(lang)?;
    let a = st
        .svc
        .add_received_attachment(&p.auth.actor, ReportId(id), up)
        .await
        .page(lang)?;
    let v = report_view(&st, &p, id).await?;
    let back = if v.report.status == ReportStatus::Draft {
        format!("/reports/{id}/edit?attached={}#attachments", a.id.0)
    } else {
        format!("/reports/{id}?attached={}#attachments", a.id.0)
    };
    Ok(Redirect::to(&back).into_response())
}

/// `GET /reports/{id}/attachments/{aid}`: the file, to those who may see the report.
pub async fn download(
    State(st): State<AppState>,
    p: Page,
    Path((id, aid)): Path<(i64, i64)>,
) -> Result<Response, WebError> {
    let (a, bytes) = st
        .svc
        .attachment(&p.auth.actor, ReportId(id), AttachmentId(aid))
        .await
        .page(p.prefs.lang)?;
    Ok(attachment_response(&a, bytes))
}

/// A download: always `application/octet-stream` as an attachment, so nothing
/// uploaded is ever rendered by the browser.
pub(crate) fn attachment_response(a: &mamori_store::Attachment, bytes: Vec<u8>) -> Response {
    let safe: String = a
        .name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    (
        [
            (header::CONTENT_TYPE, "application/octet-stream".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{safe}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// The receiving bodies a reporter may choose, grouped by [`Body`], each
/// group with the guideline's advice; the value is `body:org`.
fn body_choices(
    lang: Lang,
    bodies: &[(Body, Vec<Org>)],
    g: &Guidance,
    chosen: &[String],
) -> String {
    bodies
        .iter()
        .map(|(b, orgs)| {
            let items: String = orgs
                .iter()
                .map(|o| {
                    let value = format!("{}:{}", b.code(), o.id.0);
                    format!(
                        r#"<li><input type="checkbox" id="to-{o}" name="to" value="{value}"{c}><label class="choice" for="to-{o}">{n}</label></li>"#,
                        o = o.id.0,
                        c = if chosen.contains(&value) { " checked" } else { "" },
                        n = esc(&o.name),
                    )
                })
                .collect();
            let advice = g
                .bodies
                .iter()
                .find(|a| a.body == *b)
                .map_or(String::new(), |a| body_advice(lang, a));
            format!(
                r#"<fieldset class="question" id="choose-{code}"><legend>{name}</legend>{advice}<ul class="choices">{items}</ul></fieldset>"#,
                code = b.code(),
                name = esc(b.text().get(lang)),
            )
        })
        .collect()
}

/// `body:org` back to a recipient.
fn parse_to(v: &str) -> Option<SubmitTo> {
    let (b, o) = v.split_once(':')?;
    Some(SubmitTo {
        body: Body::parse(b)?,
        org: Some(mamori_store::OrgId(o.parse().ok()?)),
    })
}

/// `GET /reports/{id}/submit`: what is missing, the advice, and the choice of
/// bodies (nothing ticked in advance).
pub async fn submit_form(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    let lang = p.prefs.lang;
    let Some(v) = draft_view(&st, &p, id).await? else {
        return Ok(Redirect::to(&format!("/reports/{id}")).into_response());
    };
    let bodies = st.svc.receiving_bodies().await.page(lang)?;
    Ok(render(
        &p,
        t(lang, "送信の確認", "Review and send"),
        &submit_body(&p, &v, &bodies, &[], None),
    )
    .into_response())
}

fn submit_body(
    p: &Page,
    v: &ReportView,
    bodies: &[(Body, Vec<Org>)],
    chosen: &[String],
    error: Option<&str>,
) -> String {
    let lang = p.prefs.lang;
    let id = v.report.id.0;
    let g = &v.guidance;
    let missing: Vec<String> = v
        .answers
        .missing_for_report()
        .iter()
        .map(|q| {
            let step = questions()
                .iter()
                .position(|x| x.id == q.id)
                .map_or(1, |i| i + 2);
            format!(
                r#"<li><a href="/reports/{id}/edit?step={step}">{}</a></li>"#,
                esc(q.text.get(lang))
            )
        })
        .collect();
    let missing_html = if missing.is_empty() {
        String::new()
    } else {
        format!(
            r#"<div class="notice" id="missing"><p>{}</p><ul>{}</ul></div>"#,
            t(
                lang,
                "届出（被害の届出）として送るには、次の質問への回答が必要です。相談として送ることはできます。",
                "To send this as a report, answer these questions. You can still send it as a consultation."
            ),
            missing.concat()
        )
    };
    let err = error.map_or(String::new(), alert);
    let urgent = if g.urgent.is_some() {
        guidance_panel(lang, g)
    } else {
        String::new()
    };
    format!(
        r#"{err}{urgent}<p><a href="/reports/{id}/edit">{back}</a></p>{missing_html}
<form method="post" action="/reports/{id}/submit">{csrf}
<h2>{choose}</h2><p>{choose_help}</p>{choices}
<fieldset class="question"><legend>{kind_l}</legend><ul class="choices">
<li><input type="radio" id="kind-report" name="kind" value="report"{is_report}><label class="choice" for="kind-report">{k_report}</label></li>
<li><input type="radio" id="kind-consultation" name="kind" value="consultation"{is_consult}><label class="choice" for="kind-consultation">{k_consult}</label></li></ul></fieldset>
<p><input type="checkbox" id="confirm" name="confirm" value="yes" required class="check"> <label class="choice" for="confirm">{confirm}</label></p>
<button type="submit">{send}</button></form>"#,
        back = t(lang, "← 回答に戻る", "← Back to the answers"),
        csrf = csrf_field(p.csrf()),
        choose = t(lang, "届出先を選んでください", "Choose where to send it"),
        choose_help = t(
            lang,
            "選んだ機関にだけ送られます。各機関の横に、回答から作った案内を表示しています。",
            "It goes only to the bodies you tick. Beside each is the advice made from your answers."
        ),
        choices = body_choices(lang, bodies, g, chosen),
        kind_l = t(lang, "送り方", "Send as"),
        is_report = if v.report.kind == ReportKind::Consultation {
            ""
        } else {
            " checked"
        },
        is_consult = if v.report.kind == ReportKind::Consultation {
            " checked"
        } else {
            ""
        },
        k_report = t(lang, "届出・通報として送る", "A report / notification"),
        k_consult = t(lang, "相談として送る", "A consultation"),
        confirm = t(
            lang,
            "内容を確認しました。選んだ機関に送ることに同意します。",
            "I have checked the content and agree to send it to the bodies I chose."
        ),
        send = t(lang, "送信する", "Send"),
    )
}

/// `POST /reports/{id}/submit`: sends the draft to the chosen bodies.
pub async fn submit(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let lang = p.prefs.lang;
    p.check_csrf(field(&pairs, "csrf"))?;
    let chosen: Vec<String> = pairs
        .iter()
        .filter(|(k, _)| k == "to")
        .map(|(_, v)| v.clone())
        .collect();
    let to: Vec<SubmitTo> = chosen.iter().filter_map(|v| parse_to(v)).collect();
    let confirmed = field(&pairs, "confirm") == "yes";
    let kind = if field(&pairs, "kind") == "consultation" {
        ReportKind::Consultation
    } else {
        ReportKind::Report
    };
    let v = report_view(&st, &p, id).await?;
    let problem = if to.is_empty() {
        Some(
            ServiceError::Invalid(mamori_service::codes::NO_BODY)
                .text()
                .get(lang)
                .to_string(),
        )
    } else if !confirmed {
        Some(
            t(
                lang,
                "確認のチェックを入れてください。",
                "Tick the confirmation box.",
            )
            .to_string(),
        )
    } else {
        None
    };
    let problem = match problem {
        Some(m) => Some(m),
        None => {
            if v.report.kind != kind {
                let input = DraftInput {
                    kind: Some(kind),
                    title: v.report.title.clone(),
                    answers: v.answers.clone(),
                };
                st.svc
                    .save_draft(&p.auth.actor, ReportId(id), input)
                    .await
                    .page(lang)?;
            }
            match st.svc.submit_report(&p.auth.actor, ReportId(id), &to).await {
                Ok(_) => None,
                Err(e @ (ServiceError::Invalid(_) | ServiceError::InvalidAnswers { .. })) => {
                    Some(e.text().get(lang).to_string())
                }
                Err(e) => return Err(e).page(lang),
            }
        }
    };
    match problem {
        None => Ok(Redirect::to(&format!("/reports/{id}?sent=1")).into_response()),
        Some(msg) => {
            let v = report_view(&st, &p, id).await?;
            let bodies = st.svc.receiving_bodies().await.page(lang)?;
            let html = render(
                &p,
                t(lang, "送信の確認", "Review and send"),
                &submit_body(&p, &v, &bodies, &chosen, Some(&msg)),
            );
            Ok((StatusCode::BAD_REQUEST, html).into_response())
        }
    }
}

/// `?sent=1` after submitting.
#[derive(Debug, Deserialize)]
pub struct ShowQuery {
    sent: Option<String>,
}

/// `GET /reports/{id}`: the report, each body's status, the whole history
/// (entries the reporter may read), messages and referral proposals.
pub async fn show(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<i64>,
    Query(q): Query<ShowQuery>,
) -> Result<Response, WebError> {
    let lang = p.prefs.lang;
    let v = report_view(&st, &p, id).await?;
    if v.report.status == ReportStatus::Draft {
        return Ok(Redirect::to(&format!("/reports/{id}/edit")).into_response());
    }
    let csrf = csrf_field(p.csrf());
    let sent = if q.sent.is_some() {
        notice(t(
            lang,
            "送信しました。各機関の対応状況はこのページで確認できます。",
            "Sent. Follow each body's handling on this page.",
        ))
    } else {
        String::new()
    };
    let cases: String = v
        .cases
        .iter()
        .map(|c| {
            format!(
                r#"<tr><td>{}</td><td>{}</td><td>{}</td></tr>"#,
                esc(&c.body_name),
                case_status(lang, c.case.status),
                esc(&case_result(lang, &c.case))
            )
        })
        .collect();
    let referrals: String = v
        .referrals
        .iter()
        .filter(|r| r.referral.status == ReferralStatus::Proposed)
        .map(|r| {
            format!(
                r#"<div class="notice" id="referral-{rid}"><p><strong>{from}</strong> {proposes} <strong>{to}</strong></p><p>{why}</p>
<form method="post" action="/reports/{id}/referrals/{rid}" class="inline">{csrf}<button type="submit" name="decision" value="consent">{yes}</button> <button type="submit" name="decision" value="decline" class="secondary">{no}</button></form></div>"#,
                rid = r.referral.id.0,
                from = esc(&r.from_body),
                proposes = t(lang, "から次の機関への回付（引継ぎ）が提案されています：", "proposes to refer this report to"),
                to = esc(&r.target_name),
                why = esc(&r.referral.text),
                yes = t(lang, "回付に同意する", "Consent to the referral"),
                no = t(lang, "辞退する", "Decline"),
            )
        })
        .collect();
    let timeline = timeline(lang, &v);
    let msg_targets: String = v
        .cases
        .iter()
        .filter(|c| !c.case.status.is_final())
        .map(|c| {
            format!(
                r#"<option value="{}">{}</option>"#,
                c.case.id.0,
                esc(&c.body_name)
            )
        })
        .collect();
    let message_form = if msg_targets.is_empty() {
        String::new()
    } else {
        format!(
            r#"<h2>{h}</h2><form method="post" action="/reports/{id}/messages">{csrf}
<label for="msg-case">{to}</label><select id="msg-case" name="case">{msg_targets}</select>
<label for="msg-text">{text}</label><textarea id="msg-text" name="text" rows="4" maxlength="20000" required></textarea>
<button type="submit">{send}</button></form>"#,
            h = t(lang, "機関へのメッセージ", "Write to a body"),
            to = t(lang, "宛先", "To"),
            text = t(lang, "メッセージ", "Message"),
            send = t(lang, "送る", "Send"),
        )
    };
    let answers = answers_list(lang, &v.answers);
    let body = format!(
        r#"{sent}{referrals}<p>{kind_l}: {kind} · {status_l}: {status}</p>
<table id="cases"><caption>{cap}</caption><tr><th scope="col">{b}</th><th scope="col">{s}</th><th scope="col">{r}</th></tr>{cases}</table>
<h2>{hist}</h2>{timeline}{message_form}
<h2>{content}</h2><dl class="answers">{answers}</dl>
<h2 id="attachments-h">{att}</h2>{atts}
<form method="post" action="/reports/{id}/attachments?csrf={tok}" enctype="multipart/form-data">
<label for="file">{fl}</label><input id="file" name="file" type="file" required>
<button type="submit" class="secondary">{up}</button></form>"#,
        tok = esc(p.csrf()),
        fl = t(
            lang,
            "ファイルを追加する（ログ、証拠バンドルなど）",
            "Add a file (logs, evidence bundles, …)"
        ),
        up = t(lang, "添付する", "Attach"),
        kind_l = t(lang, "種別", "Kind"),
        kind = report_kind(lang, v.report.kind),
        status_l = t(lang, "状態", "Status"),
        status = report_status(lang, v.report.status),
        cap = t(lang, "届出先ごとの状況", "Status at each body"),
        b = t(lang, "機関", "Body"),
        s = t(lang, "状況", "Status"),
        r = t(lang, "理由・結果", "Reason / outcome"),
        hist = t(lang, "経過（すべての機関）", "History (all bodies)"),
        content = t(lang, "報告の内容", "What you reported"),
        att = t(lang, "添付ファイル", "Attachments"),
        atts = attachments_table(lang, &format!("/reports/{id}"), &v.attachments),
    );
    Ok(render(&p, &v.report.title, &body).into_response())
}

/// A case's not-accepted reason or closing outcome, with the body's text.
pub(crate) fn case_result(lang: Lang, c: &mamori_store::Case) -> String {
    use mamori_core::guideline::{NotAcceptedReason, Outcome};
    let typed = c
        .reason
        .as_deref()
        .and_then(NotAcceptedReason::parse)
        .map(|r| r.label(lang))
        .or_else(|| {
            c.outcome
                .as_deref()
                .and_then(Outcome::parse)
                .map(|o| o.label(lang))
        });
    match (typed, c.reason_text.is_empty()) {
        (Some(t), true) => t.to_string(),
        (Some(t), false) => format!("{t} — {}", c.reason_text),
        (None, _) => c.reason_text.clone(),
    }
}

/// The history as a list, oldest first, with who and which body.
pub(crate) fn timeline(lang: Lang, v: &ReportView) -> String {
    let items: String = v
        .events
        .iter()
        .map(|ev| {
            let e = &ev.event;
            let body = ev
                .body_name
                .as_deref()
                .map(|b| format!(r#" <span class="tag">{}</span>"#, esc(b)))
                .unwrap_or_default();
            let text = if e.text.is_empty() {
                String::new()
            } else {
                format!("<p>{}</p>", esc(&e.text))
            };
            format!(
                r#"<li class="ev-{k}"><strong>{what}</strong>{body} — {at}{who}{text}</li>"#,
                k = e.kind.as_str(),
                what = event_kind(lang, e.kind),
                at = when(lang, e.at),
                who = ev
                    .actor_name
                    .as_deref()
                    .map(|u| format!(" · {}", esc(u)))
                    .unwrap_or_default(),
            )
        })
        .collect();
    format!(r#"<ol class="timeline" id="history">{items}</ol>"#)
}

/// The reporter's message form.
#[derive(Debug, Deserialize)]
pub struct MessageForm {
    csrf: String,
    case: i64,
    text: String,
}

/// `POST /reports/{id}/messages`: the reporter writes to one body.
pub async fn message(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<i64>,
    Form(f): Form<MessageForm>,
) -> Result<Response, WebError> {
    p.check_csrf(&f.csrf)?;
    st.svc
        .message_body(&p.auth.actor, ReportId(id), CaseId(f.case), &f.text)
        .await
        .page(p.prefs.lang)?;
    Ok(Redirect::to(&format!("/reports/{id}#history")).into_response())
}

/// The referral decision form.
#[derive(Debug, Deserialize)]
pub struct DecisionForm {
    csrf: String,
    decision: String,
}

/// `POST /reports/{id}/referrals/{rid}`: the reporter consents or declines.
pub async fn decide(
    State(st): State<AppState>,
    p: Page,
    Path((id, rid)): Path<(i64, i64)>,
    Form(f): Form<DecisionForm>,
) -> Result<Response, WebError> {
    p.check_csrf(&f.csrf)?;
    st.svc
        .decide_referral(
            &p.auth.actor,
            ReportId(id),
            ReferralId(rid),
            f.decision == "consent",
        )
        .await
        .page(p.prefs.lang)?;
    Ok(Redirect::to(&format!("/reports/{id}#history")).into_response())
}
