//! Body staff's pages: `/cases`, the body's queue with filters, full-text
//! search (Japanese too) and paging; `/cases/{id}`, one case with the report,
//! attachments, the history across bodies and every action (accept, not
//! accept, in progress, assign, due date, note, message, checklist, referral,
//! close).

use crate::AppState;
use crate::error::{WebError, WebResult};
use crate::extract::Page;
use crate::html::{
    alert, answers_list, attachments_table, case_status, csrf_field, esc, notice, options,
    report_kind, t, when,
};
use crate::pages::render;
use crate::report_pages::{attachment_response, timeline};
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use mamori_core::Lang;
use mamori_core::guideline::{Body, NotAcceptedReason, Outcome};
use mamori_core::taxonomy::{Act, Sector};
use mamori_service::ServiceError;
use mamori_service::cases::QueueFilter;
use mamori_service::intake::{CaseView, ReportView, SubmitTo};
use mamori_store::{AttachmentId, CaseId, CaseStatus, UserId};
use serde::Deserialize;

/// Rows per queue page.
const PAGE: i64 = 50;

/// The queue's filters, from the query string.
#[derive(Debug, Default, Deserialize)]
pub struct QueueQuery {
    #[serde(default)]
    status: String,
    #[serde(default)]
    act: String,
    #[serde(default)]
    sector: String,
    #[serde(default)]
    assignee: String,
    #[serde(default)]
    overdue: String,
    #[serde(default)]
    q: String,
    before: Option<i64>,
}

impl QueueQuery {
    fn to_filter(&self) -> QueueFilter {
        QueueFilter {
            statuses: CaseStatus::parse(&self.status).into_iter().collect(),
            act: Act::parse(&self.act),
            sector: Sector::parse(&self.sector),
            assignee: self.assignee.parse().ok().map(UserId),
            overdue: self.overdue == "1",
            text: Some(self.q.trim().to_string()).filter(|s| !s.is_empty()),
            before: self.before.map(CaseId),
            limit: Some(PAGE),
        }
    }

    /// The query string of these filters (for the next-page link).
    fn qs(&self) -> String {
        let enc = |s: &str| -> String {
            s.bytes()
                .map(|b| match b {
                    b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                        (b as char).to_string()
                    }
                    _ => format!("%{b:02X}"),
                })
                .collect()
        };
        format!(
            "status={}&amp;act={}&amp;sector={}&amp;assignee={}&amp;overdue={}&amp;q={}",
            enc(&self.status),
            enc(&self.act),
            enc(&self.sector),
            enc(&self.assignee),
            enc(&self.overdue),
            enc(&self.q)
        )
    }
}

