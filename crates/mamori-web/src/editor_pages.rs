//! The portal's editorial pages (`/portal/edit`, editors only): the items by state,
//! forms for publishers, materials and alerts, and one form per workflow action
//! (send to review; a second editor publishes or sends back; withdraw). Who may do
//! what is decided in `mamori_service::authz`; these pages only show the buttons that
//! fit the item's state.

use crate::AppState;
use crate::error::{WebError, WebResult};
use crate::extract::{Page, receive};
use crate::html::{alert, csrf_field, esc, notice, t, when};
use crate::pages::render;
use crate::portal_pages::{Pairs, get};
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use mamori_core::portal::catalog::{
    Alert, FieldError, Kind, LISTING_CRITERIA, Material, Publisher, PublisherKind, State as St,
};
use mamori_core::portal::files::MAX_FILE_BYTES;
use mamori_core::portal::{Audience, Format, MaterialLang, Topic};
use mamori_core::{Lang, Text};
use mamori_service::portal::{EditorItem, Payload};
use mamori_store::PortalItemId;

fn all_of(q: &[(String, String)], name: &str) -> Vec<String> {
    q.iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .collect()
}

fn text(q: &[(String, String)], name: &str) -> String {
    get(q, name).trim().replace("\r\n", "\n")
}

/// The payload of a `kind` form.
fn payload(kind: Kind, q: &[(String, String)]) -> Payload {
    let audiences: Vec<Audience> = all_of(q, "audiences")
        .iter()
        .filter_map(|a| Audience::parse(a))
        .collect();
    match kind {
        Kind::Publisher => Payload::Publisher(Publisher {
            name: text(q, "name"),
            kind: PublisherKind::parse(get(q, "kind")),
            url: text(q, "url"),
            contact: text(q, "contact"),
            criteria_note: text(q, "criteria_note"),
        }),
        Kind::Material => Payload::Material(Material {
            title: text(q, "title"),
            summary: text(q, "summary"),
            audiences,
            topic: Topic::parse(get(q, "topic")),
            format: Format::parse(get(q, "format")),
            language: MaterialLang::parse(get(q, "language")),
            url: text(q, "url"),
            file: None,
            terms: text(q, "terms"),
            citation: text(q, "citation"),
            publisher: get(q, "publisher").parse().unwrap_or(0),
            review_by: text(q, "review_by"),
            promotion: get(q, "promotion") == "1",
        }),
        Kind::Alert => Payload::Alert(Alert {
            title_ja: text(q, "title_ja"),
            title_en: text(q, "title_en"),
            body_ja: text(q, "body_ja"),
            body_en: text(q, "body_en"),
            audiences,
            urgent: get(q, "urgent") == "1",
            until: text(q, "until"),
        }),
    }
}

struct FormCtx<'a> {
    lang: Lang,
    errors: &'a [FieldError],
}

