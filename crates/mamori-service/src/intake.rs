//! Intake (届出・相談・通報, issue 6): drafts saved as the reporter goes, pre-filled from
//! a `mamori scan` result, attachments with their hashes (evidence bundles verified on
//! upload), the reporting guideline's advice, submission to the bodies the reporter
//! chose (nothing is sent without that choice), anonymous consultation with a contact
//! token, and a report as each reader may see it.
//!
//! Every view and change is audited; every change is also a row of the report's history
//! (autosaves of a draft only in the audit log).

use crate::audit::Event;
use crate::authz::{self, Permission, Reader, check};
use crate::{Actor, Result, ServiceError, Services, codes, secret_hash};
use mamori_core::guideline::{Body, Guidance, advise};
use mamori_core::intake::{AnswerError, Answers, classify, prefill_from_scan};
use mamori_core::taxonomy::Classification;
use mamori_core::{Lang, Text};
use mamori_store::{
    Attachment, AttachmentKind, Case, CaseEvent, CaseId, EventKind, Facets, NewAttachment,
    NewEvent, NewReport, Org, OrgId, OrgKind, Referral, Report, ReportContent, ReportId,
    ReportKind, ReportStatus, ReportSummary, Role, StoreError, User, UserId, Verdict, Visibility,
};
use serde::Serialize;
use serde_json::json;
use std::collections::HashMap;
use time::OffsetDateTime;

/// Longest title (characters).
pub const MAX_TITLE_CHARS: usize = 200;
/// Longest attachment file name (characters).
pub const MAX_FILE_NAME_CHARS: usize = 255;

/// What a reporter writes into a draft: the kind, a title and the questionnaire's
/// answers (the free-text `description` answer is the report's description; the
/// `started_at` answer its first-seen time).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DraftInput {
    /// 届出, 通報 or 相談 (a draft may change kind until it is sent).
    pub kind: Option<ReportKind>,
    /// Title (up to 200 characters; may be empty).
    pub title: String,
    /// All answers.
    pub answers: Answers,
}

/// One recipient the reporter chose: a body, and for the police optionally a
/// prefectural unit (otherwise the National Police Agency's organization).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SubmitTo {
    /// The body.
    pub body: Body,
    /// A specific organization of that body (a prefectural police unit).
    pub org: Option<OrgId>,
}

impl SubmitTo {
    /// The body's default organization.
    pub fn body(body: Body) -> SubmitTo {
        SubmitTo { body, org: None }
    }
}

/// A file to attach.
#[derive(Clone)]
pub struct Upload {
    /// File name as given (kept for display; never used as a path).
    pub name: String,
    /// The content.
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for Upload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Upload")
            .field("name", &self.name)
            .field("size", &self.bytes.len())
            .finish()
    }
}

/// An upload being received, chunk by chunk: the bytes are kept up to the
/// per-file limit and no further (the buffer's capacity never exceeds it), and both
/// hashes are computed as the chunks arrive. It holds one of the server's upload
/// slots ([`ServiceConfig::concurrent_uploads`](crate::ServiceConfig)) until dropped.
pub struct UploadBuffer {
    name: String,
    bytes: Vec<u8>,
    limit: usize,
    blake3: blake3::Hasher,
    sha256: sha2::Sha256,
    _slot: Option<tokio::sync::OwnedSemaphorePermit>,
}

impl std::fmt::Debug for UploadBuffer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UploadBuffer")
            .field("name", &self.name)
            .field("size", &self.bytes.len())
            .field("limit", &self.limit)
            .finish()
    }
}

impl UploadBuffer {
    /// An empty buffer for a file called `name`, holding at most `limit` bytes.
    pub fn new(name: impl Into<String>, limit: usize) -> Self {
        UploadBuffer {
            name: name.into(),
            bytes: Vec::new(),
            limit,
            blake3: blake3::Hasher::new(),
            sha256: <sha2::Sha256 as sha2::Digest>::new(),
            _slot: None,
        }
    }

    /// Appends a chunk; refused (`TooLarge`, nothing appended) when the file would
    /// pass the limit, so the caller stops reading there.
    pub fn push(&mut self, chunk: &[u8]) -> Result<()> {
        let need = self.bytes.len().saturating_add(chunk.len());
        if need > self.limit {
            return Err(ServiceError::TooLarge(codes::FILE_TOO_LARGE));
        }
        if need > self.bytes.capacity() {
            // Grow geometrically, but never past the limit.
            let cap = need
                .max(self.bytes.capacity().saturating_mul(2))
                .min(self.limit);
            self.bytes.reserve_exact(cap - self.bytes.len());
        }
        self.blake3.update(chunk);
        sha2::Digest::update(&mut self.sha256, chunk);
        self.bytes.extend_from_slice(chunk);
        Ok(())
    }

    /// The bytes received so far.
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    /// Nothing received yet.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// The memory the buffer holds (never more than the limit).
    pub fn capacity(&self) -> usize {
        self.bytes.capacity()
    }

    /// The name, the bytes and their SHA-256 (hex), for stores other than a report's.
    pub(crate) fn into_parts(self) -> (String, Vec<u8>, String) {
        let sha = hex::encode(sha2::Digest::finalize(self.sha256));
        (self.name, self.bytes, sha)
    }

