//! The person's account pages — overview, password change, TOTP enrolment (the
//! pending secret stays on the server, bound to the session), recovery codes,
//! personal data (purposes, export, deletion request), owner notices — and the
//! administrators' people and deletion-request sections of `/admin`.
//! Passkeys have their own page (`passkey_pages.rs`), the one account page that
//! runs a script.

use crate::AppState;
use crate::error::{WebError, WebResult};
use crate::extract::Page;
use crate::html::{csrf_field, esc, t};
use crate::pages::{CsrfOnly, render, when};
use axum::extract::{Form, Path, Query, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Redirect, Response};
use mamori_core::Lang;
use mamori_guard::ChangeOutcome;
use mamori_service::authz::Caller;
use mamori_service::notices::notice_text;
use mamori_service::privacy::PURPOSES;
use mamori_service::{ServiceError, codes};
use mamori_store::UserId;
use serde::Deserialize;

fn status(msg: &str) -> String {
    format!(r#"<p class="notice" role="status">{}</p>"#, esc(msg))
}

fn alert(msg: &str) -> String {
    format!(r#"<div class="error" role="alert">{}</div>"#, esc(msg))
}

/// `GET /me`: the account overview.
pub async fn account(State(st): State<AppState>, p: Page) -> Result<Html<String>, WebError> {
    let lang = p.prefs.lang;
    let f = st.svc.factor_status(&p.auth.actor).await.page(lang)?;
    let yes_no = |b: bool| {
        if b {
            t(lang, "設定済み", "on")
        } else {
            t(lang, "未設定", "off")
        }
    };
    let body = format!(
        r#"<ul>
<li><a href="/me/password">{pw}</a></li>
<li><a href="/me/totp">{totp}</a> — {totp_state}</li>
<li><a href="/me/recovery">{rec}</a> — {left}</li>
<li><a href="/me/passkeys">{passkey}</a> — {passkeys}</li>
<li><a href="/me/data">{data}</a></li>
<li><a href="/me/history">{hist}</a></li>
</ul>"#,
        pw = t(lang, "パスワードの変更", "Change password"),
        totp = t(
            lang,
            "二要素認証（認証アプリ）",
            "Two-factor (authenticator app)"
        ),
        totp_state = yes_no(f.totp),
        rec = t(lang, "回復コード", "Recovery codes"),
        left = format_args!(
            "{} {}",
            f.recovery_codes_left,
            t(lang, "個残っています", "left")
        ),
        data = t(
            lang,
            "個人データ（利用目的・出力・削除依頼）",
            "Personal data (purposes, export, deletion)"
        ),
        hist = t(lang, "自分のアクセス履歴", "My access history"),
        passkey = t(lang, "パスキー", "Passkeys"),
        passkeys = format_args!("{} {}", f.passkeys, t(lang, "件登録済み", "registered")),
    );
    Ok(render(&p, t(lang, "アカウント", "Account"), &body))
}

async fn password_page(st: &AppState, p: &Page, msg: &str) -> Result<Html<String>, WebError> {
    let lang = p.prefs.lang;
    let r = st.svc.password_rules(&p.auth.actor).await.page(lang)?;
    let first = if r.has_password || !msg.is_empty() {
        String::new()
    } else {
        alert(t(
            lang,
            "パスワードがまだ設定されていません。一度限りのリンクでログインしているため、このセッションが終わると再びログインできません。今ここで設定してください。",
            "You have no password yet. You signed in with a one-time link, so once this session ends you could not sign in again. Set one now.",
        ))
    };
    let body = format!(
        r#"{msg}{first}<h2>{rules}</h2><ul id="password-rules">
<li>{len}</li><li>{common}</li><li>{context}</li><li>{words}</li><li>{previous}</li></ul>
<form method="post" action="/me/password">{csrf}{current}
<label for="new">{new}</label><input id="new" name="new" type="password" autocomplete="new-password" minlength="{min}" maxlength="{max}" required>
<button type="submit">{submit}</button></form><p>{after}</p>"#,
        rules = t(
            lang,
            "新しいパスワードの条件",
            "What a new password must meet"
        ),
        len = match lang {
            Lang::Ja => format!(
                "{}〜{}文字（二要素認証{}）。長い文（パスフレーズ）がおすすめです。",
                r.min_len,
                r.max_len,
                if r.has_second_factor {
                    "あり"
                } else {
                    "なしの場合"
                }
            ),
            Lang::En => format!(
                "{}–{} characters ({} a second factor). A long passphrase is best.",
                r.min_len,
                r.max_len,
                if r.has_second_factor {
                    "with"
                } else {
                    "without"
                }
            ),
        },
        common = t(
            lang,
            "よく使われるパスワードや過去に漏えいしたパスワードは使えません（攻撃者が最初に試すため）。",
            "Not a common password or one seen in data breaches (attackers try these first)."
        ),
        context = t(
            lang,
            "ID、氏名、サービス名を含めないでください（推測されやすいため）。",
            "Not containing your ID, name or the service's name (easy to guess)."
        ),
        words = t(
            lang,
            "日本語の単語・ローマ字やキーボードの並びだけのものは使えません。",
            "Not just Japanese words, romaji or keyboard patterns."
        ),
        previous = t(
            lang,
            "最近使ったパスワードは再利用できません。",
            "Not one of your recent passwords."
        ),
        csrf = csrf_field(p.csrf()),
        // Without a password yet (the first administrator, signed in by the one-time
        // link) there is no current one to prove.
        current = if r.has_password {
            format!(
                r#"
<label for="current">{}</label><input id="current" name="current" type="password" autocomplete="current-password" required>"#,
                t(lang, "現在のパスワード", "Current password")
            )
        } else {
            String::new()
        },
        new = t(lang, "新しいパスワード", "New password"),
        min = r.min_len,
        max = r.max_len,
        submit = t(lang, "変更する", "Change password"),
        after = t(
            lang,
            "変更すると、この画面以外のログイン中のセッションはすべて終了します。",
            "Changing it ends every other session you are signed in with."
        ),
    );
    Ok(render(
        p,
        t(lang, "パスワードの変更", "Change password"),
        &body,
    ))
}

/// `GET /me/password`.
pub async fn password_form(State(st): State<AppState>, p: Page) -> Result<Html<String>, WebError> {
    password_page(&st, &p, "").await
}

/// The change-password form.
#[derive(Debug, Deserialize)]
pub struct ChangeForm {
    csrf: String,
    #[serde(default)]
    current: String,
    new: String,
}

/// `POST /me/password`.
pub async fn change_password(
    State(st): State<AppState>,
    p: Page,
    Form(f): Form<ChangeForm>,
) -> Result<Response, WebError> {
    p.check_csrf(&f.csrf)?;
    let lang = p.prefs.lang;
    let o = st
        .svc
        .change_password(&p.auth.actor, &p.cookie, &f.current, &f.new)
        .await
        .page(lang)?;
    let first = f.current.is_empty();
    let (code, msg) = match o {
        // The first password (after the one-time link): say what comes next.
        ChangeOutcome::Done if first => (
            axum::http::StatusCode::OK,
            format!(
                r#"{}<div class="next-steps" id="next-steps"><p>{}</p><ul><li><a href="/me/totp">{}</a></li><li><a href="/me/passkeys">{}</a></li><li><a href="/">{}</a></li></ul></div>"#,
                status(t(
                    lang,
                    "パスワードを設定しました。",
                    "Your password is set.",
                )),
                t(lang, "次にすること:", "What to do next:"),
                t(
                    lang,
                    "二要素認証（認証アプリ）を設定する — パスワードが漏れても守られます",
                    "Set up two-factor sign-in (an authenticator app) — it protects you even if the password leaks",
                ),
                t(lang, "パスキーを登録する", "Register a passkey"),
                t(lang, "ホーム画面へ進む", "Go to the home page"),
            ),
        ),
        ChangeOutcome::Done => (
            axum::http::StatusCode::OK,
            status(t(
                lang,
                "パスワードを変更しました。",
                "Your password was changed.",
            )),
        ),
        ChangeOutcome::WrongPassword => (
            axum::http::StatusCode::BAD_REQUEST,
            alert(t(
                lang,
                "現在のパスワードが正しくありません。",
                "The current password is not right.",
            )),
        ),
        ChangeOutcome::Throttled { retry_after_secs } => (
            axum::http::StatusCode::TOO_MANY_REQUESTS,
            alert(&format!(
                "{} ({retry_after_secs}s)",
                t(
                    lang,
                    "試行が多すぎます。しばらく待ってからやり直してください。",
                    "Too many attempts. Wait a while and try again."
                )
            )),
        ),
        ChangeOutcome::Refused(r) => (
            axum::http::StatusCode::BAD_REQUEST,
            alert(&format!(
                "{} {}",
                t(
                    lang,
                    "このパスワードは使えません。",
                    "This password cannot be used."
                ),
                r.message(lang)
            )),
        ),
    };
    Ok((code, password_page(&st, &p, &msg).await?).into_response())
}

/// The `otpauth://` URI as a QR code: an inline `<svg>` rendered on the server (no
/// script, no image URL; the CSP allows inline SVG elements, and the SVG carries only
/// presentation attributes, no `style`). Empty if the URI does not fit a QR code.
fn totp_qr(uri: &str, lang: Lang) -> String {
    let Ok(code) = qrcode::QrCode::new(uri.as_bytes()) else {
        return String::new();
    };
    let svg = code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build();
    // The renderer writes a whole document; the page wants only the element.
    let svg = svg.find("<svg").map_or("", |i| &svg[i..]);
    let svg = svg.replacen(
        "<svg",
        &format!(
            r#"<svg role="img" aria-label="{}""#,
            t(
                lang,
                "認証アプリで読み取るQRコード",
                "QR code to scan with your authenticator app"
            )
        ),
        1,
    );
    format!(r#"<figure class="qr" id="totp-qr">{svg}</figure>"#)
}

/// `GET /me/totp`: a new authenticator-app secret, kept server-side for this
/// session until the first code confirms it.
pub async fn totp_form(State(st): State<AppState>, p: Page) -> Result<Response, WebError> {
    let lang = p.prefs.lang;
    let setup = match st.svc.begin_totp(&p.auth.actor, &p.cookie).await {
        Err(ServiceError::Invalid(c)) if c == codes::REAUTH => {
            return Ok(reauth_redirect("/me/totp"));
        }
        r => r.page(lang)?,
    };
    let body = format!(
        r#"<p>{hint}</p>{qr}<p class="secret" id="totp-secret">{secret}</p><p class="secret">{uri}</p>
<form method="post" action="/me/totp">{csrf}
<label for="code">{code}</label><input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" required>
<button type="submit">{submit}</button></form><p>{reload}</p>"#,
        hint = t(
            lang,
            "認証アプリにこの鍵を登録し、表示された6桁のコードを入力してください。",
            "Add this key to your authenticator app, then enter the 6-digit code it shows."
        ),
        qr = totp_qr(&setup.uri, lang),
        secret = esc(&setup.secret_base32),
        uri = esc(&setup.uri),
        csrf = csrf_field(p.csrf()),
        code = t(lang, "確認コード", "Code"),
        submit = t(lang, "有効にする", "Turn on"),
        reload = t(
            lang,
            "この画面を開き直すと新しい鍵になり、前の鍵は使えなくなります。",
            "Opening this page again makes a new key; the previous one stops working."
        ),
    );
    Ok(render(
        &p,
        t(lang, "二要素認証", "Two-factor authentication"),
        &body,
    )
    .into_response())
}

/// The TOTP confirmation form: only the code; the secret is on the server.
#[derive(Debug, Deserialize)]
pub struct TotpForm {
    csrf: String,
    code: String,
}

/// `POST /me/totp`.
pub async fn totp_confirm(
    State(st): State<AppState>,
    p: Page,
    Form(f): Form<TotpForm>,
) -> Result<Response, WebError> {
    p.check_csrf(&f.csrf)?;
    let lang = p.prefs.lang;
    let ok = st
        .svc
        .confirm_totp(&p.auth.actor, &p.cookie, &f.code)
        .await
        .page(lang)?;
    let (code, msg) = if ok {
        (
            axum::http::StatusCode::OK,
            status(t(
                lang,
                "二要素認証を有効にしました。次回からログイン時に確認コードが必要です。回復コードも作成しておいてください。",
                "Two-factor authentication is on. Sign-ins now ask for a code. Create recovery codes too.",
            )),
        )
    } else {
        (
            axum::http::StatusCode::BAD_REQUEST,
            alert(t(
                lang,
                "コードが正しくないか、登録の手続きが見つかりません。二要素認証の画面を開き直してやり直してください。",
                "The code is not right, or no enrolment is pending. Open the two-factor page again and retry.",
            )),
        )
    };
    Ok((
        code,
        render(&p, t(lang, "二要素認証", "Two-factor authentication"), &msg),
    )
        .into_response())
}

/// `GET /me/recovery`.
pub async fn recovery(State(st): State<AppState>, p: Page) -> Result<Html<String>, WebError> {
    let lang = p.prefs.lang;
    let f = st.svc.factor_status(&p.auth.actor).await.page(lang)?;
    let body = format!(
        r#"<p>{what}</p><p id="recovery-left">{left}: {n}</p>
<form method="post" action="/me/recovery">{csrf}<button type="submit">{submit}</button></form>"#,
        what = t(
            lang,
            "認証アプリが使えなくなったときに、確認コードの代わりに1回ずつ使えるコードです。作り直すと古いコードは使えなくなります。",
            "Codes to use once each instead of the app's code when you lose your authenticator. Making new ones voids the old ones."
        ),
        left = t(lang, "残りのコード", "Codes left"),
        n = f.recovery_codes_left,
        csrf = csrf_field(p.csrf()),
        submit = t(
            lang,
            "新しい回復コードを作成する",
            "Make new recovery codes"
        ),
    );
    Ok(render(&p, t(lang, "回復コード", "Recovery codes"), &body))
}

/// `POST /me/recovery`: shows the new codes once.
pub async fn recovery_issue(
    State(st): State<AppState>,
    p: Page,
    Form(f): Form<CsrfOnly>,
) -> Result<Response, WebError> {
    p.check_csrf(&f.csrf)?;
    let lang = p.prefs.lang;
    let codes = match st.svc.issue_recovery_codes(&p.auth.actor, &p.cookie).await {
        Err(ServiceError::Invalid(c)) if c == codes::REAUTH => {
            return Ok(reauth_redirect("/me/recovery"));
        }
        r => r.page(lang)?,
    };
    let items: String = codes
        .iter()
        .map(|c| format!("<li><code>{}</code></li>", esc(c)))
        .collect();
    let body = format!(
        r#"{}<ol class="secret" id="recovery-codes">{items}</ol><p><a href="/me">{}</a></p>"#,
        status(t(
            lang,
            "回復コードを作成しました。この画面は二度と表示されません。印刷するか安全な場所に保管してください。",
            "New recovery codes. They are shown only now: print them or keep them somewhere safe."
        )),
        t(lang, "アカウントへ戻る", "Back to the account"),
    );
    Ok(render(&p, t(lang, "回復コード", "Recovery codes"), &body).into_response())
}

/// The pages a re-authentication may return to (anything else goes to `/me`).
const REAUTH_NEXT: [&str; 3] = ["/me/totp", "/me/recovery", "/me/passkeys"];

/// To the re-authentication page, which comes back to `next`.
pub(crate) fn reauth_redirect(next: &str) -> Response {
    Redirect::to(&format!("/me/reauth?next={next}")).into_response()
}

/// `GET /me/reauth?next=/me/totp`.
#[derive(Debug, Deserialize)]
pub struct ReauthQuery {
    #[serde(default)]
    next: String,
}

fn reauth_next(next: &str) -> &'static str {
    REAUTH_NEXT
        .iter()
        .find(|n| **n == next)
        .copied()
        .unwrap_or("/me")
}

fn reauth_page(p: &Page, next: &str, msg: &str) -> Html<String> {
    let lang = p.prefs.lang;
    let body = format!(
        r#"{msg}<p>{why}</p><form method="post" action="/me/reauth">{csrf}<input type="hidden" name="next" value="{next}">
<label for="secret">{label}</label><input id="secret" name="secret" type="password" autocomplete="current-password" required autofocus>
<button type="submit">{submit}</button></form>"#,
        why = t(
            lang,
            "ログインの方法（パスキー、認証アプリ、回復コード）を変更する前に、本人確認のためパスワード（または認証アプリの確認コード）をもう一度入力してください。確認は10分間有効です。",
            "Before you change how you sign in (passkeys, authenticator app, recovery codes), enter your password (or your authenticator app's code) again. The check holds for 10 minutes."
        ),
        csrf = csrf_field(p.csrf()),
        next = esc(next),
        label = t(lang, "パスワードまたは確認コード", "Password or code"),
        submit = t(lang, "確認して続ける", "Confirm and continue"),
    );
    render(p, t(lang, "本人確認", "Confirm it is you"), &body)
}

/// `GET /me/reauth`: asks for the password (or a TOTP code) again.
pub async fn reauth_form(p: Page, Query(q): Query<ReauthQuery>) -> Html<String> {
    reauth_page(&p, reauth_next(&q.next), "")
}

/// The re-authentication form.
#[derive(Debug, Deserialize)]
pub struct ReauthForm {
    csrf: String,
    secret: String,
    #[serde(default)]
    next: String,
}

/// `POST /me/reauth`: back to the action when right.
pub async fn reauth(
    State(st): State<AppState>,
    p: Page,
    Form(f): Form<ReauthForm>,
) -> Result<Response, WebError> {
    p.check_csrf(&f.csrf)?;
    let lang = p.prefs.lang;
    let next = reauth_next(&f.next);
    if st
        .svc
        .reauthenticate(&p.auth.actor, &p.cookie, &f.secret)
        .await
        .page(lang)?
    {
        return Ok(Redirect::to(next).into_response());
    }
    let msg = alert(t(
        lang,
        "パスワードまたは確認コードが正しくありません。",
        "The password or code is not right.",
    ));
    Ok((
        axum::http::StatusCode::UNAUTHORIZED,
        reauth_page(&p, next, &msg),
    )
        .into_response())
}

async fn data_page(st: &AppState, p: &Page, msg: &str) -> Result<Html<String>, WebError> {
    let lang = p.prefs.lang;
    let rows: String = PURPOSES
        .iter()
        .map(|x| {
            format!(
                r#"<tr id="purpose-{}"><td>{}</td><td>{}</td><td>{}</td></tr>"#,
                x.key,
                esc(x.data.get(lang)),
                esc(x.purpose.get(lang)),
                esc(x.retention.get(lang))
            )
        })
        .collect();
    let requests = st
        .svc
        .my_deletion_requests(&p.auth.actor)
        .await
        .page(lang)?;
    let open = requests.iter().any(|r| r.done_at.is_none());
    let delete = if open {
        status(t(
            lang,
            "削除依頼を受け付けています。管理者が対応すると、このアカウントは使えなくなります。",
            "Your deletion request is pending. Once an administrator carries it out, this account can no longer be used.",
        ))
    } else {
        format!(
            r#"<form method="post" action="/me/data/delete">{csrf}
<label for="reason">{reason}</label><textarea id="reason" name="reason" rows="3" maxlength="1000"></textarea>
<button type="submit">{submit}</button></form>"#,
            csrf = csrf_field(p.csrf()),
            reason = t(lang, "理由（任意）", "Reason (optional)"),
            submit = t(lang, "個人データの削除を依頼する", "Ask to delete my data"),
        )
    };
    let body = format!(
        r#"{msg}<table><caption>{caption}</caption><tr><th scope="col">{d}</th><th scope="col">{pu}</th><th scope="col">{re}</th></tr>{rows}</table>
<h2>{export_h}</h2><p>{export_p}</p><p><a id="export-link" href="/me/data/export" download>{export_a}</a></p>
<h2>{delete_h}</h2><p>{delete_p}</p>{delete}"#,
        caption = t(
            lang,
            "保存する個人データと利用目的・保存期間",
            "Personal data we keep, why, and for how long"
        ),
        d = t(lang, "データ", "Data"),
        pu = t(lang, "利用目的", "Purpose"),
        re = t(lang, "保存期間", "Kept for"),
        export_h = t(lang, "データの出力", "Export my data"),
        export_p = t(
            lang,
            "あなたに関するすべてのデータ（プロフィール、所属、セッション、APIトークンの用途と期限、アクセス記録など）をJSONファイルで出力します。パスワードやトークンそのものは含みません。",
            "Everything about you (profile, organization, sessions, API tokens' labels and expiry, access records, …) as a JSON file. Passwords and tokens themselves are never included."
        ),
        export_a = t(lang, "JSONで出力する", "Download as JSON"),
        delete_h = t(lang, "データの削除依頼", "Ask to delete my data"),
        delete_p = t(
            lang,
            "管理者が対応すると、アカウントを無効にし、氏名とメールアドレスを仮名に置き換え、セッション・APIトークン・ログイン情報を消去します。監査ログは上の表の理由により保存を続けます。",
            "When an administrator carries it out, the account is disabled, your name and e-mail address are replaced by a pseudonym, and sessions, API tokens and sign-in data are erased. The audit log is kept, for the reasons in the table above."
        ),
    );
    Ok(render(p, t(lang, "個人データ", "Personal data"), &body))
}

/// `GET /me/data`: purposes and retention (R-4.8), export, deletion request.
pub async fn data(State(st): State<AppState>, p: Page) -> Result<Html<String>, WebError> {
    data_page(&st, &p, "").await
}

/// `GET /me/data/export`: everything about the person, as a JSON download.
pub async fn data_export(State(st): State<AppState>, p: Page) -> Result<Response, WebError> {
    let lang = p.prefs.lang;
    let d = st.svc.export_my_data(&p.auth.actor).await.page(lang)?;
    let json = serde_json::to_string_pretty(&d)
        .map_err(|e| mamori_service::ServiceError::Internal(e.to_string()))
        .page(lang)?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/json; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"mamori-personal-data.json\"",
            ),
        ],
        json,
    )
        .into_response())
}