/// `GET /cases`: the body's queue.
pub async fn queue(
    State(st): State<AppState>,
    p: Page,
    Query(q): Query<QueueQuery>,
) -> Result<Response, WebError> {
    let lang = p.prefs.lang;
    let page = st
        .svc
        .case_queue(&p.auth.actor, &q.to_filter())
        .await
        .page(lang)?;
    let people = st.svc.assignable(&p.auth.actor).await.page(lang)?;
    let name_of = |u: UserId| {
        people
            .iter()
            .find(|x| x.id == u)
            .map_or_else(|| format!("#{}", u.0), |x| x.display_name.clone())
    };
    let rows: String = page
        .rows
        .iter()
        .map(|r| {
            let acts: Vec<&str> = r
                .facets
                .acts
                .iter()
                .map(|a| Act::parse(a).map_or(a.as_str(), |x| x.label(lang)))
                .collect();
            format!(
                r#"<tr><td><a href="/cases/{id}">#{id} {title}</a><br><span class="muted">{from}</span></td><td class="nowrap">{status}</td><td class="nowrap">{kind}</td><td>{acts}</td><td>{sub}</td><td>{assignee}</td><td>{due}{late}</td></tr>"#,
                id = r.case.id.0,
                title = esc(&r.title),
                from = r
                    .reporter_name
                    .as_deref()
                    .map_or_else(|| t(lang, "匿名の相談", "anonymous").to_string(), esc),
                late = if r.case.is_overdue(page.as_of) {
                    format!(
                        r#" <strong class="overdue">{}</strong>"#,
                        t(lang, "期限超過", "overdue")
                    )
                } else {
                    String::new()
                },
                status = case_status(lang, r.case.status),
                kind = report_kind(lang, r.kind),
                acts = esc(&acts.join("、")),
                sub = r.submitted_at.map_or(String::new(), |d| when(lang, d)),
                assignee = r.case.assignee.map_or("—".to_string(), |u| esc(&name_of(u))),
                due = r.case.due_at.map_or(String::new(), |d| when(lang, d)),
            )
        })
        .collect();
    let statuses: Vec<(String, String)> =
        std::iter::once((String::new(), t(lang, "すべて", "All").to_string()))
            .chain(
                CaseStatus::ALL
                    .iter()
                    .map(|s| (s.as_str().to_string(), case_status(lang, *s).to_string())),
            )
            .collect();
    let acts: Vec<(String, String)> =
        std::iter::once((String::new(), t(lang, "すべて", "All").to_string()))
            .chain(
                Act::ALL
                    .iter()
                    .map(|a| (a.code().to_string(), a.label(lang).to_string())),
            )
            .collect();
    let sectors: Vec<(String, String)> =
        std::iter::once((String::new(), t(lang, "すべて", "All").to_string()))
            .chain(
                Sector::ALL
                    .iter()
                    .map(|a| (a.code().to_string(), a.label(lang).to_string())),
            )
            .collect();
    let staff: Vec<(String, String)> =
        std::iter::once((String::new(), t(lang, "すべて", "All").to_string()))
            .chain(
                people
                    .iter()
                    .map(|u| (u.id.0.to_string(), u.display_name.clone())),
            )
            .collect();
    let next = match page.next {
        Some(n) => format!(
            r#"<p><a href="/cases?{}&amp;before={}" rel="next">{}</a></p>"#,
            q.qs(),
            n.0,
            t(lang, "次のページ →", "Next page →")
        ),
        None => String::new(),
    };
    let first = if q.before.is_some() {
        format!(
            r#"<p><a href="/cases?{}">{}</a></p>"#,
            q.qs(),
            t(lang, "← 最初のページ", "← First page")
        )
    } else {
        String::new()
    };
    let body = format!(
        r#"<form method="get" action="/cases" class="filters" role="search">
<div><label for="f-q">{search}</label><input id="f-q" name="q" type="search" value="{qv}" placeholder="{ph}"></div>
<div><label for="f-status">{status}</label><select id="f-status" name="status">{statuses}</select></div>
<div><label for="f-act">{act}</label><select id="f-act" name="act">{acts}</select></div>
<div><label for="f-sector">{sector}</label><select id="f-sector" name="sector">{sectors}</select></div>
<div><label for="f-assignee">{assignee}</label><select id="f-assignee" name="assignee">{staff}</select></div>
<div><input type="checkbox" id="f-overdue" name="overdue" value="1"{od} class="check"> <label class="choice" for="f-overdue">{overdue}</label></div>
<div><button type="submit">{apply}</button></div></form>
<table class="stack" id="queue"><caption>{cap}</caption><tr><th scope="col">{h1}</th><th scope="col">{h2}</th><th scope="col">{h3}</th><th scope="col">{h4}</th><th scope="col">{h5}</th><th scope="col">{h6}</th><th scope="col">{h7}</th></tr>{rows}</table>
{empty}{first}{next}"#,
        search = t(lang, "全文検索", "Full-text search"),
        qv = esc(&q.q),
        ph = t(lang, "例：不正送金", "e.g. 不正送金"),
        status = t(lang, "状況", "Status"),
        statuses = options(&statuses, &q.status),
        act = t(lang, "行為類型", "Act"),
        acts = options(&acts, &q.act),
        sector = t(lang, "分野", "Sector"),
        sectors = options(&sectors, &q.sector),
        assignee = t(lang, "担当者", "Assignee"),
        staff = options(&staff, &q.assignee),
        od = if q.overdue == "1" { " checked" } else { "" },
        overdue = t(lang, "期限超過のみ", "Overdue only"),
        apply = t(lang, "絞り込む", "Filter"),
        cap = esc(&format!(
            "{} — {}",
            p.auth.actor.org.name,
            t(lang, "受付キュー（新しい順）", "case queue (newest first)")
        )),
        h1 = t(lang, "件名", "Title"),
        h2 = t(lang, "状況", "Status"),
        h3 = t(lang, "種別", "Kind"),
        h4 = t(lang, "行為類型", "Act"),
        h5 = t(lang, "受付日時", "Received"),
        h6 = t(lang, "担当者", "Assignee"),
        h7 = t(lang, "期限", "Due"),
        empty = if page.rows.is_empty() {
            format!(
                "<p>{}</p>",
                t(lang, "該当する案件はありません。", "No cases match.")
            )
        } else {
            String::new()
        },
    );
    Ok(render(&p, t(lang, "受付キュー", "Case queue"), &body).into_response())
}

