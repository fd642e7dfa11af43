//! The small template approach: `format!` with an escaping helper, one layout, no
//! JavaScript in the layout (the passkey pages add one script of their own). Japanese
//! first; every string has its English twin beside it.

use axum::response::Html;
use mamori_core::{Lang, Text};

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
    /// High-contrast mode.
    pub contrast: bool,
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
    /// Edits the portal (shows ポータル編集).
    pub editor: bool,
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

/// A date and time in Japan Standard Time, as every page shows them
/// (`2026-12-05 20:31 JST`, the same in both languages). The one formatter of
/// times on pages.
pub fn when(_lang: Lang, at: time::OffsetDateTime) -> String {
    mamori_service::intake::format_jst(at)
}

/// A time given as text (an answer, a scan's RFC 3339 time) in JST when it
/// carries its offset; anything else (a bare date, a local time) as written.
pub fn when_text(lang: Lang, s: &str) -> String {
    time::OffsetDateTime::parse(s.trim(), &time::format_description::well_known::Rfc3339)
        .map_or_else(|_| s.to_string(), |at| when(lang, at))
}

/// An amount of yen with thousands separators (`1,234,567 円`) when the text
/// is a whole number (separators, spaces and a trailing 円 allowed); anything
/// else (「約100万円」, "unknown") as written.
pub fn yen(s: &str) -> String {
    let digits: String = s
        .trim()
        .trim_end_matches('円')
        .chars()
        .filter(|c| !matches!(c, ',' | '，' | ' ' | '\u{3000}'))
        .collect();
    if digits.is_empty() || digits.len() > 18 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return s.to_string();
    }
    match digits.parse::<u64>() {
        Ok(n) => format!("{} 円", mamori_core::stats::render::count(n)),
        Err(_) => s.to_string(),
    }
}

/// A name in the reader's language with the other beside it:
/// `報告者（Reporter）` in Japanese, `Reporter (報告者)` in English.
pub fn both(lang: Lang, text: Text) -> String {
    match lang {
        Lang::Ja => format!("{}（{}）", text.ja, text.en),
        Lang::En => format!("{} ({})", text.en, text.ja),
    }
}

/// A role's name (the one table of role names on pages).
pub fn role_text(r: mamori_store::Role) -> Text {
    use mamori_store::Role as R;
    match r {
        R::Reporter => Text::new("報告担当者", "Reporter"),
        R::BodyStaff => Text::new("受付機関の担当者", "Body staff"),
        R::BodySupervisor => Text::new("受付機関の責任者", "Body supervisor"),
        R::Coordinator => Text::new("調整担当者", "Coordinator"),
        R::DeveloperContact => Text::new("製品開発者の窓口", "Developer contact"),
        R::PlatformAdmin => Text::new("プラットフォーム管理者", "Platform administrator"),
        R::Editor => Text::new("ポータル編集者", "Portal editor"),
    }
}

/// A role in words, both languages.
pub fn role_name(lang: Lang, r: mamori_store::Role) -> String {
    both(lang, role_text(r))
}

/// An organization kind's name (the one table of kind names on pages).
pub fn org_kind_text(k: mamori_store::OrgKind) -> Text {
    use mamori_store::OrgKind as K;
    match k {
        K::Platform => Text::new("プラットフォーム運営者", "Platform operator"),
        K::Police => Text::new("警察庁", "National Police Agency"),
        K::PolicePrefectural => Text::new("都道府県警察", "Prefectural police"),
        K::Ipa => Text::new("IPA（情報処理推進機構）", "IPA"),
        K::JpcertCc => Text::new("JPCERT/CC", "JPCERT/CC"),
        K::AccessAdministrator => Text::new("アクセス管理者", "Access administrator"),
        K::ProductDeveloper => Text::new("製品開発者", "Product developer"),
        K::WebsiteOperator => Text::new("ウェブサイト運営者", "Website operator"),
        K::Individual => Text::new("個人", "Individual"),
    }
}

/// An organization kind in words, both languages.
pub fn org_kind_name(lang: Lang, k: mamori_store::OrgKind) -> String {
    both(lang, org_kind_text(k))
}

