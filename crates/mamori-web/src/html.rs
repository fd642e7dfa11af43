//! The small template approach: `format!` with an escaping helper, one layout, no
//! JavaScript in the layout (the passkey pages add one script of their own). Japanese
//! first; every string has its English twin beside it.

use axum::response::Html;
use mamori_core::Lang;

/// Escapes text for HTML content and attribute values.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

/// Picks the text for the language.
pub fn t(lang: Lang, ja: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Ja => ja,
        Lang::En => en,
    }
}

/// Display preferences, from cookies.
#[derive(Debug, Clone, Copy)]
pub struct Prefs {
    /// Language.
    pub lang: Lang,
    /// Large-text mode.
    pub large: bool,
}

/// The signed-in part of the header.
#[derive(Debug)]
pub struct Nav<'a> {
    /// Display name.
    pub name: &'a str,
    /// Is a platform administrator.
    pub admin: bool,
    /// CSRF token for the sign-out form.
    pub csrf: &'a str,
    /// Files reports for their organization (shows 報告).
    pub reporter: bool,
    /// Works cases at a receiving body (shows 受付キュー).
    pub body_staff: bool,
}

/// A hidden CSRF field.
pub fn csrf_field(token: &str) -> String {
    format!(
        r#"<input type="hidden" name="csrf" value="{}">"#,
        esc(token)
    )
}

