//! Administration pages.

use crate::AppState;
use crate::error::{WebError, WebResult};
use crate::extract::Page;
use crate::html::{csrf_field, esc, org_kind_name, role_name, t};
use crate::pages::{audit_table, render};
use axum::extract::{Form, State};
use axum::response::Html;
use mamori_core::Lang;
use mamori_service::ServiceError;
use mamori_service::authz::{Caller, Permission, check};
use mamori_store::{OrgId, OrgKind, Role};
use serde::Deserialize;

/// `<option>`s: the stable name as the value, the name in words as the label.
fn options<T: Copy>(
    all: &[T],
    value: impl Fn(T) -> &'static str,
    label: impl Fn(T) -> String,
) -> String {
    all.iter()
        .map(|v| {
            format!(
                r#"<option value="{}">{}</option>"#,
                value(*v),
                esc(&label(*v))
            )
        })
        .collect()
}

/// `GET /admin`: platform administrators only.
pub async fn admin(State(st): State<AppState>, p: Page) -> Result<Html<String>, WebError> {
    let lang = p.prefs.lang;
    let log = st.svc.audit_log(&p.auth.actor, 30).await.page(lang)?;
    Ok(render(
        &p,
        t(lang, "管理", "Administration"),
        &admin_body(&st, &p, lang, "", &log).await?,
    ))
}

async fn admin_body(
    st: &AppState,
    p: &Page,
    lang: Lang,
    result: &str,
    log: &[mamori_store::AuditEntry],
) -> Result<String, WebError> {
    let orgs = st.svc.orgs(&p.auth.actor).await.page(lang)?;
    let org_opts: String = orgs
        .iter()
        .map(|o| format!(r#"<option value="{}">{}</option>"#, o.id.0, esc(&o.name)))
        .collect();
    let csrf = csrf_field(p.csrf());
    Ok(format!(
        r#"{result}<h2>{new_org}</h2><form method="post" action="/admin/orgs">{csrf}
<label for="org-name">{name}</label><input id="org-name" name="name" required>
<label for="org-kind">{kind}</label><select id="org-kind" name="kind">{kinds}</select>
<label for="org-parent">{parent}</label><select id="org-parent" name="parent"><option value="">—</option>{org_opts}</select>
<button type="submit">{create}</button></form>
<h2>{new_user}</h2><form method="post" action="/admin/users">{csrf}
<label for="user-org">{org}</label><select id="user-org" name="org">{org_opts}</select>
<label for="user-email">{email}</label><input id="user-email" name="email" type="email" required>
<label for="user-name">{dname}</label><input id="user-name" name="display_name" required>
<label for="user-role">{role}</label><select id="user-role" name="role">{roles}</select>
<button type="submit">{create}</button></form>
<h2>{audit}</h2>{table}"#,
        new_org = t(lang, "組織の追加", "Add an organization"),
        name = t(lang, "名称", "Name"),
        kind = t(lang, "種別", "Kind"),
        kinds = options(OrgKind::ALL, OrgKind::as_str, |k| org_kind_name(lang, k)),
        parent = t(
            lang,
            "上位組織（都道府県警察の場合は警察庁）",
            "Parent (the NPA for a prefectural police unit)"
        ),
        create = t(lang, "追加", "Add"),
        new_user = t(lang, "利用者の追加", "Add a person"),
        org = t(lang, "所属組織", "Organization"),
        email = t(lang, "メールアドレス", "E-mail address"),
        dname = t(lang, "表示名", "Display name"),
        role = t(lang, "役割", "Role"),
        roles = options(Role::ALL, Role::as_str, |r| role_name(lang, r)),
        audit = t(lang, "監査ログ（最新）", "Audit log (latest)"),
        table = audit_table(lang, log, &st.svc.audit_actors(log).await.page(lang)?),
    ) + &crate::account_pages::admin_sections(st, p).await?)
}

/// The new-organization form.
#[derive(Debug, Deserialize)]
pub struct OrgForm {
    csrf: String,
    name: String,
    kind: String,
    #[serde(default)]
    parent: String,
}

/// `POST /admin/orgs`.
pub async fn create_org(
    State(st): State<AppState>,
    p: Page,
    Form(f): Form<OrgForm>,
) -> Result<Html<String>, WebError> {
    p.check_csrf(&f.csrf)?;
    let lang = p.prefs.lang;
    let parent = f.parent.parse::<i64>().ok().map(OrgId);
    let org = st
        .svc
        .create_org(Caller::Person(&p.auth.actor), &f.name, &f.kind, parent)
        .await
        .page(lang)?;
    let msg = format!(
        r#"<p class="notice" role="status">{}: {}</p>"#,
        t(lang, "組織を追加しました", "Organization added"),
        esc(&org.name)
    );
    let log = st.svc.audit_log(&p.auth.actor, 30).await.page(lang)?;
    Ok(render(
        &p,
        t(lang, "管理", "Administration"),
        &admin_body(&st, &p, lang, &msg, &log).await?,
    ))
}

/// The new-person form.
#[derive(Debug, Deserialize)]
pub struct UserForm {
    csrf: String,
    org: i64,
    email: String,
    display_name: String,
    role: String,
}

/// `POST /admin/users`: shows the one-time set-password link once.
pub async fn create_user(
    State(st): State<AppState>,
    p: Page,
    Form(f): Form<UserForm>,
) -> Result<Html<String>, WebError> {
    p.check_csrf(&f.csrf)?;
    let lang = p.prefs.lang;
    // The page is for administrators; the service checks again for the org and role.
    check(&p.auth.actor, Permission::ManagePlatform)
        .map_err(ServiceError::from)
        .page(lang)?;
    let c = st
        .svc
        .create_user(
            Caller::Person(&p.auth.actor),
            OrgId(f.org),
            &f.email,
            &f.display_name,
            &f.role,
        )
        .await
        .page(lang)?;
    let msg = format!(
        r#"<div class="notice" role="status"><p>{}: {}</p><p>{}</p><p class="secret" id="set-password-link">{}/set-password/{}</p></div>"#,
        t(lang, "利用者を追加しました", "Person added"),
        esc(&c.user.email),
        t(
            lang,
            "次のリンクを本人に安全な方法で渡してください（1回限り・24時間有効）。",
            "Give this link to the person over a safe channel (single use, valid 24 hours)."
        ),
        esc(&st.base_url),
        esc(&c.set_password_token),
    );
    let log = st.svc.audit_log(&p.auth.actor, 30).await.page(lang)?;
    Ok(render(
        &p,
        t(lang, "管理", "Administration"),
        &admin_body(&st, &p, lang, &msg, &log).await?,
    ))
}
