//! The public portal's rows (issue 14): editorial items (publishers, materials,
//! alerts) with their workflow state, and self-check results a signed-in person saved.
//! [`PortalStore`] is a supertrait of [`crate::Store`], implemented by both stores in
//! `shared/portal.rs`.

use crate::{Result, UserId};
use async_trait::async_trait;
pub use mamori_core::portal::catalog::{Kind as PortalKind, State as PortalState};
use mamori_core::portal::catalog::{Kind, State};
use serde::Serialize;
use time::OffsetDateTime;

/// Portal item id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct PortalItemId(pub i64);

/// A new editorial item: always a draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPortalItem {
    /// Publisher, material or alert.
    pub kind: Kind,
    /// The content as JSON (`mamori_core::portal::catalog::{Publisher, Material, Alert}`).
    pub payload: String,
    /// Who wrote it.
    pub author: UserId,
    /// When.
    pub at: OffsetDateTime,
}

/// An editorial item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PortalItem {
    /// Id.
    pub id: PortalItemId,
    /// Kind.
    pub kind: Kind,
    /// Workflow state.
    pub state: State,
    /// The content as JSON.
    pub payload: String,
    /// Who wrote it (and may change it while a draft).
    pub author: Option<UserId>,
    /// The second editor who published or sent it back.
    pub reviewer: Option<UserId>,
    /// The reviewer's note when sending it back.
    pub review_note: String,
    /// Optimistic version: every update must name the stored one.
    pub version: i64,
    /// Created.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// Last change.
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
    /// First published.
    #[serde(with = "time::serde::rfc3339::option")]
    pub published_at: Option<OffsetDateTime>,
    /// The link checker's last verdict (`unchecked`, `ok`, `broken`), with its detail.
    pub link_status: String,
    /// When the link was last checked.
    #[serde(with = "time::serde::rfc3339::option")]
    pub link_checked_at: Option<OffsetDateTime>,
}

/// A saved self-check result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SavedSelfCheck {
    /// Id.
    pub id: i64,
    /// Whose.
    pub user: UserId,
    /// Which list (`user`, `admin`, `provider`, `supplier`, `sme`).
    pub list: String,
    /// The answers as JSON (item key → `yes`/`no`/`not_applicable`).
    pub answers: String,
    /// When it was saved.
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

/// A material file being stored (its type already decided from its content).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPortalFile {
    /// The material (portal item) it belongs to.
    pub item: PortalItemId,
    /// Its cleaned name.
    pub name: String,
    /// The `Content-Type` it is served with.
    pub media_type: String,
    /// SHA-256, hex.
    pub sha256: String,
    /// The content.
    pub bytes: Vec<u8>,
    /// Who uploaded it.
    pub uploaded_by: UserId,
    /// When.
    pub at: OffsetDateTime,
}

/// A stored material file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortalFile {
    /// Id.
    pub id: i64,
    /// The material it belongs to.
    pub item: PortalItemId,
    /// Its name.
    pub name: String,
    /// Its `Content-Type`.
    pub media_type: String,
    /// Size in bytes.
    pub size: i64,
    /// SHA-256, hex.
    pub sha256: String,
    /// The content.
    pub bytes: Vec<u8>,
    /// Who uploaded it (none once unknown).
    pub uploaded_by: Option<UserId>,
    /// When.
    pub uploaded_at: OffsetDateTime,
}

/// The portal's storage.
#[async_trait]
pub trait PortalStore: Send + Sync {
    /// Creates a draft.
    async fn insert_portal_item(&self, new: &NewPortalItem) -> Result<PortalItem>;
    /// One item.
    async fn portal_item(&self, id: PortalItemId) -> Result<Option<PortalItem>>;
    /// Writes an item's state, payload, reviewer, note and publication time, only if
    /// `item.version` is still the stored one (else `Conflict`); returns the item
    /// with the next version.
    async fn update_portal_item(&self, item: &PortalItem, at: OffsetDateTime)
    -> Result<PortalItem>;
    /// Items of a kind (all kinds with `None`) in the given states, newest first.
    async fn portal_items(
        &self,
        kind: Option<Kind>,
        states: &[State],
        limit: i64,
    ) -> Result<Vec<PortalItem>>;
    /// Records the link checker's verdict (does not change the version).
    async fn set_portal_link_status(
        &self,
        id: PortalItemId,
        status: &str,
        at: OffsetDateTime,
    ) -> Result<()>;
    /// Keeps a person's self-check result.
    async fn insert_selfcheck(
        &self,
        user: UserId,
        list: &str,
        answers: &str,
        at: OffsetDateTime,
    ) -> Result<SavedSelfCheck>;
    /// A person's saved results, newest first.
    async fn selfchecks_of(&self, user: UserId, limit: i64) -> Result<Vec<SavedSelfCheck>>;
    /// Stores a material file (schema 10); the material's JSON then names its id.
    async fn insert_portal_file(&self, new: &NewPortalFile) -> Result<PortalFile>;
    /// One material file with its bytes.
    async fn portal_file(&self, id: i64) -> Result<Option<PortalFile>>;
}