/// A status notice (`role="status"`), for "saved", "sent" and the like.
pub fn notice(msg: &str) -> String {
    format!(r#"<p class="notice" role="status">{}</p>"#, esc(msg))
}

/// An error box (`role="alert"`).
pub fn alert(msg: &str) -> String {
    format!(r#"<div class="error" role="alert">{}</div>"#, esc(msg))
}

/// A date and time in Japan Standard Time, as every page shows them.
pub fn when(lang: Lang, at: time::OffsetDateTime) -> String {
    let jst = at.to_offset(time::macros::offset!(+9));
    let f = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]");
    format!(
        "{} {}",
        jst.format(&f).unwrap_or_default(),
        t(lang, "(日本時間)", "(JST)")
    )
}

/// A byte count for people (`12.3 KB`).
pub fn size(bytes: u64) -> String {
    if bytes < 1024 {
        format!("{bytes} B")
    } else if bytes < 1024 * 1024 {
        format!("{:.1} KB", bytes as f64 / 1024.0)
    } else {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    }
}

/// `<option>`s of `(value, label)` pairs with `selected` marked.
pub fn options(items: &[(String, String)], selected: &str) -> String {
    items
        .iter()
        .map(|(v, l)| {
            format!(
                r#"<option value="{}"{}>{}</option>"#,
                esc(v),
                if v == selected { " selected" } else { "" },
                esc(l)
            )
        })
        .collect()
}

/// The answered questions as `<dt>`/`<dd>` pairs (choices in the reader's
/// language, several values joined with "、"), for a `<dl>`.
pub fn answers_list(lang: Lang, a: &mamori_core::intake::Answers) -> String {
    mamori_core::intake::questions()
        .iter()
        .filter(|q| a.answered(q.id))
        .map(|q| {
            let vals: Vec<String> = a
                .get(q.id)
                .iter()
                .map(|x| esc(q.choice(x).map_or(x.as_str(), |c| c.text.get(lang))))
                .collect();
            format!(
                "<dt>{}</dt><dd>{}</dd>",
                esc(q.text.get(lang)),
                vals.join("、")
            )
        })
        .collect()
}

/// One intake question as form controls: a `fieldset` with its `legend` for
/// choices, a labelled input or textarea for text; the help text is tied to
/// the control with `aria-describedby`, an error is shown in place. `for_report`
/// marks the questions a 届出 cannot be sent without (not on the anonymous
/// consultation, where nothing is required).
pub fn question_field(
    lang: Lang,
    q: &mamori_core::intake::Question,
    values: &[String],
    error: Option<&str>,
    for_report: bool,
) -> String {
    use mamori_core::intake::QuestionKind;
    let id = esc(q.id);
    let help = q.help.get(lang);
    let help_html = if help.is_empty() {
        String::new()
    } else {
        format!(r#"<p class="help" id="help-{id}">{}</p>"#, esc(help))
    };
    let err_html = error.map_or(String::new(), |e| {
        format!(
            r#"<p class="field-error" id="err-{id}" role="alert">{}</p>"#,
            esc(e)
        )
    });
    let mut describedby = Vec::new();
    if !help.is_empty() {
        describedby.push(format!("help-{id}"));
    }
    if error.is_some() {
        describedby.push(format!("err-{id}"));
    }
    let described = if describedby.is_empty() {
        String::new()
    } else {
        format!(r#" aria-describedby="{}""#, describedby.join(" "))
    };
    let invalid = if error.is_some() {
        r#" aria-invalid="true""#
    } else {
        ""
    };
    let req = if for_report && q.required_for_report {
        format!(
            r#" <span class="req">{}</span>"#,
            t(lang, "（届出に必須）", "(required to report)")
        )
    } else {
        String::new()
    };
    let first = values.first().map_or("", String::as_str);
    let class = if error.is_some() {
        "question has-error"
    } else {
        "question"
    };
    match q.kind {
        QuestionKind::One | QuestionKind::Many | QuestionKind::YesNo => {
            let multi = q.kind == QuestionKind::Many;
            let yes_no = [
                ("yes", t(lang, "はい", "Yes")),
                ("no", t(lang, "いいえ", "No")),
            ];
            let choices: Vec<(&str, &str)> =
                if q.options.is_empty() && q.kind == QuestionKind::YesNo {
                    yes_no.to_vec()
                } else {
                    q.options.iter().map(|c| (c.id, c.text.get(lang))).collect()
                };
            let items: String = choices
                .iter()
                .map(|(cid, label)| {
                    let checked = if values.iter().any(|v| v == cid) {
                        " checked"
                    } else {
                        ""
                    };
                    format!(
                        r#"<li><input type="{ty}" id="q-{id}-{c}" name="{id}" value="{c}"{checked}{invalid}><label class="choice" for="q-{id}-{c}">{label}</label></li>"#,
                        ty = if multi { "checkbox" } else { "radio" },
                        c = esc(cid),
                        label = esc(label),
                    )
                })
                .collect();
            let hint = if multi {
                format!(
                    r#" <span class="hint">{}</span>"#,
                    t(lang, "（複数選択できます）", "(choose any)")
                )
            } else {
                String::new()
            };
            format!(
                r#"<fieldset class="{class}" id="question-{id}"{described}><legend>{text}{req}{hint}</legend>{help_html}{err_html}<ul class="choices">{items}</ul></fieldset>"#,
                text = esc(q.text.get(lang)),
            )
        }
        QuestionKind::ShortText | QuestionKind::DateTime => {
            // A date-time is typed as text: the scan's RFC 3339 times and a bare
            // date both stay visible (a datetime-local input would drop them).
            let ty = if q.kind == QuestionKind::DateTime {
                r#" inputmode="numeric" autocomplete="off""#
            } else {
                ""
            };
            format!(
                r#"<div class="{class}" id="question-{id}"><label for="q-{id}">{text}{req}</label>{help_html}{err_html}<input id="q-{id}" name="{id}"{ty} value="{v}" maxlength="500"{described}{invalid}></div>"#,
                text = esc(q.text.get(lang)),
                v = esc(first),
            )
        }
        QuestionKind::LongText => format!(
            r#"<div class="{class}" id="question-{id}"><label for="q-{id}">{text}{req}</label>{help_html}{err_html}<textarea id="q-{id}" name="{id}" rows="6" maxlength="20000"{described}{invalid}>{v}</textarea></div>"#,
            text = esc(q.text.get(lang)),
            v = esc(first),
        ),
    }
}

/// A case's status in words.
pub fn case_status(lang: Lang, s: mamori_store::CaseStatus) -> &'static str {
    use mamori_store::CaseStatus as S;
    match s {
        S::Received => t(lang, "受付待ち", "Received"),
        S::Accepted => t(lang, "受理", "Accepted"),
        S::NotAccepted => t(lang, "不受理", "Not accepted"),
        S::InProgress => t(lang, "対応中", "In progress"),
        S::Closed => t(lang, "完了", "Closed"),
    }
}

/// A report's status in words.
pub fn report_status(lang: Lang, s: mamori_store::ReportStatus) -> &'static str {
    use mamori_store::ReportStatus as S;
    match s {
        S::Draft => t(lang, "下書き", "Draft"),
        S::Submitted => t(lang, "送信済み", "Submitted"),
        S::Withdrawn => t(lang, "取り下げ", "Withdrawn"),
    }
}

/// A report's kind in words.
pub fn report_kind(lang: Lang, k: mamori_store::ReportKind) -> &'static str {
    use mamori_store::ReportKind as K;
    match k {
        K::Consultation => t(lang, "相談", "Consultation"),
        K::Report => t(lang, "届出", "Report"),
        K::Notification => t(lang, "通報", "Notification"),
    }
}