    /// The bytes received (for uploads read as text, such as statistics imports).
    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }

    /// Sets the file name (known after the first chunk of some formats).
    pub fn set_name(&mut self, name: impl Into<String>) {
        self.name = name.into();
    }
}

/// Bidirectional-text controls that can make a file name read differently from what
/// it is (`invoice\u{202E}fdp.exe` shows as `invoiceexe.pdf`).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// A file name as it is stored and shown: bidi controls and control characters
/// (C0, DEL, C1) removed, path separators replaced, surrounding spaces trimmed;
/// Japanese and other text kept. `None` when nothing is left.
pub fn clean_file_name(raw: &str) -> Option<String> {
    let s: String = raw
        .chars()
        .filter(|c| !c.is_control() && !is_bidi_control(*c))
        .map(|c| if c == '/' || c == '\\' { '_' } else { c })
        .collect();
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_string())
}

/// Which body an organization belongs to, if it is a receiving body.
pub fn body_of(kind: OrgKind) -> Option<Body> {
    match kind {
        OrgKind::Police | OrgKind::PolicePrefectural => Some(Body::Police),
        OrgKind::Ipa => Some(Body::Ipa),
        OrgKind::JpcertCc => Some(Body::JpcertCc),
        _ => None,
    }
}

/// Who is reading a [`ReportView`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "as", rename_all = "snake_case")]
pub enum Viewer {
    /// A reporter of the reporting organization (`author`: they wrote it).
    Reporter {
        /// The reader is the author.
        author: bool,
    },
    /// The person holding the anonymous contact token.
    Anonymous,
    /// A receiving body holding a case for the report.
    Body {
        /// The body's organization.
        org: OrgId,
        /// Its case for this report.
        case: CaseId,
    },
}

/// One case as the reader may see it. Reporters and other bodies do not see who is
/// assigned, the due date or the checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseView {
    /// The case (redacted for readers outside its body).
    pub case: Case,
    /// Which body.
    pub body: Body,
    /// The body's organization name.
    pub body_name: String,
    /// The assigned person's name (own body only).
    pub assignee_name: Option<String>,
    /// The closing checklist with ticks (own body only; empty otherwise).
    pub checklist: Vec<ChecklistLine>,
    /// The reader's own body holds this case (it may work it).
    pub own: bool,
}

/// One line of a closing checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChecklistLine {
    /// Item id.
    pub id: &'static str,
    /// Text.
    pub text: Text,
    /// Ticked.
    pub done: bool,
}

/// One history entry with names for display.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventView {
    /// The entry.
    pub event: CaseEvent,
    /// Who, by name: reporters see their organization's people and only the body's
    /// name for body staff.
    pub actor_name: Option<String>,
    /// The body of the entry's case.
    pub body_name: Option<String>,
}

/// A referral proposal with names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReferralView {
    /// The proposal.
    pub referral: Referral,
    /// The proposing body's name.
    pub from_body: String,
    /// The target body's name.
    pub target_name: String,
    /// The target's body.
    pub target_body: Option<Body>,
}

/// A report as one reader may see it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportView {
    /// The report.
    pub report: Report,
    /// Its answers.
    pub answers: Answers,
    /// The answers mapped onto the taxonomy.
    pub classification: Classification,
    /// The reporting guideline's advice for these answers.
    pub guidance: Guidance,
    /// Required questions still unanswered for a 届出 (ids).
    pub missing_for_report: Vec<&'static str>,
    /// Reporting organization's name.
    pub org_name: Option<String>,
    /// Author's name (bodies see who reported).
    pub author_name: Option<String>,
    /// Cases at the bodies holding it.
    pub cases: Vec<CaseView>,
    /// The history the reader may read, oldest first.
    pub events: Vec<EventView>,
    /// Attachments (records; download separately).
    pub attachments: Vec<Attachment>,
    /// Referral proposals.
    pub referrals: Vec<ReferralView>,
    /// Who is reading.
    pub viewer: Viewer,
}

impl ReportView {
    /// The reader's own case (bodies).
    pub fn own_case(&self) -> Option<&CaseView> {
        self.cases.iter().find(|c| c.own)
    }
}

fn check_title(t: &str) -> Result<String> {
    let t = t.trim();
    if t.chars().count() > MAX_TITLE_CHARS {
        return Err(ServiceError::Invalid(codes::TITLE));
    }
    Ok(t.to_string())
}

fn validate(a: &Answers) -> Result<()> {
    a.validate().map_err(|errors| ServiceError::InvalidAnswers {
        code: codes::ANSWERS,
        errors,
    })
}

pub use mamori_core::jst::format_jst;

/// A date or date-time answer as a time; times without an offset are Japan time.
pub fn parse_when(s: &str) -> Option<OffsetDateTime> {
    use time::format_description::well_known::Rfc3339;
    let s = s.trim();
    if let Ok(t) = OffsetDateTime::parse(s, &Rfc3339) {
        return Some(t);
    }
    let jst = time::UtcOffset::from_hms(9, 0, 0).ok()?;
    let fmts: [&[time::format_description::FormatItem<'_>]; 2] = [
        time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]"),
        time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]"),
    ];
    for f in fmts {
        if let Ok(t) = time::PrimitiveDateTime::parse(s, f) {
            return Some(t.assume_offset(jst));
        }
    }
    let d = time::Date::parse(s, time::macros::format_description!("[year]-[month]-[day]")).ok()?;
    Some(d.midnight().assume_offset(jst))
}