/// The deletion-request form.
#[derive(Debug, Deserialize)]
pub struct DeleteForm {
    csrf: String,
    #[serde(default)]
    reason: String,
}

/// `POST /me/data/delete`.
pub async fn data_delete(
    State(st): State<AppState>,
    p: Page,
    Form(f): Form<DeleteForm>,
) -> Result<Html<String>, WebError> {
    p.check_csrf(&f.csrf)?;
    let lang = p.prefs.lang;
    st.svc
        .request_deletion(&p.auth.actor, &f.reason)
        .await
        .page(lang)?;
    data_page(
        &st,
        &p,
        &status(t(
            lang,
            "削除依頼を受け付けました。",
            "Your deletion request was received.",
        )),
    )
    .await
}

/// The person's unread notices (about their account, and vulnerability-case digests),
/// for the home page.
pub async fn notices_block(st: &AppState, p: &Page) -> Result<String, WebError> {
    let lang = p.prefs.lang;
    let n = st.svc.my_notices(&p.auth.actor).await.page(lang)?;
    if n.is_empty() {
        return Ok(String::new());
    }
    let items: String = n
        .iter()
        .map(|n| {
            if let Some(d) = vuln_digest(n) {
                return digest_item(lang, n.at, &d);
            }
            let source = serde_json::from_str::<serde_json::Value>(&n.detail)
                .ok()
                .and_then(|d| d.get("source").and_then(|s| s.as_str()).map(str::to_string))
                .map_or(String::new(), |s| {
                    format!(" ({} {})", t(lang, "接続元", "from"), esc(&s))
                });
            format!(
                "<li>{} — {}{source}</li>",
                when(lang, n.at),
                esc(notice_text(n).get(lang))
            )
        })
        .collect();
    Ok(format!(
        r#"<section class="notice" id="owner-notices" aria-label="{label}"><h2>{label}</h2><ul>{items}</ul>
<form method="post" action="/me/notices/dismiss">{csrf}<button type="submit">{read}</button></form></section>"#,
        label = t(lang, "お知らせ", "Notices"),
        csrf = csrf_field(p.csrf()),
        read = t(lang, "確認しました", "Mark as read"),
    ))
}