/// The audit log's actions in words (the one table; an action not listed is
/// shown by its stable name).
const AUDIT_ACTIONS: &[(&str, Text)] = &[
    ("access_denied", Text::new("アクセス拒否", "Access denied")),
    (
        "list_portal_items",
        Text::new("ポータル編集一覧の閲覧", "Portal items listed"),
    ),
    (
        "portal_create",
        Text::new("ポータル項目の作成", "Portal item created"),
    ),
    (
        "portal_link_check",
        Text::new("ポータルのリンク確認", "Portal links checked"),
    ),
    (
        "portal_publish",
        Text::new("ポータル項目の公開", "Portal item published"),
    ),
    (
        "portal_return",
        Text::new("ポータル項目の差し戻し", "Portal item sent back"),
    ),
    (
        "portal_submit",
        Text::new("ポータル項目を確認に出す", "Portal item sent for review"),
    ),
    (
        "portal_update",
        Text::new("ポータル項目の更新", "Portal item changed"),
    ),
    (
        "portal_withdraw",
        Text::new("ポータル項目の公開終了", "Portal item withdrawn"),
    ),
    (
        "selfcheck_save",
        Text::new("セルフチェック結果の保存", "Self-check saved"),
    ),
    ("add_passkey", Text::new("パスキーの登録", "Passkey added")),
    (
        "attachment_add",
        Text::new("添付ファイルの追加", "File attached"),
    ),
    (
        "attachment_download",
        Text::new("添付ファイルのダウンロード", "File downloaded"),
    ),
    (
        "audit_report",
        Text::new("監査報告の作成", "Audit report made"),
    ),
    ("case_change", Text::new("案件の状態変更", "Case changed")),
    ("case_event", Text::new("案件への記録", "Case entry added")),
    (
        "case_queue",
        Text::new("受付キューの閲覧", "Case queue viewed"),
    ),
    (
        "change_password",
        Text::new("パスワードの変更", "Password changed"),
    ),
    (
        "change_password_failed",
        Text::new("パスワード変更の失敗", "Password change failed"),
    ),
    (
        "consultation_anonymous",
        Text::new("匿名の相談", "Anonymous consultation"),
    ),
    (
        "consultation_message",
        Text::new("相談へのメッセージ", "Consultation message"),
    ),
    (
        "consultation_view",
        Text::new("相談の閲覧", "Consultation viewed"),
    ),
    ("create_org", Text::new("組織の追加", "Organization added")),
    (
        "create_token",
        Text::new("API トークンの発行", "API token issued"),
    ),
    ("create_user", Text::new("利用者の追加", "Person added")),
    (
        "disable_inactive",
        Text::new("長期未使用アカウントの無効化", "Inactive account disabled"),
    ),
    (
        "disable_user",
        Text::new("利用者の無効化", "Person disabled"),
    ),
    (
        "dismiss_notices",
        Text::new("お知らせの確認", "Notices dismissed"),
    ),
    (
        "enable_totp",
        Text::new("二要素認証の設定", "Two-factor set up"),
    ),
    ("enable_user", Text::new("利用者の有効化", "Person enabled")),
    (
        "erase_user",
        Text::new("個人データの削除", "Personal data erased"),
    ),
    (
        "export_personal_data",
        Text::new("個人データの書き出し", "Personal data exported"),
    ),
    (
        "issue_login_link",
        Text::new("ログイン用リンクの発行", "Sign-in link issued"),
    ),
    (
        "issue_recovery_codes",
        Text::new("回復コードの発行", "Recovery codes issued"),
    ),
    (
        "list_deletion_requests",
        Text::new("削除依頼の一覧の閲覧", "Deletion requests viewed"),
    ),
    (
        "list_orgs",
        Text::new("組織一覧の閲覧", "Organizations listed"),
    ),
    ("list_users", Text::new("利用者一覧の閲覧", "People listed")),
    (
        "referral_decide",
        Text::new("回付への回答", "Referral decided"),
    ),
    (
        "referral_propose",
        Text::new("回付の提案", "Referral proposed"),
    ),
    (
        "remove_passkey",
        Text::new("パスキーの削除", "Passkey removed"),
    ),
    ("report_create", Text::new("報告の作成", "Report created")),
    (
        "report_guidance",
        Text::new("届出先の案内の表示", "Guidance shown"),
    ),
    ("report_list", Text::new("報告一覧の閲覧", "Reports listed")),
    (
        "report_message",
        Text::new("報告へのメッセージ", "Report message"),
    ),
    ("report_save", Text::new("報告の保存", "Report saved")),
    ("report_submit", Text::new("報告の送信", "Report sent")),
    ("report_view", Text::new("報告の閲覧", "Report viewed")),
    (
        "request_deletion",
        Text::new("削除の依頼", "Deletion requested"),
    ),
    (
        "set_password",
        Text::new("パスワードの設定", "Password set"),
    ),
    ("sign_in", Text::new("ログイン", "Sign-in")),
    (
        "sign_in_failed",
        Text::new("ログインの失敗", "Failed sign-in"),
    ),
    (
        "sign_in_link",
        Text::new("ログイン用リンクでのログイン", "Sign-in with a link"),
    ),
    ("sign_out", Text::new("ログアウト", "Sign-out")),
    (
        "view_audit_log",
        Text::new("監査ログの閲覧", "Audit log viewed"),
    ),
    ("view_org", Text::new("組織の閲覧", "Organization viewed")),
    (
        "view_own_history",
        Text::new("自分のアクセス履歴の閲覧", "Own history viewed"),
    ),
    (
        "view_self",
        Text::new("自分の情報の閲覧", "Own profile viewed"),
    ),
    ("view_user", Text::new("利用者情報の閲覧", "Person viewed")),
];

