//! Typed rows of intake and case work (issue 6): reports (届出・相談・通報), the
//! cases one per receiving body, the single history across bodies, attachments
//! and referrals. No SQL type in sight.

use crate::model::str_enum;
use crate::{OrgId, UserId};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

macro_rules! id_type {
    ($(#[$m:meta])* $name:ident) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);
    };
}

id_type!(
    /// Report id.
    ReportId
);
id_type!(
    /// Case id (one report's handling at one receiving body).
    CaseId
);
id_type!(
    /// History entry id.
    EventId
);
id_type!(
    /// Attachment id.
    AttachmentId
);
id_type!(
    /// Referral proposal id.
    ReferralId
);

str_enum!(
    /// What the reporter files.
    ReportKind {
        /// 相談: a question to a body; may be anonymous.
        Consultation = "consultation",
        /// 届出: a report of a crime to investigate; needs an account and the required answers.
        Report = "report",
        /// 通報: a notification (e.g. to IPA under the countermeasure standard).
        Notification = "notification",
    }
);

str_enum!(
    /// Where a report is.
    ReportStatus {
        /// Being written; only its author sees it.
        Draft = "draft",
        /// Sent to the bodies the reporter chose.
        Submitted = "submitted",
        /// Withdrawn by the reporter.
        Withdrawn = "withdrawn",
    }
);

str_enum!(
    /// Where a case is at its body.
    CaseStatus {
        /// Arrived, not yet looked at.
        Received = "received",
        /// Taken on.
        Accepted = "accepted",
        /// Not taken on (a reason from the list, the reporter told).
        NotAccepted = "not_accepted",
        /// Being worked.
        InProgress = "in_progress",
        /// Finished with an outcome.
        Closed = "closed",
    }
);

impl CaseStatus {
    /// No more work happens on the case.
    pub fn is_final(self) -> bool {
        matches!(self, CaseStatus::NotAccepted | CaseStatus::Closed)
    }
}

str_enum!(
    /// What a history entry records.
    EventKind {
        /// A draft was created.
        Created = "created",
        /// The report was sent to a body (one entry per case).
        Submitted = "submitted",
        /// The body took the case on.
        Accepted = "accepted",
        /// The body did not take the case on.
        NotAccepted = "not_accepted",
        /// Another status change (in progress).
        StatusChanged = "status_changed",
        /// Someone was assigned.
        Assigned = "assigned",
        /// A due date was set or cleared.
        DueSet = "due_set",
        /// A body wrote to the reporter.
        MessageToReporter = "message_to_reporter",
        /// The reporter wrote to a body.
        MessageFromReporter = "message_from_reporter",
        /// An internal note (bodies only).
        Note = "note",
        /// A body proposed to refer the report to another body.
        ReferralProposed = "referral_proposed",
        /// The reporter agreed to a referral.
        ReferralConsented = "referral_consented",
        /// The reporter declined a referral.
        ReferralDeclined = "referral_declined",
        /// The report arrived at another body by referral.
        Referred = "referred",
        /// A closing-checklist item was ticked or unticked.
        ChecklistTicked = "checklist_ticked",
        /// The case was closed with an outcome.
        Closed = "closed",
        /// A file was attached.
        AttachmentAdded = "attachment_added",
        /// The reporter withdrew the report.
        Withdrawn = "withdrawn",
    }
);

str_enum!(
    /// Who may read a history entry.
    Visibility {
        /// The reporter and every body holding the report.
        Reporter = "reporter",
        /// Every body holding the report, never the reporter.
        Bodies = "bodies",
        /// Only the body of the entry's case.
        BodyInternal = "body_internal",
    }
);

str_enum!(
    /// What an attachment is.
    AttachmentKind {
        /// A log excerpt.
        Log = "log",
        /// A `mamori scan --format json` result.
        ScanJson = "scan_json",
        /// A sealed `mamori evidence` bundle (tar).
        EvidenceBundle = "evidence_bundle",
        /// Anything else.
        Other = "other",
    }
);

str_enum!(
    /// The result of checking an attachment on upload.
    Verdict {
        /// Nothing to verify (a plain file); its hashes are recorded.
        NotApplicable = "not_applicable",
        /// The evidence bundle verified: signature, item hashes and custody chain intact.
        Verified = "verified",
        /// The evidence bundle did not verify (see the detail).
        Failed = "failed",
        /// The file claimed to be a scan result but is not one.
        Invalid = "invalid",
    }
);

str_enum!(
    /// A referral proposal's state.
    ReferralStatus {
        /// Waiting for the reporter.
        Proposed = "proposed",
        /// The reporter agreed; the target body has a case.
        Consented = "consented",
        /// The reporter declined.
        Declined = "declined",
    }
);

/// The classification columns a report is filtered by (codes of `mamori_core`'s
/// taxonomy; the store treats them as opaque words).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facets {
    /// Act codes.
    pub acts: Vec<String>,
    /// Method (手口) codes.
    pub methods: Vec<String>,
    /// Sector code.
    pub sector: Option<String>,
    /// Access-administrator type code.
    pub admin_type: Option<String>,
}