fn facets(c: &Classification) -> Facets {
    Facets {
        acts: c.acts.iter().map(|a| a.code().to_string()).collect(),
        methods: c.methods.iter().map(|m| m.code().to_string()).collect(),
        sector: c.sector.map(|s| s.code().to_string()),
        admin_type: c.admin_type.map(|s| s.code().to_string()),
    }
}

/// The stored content of a draft input.
fn content(
    kind: ReportKind,
    title: String,
    answers: &Answers,
    first_seen: Option<OffsetDateTime>,
    last_seen: Option<OffsetDateTime>,
) -> Result<ReportContent> {
    let c = classify(answers);
    Ok(ReportContent {
        kind,
        title,
        description: answers.one("description").unwrap_or("").to_string(),
        answers: serde_json::to_string(answers)
            .map_err(|e| ServiceError::Internal(e.to_string()))?,
        taxonomy_version: c.version.clone(),
        facets: facets(&c),
        first_seen: answers
            .one("started_at")
            .and_then(parse_when)
            .or(first_seen),
        last_seen,
    })
}

/// The answers stored with a report.
pub fn answers_of(r: &Report) -> Answers {
    serde_json::from_str(&r.answers).unwrap_or_default()
}

fn is_tar(bytes: &[u8]) -> bool {
    bytes.len() >= 262 && &bytes[257..262] == b"ustar"
}

/// What an upload is, and its media type.
fn sniff(name: &str, bytes: &[u8]) -> (AttachmentKind, &'static str) {
    let lower = name.to_ascii_lowercase();
    if is_tar(bytes) || lower.ends_with(".tar") {
        return (AttachmentKind::EvidenceBundle, "application/x-tar");
    }
    if let Ok(v) = serde_json::from_slice::<serde_json::Value>(bytes) {
        if v.get("schema_version").is_some() && prefill_from_scan(&v).is_ok() {
            return (AttachmentKind::ScanJson, "application/json");
        }
        return (AttachmentKind::Other, "application/json");
    }
    // Text (a log excerpt) when the beginning is UTF-8 (a cut character at the end is fine).
    let head = &bytes[..bytes.len().min(64 * 1024)];
    let text = match std::str::from_utf8(head) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none() && e.valid_up_to() + 4 > head.len(),
    };
    if text {
        return (AttachmentKind::Log, "text/plain; charset=utf-8");
    }
    (AttachmentKind::Other, "application/octet-stream")
}

/// Verifies an evidence bundle: (verdict, detail for people).
fn verify_bundle(name: &str, bytes: &[u8]) -> (Verdict, String) {
    match mamori_integrity::evidence::verify_tar_bytes(bytes, name, None) {
        Err(e) => (
            Verdict::Failed,
            format!("読み取れない証拠バンドル / unreadable evidence bundle: {e}"),
        ),
        Ok(r) => {
            let mut detail = r.render(Lang::Ja);
            if !r.ok() {
                detail.push_str(&r.render(Lang::En));
            }
            (
                if r.ok() {
                    Verdict::Verified
                } else {
                    Verdict::Failed
                },
                detail.chars().take(8000).collect(),
            )
        }
    }
}

impl Services {
    fn report_event(
        &self,
        report: ReportId,
        case: Option<CaseId>,
        actor: Option<UserId>,
        kind: EventKind,
        visibility: Visibility,
    ) -> NewEvent {
        NewEvent::new(report, case, self.now(), actor, kind, visibility)
    }

    pub(crate) async fn audit_intake(
        &self,
        actor: Option<&Actor>,
        source: Option<&str>,
        action: &'static str,
        object: String,
        detail: serde_json::Value,
    ) -> Result<()> {
        self.audit(Event {
            actor: actor.map(|a| a.user.id),
            subject: None,
            action,
            object,
            source: actor
                .map(|a| a.source.clone())
                .or(source.map(str::to_string))
                .unwrap_or_default(),
            detail,
        })
        .await
    }

    /// Loads a report and its cases and checks `p` on them; a refusal is audited and
    /// looks exactly like a missing report.
    pub(crate) async fn load_report(
        &self,
        actor: &Actor,
        id: ReportId,
        p: for<'a> fn(&'a Report, &'a [Case]) -> Permission<'a>,
    ) -> Result<(Report, Vec<Case>)> {
        let Some(r) = self.store.report(id).await? else {
            self.denied(actor, &format!("report:{}", id.0)).await?;
            return Err(ServiceError::NotFound);
        };
        let cases = self.store.cases_of_report(id).await?;
        if check(actor, p(&r, &cases)).is_err() {
            self.denied(actor, &format!("report:{}", id.0)).await?;
            return Err(ServiceError::NotFound);
        }
        Ok((r, cases))
    }