/// A vulnerability-case digest (`vuln_digest` notice), if the notice is one.
fn vuln_digest(n: &mamori_store::Notice) -> Option<mamori_vuln::digest::Digest> {
    (n.kind == mamori_service::vuln_digest::VULN_DIGEST)
        .then(|| serde_json::from_str(&n.detail).ok())
        .flatten()
}

/// A digest on the home page: its subject, then per line the case (linked), what it
/// tells and the clause.
fn digest_item(lang: Lang, at: time::OffsetDateTime, d: &mamori_vuln::digest::Digest) -> String {
    let lines: String = d
        .entries
        .iter()
        .map(|e| {
            format!(
                r#"<li><a href="/vuln/{id}">#{id}</a> {what} ({clause})</li>"#,
                id = e.case,
                what = esc(&e.item.describe(lang)),
                clause = esc(e.item.clause().code()),
            )
        })
        .collect();
    format!(
        r#"<li class="vuln-digest">{} — {}<ul>{lines}</ul></li>"#,
        when(lang, at),
        esc(&d.subject(lang))
    )
}

/// `POST /me/notices/dismiss`.
pub async fn dismiss_notices(
    State(st): State<AppState>,
    p: Page,
    Form(f): Form<CsrfOnly>,
) -> Result<Response, WebError> {
    p.check_csrf(&f.csrf)?;
    st.svc
        .dismiss_notices(&p.auth.actor)
        .await
        .page(p.prefs.lang)?;
    Ok(Redirect::to("/").into_response())
}

