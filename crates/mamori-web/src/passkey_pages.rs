//! Passkeys: `/me/passkeys` (list, register, remove) and the passkey half of
//! `/login`. The WebAuthn ceremonies need `navigator.credentials`, so these two
//! pages — and only these — load `/static/passkey.js` under a CSP that allows
//! scripts from this origin ([`with_script`]); everything else a person needs
//! (password, TOTP, recovery codes, removing a passkey) works without scripts.
//!
//! The ceremony endpoints speak JSON and take the CSRF token in the
//! `X-CSRF-Token` header: the session's token when signed in, the pre-session
//! token of the sign-in form otherwise. A sign-in ceremony's secret lives in a
//! five-minute `HttpOnly; SameSite=Strict` cookie.

use crate::error::{WebError, WebResult};
use crate::extract::{ClientIp, PRE_COOKIE, Page, constant_time_eq, cookie, set_cookie};
use crate::html::{csrf_field, esc, t};
use crate::pages::{CsrfOnly, render, session_response_json};
use crate::{AppState, CSP_WITH_SCRIPT};
use axum::Json;
use axum::extract::{Form, Path, Query, State};
use axum::http::header::{CONTENT_SECURITY_POLICY, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use mamori_core::Lang;
use mamori_service::auth::SignIn;
use mamori_service::{ServiceError, codes};
use serde::Deserialize;

/// The cookie holding a passkey sign-in ceremony's secret.
const CEREMONY_COOKIE: &str = "mamori_pk";

/// The browser half of the ceremonies.
pub const SCRIPT: &str = include_str!("../static/passkey.js");

/// Marks a page as one that runs `/static/passkey.js`.
pub fn with_script(r: impl IntoResponse) -> Response {
    let mut r = r.into_response();
    r.headers_mut().insert(
        CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP_WITH_SCRIPT),
    );
    r
}

fn csrf_header(parts: &Parts) -> &str {
    parts
        .headers
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

fn check(expected: &str, sent: &str) -> Result<(), WebError> {
    if expected.is_empty() || !constant_time_eq(expected.as_bytes(), sent.as_bytes()) {
        return Err(ServiceError::Invalid(codes::CSRF)).api();
    }
    Ok(())
}

/// The `data-*` texts the script shows, in the page's language.
fn script_texts(lang: Lang, failed: &str) -> String {
    format!(
        r#"data-failed="{}" data-cancelled="{}" data-unsupported="{}""#,
        esc(failed),
        esc(t(
            lang,
            "キャンセルされたか、時間切れか、使えるパスキーが見つかりませんでした。",
            "It was cancelled, timed out, or no usable passkey was found."
        )),
        esc(t(
            lang,
            "このブラウザーまたはこのアドレスではパスキーを使えません。",
            "Passkeys cannot be used in this browser or at this address."
        )),
    )
}

/// Where passkeys work, for a browser at another address (`http://localhost:…`
/// for a server on 127.0.0.1: browsers refuse an IP address as the site's id).
/// Hidden; the script compares its own origin (which a reverse proxy cannot
/// disguise) and shows this link instead of the button when they differ.
fn elsewhere(origin: &str, lang: Lang, path: &str) -> String {
    format!(
        r#"<p class="notice" id="passkey-origin" data-origin="{o}" hidden>{} <a href="{o}{path}">{o}{path}</a></p>"#,
        t(
            lang,
            "パスキーはこのアドレスでは使えません。次のアドレスで開いてください：",
            "Passkeys do not work at this address. Open:"
        ),
        o = esc(origin),
    )
}

/// The passkey part of the sign-in form (empty when passkeys are off).
pub(crate) fn sign_in_section(st: &AppState, lang: Lang) -> String {
    let Some(origin) = st.svc.passkey_origin() else {
        return String::new();
    };
    let h = t(lang, "パスキーでログイン", "Sign in with a passkey");
    format!(
        r#"<section aria-labelledby="passkey-h"><h2 id="passkey-h">{h}</h2><p>{hint}</p>{elsewhere}
<button type="button" id="passkey-signin" hidden {texts} data-need-email="{need}">{h}</button>
<p id="passkey-status" hidden></p><noscript><p>{noscript}</p></noscript></section>
<script src="/static/passkey.js" defer></script>"#,
        hint = t(
            lang,
            "パスキーを登録済みの方は、メールアドレスを入力してこのボタンを押してください（パスワードは不要です）。",
            "If you registered a passkey, enter your e-mail address and press this button (no password needed)."
        ),
        elsewhere = elsewhere(&origin, lang, "/login"),
        texts = script_texts(
            lang,
            t(
                lang,
                "パスキーでログインできませんでした。",
                "Could not sign in with a passkey."
            )
        ),
        need = esc(t(
            lang,
            "先にメールアドレスを入力してください。",
            "Enter your e-mail address first."
        )),
        noscript = t(
            lang,
            "パスキーでのログインにはJavaScriptが必要です。パスワードでもログインできます。",
            "Signing in with a passkey needs JavaScript. You can sign in with your password."
        ),
    )
}

/// `GET /me/passkeys?added=1`.
#[derive(Debug, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    added: Option<String>,
}