    /// The organizations a reporter can send to, per body, in the order of
    /// [`Body::ALL`]: the police list holds the National Police Agency first, then the
    /// prefectural units. Public directory data (no audit).
    pub async fn receiving_bodies(&self) -> Result<Vec<(Body, Vec<Org>)>> {
        let orgs = self.store.orgs().await?;
        Ok(Body::ALL
            .iter()
            .map(|b| {
                let mut list: Vec<Org> = orgs
                    .iter()
                    .filter(|o| body_of(o.kind) == Some(*b))
                    .cloned()
                    .collect();
                list.sort_by_key(|o| (o.kind == OrgKind::PolicePrefectural, o.id));
                (*b, list)
            })
            .collect())
    }

    /// The organization a choice resolves to.
    async fn resolve(&self, to: SubmitTo) -> Result<Org> {
        let bodies = self.receiving_bodies().await?;
        let list = bodies
            .into_iter()
            .find(|(b, _)| *b == to.body)
            .map(|(_, l)| l)
            .unwrap_or_default();
        match to.org {
            Some(id) => list
                .into_iter()
                .find(|o| o.id == id)
                .ok_or(ServiceError::Invalid(codes::BODY_ORG)),
            None => list
                .into_iter()
                .next()
                .ok_or(ServiceError::Invalid(codes::BODY_MISSING)),
        }
    }

    /// Starts a draft (audited; history `created`).
    pub async fn create_draft(&self, actor: &Actor, input: DraftInput) -> Result<Report> {
        check(actor, Permission::CreateReport)?;
        validate(&input.answers)?;
        let title = check_title(&input.title)?;
        let kind = input.kind.unwrap_or(ReportKind::Report);
        self.insert_draft(
            actor,
            content(kind, title, &input.answers, None, None)?,
            json!({"kind": kind.as_str()}),
        )
        .await
    }

    /// Stores a new draft of `actor`'s and audits its creation with `detail`.
    async fn insert_draft(
        &self,
        actor: &Actor,
        content: ReportContent,
        detail: serde_json::Value,
    ) -> Result<Report> {
        if self.store.count_drafts(actor.user.id).await? >= self.cfg.drafts_max {
            return Err(ServiceError::Invalid(codes::DRAFTS));
        }
        let r = self
            .store
            .insert_report(&NewReport {
                content,
                author: Some(actor.user.id),
                org: Some(actor.org.id),
                contact_hash: None,
                created_at: self.now(),
            })
            .await?;
        self.audit_intake(
            Some(actor),
            None,
            "report_create",
            format!("report:{}", r.id.0),
            detail,
        )
        .await?;
        Ok(r)
    }

    /// Starts a draft from a `mamori scan --format json` document (raw bytes): findings,
    /// sources, accounts, time range and act type pre-filled; the document itself is
    /// attached (kind `scan_json`) with its hashes.
    pub async fn create_draft_from_scan(&self, actor: &Actor, findings: &[u8]) -> Result<Report> {
        check(actor, Permission::CreateReport)?;
        if findings.len() > self.cfg.attachment_max {
            return Err(ServiceError::TooLarge(codes::FILE_TOO_LARGE));
        }
        let doc: serde_json::Value = serde_json::from_slice(findings)
            .map_err(|_| ServiceError::Invalid(codes::SCAN_JSON))?;
        let pre = prefill_from_scan(&doc).map_err(|_| ServiceError::Invalid(codes::SCAN_DOC))?;
        let mut answers = pre.answers.clone();
        let mut description = String::new();
        if let (Some(a), Some(b)) = (
            pre.first_seen.as_deref().and_then(parse_when),
            pre.last_seen.as_deref().and_then(parse_when),
        ) {
            let (a, b) = (format_jst(a), format_jst(b));
            description.push_str(&format!("期間 {a} – {b}\nPeriod: {a} – {b}\n"));
        }
        description.push_str(&pre.summary);
        for (ja, en, list) in [
            ("送信元", "sources", &pre.sources),
            ("対象アカウント", "accounts", &pre.accounts),
        ] {
            if !list.is_empty() {
                description.push_str(&format!(
                    "{ja}（{n}）：{}\nThe {n} {en} above.\n",
                    list.join(", "),
                    n = list.len()
                ));
            }
        }
        answers.set("description", vec![description]);
        // A prefill that does not validate (should not happen) is dropped to what does.
        if let Err(errs) = answers.validate() {
            for AnswerError { question, .. } in errs {
                answers.0.remove(&question);
            }
        }
        let title: String = pre.title.chars().take(MAX_TITLE_CHARS).collect();
        let r = self
            .insert_draft(
                actor,
                content(
                    ReportKind::Report,
                    title,
                    &answers,
                    pre.first_seen.as_deref().and_then(parse_when),
                    pre.last_seen.as_deref().and_then(parse_when),
                )?,
                json!({"kind": "report", "from": "mamori_scan"}),
            )
            .await?;
        self.store_attachment(
            Some(actor),
            &r,
            Upload {
                name: "mamori-scan.json".into(),
                bytes: findings.to_vec(),
            },
        )
        .await?;
        Ok(r)
    }