/// `?done=…` after an action, `?error=…` for a refused one.
#[derive(Debug, Deserialize)]
pub struct CaseQuery {
    done: Option<String>,
}

/// Everything the case page shows.
struct CasePage {
    v: ReportView,
    staff: Vec<(UserId, String)>,
    targets: Vec<(String, String)>,
}

impl CasePage {
    fn own(&self) -> Option<&CaseView> {
        self.v.own_case()
    }
}

async fn load(st: &AppState, p: &Page, id: i64) -> Result<CasePage, WebError> {
    let lang = p.prefs.lang;
    let v = st
        .svc
        .case_report_view(&p.auth.actor, CaseId(id))
        .await
        .page(lang)?;
    let staff = st
        .svc
        .assignable(&p.auth.actor)
        .await
        .page(lang)?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect();
    let holding: Vec<mamori_store::OrgId> = v.cases.iter().map(|c| c.case.body).collect();
    let targets = st
        .svc
        .receiving_bodies()
        .await
        .page(lang)?
        .into_iter()
        .flat_map(|(b, orgs)| orgs.into_iter().map(move |o| (b, o)))
        .filter(|(_, o)| !holding.contains(&o.id))
        .map(|(b, o)| (format!("{}:{}", b.code(), o.id.0), o.name))
        .collect();
    Ok(CasePage { v, staff, targets })
}

/// `GET /cases/{id}`.
pub async fn show(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<i64>,
    Query(q): Query<CaseQuery>,
) -> Result<Response, WebError> {
    let lang = p.prefs.lang;
    let cp = load(&st, &p, id).await?;
    let msg = q.done.as_deref().map_or(String::new(), |_| {
        notice(t(lang, "記録しました。", "Recorded."))
    });
    Ok(render(&p, &case_title(lang, &cp), &case_body(&p, &cp, &msg)).into_response())
}

fn case_title(lang: Lang, cp: &CasePage) -> String {
    match cp.own() {
        Some(c) => format!(
            "#{} {} — {}",
            c.case.id.0,
            cp.v.report.title,
            case_status(lang, c.case.status)
        ),
        None => cp.v.report.title.clone(),
    }
}