/// `GET /me/passkeys`: the person's passkeys, a button to add one, forms to
/// remove each.
pub async fn list(
    State(st): State<AppState>,
    p: Page,
    Query(q): Query<ListQuery>,
) -> Result<Response, WebError> {
    let lang = p.prefs.lang;
    // Adding a passkey needs a recent password or code: asked before the page, so
    // the button's ceremony does not fail halfway.
    if let Err(ServiceError::Invalid(c)) = st.svc.require_recent_auth(&p.cookie).await
        && c == codes::REAUTH
    {
        return Ok(crate::account_pages::reauth_redirect("/me/passkeys"));
    }
    let ids = st.svc.passkey_ids(&p.auth.actor).await.page(lang)?;
    let rows: String = ids
        .iter()
        .enumerate()
        .map(|(i, id)| {
            format!(
                r#"<tr><td>{n}</td><td><code>{short}…</code></td><td><form method="post" action="/me/passkeys/{id}/remove" class="inline">{csrf}<button type="submit">{remove}</button></form></td></tr>"#,
                n = i + 1,
                short = esc(&id[..id.len().min(16)]),
                id = esc(id),
                csrf = csrf_field(p.csrf()),
                remove = t(lang, "削除", "Remove"),
            )
        })
        .collect();
    let table = if ids.is_empty() {
        format!(
            "<p>{}</p>",
            t(
                lang,
                "登録済みのパスキーはありません。",
                "No passkey registered."
            )
        )
    } else {
        format!(
            r#"<table id="passkeys"><thead><tr><th>#</th><th>{id}</th><th></th></tr></thead><tbody>{rows}</tbody></table>"#,
            id = t(lang, "識別子", "Id"),
        )
    };
    let added = q.added.is_some().then(|| {
        format!(
            r#"<p class="notice" role="status">{} <a href="/me/recovery">{}</a></p>"#,
            t(
                lang,
                "パスキーを登録しました。次回からパスワードなしでログインできます（パスワードだけではログインできなくなります）。端末をなくしたときのために回復コードも作成しておいてください。",
                "Passkey registered. You can now sign in without your password (a password alone no longer signs in). Create recovery codes too, in case you lose this device."
            ),
            t(lang, "回復コード", "Recovery codes")
        )
    });
    let register = match st.svc.passkey_origin() {
        None => format!(
            "<p>{}</p>",
            esc(ServiceError::Invalid(codes::PASSKEY_OFF).text().get(lang))
        ),
        Some(origin) => format!(
            r#"{elsewhere}<button type="button" id="passkey-register" hidden data-csrf="{csrf}" {texts}>{button}</button>
<p id="passkey-status" hidden></p><noscript><p>{noscript}</p></noscript>
<script src="/static/passkey.js" defer></script>"#,
            elsewhere = elsewhere(&origin, lang, "/me/passkeys"),
            csrf = esc(p.csrf()),
            texts = script_texts(
                lang,
                t(
                    lang,
                    "パスキーを登録できませんでした。",
                    "The passkey could not be registered."
                )
            ),
            button = t(lang, "パスキーを登録する", "Register a passkey"),
            noscript = t(
                lang,
                "パスキーの登録にはJavaScriptが必要です。",
                "Registering a passkey needs JavaScript."
            ),
        ),
    };
    let body = format!(
        r#"{added}<p>{what}</p>{table}{register}"#,
        added = added.unwrap_or_default(),
        what = t(
            lang,
            "パスキーは、この端末の指紋・顔・PINで本人確認してログインする方法です。偽サイトでは使えないため、フィッシングに強い方法です。",
            "A passkey signs you in with this device's fingerprint, face or PIN. It does not work on a fake site, so it resists phishing."
        ),
    );
    Ok(with_script(render(
        &p,
        t(lang, "パスキー", "Passkeys"),
        &body,
    )))
}