    /// Autosaves a draft (author only; validated; audited, no history row).
    pub async fn save_draft(
        &self,
        actor: &Actor,
        id: ReportId,
        input: DraftInput,
    ) -> Result<Report> {
        let (r, _) = self
            .load_report(actor, id, |r, _| Permission::EditDraft(r))
            .await?;
        validate(&input.answers)?;
        let title = check_title(&input.title)?;
        let kind = input.kind.unwrap_or(r.kind);
        let c = content(kind, title, &input.answers, r.first_seen, r.last_seen)?;
        let saved = match self.store.update_draft(id, &c, self.now()).await {
            Err(StoreError::Conflict(_)) => return Err(ServiceError::Invalid(codes::REPORT_STATE)),
            other => other?,
        };
        self.audit_intake(
            Some(actor),
            None,
            "report_save",
            format!("report:{}", id.0),
            json!({"kind": kind.as_str()}),
        )
        .await?;
        Ok(saved)
    }

    /// The guideline's advice for a report the actor may see (drafts included).
    pub async fn guidance(&self, actor: &Actor, id: ReportId) -> Result<Guidance> {
        let (r, _) = self
            .load_report(actor, id, |r, c| Permission::ViewReport(r, c))
            .await?;
        self.audit_intake(
            Some(actor),
            None,
            "report_guidance",
            format!("report:{}", id.0),
            json!({}),
        )
        .await?;
        Ok(advise(&answers_of(&r)))
    }

    /// Attaches a file: to a draft by its author, or to a submitted report by a
    /// reporter of the organization. Hashed with BLAKE3 and SHA-256; `mamori evidence`
    /// tar bundles are verified and the verdict stored. Limits: per file and per report
    /// ([`crate::ServiceConfig`]).
    pub async fn add_attachment(
        &self,
        actor: &Actor,
        id: ReportId,
        up: Upload,
    ) -> Result<Attachment> {
        let (r, _) = self
            .load_report(actor, id, |r, _| attach_permission(r))
            .await?;
        self.store_attachment(Some(actor), &r, up).await
    }

    /// An empty upload buffer holding one of the server's upload slots; `BUSY`
    /// (503 with a time to retry) when every slot is taken.
    pub fn upload_buffer(&self, name: impl Into<String>) -> Result<UploadBuffer> {
        let slot = self
            .uploads
            .clone()
            .try_acquire_owned()
            .map_err(|_| ServiceError::Invalid(codes::BUSY))?;
        let mut b = UploadBuffer::new(name, self.cfg.attachment_max);
        b._slot = Some(slot);
        Ok(b)
    }

    /// An upload buffer like [`Services::upload_buffer`] holding at most `limit` bytes.
    pub fn upload_buffer_max(&self, name: impl Into<String>, limit: usize) -> Result<UploadBuffer> {
        let mut b = self.upload_buffer(name)?;
        b.limit = limit.min(b.limit);
        Ok(b)
    }

    /// Attaches a file received in chunks (see [`Services::upload_buffer`]).
    pub async fn add_received_attachment(
        &self,
        actor: &Actor,
        id: ReportId,
        up: UploadBuffer,
    ) -> Result<Attachment> {
        let (r, _) = self
            .load_report(actor, id, |r, _| attach_permission(r))
            .await?;
        self.store_received(Some(actor), &r, up).await
    }

    async fn store_attachment(
        &self,
        actor: Option<&Actor>,
        r: &Report,
        up: Upload,
    ) -> Result<Attachment> {
        let mut buf = UploadBuffer::new(up.name, self.cfg.attachment_max);
        buf.push(&up.bytes)?;
        self.store_received(actor, r, buf).await
    }

    async fn store_received(
        &self,
        actor: Option<&Actor>,
        r: &Report,
        up: UploadBuffer,
    ) -> Result<Attachment> {
        if up.bytes.is_empty() {
            return Err(ServiceError::Invalid(codes::ATTACHMENT));
        }
        let blake = up.blake3.finalize().to_hex().to_string();
        let sha = hex::encode(sha2::Digest::finalize(up.sha256));
        // A name with nothing left after cleaning gets one from its hash.
        let name =
            clean_file_name(&up.name).unwrap_or_else(|| format!("attachment-{}", &blake[..12]));
        if name.chars().count() > MAX_FILE_NAME_CHARS {
            return Err(ServiceError::Invalid(codes::ATTACHMENT));
        }
        let bytes = up.bytes;
        let n2 = name.clone();
        let (bytes, kind, media, verdict, detail) = tokio::task::spawn_blocking(move || {
            let (kind, media) = sniff(&n2, &bytes);
            let (verdict, detail) = match kind {
                AttachmentKind::EvidenceBundle => verify_bundle(&n2, &bytes),
                AttachmentKind::ScanJson => (
                    Verdict::NotApplicable,
                    "mamori scan の結果 / mamori scan result".to_string(),
                ),
                _ => (Verdict::NotApplicable, String::new()),
            };
            (bytes, kind, media, verdict, detail)
        })
        .await
        .map_err(|e| ServiceError::Internal(e.to_string()))?;
        let by = actor.map(|a| a.user.id);
        let ev = self.report_event(
            r.id,
            None,
            by,
            EventKind::AttachmentAdded,
            Visibility::Reporter,
        );
        let ev = NewEvent {
            text: name.clone(),
            ..ev
        };
        let att = self
            .store
            .insert_attachment(
                &NewAttachment {
                    report: r.id,
                    name,
                    media_type: media.to_string(),
                    blake3: blake,
                    sha256: sha,
                    kind,
                    verdict,
                    verdict_detail: detail,
                    bytes,
                    uploaded_by: by,
                    uploaded_at: self.now(),
                },
                self.cfg.report_attachments_max,
                &ev,
            )
            .await?
            .ok_or(ServiceError::TooLarge(codes::REPORT_TOO_LARGE))?;
        self.audit_intake(
            actor,
            Some("anonymous"),
            "attachment_add",
            format!("report:{}", r.id.0),
            json!({"attachment": att.id.0, "sha256": att.sha256, "size": att.size, "verdict": att.verdict.as_str()}),
        )
        .await?;
        Ok(att)
    }