/// The people and deletion-request sections of `/admin`.
pub async fn admin_sections(st: &AppState, p: &Page) -> Result<String, WebError> {
    let lang = p.prefs.lang;
    let csrf = csrf_field(p.csrf());
    let people = st.svc.users_for_admin(&p.auth.actor).await.page(lang)?;
    let rows: String = people
        .iter()
        .map(|u| {
            let (action, label) = if u.disabled {
                ("enable", t(lang, "有効にする", "Enable"))
            } else {
                ("disable", t(lang, "無効にする", "Disable"))
            };
            format!(
                r#"<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td><form method="post" action="/admin/people/{}/{action}" class="inline">{csrf}<button type="submit">{label}</button></form></td></tr>"#,
                esc(&u.display_name),
                esc(&u.email),
                esc(&crate::html::role_name(lang, u.role)),
                if u.disabled { t(lang, "無効", "disabled") } else { t(lang, "有効", "enabled") },
                u.id.0,
            )
        })
        .collect();
    let requests = st
        .svc
        .open_deletion_requests(&p.auth.actor)
        .await
        .page(lang)?;
    let reqs: String = if requests.is_empty() {
        format!(
            "<p>{}</p>",
            t(
                lang,
                "未対応の削除依頼はありません。",
                "No open deletion requests."
            )
        )
    } else {
        let r: String = requests
            .iter()
            .map(|d| {
                format!(
                    r#"<tr><td>{}</td><td>{}</td><td>{}</td><td><form method="post" action="/admin/deletions/{}" class="inline">{csrf}<button type="submit">{}</button></form></td></tr>"#,
                    when(lang, d.request.requested_at),
                    esc(&d.user.email),
                    esc(&d.request.reason),
                    d.request.id,
                    t(lang, "削除を実施する", "Carry out"),
                )
            })
            .collect();
        format!(
            r#"<table id="deletion-requests"><tr><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th><th scope="col"></th></tr>{r}</table>"#,
            t(lang, "依頼日時", "Requested"),
            t(lang, "利用者", "Person"),
            t(lang, "理由", "Reason"),
        )
    };
    Ok(format!(
        r#"<h2>{dh}</h2><p>{dp}</p>{reqs}<h2>{ph}</h2><table id="people"><tr><th scope="col">{n}</th><th scope="col">{e}</th><th scope="col">{r}</th><th scope="col">{s}</th><th scope="col"></th></tr>{rows}</table>"#,
        dh = t(lang, "個人データの削除依頼", "Deletion requests"),
        dp = t(
            lang,
            "実施すると、アカウントを無効にし、氏名とメールアドレスを仮名に置き換え、セッション・APIトークン・ログイン情報を消去します（監査ログは残ります）。",
            "Carrying one out disables the account, replaces name and e-mail by a pseudonym and erases sessions, API tokens and sign-in data (the audit log stays)."
        ),
        ph = t(lang, "利用者", "People"),
        n = t(lang, "名前", "Name"),
        e = t(lang, "メール", "E-mail"),
        r = t(lang, "役割", "Role"),
        s = t(lang, "状態", "State"),
    ))
}

