//! HTML handlers: each extracts, calls one service method, and renders.

use crate::AppState;
use crate::error::{WebError, WebResult};
use crate::extract::{
    ClientIp, DEVICE_COOKIE, DEVICE_COOKIE_SECS, PRE_COOKIE, Page, SESSION_COOKIE,
    constant_time_eq, cookie, set_cookie,
};
use crate::html::{
    Nav, Prefs, audit_action_name, csrf_field, esc, org_kind_name, page, role_name, t,
};
use axum::extract::{Form, Path, Query, State};
use axum::http::header::SET_COOKIE;
use axum::http::request::Parts;
use axum::response::{Html, IntoResponse, Redirect, Response};
use mamori_core::Lang;
use mamori_guard::LoginOutcome;
use mamori_service::admin::AuditActor;
use mamori_service::auth::{NewSession, SignIn};
use mamori_service::{ServiceError, codes};
use mamori_store::{AuditEntry, OrgId};
use serde::Deserialize;

fn nav(p: &Page) -> Nav<'_> {
    Nav {
        name: &p.auth.actor.user.display_name,
        admin: p.auth.actor.is_admin(),
        csrf: p.csrf(),
        reporter: p.auth.actor.user.role == mamori_store::Role::Reporter,
        body_staff: p.auth.actor.org.kind.is_receiving_body()
            && matches!(
                p.auth.actor.user.role,
                mamori_store::Role::BodyStaff | mamori_store::Role::BodySupervisor
            ),
        editor: p.auth.actor.user.role == mamori_store::Role::Editor,
    }
}

pub(crate) fn render(p: &Page, title: &str, body: &str) -> Html<String> {
    crate::html::page_with(
        crate::html::Look {
            lang: p.prefs.lang,
            large: p.prefs.large,
            contrast: p.prefs.contrast,
        },
        "",
        title,
        Some(&nav(p)),
        "",
        body,
    )
}

/// The signed-in person's menu (the portal's pages show it too).
pub(crate) fn nav_of(p: &Page) -> Nav<'_> {
    nav(p)
}

/// The one time formatter, where the account pages look for it.
pub(crate) use crate::html::when;

fn session_cookie(st: &AppState, s: &NewSession) -> String {
    let max = st.svc.config().session_absolute.whole_seconds();
    set_cookie(SESSION_COOKIE, &s.cookie, max, st.secure_cookies)
}

fn session_response(st: &AppState, s: &NewSession, to: &str) -> Response {
    ([(SET_COOKIE, session_cookie(st, s))], Redirect::to(to)).into_response()
}

/// The session cookie and `{"redirect": to}` (a sign-in finished by a script).
pub(crate) fn session_response_json(st: &AppState, s: &NewSession, to: &str) -> Response {
    (
        [(SET_COOKIE, session_cookie(st, s))],
        axum::Json(serde_json::json!({"redirect": to})),
    )
        .into_response()
}

/// `GET /prefs?lang=en&large=1`: stores display preferences in cookies.
pub async fn prefs(
    State(st): State<AppState>,
    Query(q): Query<std::collections::HashMap<String, String>>,
) -> Response {
    let mut headers = axum::http::HeaderMap::new();
    if let Some(l) = q.get("lang").and_then(|l| Lang::parse(l)) {
        let v = set_cookie(
            "lang",
            if l == Lang::En { "en" } else { "ja" },
            31_536_000,
            st.secure_cookies,
        );
        headers.append(SET_COOKIE, v.parse().expect("ascii cookie"));
    }
    for name in ["large", "contrast"] {
        if let Some(v) = q.get(name) {
            let v = set_cookie(
                name,
                if v == "1" { "1" } else { "0" },
                31_536_000,
                st.secure_cookies,
            );
            headers.append(SET_COOKIE, v.parse().expect("ascii cookie"));
        }
    }
    // Back to a page of this site (`/consult` for people without an account).
    let back = q
        .get("back")
        .map(String::as_str)
        .filter(|b| {
            b.starts_with('/')
                && !b.starts_with("//")
                && b.bytes()
                    .all(|c| c.is_ascii_alphanumeric() || b"/-_".contains(&c))
        })
        .unwrap_or("/");
    (headers, Redirect::to(back)).into_response()
}