/// The editable content of a report (a draft's autosave writes all of it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportContent {
    /// Kind.
    pub kind: ReportKind,
    /// Title.
    pub title: String,
    /// What happened, in the reporter's words.
    pub description: String,
    /// The questionnaire's answers as a JSON object (question id → list of strings).
    pub answers: String,
    /// Taxonomy version the answers were classified under.
    pub taxonomy_version: String,
    /// Classification.
    pub facets: Facets,
    /// Incident first seen.
    pub first_seen: Option<OffsetDateTime>,
    /// Incident last seen.
    pub last_seen: Option<OffsetDateTime>,
}

/// A new report: a draft by a person, or an anonymous consultation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReport {
    /// Content.
    pub content: ReportContent,
    /// Author (none for an anonymous consultation).
    pub author: Option<UserId>,
    /// Reporting organization (none for an anonymous consultation).
    pub org: Option<OrgId>,
    /// BLAKE3 hex of the anonymous contact token.
    pub contact_hash: Option<String>,
    /// Creation time.
    pub created_at: OffsetDateTime,
}

/// A report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// Id.
    pub id: ReportId,
    /// Status.
    pub status: ReportStatus,
    /// Author.
    pub author: Option<UserId>,
    /// Reporting organization.
    pub org: Option<OrgId>,
    /// Whether an anonymous contact token exists (the hash itself is never shown).
    pub anonymous: bool,
    /// Kind.
    pub kind: ReportKind,
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// Answers (JSON object text).
    pub answers: String,
    /// Taxonomy version.
    pub taxonomy_version: String,
    /// Classification.
    pub facets: Facets,
    /// Incident first seen.
    #[serde(with = "time::serde::rfc3339::option")]
    pub first_seen: Option<OffsetDateTime>,
    /// Incident last seen.
    #[serde(with = "time::serde::rfc3339::option")]
    pub last_seen: Option<OffsetDateTime>,
    /// Created.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// Last change.
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
    /// Sent to the bodies.
    #[serde(with = "time::serde::rfc3339::option")]
    pub submitted_at: Option<OffsetDateTime>,
}

/// A line of a reporter's list of reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportSummary {
    /// Id.
    pub id: ReportId,
    /// Kind.
    pub kind: ReportKind,
    /// Status.
    pub status: ReportStatus,
    /// Title.
    pub title: String,
    /// Author.
    pub author: Option<UserId>,
    /// Created.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// Last change.
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

/// A new case at a receiving body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCase {
    /// The body (an organization of a receiving-body kind).
    pub body: OrgId,
    /// The case it was referred from.
    pub referred_from: Option<CaseId>,
}