async fn set_enabled(
    st: &AppState,
    p: &Page,
    id: i64,
    csrf: &str,
    on: bool,
) -> Result<Response, WebError> {
    p.check_csrf(csrf)?;
    st.svc
        .set_user_enabled_by_id(Caller::Person(&p.auth.actor), UserId(id), on)
        .await
        .page(p.prefs.lang)?;
    Ok(Redirect::to("/admin").into_response())
}

/// `POST /admin/people/{id}/enable`.
pub async fn enable_person(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<i64>,
    Form(f): Form<CsrfOnly>,
) -> Result<Response, WebError> {
    set_enabled(&st, &p, id, &f.csrf, true).await
}

/// `POST /admin/people/{id}/disable`.
pub async fn disable_person(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<i64>,
    Form(f): Form<CsrfOnly>,
) -> Result<Response, WebError> {
    set_enabled(&st, &p, id, &f.csrf, false).await
}

/// `POST /admin/deletions/{id}`: carries out a deletion request.
pub async fn carry_out_deletion(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<i64>,
    Form(f): Form<CsrfOnly>,
) -> Result<Response, WebError> {
    p.check_csrf(&f.csrf)?;
    st.svc
        .carry_out_deletion(Caller::Person(&p.auth.actor), id)
        .await
        .page(p.prefs.lang)?;
    Ok(Redirect::to("/admin").into_response())
}