/// `GET /login`.
pub async fn login_form(State(st): State<AppState>, prefs: Prefs) -> Response {
    login_page(&st, prefs, None, false)
}

fn login_page(st: &AppState, prefs: Prefs, message: Option<&str>, totp: bool) -> Response {
    let lang = prefs.lang;
    let nonce = st.svc.new_nonce();
    let msg = message.map_or(String::new(), |m| {
        format!(r#"<div class="error" role="alert">{}</div>"#, esc(m))
    });
    let body = format!(
        r#"{msg}<form method="post" action="/login">{csrf}
<label for="email">{email}</label><input id="email" name="email" type="email" autocomplete="username" required>
<label for="password">{pw}</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<label for="totp">{code}</label><input id="totp" name="totp" inputmode="numeric" autocomplete="one-time-code" {req}>
<button type="submit">{submit}</button></form>{passkey}"#,
        csrf = csrf_field(&nonce),
        passkey = crate::passkey_pages::sign_in_section(st, lang),
        email = t(lang, "メールアドレス", "E-mail address"),
        pw = t(lang, "パスワード", "Password"),
        code = t(
            lang,
            "確認コード（二要素認証を設定している場合）",
            "Code (if two-factor is set up)"
        ),
        req = if totp { "required" } else { "" },
        submit = t(lang, "ログイン", "Sign in"),
    );
    let c = set_cookie(PRE_COOKIE, &nonce, 3600, st.secure_cookies);
    let status = if message.is_some() {
        axum::http::StatusCode::UNAUTHORIZED
    } else {
        axum::http::StatusCode::OK
    };
    crate::passkey_pages::with_script((
        status,
        [(SET_COOKIE, c)],
        page(
            lang,
            prefs.large,
            t(lang, "ログイン", "Sign in"),
            None,
            &body,
        ),
    ))
}

/// The sign-in form.
#[derive(Debug, Deserialize)]
pub struct LoginForm {
    csrf: String,
    email: String,
    password: String,
    #[serde(default)]
    totp: String,
}

/// `POST /login`.
pub async fn login(
    State(st): State<AppState>,
    prefs: Prefs,
    ClientIp(ip): ClientIp,
    parts: Parts,
    Form(f): Form<LoginForm>,
) -> Result<Response, WebError> {
    let lang = prefs.lang;
    let pre = cookie(&parts, PRE_COOKIE).unwrap_or("");
    if pre.is_empty() || !constant_time_eq(pre.as_bytes(), f.csrf.as_bytes()) {
        return Err(ServiceError::Invalid(codes::CSRF)).page(lang);
    }
    let totp = Some(f.totp.as_str()).filter(|c| !c.trim().is_empty());
    let device = cookie(&parts, DEVICE_COOKIE).filter(|d| {
        d.len() <= 64
            && d.bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
    });
    match st
        .svc
        .sign_in_from_device(&f.email, &f.password, totp, ip, device)
        .await
        .page(lang)?
    {
        SignIn::Ok(s) => {
            // The known-device cookie, set (or renewed) at each successful sign-in.
            let mut res = session_response(&st, &s, "/");
            if let Some(tok) = s.device_token.as_deref().or(device) {
                let c = set_cookie(DEVICE_COOKIE, tok, DEVICE_COOKIE_SECS, st.secure_cookies);
                if let Ok(v) = c.parse() {
                    res.headers_mut().append(SET_COOKIE, v);
                }
            }
            Ok(res)
        }
        SignIn::NeedSecondFactor => Ok(login_page(
            &st,
            prefs,
            Some(t(
                lang,
                "確認コード（認証アプリまたは回復コード）を入力してください。パスキーを登録している場合は「パスキーでログイン」を使えます。",
                "Enter the code from your authenticator app or a recovery code. If you registered a passkey, use “Sign in with a passkey”.",
            )),
            true,
        )),
        SignIn::Refused(o) => {
            let mut m = o.text().get(lang).to_string();
            if let LoginOutcome::Throttled { retry_after_secs } = o {
                m.push_str(&format!(" ({retry_after_secs}s)"));
            }
            Ok(login_page(&st, prefs, Some(&m), false))
        }
    }
}

/// A form with only the CSRF token.
#[derive(Debug, Deserialize)]
pub struct CsrfOnly {
    pub(crate) csrf: String,
}

/// `POST /logout`.
pub async fn logout(
    State(st): State<AppState>,
    p: Page,
    Form(f): Form<CsrfOnly>,
) -> Result<Response, WebError> {
    p.check_csrf(&f.csrf)?;
    st.svc
        .sign_out(&p.auth.actor, &p.cookie)
        .await
        .page(p.prefs.lang)?;
    let c = set_cookie(SESSION_COOKIE, "", 0, st.secure_cookies);
    Ok(([(SET_COOKIE, c)], Redirect::to("/login")).into_response())
}

/// `GET /link/{token}`: the first administrator's one-time sign-in.
pub async fn link(
    State(st): State<AppState>,
    prefs: Prefs,
    ClientIp(ip): ClientIp,
    Path(token): Path<String>,
) -> Result<Response, WebError> {
    let (s, needs_password) = st
        .svc
        .redeem_login_link(&token, ip)
        .await
        .page(prefs.lang)?;
    // The link works once: without a password there would be no way back in.
    let to = if needs_password { "/me/password" } else { "/" };
    Ok(session_response(&st, &s, to))
}

/// `GET /set-password/{token}`.
pub async fn set_password_form(
    State(st): State<AppState>,
    prefs: Prefs,
    Path(token): Path<String>,
) -> Response {
    set_password_page(&st, prefs, &token, None)
}

/// The form carries a pre-session CSRF token (double-submit cookie, as on the
/// sign-in form), so even this page's form is never accepted cross-site.
fn set_password_page(st: &AppState, prefs: Prefs, token: &str, msg: Option<&str>) -> Response {
    let lang = prefs.lang;
    let nonce = st.svc.new_nonce();
    let msg = msg.map_or(String::new(), |m| {
        format!(r#"<div class="error" role="alert">{}</div>"#, esc(m))
    });
    let body = format!(
        r#"{msg}<p>{hint}</p><form method="post" action="/set-password/{tok}">{csrf}
<label for="password">{pw}</label><input id="password" name="password" type="password" autocomplete="new-password" minlength="15" required>
<button type="submit">{submit}</button></form>"#,
        hint = t(
            lang,
            "15文字以上で、推測されにくいパスワードを決めてください（単語をいくつか並べた文が覚えやすく安全です）。",
            "Choose a password of at least 15 characters that is hard to guess (a few unrelated words are easy to remember and safe)."
        ),
        tok = esc(token),
        csrf = csrf_field(&nonce),
        pw = t(lang, "新しいパスワード", "New password"),
        submit = t(lang, "設定する", "Set password"),
    );
    let status = if !msg.is_empty() {
        axum::http::StatusCode::BAD_REQUEST
    } else {
        axum::http::StatusCode::OK
    };
    let c = set_cookie(PRE_COOKIE, &nonce, 3600, st.secure_cookies);
    let title = t(lang, "パスワードの設定", "Set your password");
    (
        status,
        [(SET_COOKIE, c)],
        page(lang, prefs.large, title, None, &body),
    )
        .into_response()
}

/// The set-password form. The token in the path is the credential (single use).
#[derive(Debug, Deserialize)]
pub struct PasswordForm {
    csrf: String,
    password: String,
}

/// `POST /set-password/{token}`.
pub async fn set_password(
    State(st): State<AppState>,
    prefs: Prefs,
    ClientIp(ip): ClientIp,
    Path(token): Path<String>,
    parts: Parts,
    Form(f): Form<PasswordForm>,
) -> Result<Response, WebError> {
    let pre = cookie(&parts, PRE_COOKIE).unwrap_or("");
    if pre.is_empty() || !constant_time_eq(pre.as_bytes(), f.csrf.as_bytes()) {
        return Err(ServiceError::Invalid(codes::CSRF)).page(prefs.lang);
    }
    match st.svc.set_password_with_link(&token, &f.password, ip).await {
        Ok(()) => Ok(Redirect::to("/login").into_response()),
        Err(ServiceError::PasswordRefused(r)) => {
            let m = r.message(prefs.lang);
            Ok(set_password_page(&st, prefs, &token, Some(&m)))
        }
        Err(e) => Err(e).page(prefs.lang),
    }
}

/// `GET /`: the signed-in start page; a visitor without a session goes to the public
/// portal, one whose session ended to the sign-in page.
pub async fn start(State(st): State<AppState>, req: axum::extract::Request) -> Response {
    use axum::extract::FromRequestParts;
    let (mut parts, _) = req.into_parts();
    if cookie(&parts, SESSION_COOKIE).is_none() {
        return Redirect::to("/portal").into_response();
    }
    match Page::from_request_parts(&mut parts, &st).await {
        Ok(p) => home(State(st), p).await.into_response(),
        Err(r) => r,
    }
}

/// `GET /`: the start page, with the previous sign-in (R-4.4).
pub async fn home(State(st): State<AppState>, p: Page) -> Result<Html<String>, WebError> {
    let lang = p.prefs.lang;
    let prev = st.svc.previous_sign_in(&p.auth.actor).await.page(lang)?;
    let notice = match prev {
        Some(e) => format!(
            r#"<p class="notice" id="previous-login">{}: {} — {} {}</p>"#,
            t(lang, "前回のログイン", "Previous sign-in"),
            when(lang, e.at),
            t(lang, "接続元", "from"),
            esc(&e.source)
        ),
        None => format!(
            r#"<p class="notice" id="previous-login">{}</p>"#,
            t(
                lang,
                "今回が初めてのログインです。",
                "This is your first sign-in."
            )
        ),
    };
    let a = &p.auth.actor;
    let owner_notices = crate::account_pages::notices_block(&st, &p).await?;
    let body = format!(
        r#"{notice}{owner_notices}<p>{hint}</p><dl><dt>{org}</dt><dd>{orgname}</dd><dt>{role}</dt><dd>{rolename}</dd></dl>{intake}"#,
        intake = home_intake(lang, &nav(&p)),
        hint = t(
            lang,
            "見覚えのないログインがあれば、すぐに管理者へ連絡してください。",
            "If you do not recognise a sign-in, tell your administrator at once."
        ),
        org = t(lang, "所属", "Organization"),
        orgname = esc(&a.org.name),
        role = t(lang, "役割", "Role"),
        rolename = esc(&role_name(lang, a.user.role)),
    );
    Ok(render(&p, t(lang, "ホーム", "Home"), &body))
}

/// The home page's pointers to intake and case work, by role.
fn home_intake(lang: Lang, n: &Nav<'_>) -> String {
    let mut items = String::new();
    if n.reporter {
        items.push_str(&format!(
            r#"<li><a href="/reports/new">{}</a> — {}</li><li><a href="/reports">{}</a></li>"#,
            t(lang, "不正アクセスを報告する", "Report unauthorized access"),
            t(
                lang,
                "質問に答えると届出先の案内が出ます。mamori scan の結果から始めることもできます。",
                "Answer a few questions and see where to report; you can start from a mamori scan result."
            ),
            t(lang, "組織の報告と各機関の対応状況", "Your organization's reports and each body's handling"),
        ));
    }
    if n.body_staff {
        items.push_str(&format!(
            r#"<li><a href="/cases">{}</a> — {}</li>"#,
            t(lang, "受付キュー", "Case queue"),
            t(
                lang,
                "届いた報告の受理・対応・回付・完了",
                "Accept, work, refer and close the reports you received"
            ),
        ));
    }
    items.push_str(&format!(
        r#"<li><a href="/consult">{}</a> — {}</li>"#,
        t(lang, "相談窓口案内", "Where to report"),
        t(
            lang,
            "警察・IPA・JPCERT/CC のどこに相談すればよいか",
            "Police, IPA or JPCERT/CC: which one fits"
        ),
    ));
    format!(
        r#"<section aria-labelledby="intake-h"><h2 id="intake-h">{}</h2><ul>{items}</ul></section>"#,
        t(lang, "届出・相談", "Reporting and consultation")
    )
}

/// `GET /orgs`.
pub async fn orgs(State(st): State<AppState>, p: Page) -> Result<Html<String>, WebError> {
    let lang = p.prefs.lang;
    let list = st.svc.orgs(&p.auth.actor).await.page(lang)?;
    let rows: String = list
        .iter()
        .map(|o| {
            format!(
                r#"<li><a href="/orgs/{}">{}</a> ({})</li>"#,
                o.id.0,
                esc(&o.name),
                esc(&org_kind_name(lang, o.kind))
            )
        })
        .collect();
    Ok(render(
        &p,
        t(lang, "組織", "Organizations"),
        &format!("<ul>{rows}</ul>"),
    ))
}

/// `GET /orgs/{id}`.
pub async fn org(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<i64>,
) -> Result<Html<String>, WebError> {
    let lang = p.prefs.lang;
    let (org, people) = st.svc.org(&p.auth.actor, OrgId(id)).await.page(lang)?;
    let rows: String = people
        .iter()
        .map(|u| {
            format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&u.display_name),
                esc(&u.email),
                esc(&role_name(lang, u.role))
            )
        })
        .collect();
    let body = format!(
        "<p>{}: {}</p><table><caption>{}</caption><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr>{rows}</table>",
        t(lang, "種別", "Kind"),
        esc(&org_kind_name(lang, org.kind)),
        t(lang, "所属する人", "People"),
        t(lang, "名前", "Name"),
        t(lang, "メール", "E-mail"),
        t(lang, "役割", "Role"),
    );
    Ok(render(&p, &org.name, &body))
}

