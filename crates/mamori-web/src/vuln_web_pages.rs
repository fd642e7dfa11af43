//! Website cases (Ⅵ) on `/vuln/{id}` and `POST /vuln/{id}/{action}`: the same routes as
//! the product flow, chosen by the case's kind. Each party sees what `may_see_web` allows
//! (cut in the service) and gets the forms its commands need; the rules are the core's
//! (`WebsiteCase::apply`). Nothing here is ever public (Ⅵ 1.(4), 3.(3)).

use crate::AppState;
use crate::error::{WebError, WebResult};
use crate::extract::Page;
use crate::html::{alert, esc, t, when};
use crate::pages::render;
use crate::portal_pages::get;
use crate::vuln_pages::{
    area, consent_fields, consent_of, discoverer_row, field, form, party_name, reminders_section,
    select, stage_code_name, stop_fields, stop_reason, text, vuln_error,
};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use mamori_core::Lang;
use mamori_service::vuln_web::WebView;
use mamori_store::{OrgId, VulnCaseId};
use mamori_vuln::{Party, WebCommand, WebStage};

fn stage_text(lang: Lang, s: &WebStage) -> String {
    let extra = match s {
        WebStage::Refused { reason } => format!(" — {}", esc(reason)),
        WebStage::Stopped { reason, detail } => {
            format!(" — {} {}", esc(reason.text().get(lang)), esc(detail))
        }
        WebStage::Fixed { at } => format!(" — {}", when(lang, *at)),
        _ => String::new(),
    };
    format!(
        r#"<span id="stage">{}</span>{extra}"#,
        stage_code_name(lang, s.name())
    )
}