/// One report's handling at one receiving body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Case {
    /// Id.
    pub id: CaseId,
    /// The report.
    pub report: ReportId,
    /// The receiving body.
    pub body: OrgId,
    /// Status.
    pub status: CaseStatus,
    /// Not-accepted reason code (`mamori_core::guideline::NotAcceptedReason`).
    pub reason: Option<String>,
    /// Not-accepted explanation, or the closing note.
    pub reason_text: String,
    /// Outcome code (`mamori_core::guideline::Outcome`).
    pub outcome: Option<String>,
    /// Assigned person of the body.
    pub assignee: Option<UserId>,
    /// Due date.
    #[serde(with = "time::serde::rfc3339::option")]
    pub due_at: Option<OffsetDateTime>,
    /// Ticked closing-checklist item ids.
    pub checklist: Vec<String>,
    /// The case this one was referred from.
    pub referred_from: Option<CaseId>,
    /// Optimistic-concurrency version (bumped by every change).
    pub version: i64,
    /// Created.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// Last change.
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

impl Case {
    /// Still open after its due date (the rule of [`CaseQuery::overdue_at`]).
    pub fn is_overdue(&self, now: OffsetDateTime) -> bool {
        !self.status.is_final() && self.due_at.is_some_and(|d| d < now)
    }
}

/// A new history entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEvent {
    /// The report.
    pub report: ReportId,
    /// The case, when the entry belongs to one body's handling.
    pub case: Option<CaseId>,
    /// When.
    pub at: OffsetDateTime,
    /// Who (none for the anonymous reporter and the system).
    pub actor: Option<UserId>,
    /// What.
    pub kind: EventKind,
    /// Message or note text (may be empty).
    pub text: String,
    /// Who may read it.
    pub visibility: Visibility,
    /// Structured facts as a JSON object (`{}` when none).
    pub detail: String,
}

impl NewEvent {
    /// An entry with no text and no detail.
    pub fn new(
        report: ReportId,
        case: Option<CaseId>,
        at: OffsetDateTime,
        actor: Option<UserId>,
        kind: EventKind,
        visibility: Visibility,
    ) -> NewEvent {
        NewEvent {
            report,
            case,
            at,
            actor,
            kind,
            text: String::new(),
            visibility,
            detail: "{}".into(),
        }
    }
}

/// A history entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseEvent {
    /// Id (increasing with time).
    pub id: EventId,
    /// The report.
    pub report: ReportId,
    /// The case.
    pub case: Option<CaseId>,
    /// When.
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// Who.
    pub actor: Option<UserId>,
    /// What.
    pub kind: EventKind,
    /// Text.
    pub text: String,
    /// Who may read it.
    pub visibility: Visibility,
    /// JSON object.
    pub detail: String,
}

/// A new attachment with its bytes.
#[derive(Clone, PartialEq, Eq)]
pub struct NewAttachment {
    /// The report.
    pub report: ReportId,
    /// File name as uploaded.
    pub name: String,
    /// Media type.
    pub media_type: String,
    /// BLAKE3 hex of the bytes.
    pub blake3: String,
    /// SHA-256 hex of the bytes.
    pub sha256: String,
    /// Kind.
    pub kind: AttachmentKind,
    /// Check result.
    pub verdict: Verdict,
    /// Check details for people (problems found, signer, item count).
    pub verdict_detail: String,
    /// The content.
    pub bytes: Vec<u8>,
    /// Who uploaded it (none for an anonymous consultation).
    pub uploaded_by: Option<UserId>,
    /// When.
    pub uploaded_at: OffsetDateTime,
}

impl std::fmt::Debug for NewAttachment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewAttachment")
            .field("report", &self.report)
            .field("name", &self.name)
            .field("size", &self.bytes.len())
            .field("sha256", &self.sha256)
            .finish_non_exhaustive()
    }
}

/// An attachment's record (without the bytes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attachment {
    /// Id.
    pub id: AttachmentId,
    /// The report.
    pub report: ReportId,
    /// File name.
    pub name: String,
    /// Media type.
    pub media_type: String,
    /// Size in bytes.
    pub size: i64,
    /// BLAKE3 hex.
    pub blake3: String,
    /// SHA-256 hex.
    pub sha256: String,
    /// Kind.
    pub kind: AttachmentKind,
    /// Check result.
    pub verdict: Verdict,
    /// Check details.
    pub verdict_detail: String,
    /// Uploaded by.
    pub uploaded_by: Option<UserId>,
    /// Uploaded at.
    #[serde(with = "time::serde::rfc3339")]
    pub uploaded_at: OffsetDateTime,
}

