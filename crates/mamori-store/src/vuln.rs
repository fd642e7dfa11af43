//! Vulnerability coordination rows (issue 12, R-3.5): each case as its serde JSON
//! document (`mamori_vuln::SoftwareCase`, or `mamori_vuln::WebsiteCase` for kind `website`) with an optimistic version and indexed columns
//! for listing, the append-only history (one row per applied command, with the clause it
//! carried out), and the developer list (名簿). [`VulnStore`] is a supertrait of
//! [`crate::Store`], implemented by both stores in `shared/vuln.rs`.

use crate::{OrgId, Result, UserId};
use async_trait::async_trait;
use serde::Serialize;
use time::OffsetDateTime;

/// Vulnerability case id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct VulnCaseId(pub i64);

/// A stored case: the document plus its listing columns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VulnCaseRow {
    /// Id.
    pub id: VulnCaseId,
    /// `software` or `website`.
    pub kind: String,
    /// The stage's name (`submitted`, `coordinating`, `published`, ...).
    pub stage: String,
    /// The publication date (公表日), once set.
    #[serde(with = "time::serde::rfc3339::option")]
    pub publication_at: Option<OffsetDateTime>,
    /// Published.
    pub published: bool,
    /// The discoverer's account, if it reported through the platform.
    pub reporter: Option<UserId>,
    /// The case as JSON.
    pub doc: String,
    /// Optimistic version: every update must name the stored one.
    pub version: i64,
    /// Created.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// Last change.
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
    /// A website case (Ⅵ): the organization whose members act as the website operator,
    /// once the receiving body linked it when notifying the operator (Ⅵ 2.(2)).
    pub operator_org: Option<OrgId>,
}

/// One applied command, for the append-only history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VulnHistoryRow {
    /// When.
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// Who (the party, e.g. `coordinator`, `developer acme`).
    pub party: String,
    /// The clause code it carried out.
    pub clause: String,
    /// The command as JSON.
    pub command: String,
}

/// One developer on the list (名簿).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VulnRosterRow {
    /// The developer id.
    pub developer: String,
    /// The organization whose members act as this developer, if any.
    pub org: Option<OrgId>,
    /// The entry as JSON (`mamori_vuln::Developer`).
    pub doc: String,
}

/// One queued line of a party's digest (schema 13): a notice written with the command
/// that gave it, or a reminder queued once per deadline (`key`), until a sweep delivers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VulnOutboxRow {
    /// Id (ignored when queueing).
    pub id: i64,
    /// The case.
    pub case: VulnCaseId,
    /// The party to tell, as `mamori_vuln::Party` JSON (e.g. `{"party":"coordinator"}`).
    pub recipient: String,
    /// The line, as `mamori_vuln::digest::DigestItem` JSON.
    pub item: String,
    /// For reminders: a key that makes the same deadline queue only once ever.
    pub key: Option<String>,
    /// Queued.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// Delivered (then never again).
    #[serde(with = "time::serde::rfc3339::option")]
    pub sent_at: Option<OffsetDateTime>,
}

/// Vulnerability coordination's storage.
#[async_trait]
pub trait VulnStore: Send + Sync {
    /// Stores a new case (version 1); `row.id` and `row.version` are ignored.
    async fn insert_vuln_case(&self, row: &VulnCaseRow) -> Result<VulnCaseRow>;
    /// One case.
    async fn vuln_case(&self, id: VulnCaseId) -> Result<Option<VulnCaseRow>>;
    /// Writes the case's document and listing columns and appends `history` and queues
    /// `outbox` (the notices the commands gave), in one transaction, only if
    /// `row.version` is still the stored one (else `Conflict`); returns the row with the
    /// next version.
    async fn update_vuln_case(
        &self,
        row: &VulnCaseRow,
        history: &[VulnHistoryRow],
        outbox: &[VulnOutboxRow],
        at: OffsetDateTime,
    ) -> Result<VulnCaseRow>;
    /// Cases, newest first; only published ones with `published_only`.
    async fn vuln_cases(&self, published_only: bool, limit: i64) -> Result<Vec<VulnCaseRow>>;
    /// The stored history of a case, oldest first.
    async fn vuln_history(&self, id: VulnCaseId) -> Result<Vec<VulnHistoryRow>>;
    /// Adds or replaces a developer on the list.
    async fn upsert_vuln_developer(&self, row: &VulnRosterRow, at: OffsetDateTime) -> Result<()>;
    /// The whole list, by developer id.
    async fn vuln_roster(&self) -> Result<Vec<VulnRosterRow>>;
    /// Queues reminder lines; a row whose `key` was ever queued before is skipped.
    /// Returns how many were new.
    async fn queue_vuln_outbox(&self, rows: &[VulnOutboxRow]) -> Result<u64>;
    /// Undelivered lines, oldest first.
    async fn vuln_outbox_unsent(&self, limit: i64) -> Result<Vec<VulnOutboxRow>>;
    /// Delivers in one transaction: stores `notices` and marks the lines `ids` sent. If
    /// any of them was sent meanwhile (a concurrent sweep), nothing is stored (`Conflict`).
    async fn deliver_vuln_outbox(
        &self,
        ids: &[i64],
        notices: &[crate::NewNotice],
        at: OffsetDateTime,
    ) -> Result<()>;
}