impl FormCtx<'_> {
    fn err(&self, field: &str) -> String {
        self.errors
            .iter()
            .filter(|e| e.field == field)
            .map(|e| {
                format!(
                    r#"<p class="field-error" id="err-{field}">{}</p>"#,
                    esc(e.message.get(self.lang))
                )
            })
            .collect()
    }

    fn described(&self, field: &str) -> String {
        if self.errors.iter().any(|e| e.field == field) {
            format!(r#" aria-describedby="err-{field}" aria-invalid="true""#)
        } else {
            String::new()
        }
    }

    fn input(&self, field: &str, label: &str, value: &str, kind: &str) -> String {
        format!(
            r#"<label for="f-{field}">{label}</label><input id="f-{field}" name="{field}" type="{kind}" value="{v}"{d}>{e}"#,
            label = esc(label),
            v = esc(value),
            d = self.described(field),
            e = self.err(field),
        )
    }

    fn area(&self, field: &str, label: &str, value: &str) -> String {
        format!(
            r#"<label for="f-{field}">{label}</label><textarea id="f-{field}" name="{field}" rows="5"{d}>{v}</textarea>{e}"#,
            label = esc(label),
            v = esc(value),
            d = self.described(field),
            e = self.err(field),
        )
    }

    fn select<T: Copy + PartialEq>(
        &self,
        field: &str,
        label: &str,
        all: &[T],
        code: fn(T) -> &'static str,
        name: fn(T) -> Text,
        chosen: Option<T>,
    ) -> String {
        let opts: String = all
            .iter()
            .map(|v| {
                format!(
                    r#"<option value="{}"{}>{}</option>"#,
                    code(*v),
                    if chosen == Some(*v) { " selected" } else { "" },
                    esc(name(*v).get(self.lang))
                )
            })
            .collect();
        format!(
            r#"<label for="f-{field}">{label}</label><select id="f-{field}" name="{field}"{d}><option value="">—</option>{opts}</select>{e}"#,
            label = esc(label),
            d = self.described(field),
            e = self.err(field),
        )
    }

    fn audiences(&self, chosen: &[Audience]) -> String {
        let boxes: String = Audience::ALL
            .iter()
            .map(|a| {
                format!(
                    r#"<li><input type="checkbox" id="aud-{c}" name="audiences" value="{c}"{chk}><label class="choice" for="aud-{c}">{l}</label></li>"#,
                    c = a.code(),
                    chk = if chosen.contains(a) { " checked" } else { "" },
                    l = esc(a.label(self.lang)),
                )
            })
            .collect();
        format!(
            r#"<fieldset class="question"><legend>{}</legend><ul class="choices">{boxes}</ul>{}</fieldset>"#,
            t(self.lang, "対象", "Audiences"),
            self.err("audiences")
        )
    }

    fn check(&self, field: &str, label: &str, on: bool) -> String {
        format!(
            r#"<p><input class="check" type="checkbox" id="f-{field}" name="{field}" value="1"{c}> <label class="choice" for="f-{field}">{l}</label></p>"#,
            c = if on { " checked" } else { "" },
            l = esc(label),
        )
    }
}

/// The fields of a payload.
fn fields(
    lang: Lang,
    p: &Payload,
    errors: &[FieldError],
    publishers: &[(PortalItemId, Publisher)],
) -> String {
    let f = FormCtx { lang, errors };
    match p {
        Payload::Publisher(x) => {
            let criteria: String = LISTING_CRITERIA
                .iter()
                .map(|c| format!("<li>{}</li>", esc(c.get(lang))))
                .collect();
            [
                format!(
                    r#"<div class="notice"><p>{}</p><ul>{criteria}</ul></div>"#,
                    t(lang, "掲載できる団体の基準：", "Listing criteria:")
                ),
                f.input("name", t(lang, "団体名", "Name"), &x.name, "text"),
                f.select(
                    "kind",
                    t(lang, "種別", "Kind"),
                    PublisherKind::ALL,
                    PublisherKind::code,
                    PublisherKind::text,
                    x.kind,
                ),
                f.input("url", "URL", &x.url, "url"),
                f.input("contact", t(lang, "連絡先", "Contact"), &x.contact, "text"),
                f.area(
                    "criteria_note",
                    t(
                        lang,
                        "基準を満たすことの確認メモ",
                        "How it meets the criteria",
                    ),
                    &x.criteria_note,
                ),
            ]
            .concat()
        }
        Payload::Material(x) => {
            let opts: String = publishers
                .iter()
                .map(|(id, p)| {
                    format!(
                        r#"<option value="{}"{}>{}</option>"#,
                        id.0,
                        if id.0 == x.publisher { " selected" } else { "" },
                        esc(&p.name)
                    )
                })
                .collect();
            [
                f.input("title", t(lang, "題名", "Title"), &x.title, "text"),
                f.area("summary", t(lang, "概要", "Summary"), &x.summary),
                f.audiences(&x.audiences),
                f.select("topic", t(lang, "テーマ", "Topic"), Topic::ALL, Topic::code, Topic::text, x.topic),
                f.select("format", t(lang, "形式", "Format"), Format::ALL, Format::code, Format::text, x.format),
                f.select("language", t(lang, "言語", "Language"), MaterialLang::ALL, MaterialLang::code, MaterialLang::text, x.language),
                f.input("url", t(lang, "リンク（URL）：ファイルで載せるなら空欄のまま保存し、次の画面でアップロード", "Link (URL): for a file, leave it empty, save, then upload on the next page"), &x.url, "url"),
                f.area("terms", t(lang, "利用条件", "Terms of use"), &x.terms),
                f.input("citation", t(lang, "出典の書き方", "How to cite"), &x.citation, "text"),
                format!(
                    r#"<label for="f-publisher">{}</label><select id="f-publisher" name="publisher"{}><option value="">—</option>{opts}</select>{}"#,
                    t(lang, "掲載団体（更新の責任者）", "Publisher (keeps it current)"),
                    f.described("publisher"),
                    f.err("publisher")
                ),
                f.input("review_by", t(lang, "次の見直し期限", "Next review by"), &x.review_by, "date"),
                f.check("promotion", t(lang, "製品・サービスの宣伝を含む（啓発資料と分けて表示）", "Promotes a product or service (listed apart)"), x.promotion),
            ]
            .concat()
        }
        Payload::Alert(x) => [
            f.input(
                "title_ja",
                t(lang, "題名（日本語）", "Title (Japanese)"),
                &x.title_ja,
                "text",
            ),
            f.input(
                "title_en",
                t(lang, "題名（英語）", "Title (English)"),
                &x.title_en,
                "text",
            ),
            f.area(
                "body_ja",
                t(lang, "本文（日本語）", "Text (Japanese)"),
                &x.body_ja,
            ),
            f.area(
                "body_en",
                t(lang, "本文（英語）", "Text (English)"),
                &x.body_en,
            ),
            f.audiences(&x.audiences),
            f.check(
                "urgent",
                t(
                    lang,
                    "緊急（全ページにバナーを表示）",
                    "Urgent (banner on every portal page)",
                ),
                x.urgent,
            ),
            f.input(
                "until",
                t(
                    lang,
                    "掲載の最終日（空欄は期限なし）",
                    "Last day (blank: open-ended)",
                ),
                &x.until,
                "date",
            ),
        ]
        .concat(),
    }
}

