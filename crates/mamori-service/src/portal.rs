//! The public portal (issue 14, R-2.1– ): what anyone may read without an account
//! (published materials that are not past their grace period, alerts, approved
//! publishers) and the editorial workflow behind it — an editor writes a draft and
//! sends it for review, a **second** editor publishes it or sends it back
//! ([`crate::authz`] enforces the four-eyes rule), every change is audited. Signed-in
//! people may keep self-check results; nobody else's results are ever stored. The
//! link checker ([`Services::check_links`]) asks an injected [`LinkProbe`] about each
//! listed link (the binary supplies the HTTP client; tests use loopback only).

use crate::audit::Event;
use crate::authz::{Actor, Permission, check};
use crate::{Result, ServiceError, Services};
use mamori_core::portal::catalog::{
    Alert, DEFAULT_GRACE_DAYS, FieldError, Freshness, Kind, Material, Publisher, State, freshness,
};
use mamori_core::portal::files::{self, FileRefusal, MaterialFile};
use mamori_core::portal::selfcheck::{self, Answers};
use mamori_core::portal::{Audience, Topic};
use mamori_store::{
    NewPortalFile, NewPortalItem, PortalFile, PortalItem, PortalItemId, SavedSelfCheck, StoreError,
};
use serde_json::json;
use std::sync::Arc;

/// How many items the portal reads at most per list.
const LIST_MAX: i64 = 1_000;

/// The content of an item, by kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Payload {
    /// An organization approved to list materials.
    Publisher(Publisher),
    /// An awareness material.
    Material(Material),
    /// An alert.
    Alert(Alert),
}

impl Payload {
    /// Its kind.
    pub fn kind(&self) -> Kind {
        match self {
            Payload::Publisher(_) => Kind::Publisher,
            Payload::Material(_) => Kind::Material,
            Payload::Alert(_) => Kind::Alert,
        }
    }

    fn json(&self) -> String {
        let v = match self {
            Payload::Publisher(p) => serde_json::to_string(p),
            Payload::Material(m) => serde_json::to_string(m),
            Payload::Alert(a) => serde_json::to_string(a),
        };
        v.unwrap_or_else(|_| "{}".to_string())
    }

    /// Reads a stored item's content.
    pub fn of(item: &PortalItem) -> Result<Payload> {
        let bad = |e: serde_json::Error| {
            ServiceError::Internal(format!("portal item {}: {e}", item.id.0))
        };
        Ok(match item.kind {
            Kind::Publisher => {
                Payload::Publisher(serde_json::from_str(&item.payload).map_err(bad)?)
            }
            Kind::Material => Payload::Material(serde_json::from_str(&item.payload).map_err(bad)?),
            Kind::Alert => Payload::Alert(serde_json::from_str(&item.payload).map_err(bad)?),
        })
    }

    /// A short title for lists.
    pub fn title(&self) -> &str {
        match self {
            Payload::Publisher(p) => &p.name,
            Payload::Material(m) => &m.title,
            Payload::Alert(a) => &a.title_ja,
        }
    }
}

/// An item with its content, for editors.
#[derive(Debug, Clone)]
pub struct EditorItem {
    /// The stored row.
    pub item: PortalItem,
    /// Its content.
    pub payload: Payload,
}

/// A published material as the public sees it.
#[derive(Debug, Clone)]
pub struct PublicMaterial {
    /// Id.
    pub id: PortalItemId,
    /// Content.
    pub material: Material,
    /// Its publisher's name (the owner who keeps it current).
    pub publisher: String,
    /// Current or stale (hidden ones are never returned).
    pub freshness: Freshness,
    /// The link checker's last verdict.
    pub link_status: String,
}

/// A published alert.
#[derive(Debug, Clone)]
pub struct PublicAlert {
    /// Id.
    pub id: PortalItemId,
    /// Content.
    pub alert: Alert,
    /// When it was published.
    pub published_at: time::OffsetDateTime,
    /// Still current today.
    pub current: bool,
}