/// `GET /org/pending`: people a platform administrator created in the person's
/// organization, waiting for its confirmation (supervisors; members of a reporting
/// organization), each with who created them and confirm / reject.
pub async fn pending_people(State(st): State<AppState>, p: Page) -> Result<Html<String>, WebError> {
    let lang = p.prefs.lang;
    let people = st.svc.pending_people(&p.auth.actor).await.page(lang)?;
    let rows: String = people
        .iter()
        .map(|(u, by)| {
            let by = match by {
                Some(b) if b.role == mamori_store::Role::PlatformAdmin => format!(
                    "{} ({})",
                    t(lang, "プラットフォーム管理者が作成", "created by the platform administrator"),
                    esc(&b.display_name)
                ),
                Some(b) => esc(&b.display_name),
                None => t(lang, "サーバーの管理コンソールで作成", "created at the server console").to_string(),
            };
            format!(
                r#"<tr id="pending-{id}"><td>{name}</td><td>{email}</td><td>{role}</td><td>{by}</td><td><form method="post" action="/org/pending/{id}/confirm" class="inline">{csrf}<button type="submit">{ok}</button></form> <form method="post" action="/org/pending/{id}/reject" class="inline">{csrf}<button type="submit">{no}</button></form></td></tr>"#,
                id = u.id.0,
                name = esc(&u.display_name),
                email = esc(&u.email),
                role = esc(&crate::html::role_name(lang, u.role)),
                csrf = csrf_field(p.csrf()),
                ok = t(lang, "承認する", "Confirm"),
                no = t(lang, "拒否する（無効化）", "Reject (disable)"),
            )
        })
        .collect();
    let body = format!(
        r#"<p>{hint}</p><table><thead><tr><th>{n}</th><th>{e}</th><th>{r}</th><th>{c}</th><th></th></tr></thead><tbody>{rows}</tbody></table>{none}"#,
        hint = t(
            lang,
            "プラットフォーム管理者が作成したアカウントは、この組織で承認されるまで届出・事案を見られません。心当たりのない人は拒否してください。",
            "Accounts a platform administrator created cannot see reports or cases until this organization confirms them. Reject anyone you do not know."
        ),
        n = t(lang, "名前", "Name"),
        e = t(lang, "メールアドレス", "E-mail"),
        r = t(lang, "役割", "Role"),
        c = t(lang, "作成者", "Created by"),
        none = if people.is_empty() {
            status(t(
                lang,
                "承認待ちの人はいません。",
                "Nobody is waiting for confirmation.",
            ))
        } else {
            String::new()
        },
    );
    Ok(render(
        &p,
        t(
            lang,
            "承認待ちのメンバー",
            "People waiting for confirmation",
        ),
        &body,
    ))
}

/// `POST /org/pending/{id}/{confirm|reject}`.
pub async fn decide_pending(
    State(st): State<AppState>,
    p: Page,
    Path((id, decision)): Path<(i64, String)>,
    Form(f): Form<CsrfOnly>,
) -> Result<Response, WebError> {
    p.check_csrf(&f.csrf)?;
    let confirm = match decision.as_str() {
        "confirm" => true,
        "reject" => false,
        _ => return Err(ServiceError::NotFound).page(p.prefs.lang),
    };
    st.svc
        .decide_pending(&p.auth.actor, UserId(id), confirm)
        .await
        .page(p.prefs.lang)?;
    Ok(Redirect::to("/org/pending").into_response())
}