    /// Downloads an attachment of a report the actor may see (audited).
    pub async fn attachment(
        &self,
        actor: &Actor,
        report: ReportId,
        id: mamori_store::AttachmentId,
    ) -> Result<(Attachment, Vec<u8>)> {
        self.load_report(actor, report, |r, c| Permission::ViewReport(r, c))
            .await?;
        let found = self.store.attachment_bytes(id).await?;
        let Some((a, bytes)) = found.filter(|(a, _)| a.report == report) else {
            self.denied(actor, &format!("attachment:{}", id.0)).await?;
            return Err(ServiceError::NotFound);
        };
        self.audit_intake(
            Some(actor),
            None,
            "attachment_download",
            format!("report:{}", report.0),
            json!({"attachment": id.0}),
        )
        .await?;
        Ok((a, bytes))
    }

    /// Sends a draft to the bodies the reporter chose (at least one; nothing goes
    /// anywhere else). A 届出 needs the required answers. One case per chosen body.
    pub async fn submit_report(
        &self,
        actor: &Actor,
        id: ReportId,
        to: &[SubmitTo],
    ) -> Result<(Report, Vec<Case>)> {
        let (r, _) = self
            .load_report(actor, id, |r, _| Permission::SubmitReport(r))
            .await?;
        let orgs = self.resolve_all(to).await?;
        let answers = answers_of(&r);
        validate(&answers)?;
        if r.kind == ReportKind::Report {
            let missing = answers.missing_for_report();
            if !missing.is_empty() {
                return Err(ServiceError::InvalidAnswers {
                    code: codes::MISSING,
                    errors: missing
                        .iter()
                        .map(|q| AnswerError {
                            question: q.id.to_string(),
                            message: Text::new(
                                "届出にはこの回答が必要です。",
                                "A report needs this answer.",
                            ),
                        })
                        .collect(),
                });
            }
        }
        let ids: Vec<OrgId> = orgs.iter().map(|o| o.id).collect();
        let (rep, cases) = match self
            .store
            .submit_report(id, &ids, Some(actor.user.id), self.now())
            .await
        {
            Err(StoreError::Conflict(_)) => return Err(ServiceError::Invalid(codes::REPORT_STATE)),
            other => other?,
        };
        self.audit_intake(
            Some(actor),
            None,
            "report_submit",
            format!("report:{}", id.0),
            json!({"bodies": ids.iter().map(|o| o.0).collect::<Vec<_>>(), "cases": cases.iter().map(|c| c.id.0).collect::<Vec<_>>()}),
        )
        .await?;
        Ok((rep, cases))
    }

    async fn resolve_all(&self, to: &[SubmitTo]) -> Result<Vec<Org>> {
        if to.is_empty() {
            return Err(ServiceError::Invalid(codes::NO_BODY));
        }
        let mut orgs: Vec<Org> = Vec::new();
        for t in to {
            let o = self.resolve(*t).await?;
            if !orgs.iter().any(|x| x.id == o.id) {
                orgs.push(o);
            }
        }
        Ok(orgs)
    }

    /// A report as the actor may see it (audited view). Everyone not allowed gets
    /// [`ServiceError::NotFound`], as for a missing report.
    pub async fn report_view(&self, actor: &Actor, id: ReportId) -> Result<ReportView> {
        let (r, cases) = self
            .load_report(actor, id, |r, c| Permission::ViewReport(r, c))
            .await?;
        let viewer = if actor.user.role == Role::Reporter {
            Viewer::Reporter {
                author: r.author == Some(actor.user.id),
            }
        } else {
            let own = cases
                .iter()
                .find(|c| c.body == actor.org.id)
                .ok_or(ServiceError::NotFound)?;
            Viewer::Body {
                org: actor.org.id,
                case: own.id,
            }
        };
        let v = self.build_view(r, cases, viewer).await?;
        self.audit_intake(
            Some(actor),
            None,
            "report_view",
            format!("report:{}", id.0),
            json!({}),
        )
        .await?;
        Ok(v)
    }