/// The audit entries as a table: when (JST), who (name and e-mail, or the
/// system), the action in words, the object and the source.
pub(crate) fn audit_table(
    lang: Lang,
    entries: &[AuditEntry],
    who: &std::collections::HashMap<mamori_store::UserId, AuditActor>,
) -> String {
    let rows: String = entries
        .iter()
        .map(|e| {
            let actor = match e.actor {
                None => t(lang, "システム", "system").to_string(),
                Some(id) => who.get(&id).map_or_else(
                    || format!("#{} {}", id.0, t(lang, "（削除済み）", "(erased)")),
                    |a| format!(r#"{}<br><span class="muted">{}</span>"#, esc(&a.name), esc(&a.email)),
                ),
            };
            format!(
                "<tr><td class=\"nowrap\">{}</td><td>{actor}</td><td>{}{}</td><td>{}</td><td>{}</td></tr>",
                when(lang, e.at),
                audit_action_name(lang, &e.action),
                // How a sign-in was made (password, password+totp, passkey…).
                serde_json::from_str::<serde_json::Value>(&e.detail)
                    .ok()
                    .and_then(|d| d["method"].as_str().map(|m| format!(" ({})", esc(m))))
                    .unwrap_or_default(),
                esc(&e.object),
                esc(&e.source)
            )
        })
        .collect();
    format!(
        "<table class=\"stack\" id=\"audit\"><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr>{rows}</table>",
        t(lang, "日時", "When"),
        t(lang, "実行者", "Who"),
        t(lang, "操作", "Action"),
        t(lang, "対象", "Object"),
        t(lang, "接続元", "Source"),
    )
}

/// `GET /me/history`: the person's own access records (R-4.5).
pub async fn history(State(st): State<AppState>, p: Page) -> Result<Html<String>, WebError> {
    let lang = p.prefs.lang;
    let h = st.svc.my_history(&p.auth.actor, 200).await.page(lang)?;
    let who = st.svc.audit_actors(&h).await.page(lang)?;
    Ok(render(
        &p,
        t(lang, "自分のアクセス履歴", "My access history"),
        &audit_table(lang, &h, &who),
    ))
}