/// `POST /me/passkeys/begin`: the registration challenge (JSON).
pub async fn register_begin(
    State(st): State<AppState>,
    p: Page,
    parts: Parts,
) -> Result<Response, WebError> {
    check(p.csrf(), csrf_header(&parts))?;
    let c = st
        .svc
        .begin_passkey_registration(&p.auth.actor, &p.cookie)
        .await
        .api()?;
    Ok(Json(c).into_response())
}

/// `POST /me/passkeys/finish`: the browser's answer; `{"ok": true}`.
pub async fn register_finish(
    State(st): State<AppState>,
    p: Page,
    parts: Parts,
    body: String,
) -> Result<Response, WebError> {
    check(p.csrf(), csrf_header(&parts))?;
    st.svc
        .finish_passkey_registration(&p.auth.actor, &p.cookie, &body)
        .await
        .api()?;
    Ok(Json(serde_json::json!({"ok": true})).into_response())
}

/// `POST /me/passkeys/{id}/remove` (a plain form).
pub async fn remove(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<String>,
    Form(f): Form<CsrfOnly>,
) -> Result<Response, WebError> {
    p.check_csrf(&f.csrf)?;
    st.svc
        .remove_passkey(&p.auth.actor, &id)
        .await
        .page(p.prefs.lang)?;
    Ok(Redirect::to("/me/passkeys").into_response())
}

/// The first sign-in request: who.
#[derive(Debug, Deserialize)]
pub struct BeginSignIn {
    email: String,
}

/// `POST /login/passkey/begin`: the assertion challenge (JSON) and the
/// ceremony cookie.
pub async fn sign_in_begin(
    State(st): State<AppState>,
    ClientIp(ip): ClientIp,
    parts: Parts,
    Json(b): Json<BeginSignIn>,
) -> Result<Response, WebError> {
    check(
        cookie(&parts, PRE_COOKIE).unwrap_or(""),
        csrf_header(&parts),
    )?;
    let s = st.svc.begin_passkey_sign_in(&b.email, ip).await.api()?;
    let ttl = mamori_service::passkeys::CEREMONY_TTL.whole_seconds();
    let c = set_cookie(CEREMONY_COOKIE, &s.secret, ttl, st.secure_cookies);
    Ok(([(SET_COOKIE, c)], Json(s.challenge)).into_response())
}

/// `POST /login/passkey/finish`: signs in and answers `{"redirect": "/"}` with the
/// session cookie, or 401 with the reason.
pub async fn sign_in_finish(
    State(st): State<AppState>,
    ClientIp(ip): ClientIp,
    parts: Parts,
    body: String,
) -> Result<Response, WebError> {
    check(
        cookie(&parts, PRE_COOKIE).unwrap_or(""),
        csrf_header(&parts),
    )?;
    let secret = cookie(&parts, CEREMONY_COOKIE).unwrap_or("");
    let clear = set_cookie(CEREMONY_COOKIE, "", 0, st.secure_cookies);
    match st
        .svc
        .finish_passkey_sign_in(secret, &body, ip)
        .await
        .api()?
    {
        SignIn::Ok(s) => {
            let mut r = session_response_json(&st, &s, "/");
            if let Ok(v) = clear.parse() {
                r.headers_mut().append(SET_COOKIE, v);
            }
            Ok(r)
        }
        SignIn::NeedSecondFactor => Err(ServiceError::Invalid(codes::PASSKEY)).api(),
        SignIn::Refused(o) => {
            let text = o.text();
            Ok((
                StatusCode::UNAUTHORIZED,
                [(SET_COOKIE, clear)],
                Json(serde_json::json!({"error": {
                    "code": codes::PASSKEY,
                    "message": text.get(Lang::En),
                    "message_ja": text.get(Lang::Ja),
                }})),
            )
                .into_response())
        }
    }
}
