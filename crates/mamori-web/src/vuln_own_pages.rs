//! A developer's own-product report (Ⅴ 二) on `/vuln/own`, and the parties' TLP:RED CSAF
//! draft on `GET /vuln/{id}/csaf.json` (`advisory_for`: what that party may see; "not
//! found" for anyone who is no party, as for an embargoed public advisory).

use crate::AppState;
use crate::advisory_pages::json_response;
use crate::error::{WebError, WebResult};
use crate::extract::Page;
use crate::html::{alert, csrf_field, t};
use crate::pages::render;
use crate::portal_pages::{Pairs, get};
use crate::vuln_pages::{area, field, select, text, vuln_error};
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use mamori_core::Lang;
use mamori_store::VulnCaseId;
use mamori_vuln::{Countermeasure, CountermeasureKind, VulnerabilityInfo};

fn own_form(p: &Page, msg: &str) -> String {
    let lang = p.prefs.lang;
    format!(
        r#"{msg}<p>{intro}</p><form method="post" action="/vuln/own">{csrf}
<fieldset><legend>{prod}</legend>{name}{ver}</fieldset>
<fieldset><legend>{info}</legend>{nature}{verif}{attack}</fieldset>
<fieldset><legend>{cm}</legend>{kind}{ja}{en}{fixed}</fieldset>
<p><button type="submit">{send}</button></p></form>"#,
        intro = t(
            lang,
            "自社製品の脆弱性を、作成した対策方法とともに受付機関と調整機関に通知します（取扱基準 Ⅴ 二 (1)）。公表日は調整機関があなたの意見を聴いて定めます（Ⅴ 二 (2)）。",
            "Notify the receiving body and the coordinator of a vulnerability in your own product together with the countermeasure you made (standard Ⅴ 二 (1)). The coordinator sets the publication date after hearing you (Ⅴ 二 (2))."
        ),
        csrf = csrf_field(p.csrf()),
        prod = t(lang, "製品", "Product"),
        name = field(
            "product",
            t(lang, "製品名（必須）", "Product name (required)"),
            "text"
        ),
        ver = field(
            "version",
            t(lang, "バージョン（必須）", "Version (required)"),
            "text"
        ),
        info = t(lang, "脆弱性関連情報", "Vulnerability information"),
        nature = area(
            "nature",
            t(
                lang,
                "脆弱性の性質・特徴（必須）",
                "Nature and features of the vulnerability (required)"
            )
        ),
        verif = area("verification", t(lang, "検証方法", "How to verify it")),
        attack = area(
            "attack",
            t(lang, "攻撃方法（あれば）", "Attack method (if any)")
        ),
        cm = t(lang, "対策方法（必須）", "Countermeasure (required)"),
        kind = select(
            "kind",
            t(lang, "種類", "Kind"),
            &[
                ("fix", t(lang, "修正", "fix").into()),
                ("workaround", t(lang, "回避策", "workaround").into())
            ]
        ),
        ja = field("cm_ja", "対策（日本語）", "text"),
        en = field("cm_en", "Countermeasure (English)", "text"),
        fixed = field("fixed", t(lang, "修正版", "Fixed versions"), "text"),
        send = t(lang, "通知する", "Notify"),
    )
}

fn title(lang: Lang) -> &'static str {
    t(
        lang,
        "自社製品の脆弱性の通知（Ⅴ 二）",
        "Own-product vulnerability (Ⅴ 二)",
    )
}

/// `GET /vuln/own`: only for a person acting as a developer on the list (else 404).
pub async fn own_form_page(State(st): State<AppState>, p: Page) -> Result<Response, WebError> {
    let lang = p.prefs.lang;
    if !st.svc.vuln_is_developer(&p.auth.actor).await.page(lang)? {
        return Err::<Response, _>(mamori_service::ServiceError::NotFound).page(lang);
    }
    Ok(render(&p, title(lang), &own_form(&p, "")).into_response())
}

/// `POST /vuln/own`.
pub async fn own_create(
    State(st): State<AppState>,
    p: Page,
    Form(q): Form<Pairs>,
) -> Result<Response, WebError> {
    p.check_csrf(get(&q, "csrf"))?;
    let lang = p.prefs.lang;
    let attack = text(&q, "attack");
    let info = VulnerabilityInfo {
        nature: text(&q, "nature"),
        verification: text(&q, "verification"),
        attack: (!attack.is_empty()).then_some(attack),
    };
    let cm = Countermeasure {
        kind: if get(&q, "kind") == "workaround" {
            CountermeasureKind::Workaround
        } else {
            CountermeasureKind::Fix
        },
        ja: text(&q, "cm_ja"),
        en: text(&q, "cm_en"),
        url: None,
        fixed_versions: Some(text(&q, "fixed")).filter(|s| !s.is_empty()),
    };
    let (product, version) = (text(&q, "product"), text(&q, "version"));
    if product.is_empty() || version.is_empty() {
        let msg = alert(t(
            lang,
            "製品名とバージョンを入力してください。",
            "Enter the product name and version.",
        ));
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            render(&p, title(lang), &own_form(&p, &msg)),
        )
            .into_response());
    }
    match st
        .svc
        .vuln_own_product(&p.auth.actor, (product, version), info, cm)
        .await
        .page(lang)?
    {
        Ok(id) => Ok(Redirect::to(&format!("/vuln/{}?done=1", id.0)).into_response()),
        Err(e) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            render(&p, title(lang), &own_form(&p, &vuln_error(lang, &e))),
        )
            .into_response()),
    }
}

/// `GET /vuln/{id}/csaf.json` (`?lang=en`): the party's CSAF draft (TLP:RED before
/// publication); 404 for anyone who is no party; 409 with the clause while there is no
/// advisory text yet.
pub async fn csaf_draft(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<i64>,
    Query(q): Query<Pairs>,
) -> Result<Response, WebError> {
    let lang = if get(&q, "lang") == "en" {
        Lang::En
    } else {
        p.prefs.lang
    };
    match st
        .svc
        .vuln_csaf_draft(&p.auth.actor, VulnCaseId(id), lang)
        .await
        .page(lang)?
    {
        Ok(doc) => Ok(json_response(&doc)),
        Err(e) => {
            let mut r = json_response(&serde_json::json!({
                "error": e.code(),
                "clause": e.clause().code(),
                "message": e.to_string(),
            }));
            *r.status_mut() = StatusCode::CONFLICT;
            Ok(r)
        }
    }
}