fn case_body(p: &Page, cp: &CasePage, msg: &str) -> String {
    let lang = p.prefs.lang;
    let v = &cp.v;
    let Some(own) = cp.own() else {
        return String::new();
    };
    let c = &own.case;
    let id = c.id.0;
    let answers = answers_list(lang, &v.answers);
    let others: String = v
        .cases
        .iter()
        .filter(|x| !x.own)
        .map(|x| {
            format!(
                "<li>{}: {}</li>",
                esc(&x.body_name),
                case_status(lang, x.case.status)
            )
        })
        .collect();
    let facts = format!(
        r#"<dl><dt>{st_l}</dt><dd id="case-status">{st}</dd><dt>{rep_l}</dt><dd>{rep}</dd><dt>{as_l}</dt><dd>{asg}</dd><dt>{due_l}</dt><dd>{due}</dd><dt>{kind_l}</dt><dd>{kind}</dd>{others}</dl>"#,
        st_l = t(lang, "状況", "Status"),
        st = case_status(lang, c.status),
        rep_l = t(lang, "届出者", "Reporter"),
        rep = esc(&format!(
            "{} {}",
            v.org_name
                .as_deref()
                .unwrap_or(t(lang, "匿名の相談者", "anonymous")),
            v.author_name.as_deref().unwrap_or("")
        )),
        as_l = t(lang, "担当者", "Assignee"),
        asg = own.assignee_name.as_deref().map_or("—".into(), esc),
        due_l = t(lang, "期限", "Due"),
        due = c.due_at.map_or("—".into(), |d| when(lang, d)),
        kind_l = t(lang, "種別", "Kind"),
        kind = report_kind(lang, v.report.kind),
        others = if others.is_empty() {
            String::new()
        } else {
            format!(
                "<dt>{}</dt><dd><ul>{others}</ul></dd>",
                t(lang, "他機関での状況", "At other bodies")
            )
        },
    );
    let actions = if c.status.is_final() {
        String::new()
    } else {
        actions(p, cp, own)
    };
    // What was reported comes first, then what happened to it, then the forms
    // to act on it.
    format!(
        r#"{msg}{facts}
<section class="case-report" id="report" aria-labelledby="report-h"><h2 id="report-h">{content}</h2><dl class="answers">{answers}</dl>
<h3>{att}</h3>{atts}</section>
<h2>{hist}</h2>{timeline}{actions}<p><a href="/cases">{back}</a></p>"#,
        hist = t(
            lang,
            "経過（全機関・自機関の内部メモを含む）",
            "History (all bodies, with this body's internal notes)"
        ),
        timeline = timeline(lang, v),
        content = t(lang, "届出の内容", "The report"),
        att = t(lang, "添付ファイル", "Attachments"),
        atts = attachments_table(lang, &format!("/cases/{id}"), &v.attachments),
        back = t(lang, "← 受付キューへ", "← Back to the queue"),
    )
}

