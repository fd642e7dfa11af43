//! # mamori-store
//!
//! The storage seam of `mamori serve`: one async [`Store`] trait over typed
//! domain rows ([`Org`], [`User`], [`Session`], [`ApiToken`], [`OneTimeLink`],
//! [`AuditEntry`]; intake and case work: [`Report`], [`Case`], [`CaseEvent`],
//! [`Attachment`], [`Referral`]; statistics: case-level records, de-duplication links
//! ([`StoredLink`]), aggregate cells and external counts) and the conformance suite [`conformance::run_all`] that every
//! implementation runs in its own tests (SQLite and PostgreSQL).
//!
//! Architecture invariants: no SQL type appears in this crate's API; times are
//! [`time::OffsetDateTime`] (stores keep Unix seconds); secrets never reach the
//! store in clear (sessions, tokens and links are keyed by their BLAKE3 hash).
//! The store does no authorization: `mamori-service` decides who may call what.
//!
//! ```
//! use mamori_store::{OrgKind, Role};
//! assert_eq!(OrgKind::parse("police_prefectural"), Some(OrgKind::PolicePrefectural));
//! assert_eq!(Role::parse("body_staff").map(Role::as_str), Some("body_staff"));
//! ```

mod account_model;
pub mod conformance;
mod conformance_account;
mod conformance_portal;
mod conformance_stats;
mod conformance_stuffing;
mod conformance_vuln;
mod model;
mod portal;
mod report;
pub mod search;
mod stats;
mod stuffing_model;
mod vuln;

pub use account_model::*;
pub use model::*;
pub use portal::*;
pub use report::*;
pub use stats::*;
pub use stuffing_model::*;
pub use vuln::*;

use async_trait::async_trait;

/// What a store can fail with. The message is for the log, never for the user.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A unique value (an e-mail address, an org name) already exists.
    #[error("already exists: {0}")]
    Conflict(String),
    /// A referenced row is missing.
    #[error("not found: {0}")]
    NotFound(String),
    /// The database failed.
    #[error("database: {0}")]
    Backend(String),
    /// A row could not be read back into a domain type.
    #[error("corrupt row: {0}")]
    Corrupt(String),
}

/// Result of store calls.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// The platform's storage. Every method is one atomic operation.
#[async_trait]
pub trait Store: PortalStore + VulnStore + Send + Sync + std::fmt::Debug {
    /// Short name of the backend (`sqlite`, `postgres`) for logs and metrics.
    fn backend(&self) -> &'static str;

    /// Creates an organization.
    async fn insert_org(&self, new: &NewOrg) -> Result<Org>;
    /// One organization.
    async fn org(&self, id: OrgId) -> Result<Option<Org>>;
    /// One organization by its exact name.
    async fn org_by_name(&self, name: &str) -> Result<Option<Org>>;
    /// All organizations, by id.
    async fn orgs(&self) -> Result<Vec<Org>>;

    /// Creates a person; the e-mail address is unique (compared lower-cased).
    async fn insert_user(&self, new: &NewUser) -> Result<User>;
    /// One person.
    async fn user(&self, id: UserId) -> Result<Option<User>>;
    /// One person by e-mail (lower-cased).
    async fn user_by_email(&self, email: &str) -> Result<Option<User>>;
    /// People, all or of one organization, by id.
    async fn users(&self, org: Option<OrgId>) -> Result<Vec<User>>;
    /// Enables or disables a person.
    async fn set_user_disabled(&self, id: UserId, disabled: bool) -> Result<()>;