/// A history entry's kind in words.
pub fn event_kind(lang: Lang, k: mamori_store::EventKind) -> &'static str {
    use mamori_store::EventKind as E;
    match k {
        E::Created => t(lang, "下書きを作成", "Draft created"),
        E::Submitted => t(lang, "送信", "Sent"),
        E::Accepted => t(lang, "受理", "Accepted"),
        E::NotAccepted => t(lang, "不受理", "Not accepted"),
        E::StatusChanged => t(lang, "状態の変更", "Status changed"),
        E::Assigned => t(lang, "担当者の割当て", "Assigned"),
        E::DueSet => t(lang, "期限の設定", "Due date set"),
        E::MessageToReporter => t(lang, "機関からのメッセージ", "Message from the body"),
        E::MessageFromReporter => t(lang, "届出者からのメッセージ", "Message from the reporter"),
        E::Note => t(lang, "内部メモ", "Internal note"),
        E::ReferralProposed => t(lang, "他機関への回付の提案", "Referral proposed"),
        E::ReferralConsented => t(lang, "回付に同意", "Referral consented"),
        E::ReferralDeclined => t(lang, "回付を辞退", "Referral declined"),
        E::Referred => t(lang, "回付により受付", "Received by referral"),
        E::ChecklistTicked => t(lang, "チェックリスト", "Checklist"),
        E::Closed => t(lang, "完了", "Closed"),
        E::AttachmentAdded => t(lang, "添付ファイルの追加", "File attached"),
        E::Withdrawn => t(lang, "取り下げ", "Withdrawn"),
    }
}

/// An attachment's verification verdict in words.
pub fn verdict(lang: Lang, v: mamori_store::Verdict) -> &'static str {
    use mamori_store::Verdict as V;
    match v {
        V::NotApplicable => t(
            lang,
            "検証対象外（ハッシュ値を記録）",
            "Nothing to verify (hashes recorded)",
        ),
        V::Verified => t(
            lang,
            "✔ 証拠バンドルの検証に成功",
            "✔ Evidence bundle verified",
        ),
        V::Failed => t(
            lang,
            "✘ 証拠バンドルの検証に失敗",
            "✘ Evidence bundle failed verification",
        ),
        V::Invalid => t(
            lang,
            "✘ スキャン結果として読めません",
            "✘ Not a valid scan result",
        ),
    }
}

/// The attachments table: name (a download link), size, BLAKE3 and SHA-256,
/// and the verification verdict.
pub fn attachments_table(lang: Lang, base: &str, list: &[mamori_store::Attachment]) -> String {
    if list.is_empty() {
        return format!(
            "<p>{}</p>",
            t(lang, "添付ファイルはありません。", "No files attached.")
        );
    }
    let rows: String = list
        .iter()
        .map(|a| {
            format!(
                r#"<tr><td><a href="{base}/attachments/{id}">{name}</a></td><td>{size}</td><td class="mono">BLAKE3 {b3}<br>SHA-256 {sha}</td><td>{verdict}{detail}</td></tr>"#,
                id = a.id.0,
                name = esc(&a.name),
                size = size(u64::try_from(a.size).unwrap_or(0)),
                b3 = esc(&a.blake3),
                sha = esc(&a.sha256),
                verdict = verdict(lang, a.verdict),
                detail = if a.verdict_detail.is_empty() {
                    String::new()
                } else {
                    format!("<br><small>{}</small>", esc(&a.verdict_detail))
                },
            )
        })
        .collect();
    format!(
        r#"<table class="stack" id="attachments"><tr><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th></tr>{rows}</table>"#,
        t(lang, "ファイル名", "File"),
        t(lang, "サイズ", "Size"),
        t(lang, "ハッシュ値", "Hashes"),
        t(lang, "検証結果", "Verification"),
    )
}