/// What the catalog is filtered by; empty means everything.
#[derive(Debug, Clone, Default)]
pub struct MaterialFilter {
    /// Words that must all appear in the title, summary or publisher (case-insensitive).
    pub q: String,
    /// Only for this audience.
    pub audience: Option<Audience>,
    /// Only about this topic.
    pub topic: Option<Topic>,
}

impl MaterialFilter {
    fn matches(&self, m: &Material, publisher: &str) -> bool {
        if self.audience.is_some_and(|a| !m.audiences.contains(&a)) {
            return false;
        }
        if self.topic.is_some_and(|t| m.topic != Some(t)) {
            return false;
        }
        let hay = format!("{}\n{}\n{}", m.title, m.summary, publisher).to_lowercase();
        self.q
            .split_whitespace()
            .all(|w| hay.contains(&w.to_lowercase()))
    }
}

/// One verdict of a [`LinkProbe`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkVerdict {
    /// The link answered with a success status (after redirects).
    Ok(u16),
    /// It did not: an error status or no answer, with what happened.
    Broken(String),
}

/// Checks one link (the binary's HTTP client; a stub in tests). Called on a blocking
/// thread.
pub trait LinkProbe: Send + Sync {
    /// Checks `url`.
    fn check(&self, url: &str) -> LinkVerdict;
}

/// What a link check found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LinkReport {
    /// Links checked.
    pub checked: usize,
    /// The broken ones: item, URL, what happened.
    pub broken: Vec<(PortalItemId, String, String)>,
}