    /// Stores a session (keyed by the hash of its cookie value).
    async fn insert_session(&self, s: &Session) -> Result<()>;
    /// A session by hash.
    async fn session(&self, hash: &str) -> Result<Option<Session>>;
    /// A session with its person and their organization, in one query (every
    /// signed-in request starts with this).
    async fn session_with_person(&self, hash: &str) -> Result<Option<(Session, User, Org)>>;
    /// Marks a new person as pending confirmation by their organization
    /// (`created_by`: the platform administrator, `None` for the console).
    async fn insert_pending(
        &self,
        user: UserId,
        created_by: Option<UserId>,
        at: time::OffsetDateTime,
    ) -> Result<()>;
    /// Whether a person is still pending confirmation.
    async fn is_pending(&self, user: UserId) -> Result<bool>;
    /// The pending people of an organization, oldest first, with who created them.
    async fn pending_of_org(&self, org: OrgId) -> Result<Vec<(User, Option<UserId>)>>;
    /// Ends a person's pending state; `true` if they were pending.
    async fn clear_pending(&self, user: UserId) -> Result<bool>;
    /// Records activity on a session.
    async fn touch_session(&self, hash: &str, at: time::OffsetDateTime) -> Result<()>;
    /// Records that the session's person just proved their password or a second
    /// factor (sign-in, re-authentication).
    async fn set_session_reauth(&self, hash: &str, at: time::OffsetDateTime) -> Result<()>;
    /// When the session's person last proved it (`None`: never, or no such session).
    async fn session_reauth(&self, hash: &str) -> Result<Option<time::OffsetDateTime>>;
    /// Ends a session.
    async fn delete_session(&self, hash: &str) -> Result<()>;

    /// Deletes sessions idle since before `idle_before` or started before
    /// `started_before`; returns how many.
    async fn delete_stale_sessions(
        &self,
        idle_before: time::OffsetDateTime,
        started_before: time::OffsetDateTime,
    ) -> Result<u64>;

    /// Stores an API token (by hash).
    async fn insert_token(&self, t: &ApiToken) -> Result<()>;
    /// An API token by hash.
    async fn token(&self, hash: &str) -> Result<Option<ApiToken>>;

    /// Stores a one-time link (by hash).
    async fn insert_link(&self, l: &OneTimeLink) -> Result<()>;
    /// Marks the link used and returns it, only if it was unused: exactly one of
    /// two concurrent callers gets `Some`.
    async fn take_link(&self, hash: &str) -> Result<Option<OneTimeLink>>;

    /// Appends an audit entry whose hash the caller computed over the previous one.
    /// The store refuses (`Conflict`) when `entry.seq` is not the next number, so
    /// two writers cannot fork the chain.
    async fn append_audit(&self, entry: &AuditEntry) -> Result<()>;
    /// The last entry of the chain.
    async fn last_audit(&self) -> Result<Option<AuditEntry>>;
    /// Entries with `seq > after`, at most `limit`, in order.
    async fn audit_page(&self, after: i64, limit: i64) -> Result<Vec<AuditEntry>>;
    /// Entries by or about one person, newest first.
    async fn audit_for_user(&self, user: UserId, limit: i64) -> Result<Vec<AuditEntry>>;

    /// Entries with one action by one actor, newest first (e.g. their sign-ins).
    async fn audit_by_actor_action(
        &self,
        actor: UserId,
        action: &str,
        limit: i64,
    ) -> Result<Vec<AuditEntry>>;

    /// The guard's JSON record of one login name (see `mamori_guard::Account`).
    async fn guard_account(&self, name: &str) -> Result<Option<String>>;
    /// Creates or replaces the guard's record of one login name.
    async fn put_guard_account(&self, name: &str, json: &str) -> Result<()>;
    /// All login names the guard knows.
    async fn guard_account_names(&self) -> Result<Vec<String>>;

    // --- Account pages, personal data, owner notices, shared guard state (schema 3) ---

    /// A person's sessions (for the personal-data export: times only are shown).
    async fn sessions_of(&self, user: UserId) -> Result<Vec<Session>>;
    /// Ends every session of a person except `keep` (a hash); returns how many.
    async fn delete_sessions_of(&self, user: UserId, keep: Option<&str>) -> Result<u64>;
    /// A person's API tokens.
    async fn tokens_of(&self, user: UserId) -> Result<Vec<ApiToken>>;