/// An audit action's name, if it has one.
pub fn audit_action_text(action: &str) -> Option<Text> {
    AUDIT_ACTIONS
        .iter()
        .find(|(a, _)| *a == action)
        .map(|(_, t)| *t)
}

/// An audit action in words, both languages, with its stable name for
/// searching (`ログイン（Sign-in） sign_in`); unknown actions by their name.
pub fn audit_action_name(lang: Lang, action: &str) -> String {
    match audit_action_text(action) {
        Some(text) => format!(
            r#"{} <span class="muted mono">{}</span>"#,
            esc(&both(lang, text)),
            esc(action)
        ),
        None => esc(action),
    }
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

/// Free text as written, readable: blank lines separate paragraphs, line
/// breaks stay, and `- ` lines (with their indented continuation lines) are a
/// list — the shape of the scan summary, one finding per item, Japanese then
/// English.
pub fn text_block(s: &str) -> String {
    let mut out = String::from(r#"<div class="text">"#);
    let mut para: Vec<String> = Vec::new();
    let mut items: Vec<Vec<String>> = Vec::new();
    fn flush(out: &mut String, para: &mut Vec<String>, items: &mut Vec<Vec<String>>) {
        if !para.is_empty() {
            out.push_str(&format!("<p>{}</p>", para.join("<br>")));
            para.clear();
        }
        if !items.is_empty() {
            out.push_str("<ul>");
            for i in items.iter() {
                out.push_str(&format!("<li>{}</li>", i.join("<br>")));
            }
            out.push_str("</ul>");
            items.clear();
        }
    }
    for line in s.lines() {
        let trimmed = line.trim_end();
        if trimmed.trim().is_empty() {
            flush(&mut out, &mut para, &mut items);
        } else if let Some(item) = trimmed.strip_prefix("- ") {
            // A paragraph and a list are never open together.
            if !para.is_empty() {
                flush(&mut out, &mut para, &mut items);
            }
            items.push(vec![esc(item.trim())]);
        } else if trimmed.starts_with("  ") && !items.is_empty() {
            if let Some(last) = items.last_mut() {
                last.push(esc(trimmed.trim()));
            }
        } else {
            if !items.is_empty() {
                flush(&mut out, &mut para, &mut items);
            }
            para.push(esc(trimmed.trim()));
        }
    }
    flush(&mut out, &mut para, &mut items);
    out.push_str("</div>");
    out
}

/// The answered questions as `<dt>`/`<dd>` pairs (choices in the reader's
/// language, several values joined with "、"; times in JST, amounts with
/// separators, long text kept in its lines), for a `<dl>`.
pub fn answers_list(lang: Lang, a: &mamori_core::intake::Answers) -> String {
    use mamori_core::intake::QuestionKind;
    mamori_core::intake::questions()
        .iter()
        .filter(|q| a.answered(q.id))
        .map(|q| {
            let vals: Vec<String> = a
                .get(q.id)
                .iter()
                .map(|x| match q.kind {
                    QuestionKind::DateTime => esc(&when_text(lang, x)),
                    QuestionKind::LongText => text_block(x),
                    _ if q.id == "money_amount" => esc(&yen(x)),
                    _ => esc(q.choice(x).map_or(x.as_str(), |c| c.text.get(lang))),
                })
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

/// The urgent banner (警察へ今すぐ) when the guideline says the police should
/// be told now; empty otherwise. Forms show it at their top.
pub fn urgent_banner(lang: Lang, g: &mamori_core::guideline::Guidance) -> String {
    g.urgent.map_or(String::new(), |why| {
        format!(
            r#"<div class="urgent" role="alert" id="urgent"><p><strong>{}</strong></p><p>{}</p></div>"#,
            t(
                lang,
                "今すぐ警察に連絡してください（警察相談専用電話 #9110、緊急時は 110 番）。",
                "Tell the police now (police consultation line #9110; in an emergency call 110)."
            ),
            esc(why.get(lang)),
        )
    })
}

/// The guideline's whole advice (通報指針): the urgent banner when the police
/// should be told now, each body's fit with reasons, what to prepare and what
/// to preserve.
pub fn guidance_panel(lang: Lang, g: &mamori_core::guideline::Guidance) -> String {
    guidance_section(lang, g, &urgent_banner(lang, g))
}

/// [`guidance_panel`] without the urgent banner, for a page that shows the
/// banner at its top.
pub fn guidance_advice(lang: Lang, g: &mamori_core::guideline::Guidance) -> String {
    guidance_section(lang, g, "")
}

fn guidance_section(lang: Lang, g: &mamori_core::guideline::Guidance, urgent: &str) -> String {
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
    if n.body_staff || n.admin {
        o.push_str(&format!(
            r#"<li><a href="/stats/yearly">{}</a></li>"#,
            t(lang, "統計", "Statistics")
        ));
    }
    o.push_str(&format!(
        r#"<li><a href="/consult">{}</a></li>"#,
        t(lang, "相談窓口案内", "Where to report")
    ));
    o
}

/// How a page looks: language, large text, high contrast.
#[derive(Debug, Clone, Copy)]
pub struct Look {
    /// Language.
    pub lang: Lang,
    /// Large-text mode.
    pub large: bool,
    /// High-contrast mode.
    pub contrast: bool,
}

/// The layout.
pub fn page(
    lang: Lang,
    large: bool,
    title: &str,
    nav: Option<&Nav<'_>>,
    body: &str,
) -> Html<String> {
    page_with(
        Look {
            lang,
            large,
            contrast: false,
        },
        "",
        title,
        nav,
        "",
        body,
    )
}

/// The layout with every display switch: `back` is the page the language, text-size
/// and contrast switches return to (`/` when empty), `banner` goes above the title
/// (the portal's urgent alerts).
pub fn page_with(
    look: Look,
    back: &str,
    title: &str,
    nav: Option<&Nav<'_>>,
    banner: &str,
    body: &str,
) -> Html<String> {
    let Look {
        lang,
        large,
        contrast,
    } = look;
    let (code, other, other_label) = match lang {
        Lang::Ja => ("ja", "en", "English"),
        Lang::En => ("en", "ja", "日本語"),
    };
    let size_label = if large {
        t(lang, "標準の文字サイズ", "Normal text")
    } else {
        t(lang, "文字を大きく", "Larger text")
    };
    let back_q = if back.is_empty() {
        String::new()
    } else {
        format!("&amp;back={}", esc(back))
    };
    let contrast_link = format!(
        r#" · <a href="/prefs?contrast={}{back_q}">{}</a>"#,
        if contrast { "0" } else { "1" },
        if contrast {
            t(lang, "標準の配色", "Normal colours")
        } else {
            t(lang, "白黒反転（高コントラスト）", "High contrast")
        }
    );
    let nav_html = match nav {
        Some(n) => format!(
            r#"<nav aria-label="{menu}"><ul><li><a href="/">{home}</a></li><li><a href="/portal">{portal}</a></li>{intake}<li><a href="/vuln">{vuln}</a></li><li><a href="/orgs">{orgs}</a></li><li><a href="/me/history">{hist}</a></li><li><a href="/me">{totp}</a></li>{editor}{admin}</ul>
<form method="post" action="/logout" class="inline">{csrf}<span>{name}</span> <button type="submit">{out}</button></form></nav>"#,
            menu = t(lang, "メニュー", "Menu"),
            home = t(lang, "ホーム", "Home"),
            portal = t(lang, "ポータル", "Portal"),
            intake = intake_nav(lang, n),
            vuln = t(lang, "脆弱性情報", "Vulnerabilities"),
            orgs = t(lang, "組織", "Organizations"),
            hist = t(lang, "自分のアクセス履歴", "My access history"),
            totp = t(lang, "アカウント", "Account"),
            editor = if n.editor {
                format!(
                    r#"<li><a href="/portal/edit">{}</a></li>"#,
                    t(lang, "ポータル編集", "Portal editing")
                )
            } else {
                String::new()
            },
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
            r#"<nav aria-label="{}"><ul><li><a href="/portal">{}</a></li><li><a href="/portal/victim">{}</a></li><li><a href="/consult">{}</a></li><li><a href="/statistics">{}</a></li><li><a href="/advisories">{}</a></li><li><a href="/login">{}</a></li></ul></nav>"#,
            t(lang, "メニュー", "Menu"),
            t(lang, "ポータル", "Portal"),
            t(lang, "被害に遭ったら", "If you were a victim"),
            t(lang, "相談窓口案内", "Where to report"),
            t(lang, "統計", "Statistics"),
            t(lang, "脆弱性情報", "Advisories"),
            t(lang, "ログイン", "Sign in"),
        ),
    };
    let mut classes = Vec::new();
    if large {
        classes.push("large");
    }
    if contrast {
        classes.push("contrast");
    }
    let class_attr = if classes.is_empty() {
        String::new()
    } else {
        format!(r#" class="{}""#, classes.join(" "))
    };
    Html(format!(
        r##"<!doctype html>
<html lang="{code}"{class_attr}>
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} — 守り Mamori</title><link rel="stylesheet" href="/static/app.css"></head>
<body><a class="skip" href="#main">{skip}</a>
<header><p class="brand">守り Mamori</p>{nav_html}
<p class="prefs"><a href="/prefs?lang={other}{back_q}" lang="{other}">{other_label}</a> · <a href="/prefs?large={toggle}{back_q}">{size_label}</a>{contrast_link}</p></header>
<main id="main">{banner}<h1>{title}</h1>
{body}
</main></body></html>"##,
        title = esc(title),
        skip = t(lang, "本文へ移動", "Skip to content"),
        toggle = if large { "0" } else { "1" },
    ))
}

/// The page for a missing page or object (unknown address, a report or case
/// that does not exist or may not be seen — the two look the same): in the
/// site's layout, Japanese first with the English beneath, the stable code and
/// the ways on. The caller sends it with status 404.
pub fn not_found(lang: Lang, large: bool) -> Html<String> {
    let body = r#"<div class="error" role="alert" id="not-found"><p lang="ja"><strong>お探しのページは見つかりませんでした。</strong></p><p lang="en"><strong>The page you were looking for was not found.</strong></p></div>
<p lang="ja">アドレスが間違っているか、ページ（報告・案件など）が削除されたか、あなたには見る権限がありません。</p>
<p lang="en">The address may be wrong, the page (a report, a case, …) may have been removed, or you may not see it.</p>
<p>エラーコード / Error code: <code>E-ACCESS-404</code></p>
<ul><li><a href="/">トップへ戻る / Back to the start page</a></li><li><a href="/consult">相談窓口案内 / Where to report</a></li></ul>"#;
    page(
        lang,
        large,
        "ページが見つかりません / Page not found",
        None,
        body,
    )
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
ul.choices input{min-width:0;width:1.4rem;height:1.4rem;margin:.15rem 0 0}input.check{min-width:0;width:1.4rem;height:1.4rem;vertical-align:middle}label.choice{display:inline;font-weight:normal;margin:0}
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
.mono{font-family:monospace;word-break:break-all}.text ul{padding-left:1.25rem}.text li{margin:.25rem 0}
.case-report{border:1px solid #767676;border-radius:4px;padding:.25rem 1rem;margin:1rem 0}
.lead{font-size:1.1rem}.cards{list-style:none;padding:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(15rem,1fr));gap:.75rem}
.card{border:2px solid #0b4f9c;border-radius:6px;padding:.75rem}.entry{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;padding-left:1.25rem}
.victim{border:3px solid #a4262c;border-radius:6px;padding:.25rem 1rem 1rem;margin:1rem 0}
a.button{display:inline-block;background:#0b4f9c;color:#fff;padding:.6rem 1.2rem;border-radius:4px;text-decoration:none;font-weight:bold}
.urgent-banner{background:#a4262c;color:#fff;padding:.5rem 1rem;border-radius:4px;margin-bottom:1rem}.urgent-banner a,.urgent-banner h2{color:#fff}.urgent-banner h2{font-size:1.1rem;margin:.25rem 0}
.tag.stale,.tag.broken,.tag.urgent-tag{border-color:#a4262c;color:#a4262c;font-weight:bold}
.materials li,.links li,.alerts li,.gaps li{margin:.6rem 0}.itemno{font-family:monospace;font-weight:bold}
ul.inline-choices{display:flex;flex-wrap:wrap;gap:.25rem 1.5rem}fieldset.question legend{font-size:1rem}
.promotion{border-top:2px dashed #767676;margin-top:2rem}pre.code{background:#f3f3f3;padding:.75rem;overflow-x:auto;white-space:pre-wrap;word-break:break-all}
.kids{font-size:1.2rem;line-height:2.2}ruby rt{font-size:.6em}.score{font-size:1.2rem;font-weight:bold}
html.contrast,html.contrast body{background:#000;color:#fff}html.contrast a{color:#ffef5c}
html.contrast button,html.contrast a.button{background:#ffef5c;color:#000;border:2px solid #fff}
html.contrast .notice,html.contrast .error,html.contrast .advice,html.contrast .card,html.contrast .victim,html.contrast fieldset.question,html.contrast pre.code,html.contrast .secret{background:#000;color:#fff;border-color:#fff}
html.contrast .muted,html.contrast .help,html.contrast .hint,html.contrast .tag{color:#fff;border-color:#fff}html.contrast .urgent,html.contrast .urgent-banner{background:#000;color:#fff;border:3px solid #fff}
html.contrast .fit-recommended,html.contrast .fit-possible,html.contrast .fit-not-needed{background:#000;color:#fff}
html.contrast input,html.contrast select,html.contrast textarea{background:#000;color:#fff;border-color:#fff}
html.contrast header{border-color:#fff}html.contrast .tag.stale,html.contrast .tag.broken,html.contrast .tag.urgent-tag{color:#ffef5c;border-color:#ffef5c}
@media (max-width:40rem){input,select{min-width:0;width:100%;box-sizing:border-box}table.stack,table.stack tr,table.stack td,table.stack th{display:block;width:100%;box-sizing:border-box}table.stack tr:first-child{display:none}fieldset.question,div.question{padding:.5rem}}
"#;

/// Percent-encodes a query value (everything but unreserved ASCII).
pub(crate) fn url_enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