/// Today's date in Japan (`YYYY-MM-DD`), the portal's calendar.
pub fn today_jst(now: time::OffsetDateTime) -> String {
    let d = now.to_offset(time::macros::offset!(+9)).date();
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

fn object(id: PortalItemId) -> String {
    format!("portal:{}", id.0)
}

impl Services {
    /// Today's date in Japan.
    pub fn portal_today(&self) -> String {
        today_jst(self.now())
    }

    async fn published(&self, kind: Kind) -> Result<Vec<PortalItem>> {
        Ok(self
            .store
            .portal_items(Some(kind), &[State::Published], LIST_MAX)
            .await?)
    }

    /// The approved publishers (id, content), newest first. Public.
    pub async fn public_publishers(&self) -> Result<Vec<(PortalItemId, Publisher)>> {
        let mut out = Vec::new();
        for i in self.published(Kind::Publisher).await? {
            if let Payload::Publisher(p) = Payload::of(&i)? {
                out.push((i.id, p));
            }
        }
        Ok(out)
    }

    /// Published materials matching `f`, newest first, without the ones past their
    /// grace period. Public.
    pub async fn public_materials(&self, f: &MaterialFilter) -> Result<Vec<PublicMaterial>> {
        let publishers = self.public_publishers().await?;
        let today = self.portal_today();
        let mut out = Vec::new();
        for i in self.published(Kind::Material).await? {
            let Payload::Material(m) = Payload::of(&i)? else {
                continue;
            };
            // A material whose publisher was withdrawn is no longer vouched for.
            let Some((_, p)) = publishers.iter().find(|(id, _)| id.0 == m.publisher) else {
                continue;
            };
            let fresh = freshness(&m.review_by, &today, DEFAULT_GRACE_DAYS);
            if fresh == Freshness::Hidden || !f.matches(&m, &p.name) {
                continue;
            }
            out.push(PublicMaterial {
                id: i.id,
                publisher: p.name.clone(),
                material: m,
                freshness: fresh,
                link_status: i.link_status,
            });
        }
        Ok(out)
    }

    /// One public material.
    pub async fn public_material(&self, id: PortalItemId) -> Result<PublicMaterial> {
        self.public_materials(&MaterialFilter::default())
            .await?
            .into_iter()
            .find(|m| m.id == id)
            .ok_or(ServiceError::NotFound)
    }

    /// Published alerts, newest first (current and past). Public.
    pub async fn public_alerts(&self) -> Result<Vec<PublicAlert>> {
        let today = self.portal_today();
        let mut out = Vec::new();
        for i in self.published(Kind::Alert).await? {
            let Payload::Alert(a) = Payload::of(&i)? else {
                continue;
            };
            out.push(PublicAlert {
                id: i.id,
                current: a.current(&today),
                published_at: i.published_at.unwrap_or(i.updated_at),
                alert: a,
            });
        }
        Ok(out)
    }

    async fn portal_denied(&self, actor: &Actor, id: PortalItemId) -> ServiceError {
        if let Err(e) = self.denied(actor, &object(id)).await {
            return e;
        }
        ServiceError::NotFound
    }

    async fn editable(&self, actor: &Actor, id: PortalItemId) -> Result<PortalItem> {
        if check(actor, Permission::EditPortal).is_err() {
            return Err(self.portal_denied(actor, id).await);
        }
        self.store
            .portal_item(id)
            .await?
            .ok_or(ServiceError::NotFound)
    }

    async fn audit_portal(
        &self,
        actor: &Actor,
        action: &'static str,
        item: &PortalItem,
        extra: serde_json::Value,
    ) -> Result<()> {
        let mut detail =
            json!({"kind": item.kind.code(), "state": item.state.code(), "version": item.version});
        if let (Some(d), Some(e)) = (detail.as_object_mut(), extra.as_object()) {
            d.extend(e.clone());
        }
        self.audit(Event {
            actor: Some(actor.user.id),
            action,
            object: object(item.id),
            source: actor.source.clone(),
            detail,
            ..Event::default()
        })
        .await
    }

    /// Every item in any state, newest first, for editors (audited as a list view).
    pub async fn editor_items(&self, actor: &Actor) -> Result<Vec<EditorItem>> {
        if check(actor, Permission::EditPortal).is_err() {
            self.denied(actor, "portal:list").await?;
            return Err(ServiceError::NotFound);
        }
        let rows = self.store.portal_items(None, State::ALL, LIST_MAX).await?;
        self.audit(Event {
            actor: Some(actor.user.id),
            action: "list_portal_items",
            object: "portal:list".into(),
            source: actor.source.clone(),
            ..Event::default()
        })
        .await?;
        rows.into_iter()
            .map(|item| {
                Ok(EditorItem {
                    payload: Payload::of(&item)?,
                    item,
                })
            })
            .collect()
    }

    /// One item for an editor.
    pub async fn editor_item(&self, actor: &Actor, id: PortalItemId) -> Result<EditorItem> {
        let item = self.editable(actor, id).await?;
        Ok(EditorItem {
            payload: Payload::of(&item)?,
            item,
        })
    }

    /// Checks a payload; a material must name a published publisher.
    async fn validate(&self, p: &Payload) -> Result<std::result::Result<(), Vec<FieldError>>> {
        let mut errs = match p {
            Payload::Publisher(x) => x.validate(),
            Payload::Material(x) => x.validate(),
            Payload::Alert(x) => x.validate(),
        }
        .err()
        .unwrap_or_default();
        if let Payload::Material(m) = p
            && m.publisher > 0
        {
            let ok = self
                .public_publishers()
                .await?
                .iter()
                .any(|(id, _)| id.0 == m.publisher);
            if !ok {
                errs.push(FieldError {
                    field: "publisher",
                    message: mamori_core::Text::new(
                        "承認済みの掲載団体を選んでください。",
                        "Choose an approved publisher.",
                    ),
                });
            }
        }
        Ok(if errs.is_empty() { Ok(()) } else { Err(errs) })
    }

    /// Writes a new draft. The inner `Err` lists the fields to fix (nothing stored).
    pub async fn create_portal_draft(
        &self,
        actor: &Actor,
        payload: Payload,
    ) -> Result<std::result::Result<PortalItem, Vec<FieldError>>> {
        if check(actor, Permission::EditPortal).is_err() {
            self.denied(actor, "portal:new").await?;
            return Err(ServiceError::NotFound);
        }
        if let Err(e) = self.validate(&payload).await? {
            return Ok(Err(e));
        }
        let item = self
            .store
            .insert_portal_item(&NewPortalItem {
                kind: payload.kind(),
                payload: payload.json(),
                author: actor.user.id,
                at: self.now(),
            })
            .await?;
        self.audit_portal(actor, "portal_create", &item, json!({}))
            .await?;
        Ok(Ok(item))
    }

    #[expect(
        clippy::too_many_arguments,
        reason = "one private step shared by every workflow action: who, which item at which version, the permission, the edit and its audit record"
    )]
    async fn change_portal(
        &self,
        actor: &Actor,
        id: PortalItemId,
        version: i64,
        perm: fn(&PortalItem) -> Permission<'_>,
        edit: impl FnOnce(&mut PortalItem),
        action: &'static str,
        extra: serde_json::Value,
    ) -> Result<PortalItem> {
        let mut item = self.editable(actor, id).await?;
        if check(actor, perm(&item)).is_err() {
            self.denied(actor, &object(id)).await?;
            return Err(ServiceError::Invalid(crate::codes::PORTAL_STATE));
        }
        if item.version != version {
            return Err(ServiceError::Invalid(crate::codes::PORTAL_STALE));
        }
        edit(&mut item);
        let item = match self.store.update_portal_item(&item, self.now()).await {
            Err(StoreError::Conflict(_)) => {
                return Err(ServiceError::Invalid(crate::codes::PORTAL_STALE));
            }
            r => r?,
        };
        self.audit_portal(actor, action, &item, extra).await?;
        Ok(item)
    }

    /// Changes a draft (its author only). The inner `Err` lists the fields to fix.
    pub async fn update_portal_draft(
        &self,
        actor: &Actor,
        id: PortalItemId,
        version: i64,
        payload: Payload,
    ) -> Result<std::result::Result<PortalItem, Vec<FieldError>>> {
        let current = self.editable(actor, id).await?;
        if current.kind != payload.kind() {
            return Err(ServiceError::Invalid(crate::codes::PORTAL_STATE));
        }
        // The form does not carry the uploaded file: the draft keeps it.
        let mut payload = payload;
        if let (Payload::Material(new), Payload::Material(old)) =
            (&mut payload, Payload::of(&current)?)
            && new.file.is_none()
        {
            new.file = old.file;
        }
        if let Err(e) = self.validate(&payload).await? {
            return Ok(Err(e));
        }
        let json = payload.json();
        self.change_portal(
            actor,
            id,
            version,
            |i| Permission::EditPortalItem(i),
            |i| i.payload = json,
            "portal_update",
            json!({}),
        )
        .await
        .map(Ok)
    }

    /// Sends a draft to review (its author only). A material needs a link or a file.
    pub async fn submit_portal_item(
        &self,
        actor: &Actor,
        id: PortalItemId,
        version: i64,
    ) -> Result<PortalItem> {
        let current = self.editable(actor, id).await?;
        if let Payload::Material(m) = Payload::of(&current)?
            && !m.is_located()
        {
            return Err(ServiceError::Invalid(crate::codes::PORTAL_NO_LOCATION));
        }
        self.change_portal(
            actor,
            id,
            version,
            |i| Permission::EditPortalItem(i),
            |i| {
                i.state = State::Review;
                i.review_note.clear();
            },
            "portal_submit",
            json!({}),
        )
        .await
    }

    /// A second editor publishes an item in review (`approve`) or sends it back to its
    /// author as a draft with `note`. The author can never review their own item.
    pub async fn review_portal_item(
        &self,
        actor: &Actor,
        id: PortalItemId,
        version: i64,
        approve: bool,
        note: &str,
    ) -> Result<PortalItem> {
        let note = note.trim();
        if note.chars().count() > 2_000 {
            return Err(ServiceError::Invalid(crate::codes::TEXT));
        }
        // Publishing re-checks the content (a publisher may have been withdrawn meanwhile).
        if approve {
            let item = self.editable(actor, id).await?;
            if self.validate(&Payload::of(&item)?).await?.is_err() {
                return Err(ServiceError::Invalid(crate::codes::PORTAL_CONTENT));
            }
        }
        let now = self.now();
        let who = actor.user.id;
        let note_owned = note.to_string();
        self.change_portal(
            actor,
            id,
            version,
            |i| Permission::ReviewPortalItem(i),
            move |i| {
                i.reviewer = Some(who);
                if approve {
                    i.state = State::Published;
                    i.review_note.clear();
                    i.published_at.get_or_insert(now);
                } else {
                    i.state = State::Draft;
                    i.review_note = note_owned;
                }
            },
            if approve {
                "portal_publish"
            } else {
                "portal_return"
            },
            json!({"note": note}),
        )
        .await
    }

    /// Takes a published item down.
    pub async fn withdraw_portal_item(
        &self,
        actor: &Actor,
        id: PortalItemId,
        version: i64,
    ) -> Result<PortalItem> {
        self.change_portal(
            actor,
            id,
            version,
            |i| Permission::WithdrawPortalItem(i),
            |i| i.state = State::Withdrawn,
            "portal_withdraw",
            json!({}),
        )
        .await
    }

    /// Keeps a signed-in person's self-check result (only theirs, only when they ask).
    pub async fn save_selfcheck(
        &self,
        actor: &Actor,
        list: &str,
        answers: &Answers,
    ) -> Result<SavedSelfCheck> {
        check(actor, Permission::SaveSelfCheck)?;
        let Some(l) = selfcheck::list(list) else {
            return Err(ServiceError::Invalid(crate::codes::SELFCHECK_LIST));
        };
        let json =
            serde_json::to_string(answers).map_err(|e| ServiceError::Internal(e.to_string()))?;
        let saved = self
            .store
            .insert_selfcheck(actor.user.id, l.id, &json, self.now())
            .await?;
        let score = selfcheck::score(l, answers);
        self.audit(Event {
            actor: Some(actor.user.id),
            subject: Some(actor.user.id),
            action: "selfcheck_save",
            object: format!("selfcheck:{}", saved.id),
            source: actor.source.clone(),
            detail: json!({"list": l.id, "yes": score.total.yes, "applicable": score.total.applicable}),
        })
        .await?;
        Ok(saved)
    }

    /// The person's own saved self-checks with their answers, newest first.
    pub async fn my_selfchecks(&self, actor: &Actor) -> Result<Vec<(SavedSelfCheck, Answers)>> {
        check(actor, Permission::SaveSelfCheck)?;
        let rows = self.store.selfchecks_of(actor.user.id, 50).await?;
        Ok(rows
            .into_iter()
            .map(|r| {
                let a: Answers = serde_json::from_str(&r.answers).unwrap_or_default();
                (r, a)
            })
            .collect())
    }

    /// Checks the link of every published material with `probe` and records each
    /// verdict; one audit entry (by the system) sums up the run.
    pub async fn check_links(&self, probe: Arc<dyn LinkProbe>) -> Result<LinkReport> {
        let mut report = LinkReport::default();
        for i in self.published(Kind::Material).await? {
            let Payload::Material(m) = Payload::of(&i)? else {
                continue;
            };
            if m.url.is_empty() {
                continue; // a file the portal serves itself
            }
            let p = probe.clone();
            let url = m.url.clone();
            let verdict = tokio::task::spawn_blocking(move || p.check(&url))
                .await
                .map_err(|e| ServiceError::Internal(e.to_string()))?;
            let status = match &verdict {
                LinkVerdict::Ok(code) => format!("ok {code}"),
                LinkVerdict::Broken(why) => {
                    report.broken.push((i.id, m.url.clone(), why.clone()));
                    format!("broken {why}")
                }
            };
            let status: String = status.chars().take(200).collect();
            self.store
                .set_portal_link_status(i.id, &status, self.now())
                .await?;
            report.checked += 1;
        }
        self.audit(Event {
            action: "portal_link_check",
            object: "portal:links".into(),
            source: "link-checker".into(),
            detail: json!({
                "checked": report.checked,
                "broken": report.broken.iter().map(|(id, url, _)| json!({"id": id.0, "url": url})).collect::<Vec<_>>(),
            }),
            ..Event::default()
        })
        .await?;
        Ok(report)
    }

    /// Stores an uploaded file for a material draft (its author only, like any change
    /// of a draft, so the file goes through the same review before anyone sees it).
    /// The type is decided from the content ([`files::detect`]); HTML, SVG and
    /// anything not listed are refused. Audited as `portal_file_upload`.
    pub async fn attach_portal_file(
        &self,
        actor: &Actor,
        id: PortalItemId,
        version: i64,
        up: crate::intake::UploadBuffer,
    ) -> Result<PortalItem> {
        let item = self.editable(actor, id).await?;
        if item.kind != Kind::Material || check(actor, Permission::EditPortalItem(&item)).is_err() {
            self.denied(actor, &object(id)).await?;
            return Err(ServiceError::Invalid(crate::codes::PORTAL_STATE));
        }
        if item.version != version {
            return Err(ServiceError::Invalid(crate::codes::PORTAL_STALE));
        }
        let (raw_name, bytes, sha256) = up.into_parts();
        let name = crate::intake::clean_file_name(&raw_name)
            .filter(|n| n.chars().count() <= 255)
            .ok_or(ServiceError::Invalid(crate::codes::PORTAL_FILE_TYPE))?;
        let n2 = name.clone();
        let (bytes, detected) = tokio::task::spawn_blocking(move || {
            let d = files::detect(&n2, &bytes);
            (bytes, d)
        })
        .await
        .map_err(|e| ServiceError::Internal(e.to_string()))?;
        let file_type = match detected {
            Ok(t) => t,
            Err(r) => {
                self.audit_portal(
                    actor,
                    "portal_file_refused",
                    &item,
                    json!({"name": name, "reason": r.to_string()}),
                )
                .await?;
                return Err(match r {
                    FileRefusal::Empty | FileRefusal::TooLarge => {
                        ServiceError::TooLarge(crate::codes::PORTAL_FILE_SIZE)
                    }
                    FileRefusal::NotAccepted => {
                        ServiceError::Invalid(crate::codes::PORTAL_FILE_TYPE)
                    }
                    FileRefusal::Mismatch => {
                        ServiceError::Invalid(crate::codes::PORTAL_FILE_MISMATCH)
                    }
                });
            }
        };
        let media_type = file_type.media_type(&files::extension(&name)).to_string();
        let stored = self
            .store
            .insert_portal_file(&NewPortalFile {
                item: id,
                name: name.clone(),
                media_type: media_type.clone(),
                sha256: sha256.clone(),
                bytes,
                uploaded_by: actor.user.id,
                at: self.now(),
            })
            .await?;
        let meta = MaterialFile {
            id: stored.id,
            name,
            file_type,
            media_type,
            size: stored.size,
            sha256,
        };
        let extra = json!({"file": meta.id, "name": meta.name, "media_type": meta.media_type, "size": meta.size, "sha256": meta.sha256});
        let Payload::Material(mut m) = Payload::of(&item)? else {
            return Err(ServiceError::Invalid(crate::codes::PORTAL_STATE));
        };
        m.file = Some(meta);
        let json = Payload::Material(m).json();
        self.change_portal(
            actor,
            id,
            version,
            |i| Permission::EditPortalItem(i),
            |i| i.payload = json,
            "portal_file_upload",
            extra,
        )
        .await
    }

    async fn material_file(&self, id: PortalItemId, m: &Material) -> Result<PortalFile> {
        let meta = m.file.as_ref().ok_or(ServiceError::NotFound)?;
        let f = self
            .store
            .portal_file(meta.id)
            .await?
            .ok_or(ServiceError::NotFound)?;
        if f.item != id {
            return Err(ServiceError::NotFound);
        }
        Ok(f)
    }

    /// The file of a public material (published, not past its grace period). Public.
    pub async fn public_material_file(&self, id: PortalItemId) -> Result<PortalFile> {
        let pm = self.public_material(id).await?;
        self.material_file(id, &pm.material).await
    }

    /// The file of a material in any state, for editors (audited as a view).
    pub async fn editor_material_file(
        &self,
        actor: &Actor,
        id: PortalItemId,
    ) -> Result<PortalFile> {
        let item = self.editable(actor, id).await?;
        let Payload::Material(m) = Payload::of(&item)? else {
            return Err(ServiceError::NotFound);
        };
        let f = self.material_file(id, &m).await?;
        self.audit_portal(actor, "view_portal_file", &item, json!({"file": f.id}))
            .await?;
        Ok(f)
    }
}