    /// Keeps a TOTP secret being enrolled, bound to one session (replacing any).
    async fn put_session_totp(
        &self,
        session: &str,
        secret: &str,
        at: time::OffsetDateTime,
    ) -> Result<()>;
    /// The TOTP secret being enrolled in this session.
    async fn session_totp(&self, session: &str) -> Result<Option<String>>;
    /// Forgets the session's pending TOTP secret.
    async fn delete_session_totp(&self, session: &str) -> Result<()>;

    /// Keeps a WebAuthn ceremony under `key` (the hash of the secret it is bound
    /// to), replacing any earlier one under that key.
    async fn put_ceremony(&self, key: &str, c: &Ceremony) -> Result<()>;
    /// Takes the ceremony under `key`: it is returned once and then gone, so an
    /// answer cannot be replayed. Expired ones are returned too (the caller checks).
    async fn take_ceremony(&self, key: &str) -> Result<Option<Ceremony>>;

    /// Records a notice for an account's owner.
    async fn insert_notice(&self, n: &NewNotice) -> Result<()>;
    /// A person's notices, newest first (only unread ones when `unseen_only`).
    async fn notices(&self, user: UserId, unseen_only: bool, limit: i64) -> Result<Vec<Notice>>;
    /// Marks all of a person's notices read.
    async fn mark_notices_seen(&self, user: UserId) -> Result<()>;

    /// Records a request to delete a person's data.
    async fn insert_deletion_request(
        &self,
        user: UserId,
        at: time::OffsetDateTime,
        reason: &str,
    ) -> Result<DeletionRequest>;
    /// Deletion requests, oldest first (only open ones when `open_only`).
    async fn deletion_requests(&self, open_only: bool) -> Result<Vec<DeletionRequest>>;
    /// One person's deletion requests, oldest first.
    async fn deletion_requests_of(&self, user: UserId) -> Result<Vec<DeletionRequest>>;
    /// Carries out an erasure in one transaction (see [`Erasure`]).
    async fn erase_user(&self, e: &Erasure) -> Result<()>;

    /// One guard counter.
    async fn guard_counter(&self, key: &str) -> Result<Option<StoredCounter>>;
    /// Writes a counter only if its version is still `expected` (`None`: only if it
    /// does not exist yet); `false` when another writer came first.
    async fn cas_guard_counter(
        &self,
        key: &str,
        state: &str,
        expires: Option<time::OffsetDateTime>,
        expected: Option<i64>,
    ) -> Result<bool>;
    /// Forgets a counter.
    async fn delete_guard_counter(&self, key: &str) -> Result<()>;
    /// Marks `key` used until `keep_until_ms` (Unix milliseconds); `true` only for
    /// the first caller while the mark lasts.
    async fn guard_use_once(&self, key: &str, now_ms: i64, keep_until_ms: i64) -> Result<bool>;
    /// Stores a guard token record (JSON) under the token's hash.
    async fn put_guard_token(
        &self,
        hash: &str,
        user: &str,
        purpose: &str,
        record: &str,
    ) -> Result<()>;
    /// Removes and returns a guard token record: only one caller gets it.
    async fn take_guard_token(&self, hash: &str) -> Result<Option<String>>;
    /// Removes every token of `user` for `purpose`.
    async fn drop_guard_tokens(&self, user: &str, purpose: &str) -> Result<()>;
    /// Forgets expired counters and single-use marks; returns how many rows went.
    async fn sweep_guard_state(&self, now: time::OffsetDateTime) -> Result<u64>;

    // --- The shared credential-stuffing window (schema 5) ---