    pub(crate) async fn build_view(
        &self,
        r: Report,
        cases: Vec<Case>,
        viewer: Viewer,
    ) -> Result<ReportView> {
        let orgs: HashMap<OrgId, Org> = self
            .store
            .orgs()
            .await?
            .into_iter()
            .map(|o| (o.id, o))
            .collect();
        let org_name = |id: OrgId| orgs.get(&id).map_or_else(String::new, |o| o.name.clone());
        let mut users: HashMap<UserId, Option<User>> = HashMap::new();
        let mut user = async |id: UserId| -> Result<Option<User>> {
            if let Some(u) = users.get(&id) {
                return Ok(u.clone());
            }
            let u = self.store.user(id).await?;
            users.insert(id, u.clone());
            Ok(u)
        };
        let own_body = match viewer {
            Viewer::Body { org, .. } => Some(org),
            _ => None,
        };
        let own_cases: Vec<CaseId> = cases
            .iter()
            .filter(|c| Some(c.body) == own_body)
            .map(|c| c.id)
            .collect();
        let reader = match viewer {
            Viewer::Body { .. } => Reader::Body { own: &own_cases },
            _ => Reader::Reporter,
        };
        let case_body: HashMap<CaseId, OrgId> = cases.iter().map(|c| (c.id, c.body)).collect();
        let mut case_views = Vec::new();
        for c in &cases {
            let own = Some(c.body) == own_body;
            let body = orgs
                .get(&c.body)
                .and_then(|o| body_of(o.kind))
                .unwrap_or(Body::Police);
            let mut shown = c.clone();
            let mut checklist = Vec::new();
            let mut assignee_name = None;
            if own {
                checklist = mamori_core::guideline::closing_checklist(body)
                    .iter()
                    .map(|i| ChecklistLine {
                        id: i.id,
                        text: i.text,
                        done: c.checklist.iter().any(|x| x == i.id),
                    })
                    .collect();
                if let Some(a) = c.assignee {
                    assignee_name = user(a).await?.map(|u| u.display_name);
                }
            } else {
                shown.assignee = None;
                shown.due_at = None;
                shown.checklist = Vec::new();
            }
            case_views.push(CaseView {
                case: shown,
                body,
                body_name: org_name(c.body),
                assignee_name,
                checklist,
                own,
            });
        }
        let mut events = Vec::new();
        for e in self.store.events(r.id).await? {
            if !authz::may_read_event(reader, &e) {
                continue;
            }
            let actor_name = match e.actor {
                None => None,
                Some(a) => match user(a).await? {
                    None => None,
                    // Reporters see the body's name, not its staff's.
                    Some(u) if reader == Reader::Reporter && Some(u.org) != r.org => None,
                    Some(u) => Some(u.display_name),
                },
            };
            let body_name = e.case.and_then(|c| case_body.get(&c)).map(|b| org_name(*b));
            events.push(EventView {
                event: e,
                actor_name,
                body_name,
            });
        }
        let mut referrals = Vec::new();
        for rf in self.store.referrals(r.id).await? {
            let from_body = case_body
                .get(&rf.from_case)
                .map(|b| org_name(*b))
                .unwrap_or_default();
            referrals.push(ReferralView {
                from_body,
                target_name: org_name(rf.target),
                target_body: orgs.get(&rf.target).and_then(|o| body_of(o.kind)),
                referral: rf,
            });
        }
        let answers = answers_of(&r);
        let author_name = match r.author {
            Some(a) => user(a).await?.map(|u| u.display_name),
            None => None,
        };
        Ok(ReportView {
            classification: classify(&answers),
            guidance: advise(&answers),
            missing_for_report: answers.missing_for_report().iter().map(|q| q.id).collect(),
            org_name: r.org.map(org_name),
            author_name,
            cases: case_views,
            events,
            attachments: self.store.attachments(r.id).await?,
            referrals,
            viewer,
            answers,
            report: r,
        })
    }

    /// "My reports": the actor's organization's reports, newest first (drafts only
    /// their own), keyset-paged by `before`.
    pub async fn my_reports(
        &self,
        actor: &Actor,
        before: Option<ReportId>,
        limit: i64,
    ) -> Result<Vec<ReportSummary>> {
        let (org, me) = authz::reports_scope(actor)?;
        let list = self
            .store
            .reports_of_org(org, me, before, limit.clamp(1, 200))
            .await?;
        self.audit_intake(
            Some(actor),
            None,
            "report_list",
            format!("org:{}", org.0),
            json!({"count": list.len()}),
        )
        .await?;
        Ok(list)
    }

    /// The guideline's answer to "where should I go?" without an account: nothing is
    /// stored.
    pub fn anonymous_guidance(&self, answers: &Answers) -> Result<Guidance> {
        validate(answers)?;
        Ok(advise(answers))
    }

    /// Leaves an anonymous consultation (相談) with one chosen body. Returns the report
    /// and the contact token (show it once: only its hash is kept) with which the
    /// person reads replies and writes back.
    pub async fn leave_consultation(
        &self,
        input: DraftInput,
        to: SubmitTo,
        source: &str,
    ) -> Result<(Report, String)> {
        validate(&input.answers)?;
        let title = check_title(&input.title)?;
        let org = self.resolve(to).await?;
        let token = format!("mamori_c_{}", self.secret());
        let r = self
            .store
            .insert_report(&NewReport {
                content: content(ReportKind::Consultation, title, &input.answers, None, None)?,
                author: None,
                org: None,
                contact_hash: Some(secret_hash(&token)),
                created_at: self.now(),
            })
            .await?;
        let (r, cases) = self
            .store
            .submit_report(r.id, &[org.id], None, self.now())
            .await?;
        self.audit_intake(
            None,
            Some(source),
            "consultation_anonymous",
            format!("report:{}", r.id.0),
            json!({"body": org.id.0, "case": cases.first().map(|c| c.id.0)}),
        )
        .await?;
        Ok((r, token))
    }