/// The fit of a body, as a badge that does not rely on colour alone.
pub fn fit_badge(lang: Lang, fit: mamori_core::guideline::Fit) -> String {
    use mamori_core::guideline::Fit;
    let (class, label) = match fit {
        Fit::Recommended => (
            "fit fit-recommended",
            t(lang, "◎ 届出をおすすめします", "◎ Recommended"),
        ),
        Fit::Possible => (
            "fit fit-possible",
            t(lang, "○ 届け出ることができます", "○ Possible"),
        ),
        Fit::NotNeeded => (
            "fit fit-not-needed",
            t(lang, "－ 必要ありません", "– Not needed"),
        ),
    };
    format!(r#"<span class="{class}">{label}</span>"#)
}

/// One body's advice: the fit and the reasons.
pub fn body_advice(lang: Lang, a: &mamori_core::guideline::BodyAdvice) -> String {
    let reasons: String = a
        .reasons
        .iter()
        .map(|r| format!("<li>{}</li>", esc(r.get(lang))))
        .collect();
    format!(
        r#"<div class="advice" id="advice-{code}"><h3>{name} {badge}</h3><ul>{reasons}</ul><p class="help">{scope}</p></div>"#,
        code = a.body.code(),
        scope = esc(a.body.scope().get(lang)),
        name = esc(a.body.text().get(lang)),
        badge = fit_badge(lang, a.fit),
    )
}

fn check_items(lang: Lang, items: &[mamori_core::guideline::CheckItem]) -> String {
    items
        .iter()
        .map(|i| {
            let who = i.body.map_or(String::new(), |b| {
                format!(r#" <span class="tag">{}</span>"#, esc(b.text().get(lang)))
            });
            format!("<li>{}{who}</li>", esc(i.text.get(lang)))
        })
        .collect()
}

/// The guideline's whole advice (通報指針): an urgent banner when the police
/// should be told now, each body's fit with reasons, what to prepare and what
/// to preserve.
pub fn guidance_panel(lang: Lang, g: &mamori_core::guideline::Guidance) -> String {
    let urgent = g.urgent.map_or(String::new(), |why| {
        format!(
            r#"<div class="urgent" role="alert" id="urgent"><p><strong>{}</strong></p><p>{}</p></div>"#,
            t(
                lang,
                "今すぐ警察に連絡してください（警察相談専用電話 #9110、緊急時は 110 番）。",
                "Tell the police now (police consultation line #9110; in an emergency call 110)."
            ),
            esc(why.get(lang)),
        )
    });
    let bodies: String = g.bodies.iter().map(|a| body_advice(lang, a)).collect();
    format!(
        r#"<section class="guidance" id="guidance" aria-labelledby="guidance-h"><h2 id="guidance-h">{title}</h2>{urgent}{bodies}
<h3>{prep}</h3><ul class="checklist" id="prepare">{prepare}</ul>
<h3>{pres}</h3><ul class="checklist" id="preserve">{preserve}</ul>
<p class="help">{note}</p></section>"#,
        title = t(
            lang,
            "届出先の案内（通報指針）",
            "Where to report (reporting guideline)"
        ),
        prep = t(
            lang,
            "準備する情報と証拠",
            "Information and evidence to prepare"
        ),
        prepare = check_items(lang, &g.prepare),
        pres = t(
            lang,
            "保全するもの（証拠保全）",
            "What to preserve, and how"
        ),
        preserve = check_items(lang, &g.preserve),
        note = t(
            lang,
            "この案内は回答から自動で作られます。どの機関に届け出るかはあなたが決めます。届出の内容が公開されることはありません。",
            "This advice is made from your answers. You decide which bodies to report to; what you report is never published."
        ),
    )
}

/// The intake entries of the menu: 報告 for reporters, 受付キュー for body
/// staff, 相談窓口案内 for everyone.
fn intake_nav(lang: Lang, n: &Nav<'_>) -> String {
    let mut o = String::new();
    if n.reporter {
        o.push_str(&format!(
            r#"<li><a href="/reports">{}</a></li>"#,
            t(lang, "報告", "Reports")
        ));
    }
    if n.body_staff {
        o.push_str(&format!(
            r#"<li><a href="/cases">{}</a></li>"#,
            t(lang, "受付キュー", "Case queue")
        ));
    }
    o.push_str(&format!(
        r#"<li><a href="/consult">{}</a></li>"#,
        t(lang, "相談窓口案内", "Where to report")
    ));
    o
}

/// The layout.
pub fn page(
    lang: Lang,
    large: bool,
    title: &str,
    nav: Option<&Nav<'_>>,
    body: &str,
) -> Html<String> {
    let (code, other, other_label) = match lang {
        Lang::Ja => ("ja", "en", "English"),
        Lang::En => ("en", "ja", "日本語"),
    };
    let size_label = if large {
        t(lang, "標準の文字サイズ", "Normal text")
    } else {
        t(lang, "文字を大きく", "Larger text")
    };
    let nav_html = match nav {
        Some(n) => format!(
            r#"<nav aria-label="{menu}"><ul><li><a href="/">{home}</a></li>{intake}<li><a href="/orgs">{orgs}</a></li><li><a href="/me/history">{hist}</a></li><li><a href="/me">{totp}</a></li>{admin}</ul>
<form method="post" action="/logout" class="inline">{csrf}<span>{name}</span> <button type="submit">{out}</button></form></nav>"#,
            menu = t(lang, "メニュー", "Menu"),
            home = t(lang, "ホーム", "Home"),
            intake = intake_nav(lang, n),
            orgs = t(lang, "組織", "Organizations"),
            hist = t(lang, "自分のアクセス履歴", "My access history"),
            totp = t(lang, "アカウント", "Account"),
            admin = if n.admin {
                format!(
                    r#"<li><a href="/admin">{}</a></li>"#,
                    t(lang, "管理", "Admin")
                )
            } else {
                String::new()
            },
            csrf = csrf_field(n.csrf),
            name = esc(n.name),
            out = t(lang, "ログアウト", "Sign out"),
        ),
        None => format!(
            r#"<nav aria-label="{}"><ul><li><a href="/consult">{}</a></li><li><a href="/login">{}</a></li></ul></nav>"#,
            t(lang, "メニュー", "Menu"),
            t(lang, "相談窓口案内", "Where to report"),
            t(lang, "ログイン", "Sign in"),
        ),
    };
    Html(format!(
        r##"<!doctype html>
<html lang="{code}"{large_class}>
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} — 守り Mamori</title><link rel="stylesheet" href="/static/app.css"></head>
<body><a class="skip" href="#main">{skip}</a>
<header><p class="brand">守り Mamori</p>{nav_html}
<p class="prefs"><a href="/prefs?lang={other}" lang="{other}">{other_label}</a> · <a href="/prefs?large={toggle}">{size_label}</a></p></header>
<main id="main"><h1>{title}</h1>
{body}
</main></body></html>"##,
        large_class = if large { r#" class="large""# } else { "" },
        title = esc(title),
        skip = t(lang, "本文へ移動", "Skip to content"),
        toggle = if large { "0" } else { "1" },
    ))
}

/// The stylesheet: WCAG AA contrast (text #1a1a1a on #fff, links #0b4f9c), visible
/// focus, a large-text mode.
pub const CSS: &str = r#"html{font-family:system-ui,"Hiragino Sans","Noto Sans JP",sans-serif;font-size:100%;color:#1a1a1a;background:#fff;line-height:1.6}
html.large{font-size:137.5%}
body{max-width:60rem;margin:0 auto;padding:1rem}
a{color:#0b4f9c}a:focus,button:focus,input:focus,select:focus{outline:3px solid #b35900;outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem}
header{border-bottom:2px solid #0b4f9c;margin-bottom:1rem}.brand{font-weight:bold;font-size:1.25rem}
nav ul{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:1rem}.inline{display:inline}
label{display:block;font-weight:bold;margin-top:.75rem}input,select{font-size:1rem;padding:.4rem;border:1px solid #555;min-width:18rem}
button{font-size:1rem;padding:.5rem 1rem;margin-top:.75rem;background:#0b4f9c;color:#fff;border:0;border-radius:4px;cursor:pointer}
.notice{background:#eef4fb;border-left:4px solid #0b4f9c;padding:.75rem}.error{background:#fdecea;border-left:4px solid #a4262c;padding:.75rem}
.secret{font-family:monospace;background:#f3f3f3;padding:.5rem;word-break:break-all}
table{border-collapse:collapse}th,td{border:1px solid #767676;padding:.3rem .6rem;text-align:left}
.nowrap{white-space:nowrap}.muted{color:#595959;font-size:.9rem}.overdue{color:#a4262c}
button:disabled{background:#595959;cursor:wait}
textarea{font-size:1rem;padding:.4rem;border:1px solid #555;width:100%;box-sizing:border-box;font-family:inherit}
textarea:focus,a:focus-visible{outline:3px solid #b35900;outline-offset:2px}
fieldset.question,div.question{border:1px solid #767676;border-radius:4px;padding:.5rem 1rem 1rem;margin:1rem 0}
fieldset.question legend,div.question>label{font-weight:bold;font-size:1.1rem;padding:0 .25rem}
.has-error{border-color:#a4262c!important;border-width:2px!important}.field-error{color:#a4262c;font-weight:bold}
ul.choices{list-style:none;padding:0;margin:.5rem 0}ul.choices li{display:flex;align-items:flex-start;gap:.5rem;padding:.25rem 0}
ul.choices input{min-width:0;width:1.4rem;height:1.4rem;margin:.15rem 0 0}label.choice{display:inline;font-weight:normal;margin:0}
.help,.hint{color:#4a4a4a}.req{color:#a4262c;font-weight:normal;font-size:.9rem}
.urgent{background:#a4262c;color:#fff;padding:.75rem 1rem;border-radius:4px}.urgent strong{font-size:1.15rem}
.advice{border:1px solid #767676;border-radius:4px;padding:.25rem 1rem;margin:.5rem 0}
.fit{display:inline-block;font-size:.95rem;padding:.1rem .5rem;border-radius:4px;border:1px solid currentColor}
.fit-recommended{color:#fff;background:#1d6b36}.fit-possible{color:#0b4f9c;background:#eef4fb}.fit-not-needed{color:#4a4a4a;background:#f3f3f3}
.tag{display:inline-block;font-size:.85rem;padding:0 .4rem;border:1px solid #767676;border-radius:3px;color:#333}
.steps{display:flex;flex-wrap:wrap;gap:1rem;align-items:center}.steps button.secondary,button.secondary{background:#fff;color:#0b4f9c;border:2px solid #0b4f9c}
button.danger{background:#a4262c}.progress{font-weight:bold}
.actions form{border-top:1px solid #ccc;padding-top:.5rem;margin-top:.5rem}
.timeline{list-style:none;padding:0}.timeline li{border-left:3px solid #0b4f9c;padding:.25rem .75rem;margin:.5rem 0}
.filters{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:flex-end}.filters label{margin-top:0}.filters input,.filters select{min-width:10rem}
.mono{font-family:monospace;word-break:break-all}
@media (max-width:40rem){input,select{min-width:0;width:100%;box-sizing:border-box}table.stack,table.stack tr,table.stack td,table.stack th{display:block;width:100%;box-sizing:border-box}table.stack tr:first-child{display:none}fieldset.question,div.question{padding:.5rem}}
"#;