fn empty(kind: Kind) -> Payload {
    match kind {
        Kind::Publisher => Payload::Publisher(Publisher::default()),
        Kind::Material => Payload::Material(Material::default()),
        Kind::Alert => Payload::Alert(Alert::default()),
    }
}

fn state_text(lang: Lang, s: St) -> &'static str {
    s.label(lang)
}

/// `GET /portal/edit`: every item, by state.
pub async fn list(State(st): State<AppState>, p: Page) -> Result<Response, WebError> {
    let lang = p.prefs.lang;
    let items = st.svc.editor_items(&p.auth.actor).await.page(lang)?;
    let me = p.auth.actor.user.id;
    let group = |s: St| -> String {
        let rows: String = items
            .iter()
            .filter(|i| i.item.state == s)
            .map(|i| {
                format!(
                    r#"<li><a href="/portal/edit/{id}">{title}</a> <span class="tag">{kind}</span>{mine}</li>"#,
                    id = i.item.id.0,
                    title = esc(i.payload.title()),
                    kind = i.item.kind.label(lang),
                    mine = if i.item.author == Some(me) {
                        format!(r#" <span class="muted">{}</span>"#, t(lang, "（自分が作成）", "(yours)"))
                    } else {
                        String::new()
                    },
                )
            })
            .collect();
        if rows.is_empty() {
            format!("<p>{}</p>", t(lang, "ありません。", "None."))
        } else {
            format!("<ul>{rows}</ul>")
        }
    };
    let body = format!(
        r#"<p>{intro}</p><p><a href="/portal/edit/new/material">{nm}</a> · <a href="/portal/edit/new/alert">{na}</a> · <a href="/portal/edit/new/publisher">{np}</a></p>
<section id="in-review" aria-labelledby="rev-h"><h2 id="rev-h">{rev}</h2>{r}</section>
<section id="drafts" aria-labelledby="dr-h"><h2 id="dr-h">{dr}</h2>{d}</section>
<section id="published" aria-labelledby="pub-h"><h2 id="pub-h">{pb}</h2>{pu}</section>
<section id="withdrawn" aria-labelledby="wd-h"><h2 id="wd-h">{wd}</h2>{w}</section>"#,
        intro = t(
            lang,
            "書いた項目は「確認に出す」と、別の編集者が確認して公開します（自分の項目は公開できません）。変更はすべて監査ログに残ります。",
            "Send what you write for review: another editor publishes it (you cannot publish your own). Every change is in the audit log."
        ),
        nm = t(lang, "教材・資料を追加", "New material"),
        na = t(lang, "注意喚起を追加", "New alert"),
        np = t(lang, "掲載団体を追加", "New publisher"),
        rev = t(lang, "確認待ち", "In review"),
        r = group(St::Review),
        dr = t(lang, "下書き", "Drafts"),
        d = group(St::Draft),
        pb = t(lang, "公開中", "Published"),
        pu = group(St::Published),
        wd = t(lang, "公開終了", "Withdrawn"),
        w = group(St::Withdrawn),
    );
    Ok(render(&p, t(lang, "ポータル編集", "Portal editing"), &body).into_response())
}

async fn publishers(st: &AppState, lang: Lang) -> Result<Vec<(PortalItemId, Publisher)>, WebError> {
    st.svc.public_publishers().await.page(lang)
}

fn new_title(lang: Lang, kind: Kind) -> String {
    format!("{}: {}", t(lang, "新規作成", "New"), kind.label(lang))
}

/// `GET /portal/edit/new/{kind}`: an empty form.
pub async fn new_form(
    State(st): State<AppState>,
    p: Page,
    Path(kind): Path<String>,
) -> Result<Response, WebError> {
    let lang = p.prefs.lang;
    let Some(kind) = Kind::parse(&kind) else {
        return Ok(crate::error::not_found_page(lang, p.prefs.large));
    };
    let pubs = publishers(&st, lang).await?;
    let body = format!(
        r#"<form method="post" action="/portal/edit/new/{k}">{csrf}{fields}<button type="submit">{save}</button></form>"#,
        k = kind.code(),
        csrf = csrf_field(p.csrf()),
        fields = fields(lang, &empty(kind), &[], &pubs),
        save = t(lang, "下書きとして保存", "Save as draft"),
    );
    Ok(render(&p, &new_title(lang, kind), &body).into_response())
}

/// `POST /portal/edit/new/{kind}`: saves a draft, or shows the form with its errors.
pub async fn create(
    State(st): State<AppState>,
    p: Page,
    Path(kind): Path<String>,
    Form(q): Form<Pairs>,
) -> Result<Response, WebError> {
    p.check_csrf(get(&q, "csrf"))?;
    let lang = p.prefs.lang;
    let Some(kind) = Kind::parse(&kind) else {
        return Ok(crate::error::not_found_page(lang, p.prefs.large));
    };
    let payload = payload(kind, &q);
    match st
        .svc
        .create_portal_draft(&p.auth.actor, payload.clone())
        .await
        .page(lang)?
    {
        Ok(item) => Ok(Redirect::to(&format!("/portal/edit/{}", item.id.0)).into_response()),
        Err(errors) => {
            let pubs = publishers(&st, lang).await?;
            let body = format!(
                r#"{msg}<form method="post" action="/portal/edit/new/{k}">{csrf}{fields}<button type="submit">{save}</button></form>"#,
                msg = alert(t(
                    lang,
                    "入力を確認してください。",
                    "Please check the form."
                )),
                k = kind.code(),
                csrf = csrf_field(p.csrf()),
                fields = fields(lang, &payload, &errors, &pubs),
                save = t(lang, "下書きとして保存", "Save as draft"),
            );
            Ok((
                StatusCode::BAD_REQUEST,
                render(&p, &new_title(lang, kind), &body),
            )
                .into_response())
        }
    }
}

fn action_form(
    p: &Page,
    i: &EditorItem,
    action: &str,
    label: &str,
    class: &str,
    note: bool,
) -> String {
    let lang = p.prefs.lang;
    let note_html = if note {
        format!(
            r#"<label for="note-{action}">{}</label><textarea id="note-{action}" name="note" rows="3" maxlength="2000"></textarea>"#,
            t(lang, "差し戻しの理由", "Why it goes back")
        )
    } else {
        String::new()
    };
    format!(
        r#"<form method="post" action="/portal/edit/{id}/{action}">{csrf}<input type="hidden" name="version" value="{v}">{note_html}<button type="submit"{class}>{label}</button></form>"#,
        id = i.item.id.0,
        csrf = csrf_field(p.csrf()),
        v = i.item.version,
        class = if class.is_empty() {
            String::new()
        } else {
            format!(r#" class="{class}""#)
        },
        label = esc(label),
    )
}

/// The item page: its state, and the form or the actions that fit it.
fn item_page(
    p: &Page,
    i: &EditorItem,
    errors: &[FieldError],
    shown: &Payload,
    pubs: &[(PortalItemId, Publisher)],
    msg: &str,
) -> String {
    let lang = p.prefs.lang;
    let mine = i.item.author == Some(p.auth.actor.user.id);
    let facts = format!(
        r#"<dl id="item-facts"><dt>{sl}</dt><dd id="item-state">{state}</dd><dt>{ul}</dt><dd>{upd}</dd>{note}</dl>"#,
        sl = t(lang, "状態", "State"),
        state = state_text(lang, i.item.state),
        ul = t(lang, "最終更新", "Last change"),
        upd = when(lang, i.item.updated_at),
        note = if i.item.review_note.is_empty() {
            String::new()
        } else {
            format!(
                r#"<dt>{}</dt><dd id="review-note">{}</dd>"#,
                t(lang, "差し戻しの理由", "Sent back because"),
                esc(&i.item.review_note)
            )
        },
    );
    let actions = match i.item.state {
        St::Draft if mine => format!(
            r#"<form method="post" action="/portal/edit/{id}">{csrf}<input type="hidden" name="version" value="{v}">{fields}<button type="submit">{save}</button></form>
<section class="actions" aria-labelledby="act-h"><h2 id="act-h">{act}</h2>{submit}</section>"#,
            id = i.item.id.0,
            csrf = csrf_field(p.csrf()),
            v = i.item.version,
            fields = fields(lang, shown, errors, pubs),
            save = t(lang, "下書きを保存", "Save draft"),
            act = t(lang, "公開の手続き", "Publishing"),
            submit = action_form(
                p,
                i,
                "submit",
                t(
                    lang,
                    "確認に出す（別の編集者が公開します）",
                    "Send for review (another editor publishes)"
                ),
                "",
                false
            ),
        ),
        St::Draft => format!(
            "<p>{}</p>",
            t(
                lang,
                "作成者が編集中です。",
                "Its author is still writing it."
            )
        ),
        St::Review if mine => format!(
            r#"<p class="notice">{}</p>"#,
            t(
                lang,
                "別の編集者の確認を待っています。自分の項目は公開できません。",
                "Waiting for another editor. You cannot publish your own item."
            )
        ),
        St::Review => format!(
            r#"<section class="actions" aria-labelledby="act-h"><h2 id="act-h">{}</h2>{}{}</section>"#,
            t(lang, "確認", "Review"),
            action_form(
                p,
                i,
                "publish",
                t(lang, "確認して公開する", "Approve and publish"),
                "",
                false
            ),
            action_form(
                p,
                i,
                "return",
                t(lang, "差し戻す", "Send back"),
                "secondary",
                true
            ),
        ),
        St::Published => format!(
            r#"<section class="actions" aria-labelledby="act-h"><h2 id="act-h">{}</h2>{}</section>"#,
            t(lang, "公開中", "Published"),
            action_form(
                p,
                i,
                "withdraw",
                t(lang, "公開を終了する", "Withdraw"),
                "danger",
                false
            ),
        ),
        St::Withdrawn => String::new(),
    };
    let preview = if matches!(i.item.state, St::Draft) && mine {
        String::new()
    } else {
        format!(
            r#"<section aria-labelledby="pre-h"><h2 id="pre-h">{}</h2><pre class="code">{}</pre></section>"#,
            t(lang, "内容", "Content"),
            esc(&serde_json::to_string_pretty(
                &serde_json::from_str::<serde_json::Value>(&i.item.payload).unwrap_or_default()
            )
            .unwrap_or_default())
        )
    };
    let file = file_section(p, i, mine);
    format!(
        r#"{msg}{facts}{preview}{file}{actions}<p><a href="/portal/edit">{back}</a></p>"#,
        back = t(lang, "編集の一覧へ", "Back to editing"),
    )
}

/// A material's file: what is stored (with a download for editors) and, on the
/// author's draft, the upload form (multipart; the CSRF token and the version ride in
/// the query because the fields arrive after the file).
fn file_section(p: &Page, i: &EditorItem, mine: bool) -> String {
    let lang = p.prefs.lang;
    let Payload::Material(m) = &i.payload else {
        return String::new();
    };
    let current = match &m.file {
        Some(f) => format!(
            r#"<p id="current-file"><a href="/portal/edit/{id}/file">{name}</a> <span class="muted">（{kind}、{size}、SHA-256 <code>{sha}</code>）</span></p>"#,
            id = i.item.id.0,
            name = esc(&f.name),
            kind = f.file_type.label().get(lang),
            size = crate::portal_pages::size_text(f.size),
            sha = esc(&f.sha256[..f.sha256.len().min(16)]),
        ),
        None => format!(
            "<p>{}</p>",
            t(
                lang,
                "ファイルはありません（リンクだけの資料です）。",
                "No file (the material is a link)."
            )
        ),
    };
    let form = if i.item.state == St::Draft && mine {
        format!(
            r#"<form method="post" action="/portal/edit/{id}/file?csrf={tok}&amp;version={v}" enctype="multipart/form-data">
<label for="f-file">{label}</label><p class="help" id="f-file-help">{help}</p>
<input type="file" id="f-file" name="file" required aria-describedby="f-file-help" accept=".pdf,.png,.jpg,.jpeg,.txt,.docx,.xlsx,.pptx,.odt,.ods,.odp,.doc,.xls,.ppt">
<button type="submit">{go}</button></form>"#,
            id = i.item.id.0,
            tok = esc(p.csrf()),
            v = i.item.version,
            label = t(lang, "資料のファイル", "The material's file"),
            help = t(
                lang,
                "PDF、PNG・JPEG 画像、テキスト（.txt）、Word・Excel・PowerPoint、OpenDocument。20MiB まで。中身で形式を確かめます。下書きの内容を保存してからアップロードしてください。",
                "PDF, PNG or JPEG images, plain text (.txt), Word, Excel, PowerPoint, OpenDocument. Up to 20 MiB. The type is checked from the content. Save the draft's fields before uploading."
            ),
            go = if m.file.is_some() {
                t(lang, "ファイルを差し替える", "Replace the file")
            } else {
                t(lang, "ファイルをアップロード", "Upload the file")
            },
        )
    } else {
        String::new()
    };
    format!(
        r#"<section aria-labelledby="file-h"><h2 id="file-h">{h}</h2>{current}{form}</section>"#,
        h = t(lang, "ファイル", "File"),
    )
}

/// `?csrf=&version=` on the multipart upload form.
#[derive(Debug, serde::Deserialize)]
pub struct UploadQuery {
    csrf: String,
    version: i64,
}

/// `POST /portal/edit/{id}/file`: the author uploads the material's file to the draft.
pub async fn upload(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<i64>,
    axum::extract::Query(q): axum::extract::Query<UploadQuery>,
    mut mp: axum::extract::Multipart,
) -> Result<Response, WebError> {
    let lang = p.prefs.lang;
    p.check_csrf(&q.csrf)?;
    let id = PortalItemId(id);
    let svc = &st.svc;
    let mut up = None;
    while let Ok(Some(mut f)) = mp.next_field().await {
        if f.name() != Some("file") {
            continue;
        }
        let mut buf = svc
            .upload_buffer_max(f.file_name().unwrap_or(""), MAX_FILE_BYTES)
            .page(lang)?;
        up = Some(
            match receive(&mut f, &mut buf, mamori_service::codes::PORTAL_FILE_SIZE).await {
                Ok(()) => Ok(buf),
                Err(mamori_service::ServiceError::TooLarge(_)) => Err(
                    mamori_service::ServiceError::TooLarge(mamori_service::codes::PORTAL_FILE_SIZE),
                ),
                Err(e) => Err(e),
            },
        );
        break;
    }
    let r = match up {
        Some(Ok(buf)) => {
            svc.attach_portal_file(&p.auth.actor, id, q.version, buf)
                .await
        }
        Some(Err(e)) => Err(e),
        None => Err(mamori_service::ServiceError::TooLarge(
            mamori_service::codes::PORTAL_FILE_SIZE,
        )),
    };
    match r {
        Ok(_) => Ok(Redirect::to(&format!("/portal/edit/{}?saved=1#file-h", id.0)).into_response()),
        // A refused file re-renders the item with the reason.
        Err(
            e @ (mamori_service::ServiceError::Invalid(_)
            | mamori_service::ServiceError::TooLarge(_)),
        ) => {
            let i = svc.editor_item(&p.auth.actor, id).await.page(lang)?;
            let pubs = publishers(&st, lang).await?;
            let msg = alert(e.text().get(lang));
            let body = item_page(&p, &i, &[], &i.payload, &pubs, &msg);
            Ok((
                StatusCode::BAD_REQUEST,
                render(&p, i.payload.title(), &body),
            )
                .into_response())
        }
        Err(e) => Err(e).page(lang),
    }
}

/// `GET /portal/edit/{id}/file`: the file of a material in any state, for editors.
pub async fn download(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    let f = st
        .svc
        .editor_material_file(&p.auth.actor, PortalItemId(id))
        .await
        .page(p.prefs.lang)?;
    Ok(crate::portal_pages::file_response(&f))
}

/// `GET /portal/edit/{id}`.
pub async fn show(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<i64>,
    axum::extract::Query(q): axum::extract::Query<Pairs>,
) -> Result<Response, WebError> {
    let lang = p.prefs.lang;
    let i = st
        .svc
        .editor_item(&p.auth.actor, PortalItemId(id))
        .await
        .page(lang)?;
    let pubs = publishers(&st, lang).await?;
    let msg = if get(&q, "saved") == "1" {
        saved_notice(lang)
    } else {
        String::new()
    };
    let body = item_page(&p, &i, &[], &i.payload, &pubs, &msg);
    Ok(render(&p, i.payload.title(), &body).into_response())
}

/// `POST /portal/edit/{id}`: saves the draft (its author).
pub async fn update(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<i64>,
    Form(q): Form<Pairs>,
) -> Result<Response, WebError> {
    p.check_csrf(get(&q, "csrf"))?;
    let lang = p.prefs.lang;
    let id = PortalItemId(id);
    let i = st.svc.editor_item(&p.auth.actor, id).await.page(lang)?;
    let version: i64 = get(&q, "version").parse().unwrap_or(0);
    let payload = payload(i.item.kind, &q);
    match st
        .svc
        .update_portal_draft(&p.auth.actor, id, version, payload.clone())
        .await
        .page(lang)?
    {
        Ok(_) => Ok(Redirect::to(&format!("/portal/edit/{}?saved=1", id.0)).into_response()),
        Err(errors) => {
            let pubs = publishers(&st, lang).await?;
            let msg = alert(t(
                lang,
                "入力を確認してください。",
                "Please check the form.",
            ));
            let body = item_page(&p, &i, &errors, &payload, &pubs, &msg);
            Ok((
                StatusCode::BAD_REQUEST,
                render(&p, i.payload.title(), &body),
            )
                .into_response())
        }
    }
}

/// `POST /portal/edit/{id}/{action}`: submit, publish, return or withdraw.
pub async fn act(
    State(st): State<AppState>,
    p: Page,
    Path((id, action)): Path<(i64, String)>,
    Form(q): Form<Pairs>,
) -> Result<Response, WebError> {
    p.check_csrf(get(&q, "csrf"))?;
    let lang = p.prefs.lang;
    let id = PortalItemId(id);
    let version: i64 = get(&q, "version").parse().unwrap_or(0);
    let a = &p.auth.actor;
    let svc = &st.svc;
    let r = match action.as_str() {
        "submit" => svc.submit_portal_item(a, id, version).await,
        "publish" => svc.review_portal_item(a, id, version, true, "").await,
        "return" => {
            svc.review_portal_item(a, id, version, false, get(&q, "note"))
                .await
        }
        "withdraw" => svc.withdraw_portal_item(a, id, version).await,
        _ => return Ok(crate::error::not_found_page(lang, p.prefs.large)),
    };
    match r {
        Ok(_) => Ok(Redirect::to(&format!("/portal/edit/{}", id.0)).into_response()),
        // A refusal (not yours to publish, changed meanwhile) re-renders the item
        // with the reason.
        Err(e @ mamori_service::ServiceError::Invalid(_)) => {
            let i = svc.editor_item(a, id).await.page(lang)?;
            let pubs = publishers(&st, lang).await?;
            let msg = alert(e.text().get(lang));
            let body = item_page(&p, &i, &[], &i.payload, &pubs, &msg);
            Ok((StatusCode::CONFLICT, render(&p, i.payload.title(), &body)).into_response())
        }
        Err(e) => Err(e).page(lang),
    }
}

/// The "saved" notice shown after a redirect with `?saved=1`.
fn saved_notice(lang: Lang) -> String {
    notice(t(lang, "保存しました。", "Saved."))
}