    /// Adds one attempt to its bucket's counts and marks its account last seen in
    /// that bucket (never moving it back); returns the totals from bucket `first` on,
    /// distinct accounts counted up to `account_cap`, with the alert's end. When the
    /// attempt opens a new bucket, buckets and accounts before `first` are deleted.
    /// Each statement is atomic, so parallel servers lose no count.
    async fn stuffing_record(
        &self,
        attempt: &StuffingAttempt,
        first: i64,
        account_cap: i64,
    ) -> Result<StuffingTotals>;
    /// The totals from bucket `first` on (every distinct account) and the alert's end.
    async fn stuffing_totals(&self, first: i64) -> Result<StuffingTotals>;
    /// When the alert ends (Unix milliseconds): one primary-key read.
    async fn stuffing_alert(&self) -> Result<Option<i64>>;
    /// Moves the alert's end to `until_ms` if later; `true` only when the alert was
    /// off at `now_ms`, for exactly one of racing callers.
    async fn stuffing_raise(&self, until_ms: i64, now_ms: i64) -> Result<bool>;

    // ---- Intake and case work (issue 6) ----

    /// Creates a report (a draft, or an anonymous consultation about to be
    /// submitted) with its `created` history entry.
    async fn insert_report(&self, new: &NewReport) -> Result<Report>;
    /// One report.
    async fn report(&self, id: ReportId) -> Result<Option<Report>>;
    /// The report an anonymous contact token (by hash) belongs to.
    async fn report_by_contact(&self, contact_hash: &str) -> Result<Option<Report>>;
    /// Replaces a draft's content. `Conflict` unless the report is still a draft.
    async fn update_draft(
        &self,
        id: ReportId,
        content: &ReportContent,
        at: time::OffsetDateTime,
    ) -> Result<Report>;
    /// Sends a draft in one transaction: status `submitted`, one case per body (status
    /// `received`, indexed for search), a reporter-visible `submitted` entry per case.
    /// `Conflict` unless the report is a draft.
    async fn submit_report(
        &self,
        id: ReportId,
        bodies: &[OrgId],
        actor: Option<UserId>,
        at: time::OffsetDateTime,
    ) -> Result<(Report, Vec<Case>)>;
    /// Reports of one organization, newest first, keyset-paged (`before`); drafts
    /// only of `drafts_of` (the rule comes from `mamori_service::authz`).
    async fn reports_of_org(
        &self,
        org: OrgId,
        drafts_of: UserId,
        before: Option<ReportId>,
        limit: i64,
    ) -> Result<Vec<ReportSummary>>;
    /// How many drafts `author` has open (the per-person draft limit).
    async fn count_drafts(&self, author: UserId) -> Result<i64>;
    /// Every case of a report, by id.
    async fn cases_of_report(&self, report: ReportId) -> Result<Vec<Case>>;
    /// One case.
    async fn case(&self, id: CaseId) -> Result<Option<Case>>;
    /// Writes a case's new state (status, reason, outcome, assignee, due date,
    /// checklist) and its history entry together. `case.version` must still be the
    /// stored version (else `Conflict`: someone changed it meanwhile); the returned
    /// case carries the next version.
    async fn update_case(&self, case: &Case, event: &NewEvent) -> Result<Case>;
    /// Appends a history entry (messages, notes).
    async fn insert_event(&self, event: &NewEvent) -> Result<CaseEvent>;
    /// A report's whole history, oldest first.
    async fn events(&self, report: ReportId) -> Result<Vec<CaseEvent>>;
    /// Stores an attachment with its history entry, unless the report's attachments
    /// would then exceed `max_total` bytes: `None`, nothing written.
    async fn insert_attachment(
        &self,
        a: &NewAttachment,
        max_total: i64,
        event: &NewEvent,
    ) -> Result<Option<Attachment>>;
    /// A report's attachments (records only), by id.
    async fn attachments(&self, report: ReportId) -> Result<Vec<Attachment>>;
    /// One attachment with its bytes.
    async fn attachment_bytes(&self, id: AttachmentId) -> Result<Option<(Attachment, Vec<u8>)>>;
    /// Records a referral proposal and its history entry.
    async fn insert_referral(&self, r: &NewReferral, event: &NewEvent) -> Result<Referral>;
    /// One referral.
    async fn referral(&self, id: ReferralId) -> Result<Option<Referral>>;
    /// A report's referrals, by id.
    async fn referrals(&self, report: ReportId) -> Result<Vec<Referral>>;
    /// Decides a proposed referral in one transaction: the reporter-visible entry
    /// `referral_consented` or `referral_declined` and, on consent, a new case at
    /// the target (`referred_from` the proposing case, indexed for search) with a
    /// `referred` entry. `Conflict` unless the referral is still proposed or when the
    /// target already holds a case for the report.
    async fn decide_referral(
        &self,
        id: ReferralId,
        consent: bool,
        by: Option<UserId>,
        at: time::OffsetDateTime,
    ) -> Result<(Referral, Option<Case>)>;
    /// A body's queue page: filters, full-text search, newest case first.
    async fn case_queue(&self, q: &CaseQuery) -> Result<Vec<QueueRow>>;
    /// Writes submitted reports with their cases in one transaction (benchmark
    /// worlds and imports; no history entries).
    async fn import_reports(&self, rows: &[ImportedReport]) -> Result<()>;