    async fn by_token(&self, token: &str, source: &str) -> Result<(Report, Vec<Case>)> {
        let found = match token.strip_prefix("mamori_c_") {
            Some(_) => self.store.report_by_contact(&secret_hash(token)).await?,
            None => None,
        };
        let Some(r) = found else {
            self.audit_intake(
                None,
                Some(source),
                "access_denied",
                "consultation".into(),
                json!({}),
            )
            .await?;
            return Err(ServiceError::NotFound);
        };
        let cases = self.store.cases_of_report(r.id).await?;
        Ok((r, cases))
    }

    /// An anonymous consultation read with its contact token: reporter-visible history
    /// only (audited).
    pub async fn consultation_view(&self, token: &str, source: &str) -> Result<ReportView> {
        let (r, cases) = self.by_token(token, source).await?;
        let id = r.id;
        let v = self.build_view(r, cases, Viewer::Anonymous).await?;
        self.audit_intake(
            None,
            Some(source),
            "consultation_view",
            format!("report:{}", id.0),
            json!({}),
        )
        .await?;
        Ok(v)
    }

    /// The anonymous person writes to the body holding their consultation.
    pub async fn consultation_message(
        &self,
        token: &str,
        text: &str,
        source: &str,
    ) -> Result<CaseEvent> {
        let text = crate::cases::check_text(text)?;
        let (r, cases) = self.by_token(token, source).await?;
        let case = cases.first().map(|c| c.id);
        let ev = NewEvent {
            text,
            ..self.report_event(
                r.id,
                case,
                None,
                EventKind::MessageFromReporter,
                Visibility::Reporter,
            )
        };
        let e = self.store.insert_event(&ev).await?;
        self.audit_intake(
            None,
            Some(source),
            "consultation_message",
            format!("report:{}", r.id.0),
            json!({"event": e.id.0}),
        )
        .await?;
        Ok(e)
    }
}

/// Who may attach a file: a draft's author, or a reporter of the organization once
/// the report is submitted.
fn attach_permission(r: &Report) -> Permission<'_> {
    if r.status == ReportStatus::Draft {
        Permission::EditDraft(r)
    } else {
        Permission::ActAsReporter(r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_lose_bidi_and_control_characters_and_keep_japanese() {
        // "請求書" + U+202E + "fdp.exe" shows as "請求書exe.pdf".
        assert_eq!(
            clean_file_name("請求書\u{202E}fdp.exe").as_deref(),
            Some("請求書fdp.exe")
        );
        for c in [
            '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}',
            '\u{2068}', '\u{2069}', '\u{200E}', '\u{200F}', '\u{061C}', '\0', '\n', '\r', '\t',
            '\u{1b}', '\u{7f}', '\u{85}', '\u{9f}',
        ] {
            assert_eq!(
                clean_file_name(&format!("ログ{c}.txt")).as_deref(),
                Some("ログ.txt"),
                "U+{:04X}",
                c as u32
            );
        }
        assert_eq!(
            clean_file_name(" ../etc/passwd ").as_deref(),
            Some(".._etc_passwd")
        );
        assert_eq!(clean_file_name("\u{202E}\u{200F}\n "), None);
    }

    #[test]
    fn an_upload_buffer_never_holds_more_than_its_limit() {
        let mut b = UploadBuffer::new("x.log", 1000);
        for _ in 0..9 {
            b.push(&[b'a'; 100]).unwrap();
        }
        assert!(
            b.push(&[b'b'; 101]).is_err(),
            "the chunk that passes the limit"
        );
        assert_eq!(b.len(), 900, "nothing of the refused chunk is kept");
        b.push(&[b'c'; 100]).unwrap();
        assert!(b.push(b"d").is_err());
        assert_eq!(b.len(), 1000);
        assert!(b.capacity() <= 1000, "capacity {}", b.capacity());
        // Hashed as it streamed: the same digests as the whole file at once.
        let mut whole = vec![b'a'; 900];
        whole.extend_from_slice(&[b'c'; 100]);
        assert_eq!(b.blake3.finalize(), blake3::hash(&whole));
    }

    #[test]
    fn dates_without_offset_are_japan_time() {
        let t = parse_when("2026-04-01T09:30").unwrap();
        assert_eq!(t.offset().whole_hours(), 9);
        assert_eq!(
            t.unix_timestamp(),
            parse_when("2026-04-01T00:30:00Z").unwrap().unix_timestamp()
        );
        assert_eq!(parse_when("2026-04-01").unwrap().hour(), 0);
        assert!(parse_when("yesterday").is_none());
    }

    #[test]
    fn uploads_are_recognised_by_content() {
        assert_eq!(
            sniff("a.log", b"203.0.113.9 - - GET /\n").0,
            AttachmentKind::Log
        );
        assert_eq!(sniff("x.bin", &[0xff, 0xfe, 0x00]).0, AttachmentKind::Other);
        let mut tar = vec![0u8; 600];
        tar[257..262].copy_from_slice(b"ustar");
        assert_eq!(sniff("bundle", &tar).0, AttachmentKind::EvidenceBundle);
        assert_eq!(
            sniff("f.json", br#"{"schema_version":"1","findings":[]}"#).0,
            AttachmentKind::ScanJson
        );
        assert_eq!(sniff("f.json", br#"{"a":1}"#).0, AttachmentKind::Other);
    }
}