fn body(p: &Page, v: &WebView, orgs: &[(OrgId, String)], msg: &str) -> String {
    let lang = p.prefs.lang;
    let row = |k: &str, val: String| format!("<dt>{}</dt><dd>{val}</dd>", esc(k));
    let mut facts = vec![
        row(
            t(lang, "あなたの立場", "You act as"),
            esc(&party_name(lang, &v.party)),
        ),
        row(
            t(lang, "種別", "Kind"),
            esc(t(
                lang,
                "ウェブサイト（取扱基準 Ⅵ、公表されません）",
                "Website (standard Ⅵ; never published)",
            )),
        ),
    ];
    if let Some(s) = &v.stage {
        facts.push(row(t(lang, "状態", "Stage"), stage_text(lang, s)));
    }
    if let Some((name, url)) = &v.site {
        facts.push(row(
            t(lang, "ウェブサイト", "Website"),
            format!(r#"<span id="site">{} — {}</span>"#, esc(name), esc(url)),
        ));
    }
    if let Some(d) = &v.identity {
        facts.push(discoverer_row(lang, d));
    }
    if let Some(c) = &v.consent {
        facts.push(row(
            t(lang, "届出者の同意", "Discoverer's consent"),
            esc(&format!(
                "{}: {}",
                t(lang, "運営者へ", "to the operator"),
                c.to_developers
            )),
        ));
    }
    for (val, ja, en) in [
        (&v.nature, "脆弱性情報", "Nature"),
        (&v.verification, "検証方法", "Verification method"),
        (&v.attack, "攻撃方法", "Attack method"),
        (&v.operator_contact, "運営者の連絡先", "Operator's contact"),
        (
            &v.operator_org,
            "運営者の組織（アカウント）",
            "Operator organization (account)",
        ),
    ] {
        if let Some(x) = val {
            facts.push(row(t(lang, ja, en), esc(x)));
        }
    }
    if let Some(d) = v.disclosure {
        let (ja, en) = match d {
            mamori_vuln::Disclosure::Nothing => ("未通知", "nothing yet"),
            mamori_vuln::Disclosure::UrlOnly => ("URL のみ", "the URL only"),
            mamori_vuln::Disclosure::Details => ("詳細まで", "the details"),
        };
        facts.push(row(
            t(lang, "運営者に伝えた範囲", "Told to the operator"),
            esc(t(lang, ja, en)),
        ));
    }
    if let Some(b) = v.vulnerable {
        facts.push(row(
            t(lang, "運営者の検証結果", "Operator's result"),
            esc(if b {
                t(lang, "脆弱性あり", "vulnerable")
            } else {
                t(lang, "脆弱性なし", "not vulnerable")
            }),
        ));
    }
    if !v.statements.is_empty() {
        facts.push(row(
            t(lang, "運営者の説明", "Operator's statements"),
            esc(&v.statements.join(" / ")),
        ));
    }
    if let Some(l) = &v.leak {
        facts.push(row(
            t(
                lang,
                "個人情報の漏えい（Ⅵ 3.(4)）",
                "Personal-data leak (Ⅵ 3.(4))",
            ),
            esc(&format!(
                "{} — {}",
                l.detail,
                l.facts_published.clone().unwrap_or_else(|| {
                    t(lang, "事実関係は未公表", "facts not yet published").into()
                })
            )),
        ));
    }
    if !v.analysts.is_empty() {
        facts.push(row(
            t(lang, "分析依頼先（Ⅵ 2.(5)）", "Analysts (Ⅵ 2.(5))"),
            esc(&v.analysts.join(", ")),
        ));
    }
    let mut note = String::new();
    if v.party == Party::SiteOperator && v.nature.is_none() {
        note = format!(
            r#"<p id="url-only">{}</p>"#,
            t(
                lang,
                "このURLのウェブサイトに脆弱性の届出があります。詳細をお送りするため、まず連絡窓口を回答してください（Ⅵ 2.(2)）。",
                "A vulnerability was reported in the website at this URL. Answer with your contact window first; the details follow (Ⅵ 2.(2)).",
            )
        );
    }
    let history: String = v
        .history
        .iter()
        .map(|(at, by, clause, cmd)| {
            format!(
                "<li>{} — {} — {} [{}]</li>",
                esc(at),
                esc(&party_name(lang, by)),
                esc(cmd),
                esc(clause.code())
            )
        })
        .collect();
    format!(
        r#"{msg}<dl id="case-facts">{facts}</dl>{note}{rem}{actions}{hist}"#,
        facts = facts.concat(),
        rem = reminders_section(lang, &v.reminders),
        actions = actions(p, v, orgs),
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

fn actions(p: &Page, v: &WebView, orgs: &[(OrgId, String)]) -> String {
    let lang = p.prefs.lang;
    let (id, ver) = (v.id, v.version);
    let stage = v.stage.as_ref().map_or("", WebStage::name);
    let rb = v.party == Party::ReceivingBody;
    let operator_side = rb || v.party == Party::SiteOperator;
    let open = !matches!(stage, "refused" | "stopped" | "");
    let mut out = Vec::new();
    let f = |action: &str, inner: &str, button: &str| form(p, id, ver, action, inner, button);
    if rb && stage == "submitted" {
        out.push(f(
            "accept",
            "",
            t(lang, "受理する（Ⅵ 2.(1)）", "Accept (Ⅵ 2.(1))"),
        ));
        out.push(f(
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
    if rb && stage == "accepted" {
        let mut opts: Vec<(String, String)> = vec![(
            String::new(),
            t(
                lang,
                "アカウントなし（メールで連絡し、回答は受付機関が記録）",
                "No account (by mail; the receiving body records the answers)",
            )
            .into(),
        )];
        opts.extend(orgs.iter().map(|(o, n)| (o.0.to_string(), n.clone())));
        let opts: Vec<(&str, String)> = opts.iter().map(|(a, b)| (a.as_str(), b.clone())).collect();
        out.push(f(
            "notify_operator",
            &format!(
                "{}{}",
                field(
                    "contact",
                    t(lang, "運営者の連絡先（宛先）", "Operator's address"),
                    "text"
                ),
                select(
                    "operator_org",
                    t(
                        lang,
                        "運営者の組織（このアカウントの人が運営者として回答します）",
                        "Operator organization (its members answer as the operator)",
                    ),
                    &opts
                )
            ),
            t(
                lang,
                "運営者に URL のみ通知する（Ⅵ 2.(2)）",
                "Notify the operator of the URL only (Ⅵ 2.(2))",
            ),
        ));
    }
    if operator_side && stage == "operator_notified" {
        out.push(f(
            "operator_answered",
            &field(
                "contact_window",
                t(lang, "運営者の連絡窓口", "Operator's contact window"),
                "text",
            ),
            if rb {
                t(
                    lang,
                    "運営者の回答を記録する（運営者からのメール）",
                    "Record the operator's answer (from its mail)",
                )
            } else {
                t(
                    lang,
                    "回答する（連絡窓口を伝える）",
                    "Answer (give your contact window)",
                )
            },
        ));
    }
    if rb && stage == "operator_answered" {
        out.push(f(
            "send_details",
            "",
            t(
                lang,
                "運営者に詳細を送る（Ⅵ 2.(2)）",
                "Send the details to the operator (Ⅵ 2.(2))",
            ),
        ));
    }
    if operator_side && matches!(stage, "verifying" | "fixing") {
        out.push(f(
            "operator_result",
            &format!(
                "{}{}",
                select(
                    "vulnerable",
                    t(lang, "検証結果", "Result"),
                    &[
                        ("1", t(lang, "脆弱性あり", "vulnerable").into()),
                        ("0", t(lang, "脆弱性なし", "not vulnerable").into()),
                    ]
                ),
                area("statement", t(lang, "説明", "Statement"))
            ),
            t(
                lang,
                "検証結果を報告する（Ⅵ 3.(2)）",
                "Report the result (Ⅵ 3.(2))",
            ),
        ));
        out.push(f(
            "operator_fixed",
            &area("statement", t(lang, "修正の内容", "What was fixed")),
            t(
                lang,
                "修正したことを報告する（Ⅵ 3.(2)）",
                "Report the fix (Ⅵ 3.(2))",
            ),
        ));
    }
    if operator_side && !matches!(stage, "submitted" | "accepted") && open && v.leak.is_none() {
        out.push(f(
            "report_leak",
            &area("detail", t(lang, "漏えいした内容", "What leaked")),
            t(
                lang,
                "個人情報の漏えいを記録する（Ⅵ 3.(4)）",
                "Record a personal-data leak (Ⅵ 3.(4))",
            ),
        ));
    }
    if operator_side && v.leak.as_ref().is_some_and(|l| l.facts_published.is_none()) {
        out.push(f(
            "leak_facts",
            &field(
                "url",
                t(
                    lang,
                    "事実関係を公表した URL",
                    "Where the facts were published",
                ),
                "text",
            ),
            t(
                lang,
                "漏えいの事実関係を公表した（Ⅵ 3.(4)）",
                "The leak facts are published (Ⅵ 3.(4))",
            ),
        ));
    }
    if rb
        && matches!(
            stage,
            "accepted" | "operator_notified" | "operator_answered" | "verifying" | "fixing"
        )
    {
        out.push(f(
            "stop",
            &stop_fields(lang),
            t(lang, "取扱いを終える（Ⅵ 2.(2)）", "Stop handling (Ⅵ 2.(2))"),
        ));
    }
    if rb && open {
        out.push(f(
            "share",
            &field("analyst", t(lang, "分析の依頼先", "Analyst"), "text"),
            t(
                lang,
                "第三者に分析を依頼する（守秘のうえ、Ⅵ 2.(5)）",
                "Ask a third party to analyse (under confidentiality, Ⅵ 2.(5))",
            ),
        ));
    }
    if v.party == Party::Discoverer
        && let Some(c) = &v.consent
    {
        out.push(f(
            "consent",
            &consent_fields(lang, c, true),
            t(
                lang,
                "同意を変更する（Ⅵ 2.(4)）",
                "Change my consent (Ⅵ 2.(4))",
            ),
        ));
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

fn commands(action: &str, q: &[(String, String)]) -> Option<Vec<WebCommand>> {
    Some(vec![match action {
        "accept" => WebCommand::Accept,
        "refuse" => WebCommand::Refuse {
            reason: text(q, "reason"),
        },
        "stop" => WebCommand::Stop {
            reason: stop_reason(q)?,
            detail: text(q, "detail"),
        },
        "notify_operator" => WebCommand::NotifyOperator {
            contact: text(q, "contact"),
        },
        "operator_answered" => WebCommand::OperatorAnswered {
            contact_window: text(q, "contact_window"),
        },
        "send_details" => WebCommand::SendDetails,
        "operator_result" => WebCommand::OperatorResult {
            vulnerable: get(q, "vulnerable") == "1",
            statement: text(q, "statement"),
        },
        "operator_fixed" => WebCommand::OperatorFixed {
            statement: text(q, "statement"),
        },
        "report_leak" => WebCommand::ReportLeak {
            detail: text(q, "detail"),
        },
        "leak_facts" => WebCommand::LeakFactsPublished {
            url: text(q, "url"),
        },
        "share" => WebCommand::ShareForAnalysis {
            analyst: text(q, "analyst"),
        },
        "consent" => WebCommand::UpdateConsent {
            consent: consent_of(q),
        },
        _ => return None,
    }])
}

async fn page_of(
    st: &AppState,
    p: &Page,
    id: VulnCaseId,
    msg: &str,
) -> Result<(String, String), WebError> {
    let lang = p.prefs.lang;
    let a = &p.auth.actor;
    let v = st.svc.vuln_web_view(a, id).await.page(lang)?;
    let orgs = if v.party == Party::ReceivingBody {
        st.svc.vuln_operator_orgs(a).await.page(lang)?
    } else {
        Vec::new()
    };
    let title = format!(
        "{} #{}",
        t(
            lang,
            "脆弱性案件（ウェブサイト）",
            "Vulnerability case (website)"
        ),
        id.0
    );
    Ok((title, body(p, &v, &orgs, msg)))
}

/// `GET /vuln/{id}` for a website case.
pub(crate) async fn show(
    st: &AppState,
    p: &Page,
    id: VulnCaseId,
    msg: &str,
) -> Result<Response, WebError> {
    let (title, body) = page_of(st, p, id, msg).await?;
    Ok(render(p, &title, &body).into_response())
}

/// `POST /vuln/{id}/{action}` for a website case (CSRF checked by the caller).
pub(crate) async fn act(
    st: &AppState,
    p: &Page,
    id: VulnCaseId,
    action: &str,
    q: &[(String, String)],
) -> Result<Response, WebError> {
    let lang = p.prefs.lang;
    let a = &p.auth.actor;
    // Not a party: 404 before anything is parsed.
    st.svc.vuln_web_view(a, id).await.page(lang)?;
    let version: i64 = get(q, "version").parse().unwrap_or(0);
    let fail = |status: StatusCode, msg: String| async move {
        let (title, body) = page_of(st, p, id, &msg).await?;
        Ok::<Response, WebError>((status, render(p, &title, &body)).into_response())
    };
    let Some(cmds) = commands(action, q) else {
        return fail(
            StatusCode::UNPROCESSABLE_ENTITY,
            alert(t(lang, "入力が足りません。", "Some input is missing.")),
        )
        .await;
    };
    let link = get(q, "operator_org").parse().ok().map(OrgId);
    match st.svc.vuln_web_apply(a, id, version, cmds, link).await {
        Ok(Ok(_)) => Ok(Redirect::to(&format!("/vuln/{}?done=1", id.0)).into_response()),
        Ok(Err(e)) => fail(StatusCode::CONFLICT, vuln_error(lang, &e)).await,
        Err(e @ mamori_service::ServiceError::Invalid(_)) => {
            fail(StatusCode::CONFLICT, alert(e.text().get(lang))).await
        }
        Err(e) => Err(e).page(lang),
    }
}