fn actions(p: &Page, cp: &CasePage, own: &CaseView) -> String {
    let lang = p.prefs.lang;
    let c = &own.case;
    let id = c.id.0;
    let csrf = csrf_field(p.csrf());
    let form = |action: &str, inner: String, button: &str, class: &str| {
        format!(
            r#"<form method="post" action="/cases/{id}/{action}" id="form-{action}">{csrf}{inner}<button type="submit"{class}>{button}</button></form>"#,
            class = if class.is_empty() {
                String::new()
            } else {
                format!(r#" class="{class}""#)
            },
        )
    };
    let mut out = String::new();
    if c.status == CaseStatus::Received {
        out.push_str(&form(
            "accept",
            String::new(),
            t(lang, "受理する", "Accept"),
            "",
        ));
        let reasons: Vec<(String, String)> = NotAcceptedReason::ALL
            .iter()
            .map(|r| (r.code().to_string(), r.text().get(lang).to_string()))
            .collect();
        out.push_str(&form(
            "not-accept",
            format!(
                r#"<label for="na-reason">{}</label><select id="na-reason" name="reason">{}</select><label for="na-text">{}</label><textarea id="na-text" name="text" rows="3" maxlength="20000"></textarea>"#,
                t(lang, "不受理の理由", "Reason for not accepting"),
                options(&reasons, ""),
                t(lang, "届出者への説明", "Explanation for the reporter"),
            ),
            t(lang, "不受理とする", "Do not accept"),
            "danger",
        ));
    }
    if c.status == CaseStatus::Accepted {
        out.push_str(&form(
            "progress",
            String::new(),
            t(lang, "対応中にする", "Mark in progress"),
            "",
        ));
    }
    let staff: Vec<(String, String)> = cp
        .staff
        .iter()
        .map(|(u, n)| (u.0.to_string(), n.clone()))
        .collect();
    out.push_str(&form(
        "assign",
        format!(
            r#"<label for="assignee">{}</label><select id="assignee" name="assignee"><option value="">—</option>{}</select>"#,
            t(lang, "担当者", "Assignee"),
            options(&staff, &c.assignee.map_or(String::new(), |u| u.0.to_string())),
        ),
        t(lang, "割り当てる", "Assign"),
        "secondary",
    ));
    let due_value = c.due_at.map_or(String::new(), |d| {
        let jst = d.to_offset(time::macros::offset!(+9));
        jst.format(time::macros::format_description!("[year]-[month]-[day]"))
            .unwrap_or_default()
    });
    out.push_str(&form(
        "due",
        format!(
            r#"<label for="due">{}</label><input id="due" name="due" type="date" value="{}">"#,
            t(lang, "期限（空欄で解除）", "Due date (empty to clear)"),
            esc(&due_value)
        ),
        t(lang, "期限を設定", "Set due date"),
        "secondary",
    ));
    out.push_str(&form(
        "note",
        format!(
            r#"<label for="note-text">{}</label><textarea id="note-text" name="text" rows="3" maxlength="20000" required></textarea><p><input type="checkbox" id="note-share" name="share" value="1" class="check"> <label class="choice" for="note-share">{}</label></p>"#,
            t(lang, "メモ（届出者には見えません）", "Note (the reporter never sees it)"),
            t(lang, "この届出を持つ他機関にも共有する", "Share with the other bodies holding this report"),
        ),
        t(lang, "メモを残す", "Add note"),
        "secondary",
    ));
    out.push_str(&form(
        "message",
        format!(
            r#"<label for="message-text">{}</label><textarea id="message-text" name="text" rows="3" maxlength="20000" required></textarea>"#,
            t(lang, "届出者へのメッセージ", "Message to the reporter")
        ),
        t(lang, "届出者に送る", "Send to the reporter"),
        "secondary",
    ));
    let items: String = own
        .checklist
        .iter()
        .map(|i| {
            format!(
                r#"<li><input type="checkbox" id="ck-{c}" name="item" value="{c}"{on}><label class="choice" for="ck-{c}">{l}</label></li>"#,
                c = esc(i.id),
                on = if i.done { " checked" } else { "" },
                l = esc(i.text.get(lang)),
            )
        })
        .collect();
    out.push_str(&form(
        "checklist",
        format!(
            r#"<fieldset class="question"><legend>{}</legend><ul class="choices" id="checklist">{items}</ul></fieldset>"#,
            t(lang, "完了前のチェックリスト", "Checklist before closing")
        ),
        t(lang, "チェックを保存", "Save checklist"),
        "secondary",
    ));
    if !cp.targets.is_empty() {
        out.push_str(&form(
            "refer",
            format!(
                r#"<label for="refer-to">{}</label><select id="refer-to" name="target">{}</select><label for="refer-text">{}</label><textarea id="refer-text" name="text" rows="3" maxlength="20000" required></textarea>"#,
                t(lang, "回付先（届出者の同意が必要です）", "Refer to (the reporter must consent)"),
                options(&cp.targets, ""),
                t(lang, "理由（届出者に表示されます）", "Reason (shown to the reporter)"),
            ),
            t(lang, "回付を提案する", "Propose referral"),
            "secondary",
        ));
    }
    if matches!(c.status, CaseStatus::Accepted | CaseStatus::InProgress) {
        let outcomes: Vec<(String, String)> = Outcome::for_body(own.body)
            .iter()
            .map(|o| (o.code().to_string(), o.text().get(lang).to_string()))
            .collect();
        out.push_str(&form(
            "close",
            format!(
                r#"<label for="outcome">{}</label><select id="outcome" name="outcome">{}</select><label for="close-text">{}</label><textarea id="close-text" name="text" rows="3" maxlength="20000"></textarea>"#,
                t(lang, "結果", "Outcome"),
                options(&outcomes, ""),
                t(lang, "結果の説明（届出者に表示されます）", "Closing note (shown to the reporter)"),
            ),
            t(lang, "完了にする", "Close the case"),
            "",
        ));
    }
    format!(
        r#"<section class="actions" aria-labelledby="act-h"><h2 id="act-h">{}</h2>{out}</section>"#,
        t(lang, "対応", "Actions")
    )
}

/// `POST /cases/{id}/{action}`: one form per action; the fields used depend on it.
pub async fn act(
    State(st): State<AppState>,
    p: Page,
    Path((id, action)): Path<(i64, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let lang = p.prefs.lang;
    let get = |k: &str| crate::intake_pages::field(&pairs, k).to_string();
    p.check_csrf(&get("csrf"))?;
    let svc = &st.svc;
    let actor = &p.auth.actor;
    let cid = CaseId(id);
    let result: Result<(), ServiceError> = match action.as_str() {
        "accept" => svc.accept_case(actor, cid).await.map(drop),
        "not-accept" => svc
            .not_accept_case(actor, cid, &get("reason"), &get("text"))
            .await
            .map(drop),
        "progress" => svc.start_case(actor, cid).await.map(drop),
        "assign" => svc
            .assign_case(actor, cid, get("assignee").parse().ok().map(UserId))
            .await
            .map(drop),
        "due" => svc
            .set_due(actor, cid, parse_date(&get("due")))
            .await
            .map(drop),
        "note" => svc
            .add_note(actor, cid, &get("text"), get("share") == "1")
            .await
            .map(drop),
        "message" => svc
            .message_reporter(actor, cid, &get("text"))
            .await
            .map(drop),
        "checklist" => tick(&st, &p, cid, &pairs).await,
        "refer" => match parse_target(&get("target")) {
            Some(to) => svc
                .propose_referral(actor, cid, to, &get("text"))
                .await
                .map(drop),
            None => Err(ServiceError::Invalid(
                mamori_service::codes::REFERRAL_TARGET,
            )),
        },
        "close" => svc
            .close_case(actor, cid, &get("outcome"), &get("text"))
            .await
            .map(drop),
        _ => Err(ServiceError::NotFound),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/cases/{id}?done={action}")).into_response()),
        Err(ServiceError::Invalid(code)) => {
            // Refused (e.g. the checklist is incomplete): the case page again,
            // with the reason at the top.
            let cp = load(&st, &p, id).await?;
            let msg = alert(ServiceError::Invalid(code).text().get(lang));
            let html = render(
                &p,
                &case_title(lang, &cp),
                &case_body(&p, &cp, &format!(r#"<div id="refused">{msg}</div>"#)),
            );
            Ok((StatusCode::BAD_REQUEST, html).into_response())
        }
        Err(e) => Err(e).page(lang),
    }
}

/// Saves the checklist form: ticks what was ticked, unticks the rest.
async fn tick(
    st: &AppState,
    p: &Page,
    id: CaseId,
    pairs: &[(String, String)],
) -> Result<(), ServiceError> {
    let v = st.svc.case_report_view(&p.auth.actor, id).await?;
    let Some(own) = v.own_case() else {
        return Err(ServiceError::NotFound);
    };
    for item in &own.checklist {
        let want = pairs.iter().any(|(k, v)| k == "item" && v == item.id);
        if want != item.done {
            st.svc
                .tick_checklist(&p.auth.actor, id, item.id, want)
                .await?;
        }
    }
    Ok(())
}

/// `body:org` of the referral form.
fn parse_target(v: &str) -> Option<SubmitTo> {
    let (b, o) = v.split_once(':')?;
    Some(SubmitTo {
        body: Body::parse(b)?,
        org: Some(mamori_store::OrgId(o.parse().ok()?)),
    })
}

fn parse_date(s: &str) -> Option<time::OffsetDateTime> {
    let d = time::Date::parse(
        s.trim(),
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .ok()?;
    // The end of that day in Japan.
    Some(
        d.with_hms(23, 59, 59)
            .ok()?
            .assume_offset(time::macros::offset!(+9)),
    )
}

/// `GET /cases/{id}/attachments/{aid}`.
pub async fn download(
    State(st): State<AppState>,
    p: Page,
    Path((id, aid)): Path<(i64, i64)>,
) -> Result<Response, WebError> {
    let (a, bytes) = st
        .svc
        .case_attachment(&p.auth.actor, CaseId(id), AttachmentId(aid))
        .await
        .page(p.prefs.lang)?;
    Ok(attachment_response(&a, bytes))
}