    // ---- Statistics (issue 13) ----

    /// Of `ids`, those already stored as statistical records.
    async fn existing_stat_ids(&self, ids: &[String]) -> Result<Vec<String>>;
    /// Stores records in one transaction (all or nothing); `Conflict` when an id exists.
    async fn insert_stat_records(
        &self,
        records: &[mamori_core::stats::StatRecord],
        at: time::OffsetDateTime,
    ) -> Result<u64>;
    /// Every statistical record, in import order (the aggregate's rebuild).
    async fn stat_records(&self) -> Result<Vec<mamori_core::stats::StatRecord>>;
    /// Adds links the rules found; existing pairs keep their status and decision.
    /// Returns how many were new.
    async fn add_stat_links(&self, links: &[(Link, LinkStatus)]) -> Result<u64>;
    /// Links, all or of one status, by ids.
    async fn stat_links(&self, status: Option<LinkStatus>) -> Result<Vec<StoredLink>>;
    /// Sets a link's status if it is currently `from`; `false` when it is not (or does
    /// not exist).
    async fn decide_stat_link(
        &self,
        a: &str,
        b: &str,
        from: &[LinkStatus],
        to: LinkStatus,
        by: Option<UserId>,
        at: time::OffsetDateTime,
    ) -> Result<bool>;
    /// Replaces every aggregate cell in one transaction.
    async fn replace_stat_cells(&self, cells: &[mamori_core::stats::Cell]) -> Result<()>;
    /// The cells a yearly report of `year` reads: every cell of `year` and the year
    /// before, and the totals (dimension `total`) of every year.
    async fn stat_cells_for_report(&self, year: i32) -> Result<Vec<mamori_core::stats::Cell>>;
    /// Every cell of dimension `dim` (effectiveness trends).
    async fn stat_cells_of_dim(
        &self,
        dim: mamori_core::stats::Dim,
    ) -> Result<Vec<mamori_core::stats::Cell>>;
    /// Stores other organizations' published figures.
    async fn insert_external_counts(
        &self,
        rows: &[mamori_core::stats::ExternalCount],
        at: time::OffsetDateTime,
    ) -> Result<u64>;
    /// Other organizations' figures of the given years, in import order.
    async fn external_counts(
        &self,
        years: &[i32],
    ) -> Result<Vec<mamori_core::stats::ExternalCount>>;
    /// Stores a publication of a yearly report (its frozen inputs); returns its id.
    async fn insert_stat_publication(&self, p: &NewPublication) -> Result<i64>;
    /// Every publication, newest first, without the inputs.
    async fn stat_publications(&self) -> Result<Vec<PublicationInfo>>;
    /// The latest publication of `year`, with its inputs.
    async fn latest_stat_publication(&self, year: i32) -> Result<Option<Publication>>;
}