/// A referral proposal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReferral {
    /// The report.
    pub report: ReportId,
    /// The proposing body's case.
    pub from_case: CaseId,
    /// The body it would go to.
    pub target: OrgId,
    /// Who proposed.
    pub proposed_by: UserId,
    /// Why (shown to the reporter).
    pub text: String,
    /// When.
    pub at: OffsetDateTime,
}

/// A referral proposal and what became of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Referral {
    /// Id.
    pub id: ReferralId,
    /// The report.
    pub report: ReportId,
    /// The proposing body's case.
    pub from_case: CaseId,
    /// The target body.
    pub target: OrgId,
    /// State.
    pub status: ReferralStatus,
    /// Who proposed.
    pub proposed_by: UserId,
    /// Why.
    pub text: String,
    /// When proposed.
    #[serde(with = "time::serde::rfc3339")]
    pub proposed_at: OffsetDateTime,
    /// Who decided.
    pub decided_by: Option<UserId>,
    /// When decided.
    #[serde(with = "time::serde::rfc3339::option")]
    pub decided_at: Option<OffsetDateTime>,
    /// The case created at the target on consent.
    pub new_case: Option<CaseId>,
}

/// Which cases of one body a queue query may return. Built by
/// `mamori_service::authz` (the rule lives there); the store only applies it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueueScope {
    /// The body.
    pub body: OrgId,
    /// When set, only cases unassigned or assigned to this person.
    pub unassigned_or: Option<UserId>,
}

/// A body's queue: filters and a keyset page, newest case first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseQuery {
    /// Whose cases (from authorization).
    pub scope: QueueScope,
    /// Any of these statuses (all when empty).
    pub statuses: Vec<CaseStatus>,
    /// Reports classified with this act code.
    pub act: Option<String>,
    /// Reports of this sector code.
    pub sector: Option<String>,
    /// Assigned to this person.
    pub assignee: Option<UserId>,
    /// Only open cases whose due date is before this time.
    pub overdue_at: Option<OffsetDateTime>,
    /// Full-text query (Japanese and latin; see [`crate::search`]).
    pub text: Option<String>,
    /// Keyset: cases with a smaller id than this.
    pub before: Option<CaseId>,
    /// Page size.
    pub limit: i64,
}

impl CaseQuery {
    /// The first page of a body's whole queue.
    pub fn new(scope: QueueScope, limit: i64) -> CaseQuery {
        CaseQuery {
            scope,
            statuses: Vec::new(),
            act: None,
            sector: None,
            assignee: None,
            overdue_at: None,
            text: None,
            before: None,
            limit,
        }
    }
}

/// One line of a body's queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QueueRow {
    /// The case.
    pub case: Case,
    /// The report's kind.
    pub kind: ReportKind,
    /// The report's title.
    pub title: String,
    /// The reporting organization (none for anonymous).
    pub reporter_org: Option<OrgId>,
    /// When the report was sent.
    #[serde(with = "time::serde::rfc3339::option")]
    pub submitted_at: Option<OffsetDateTime>,
    /// Classification.
    pub facets: Facets,
    /// The reporting organization's name (read with the row, for the queue page).
    pub reporter_name: Option<String>,
}

/// A submitted report with its cases, written in one go (benchmarks, imports).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedReport {
    /// The report (written as submitted at `created_at`).
    pub report: NewReport,
    /// Its cases.
    pub cases: Vec<ImportedCase>,
}

/// One case of an [`ImportedReport`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedCase {
    /// The body.
    pub body: OrgId,
    /// Status.
    pub status: CaseStatus,
    /// Assigned person.
    pub assignee: Option<UserId>,
    /// Due date.
    pub due_at: Option<OffsetDateTime>,
}

impl ImportedCase {
    /// A case with a status, unassigned, without a due date.
    pub fn new(body: OrgId, status: CaseStatus) -> ImportedCase {
        ImportedCase {
            body,
            status,
            assignee: None,
            due_at: None,
        }
    }
}
