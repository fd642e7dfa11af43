// Intake and case work (issue 6): the queries behind the `Store` methods of the same
// names, included by `queries.rs` (so by both stores). The few statements that differ
// (full-text search: FTS5 on SQLite, a tsvector on PostgreSQL) branch on `BACKEND`.

use mamori_store::search;
use sqlx::Row as _;

type DbRow = <Db as sqlx::Database>::Row;

fn pg() -> bool {
    BACKEND == "postgres"
}

fn col<T>(r: &DbRow, i: usize) -> Result<T>
where
    T: for<'r> sqlx::Decode<'r, Db> + sqlx::Type<Db>,
{
    r.try_get(i).map_err(be)
}

fn opt_ts(s: Option<i64>) -> Result<Option<OffsetDateTime>> {
    s.map(from_ts).transpose()
}

fn parse_enum<T>(s: &str, what: &str, f: fn(&str) -> Option<T>) -> Result<T> {
    f(s).ok_or_else(|| StoreError::Corrupt(format!("{what} {s}")))
}

fn words(v: &[String]) -> String {
    v.join(" ")
}

fn unwords(s: &str) -> Vec<String> {
    s.split_whitespace().map(str::to_string).collect()
}

macro_rules! report_cols {
    () => {
        "id, kind, status, author, org, CAST(CASE WHEN contact_hash IS NULL THEN 0 ELSE 1 END AS BIGINT), \
         title, description, answers, taxonomy_version, acts, methods, sector, admin_type, \
         first_seen, last_seen, created_at, updated_at, submitted_at"
    };
}

fn report_from(r: &DbRow) -> Result<Report> {
    let kind: String = col(r, 1)?;
    let status: String = col(r, 2)?;
    let sector: String = col(r, 12)?;
    let admin_type: String = col(r, 13)?;
    Ok(Report {
        id: ReportId(col(r, 0)?),
        kind: parse_enum(&kind, "report kind", ReportKind::parse)?,
        status: parse_enum(&status, "report status", ReportStatus::parse)?,
        author: col::<Option<i64>>(r, 3)?.map(UserId),
        org: col::<Option<i64>>(r, 4)?.map(OrgId),
        anonymous: col::<i64>(r, 5)? != 0,
        title: col(r, 6)?,
        description: col(r, 7)?,
        answers: col(r, 8)?,
        taxonomy_version: col(r, 9)?,
        facets: Facets {
            acts: unwords(&col::<String>(r, 10)?),
            methods: unwords(&col::<String>(r, 11)?),
            sector: Some(sector).filter(|s| !s.is_empty()),
            admin_type: Some(admin_type).filter(|s| !s.is_empty()),
        },
        first_seen: opt_ts(col(r, 14)?)?,
        last_seen: opt_ts(col(r, 15)?)?,
        created_at: from_ts(col(r, 16)?)?,
        updated_at: from_ts(col(r, 17)?)?,
        submitted_at: opt_ts(col(r, 18)?)?,
    })
}

macro_rules! case_cols {
    () => {
        "id, report, body, status, reason, reason_text, outcome, assignee, due_at, \
         checklist, referred_from, version, created_at, updated_at"
    };
}

/// `case_cols!` qualified with the alias `c` (for joins).
macro_rules! case_cols_c {
    () => {
        "c.id, c.report, c.body, c.status, c.reason, c.reason_text, c.outcome, c.assignee, c.due_at, \
         c.checklist, c.referred_from, c.version, c.created_at, c.updated_at"
    };
}

/// Number of columns of `case_cols!`.
const CASE_COLS: usize = 14;

fn case_from(r: &DbRow) -> Result<Case> {
    let status: String = col(r, 3)?;
    let checklist: String = col(r, 9)?;
    Ok(Case {
        id: CaseId(col(r, 0)?),
        report: ReportId(col(r, 1)?),
        body: OrgId(col(r, 2)?),
        status: parse_enum(&status, "case status", CaseStatus::parse)?,
        reason: col(r, 4)?,
        reason_text: col(r, 5)?,
        outcome: col(r, 6)?,
        assignee: col::<Option<i64>>(r, 7)?.map(UserId),
        due_at: opt_ts(col(r, 8)?)?,
        checklist: serde_json::from_str(&checklist)
            .map_err(|e| StoreError::Corrupt(format!("checklist: {e}")))?,
        referred_from: col::<Option<i64>>(r, 10)?.map(CaseId),
        version: col(r, 11)?,
        created_at: from_ts(col(r, 12)?)?,
        updated_at: from_ts(col(r, 13)?)?,
    })
}

macro_rules! event_cols {
    () => {
        "id, report, case_id, at, actor, kind, text, visibility, detail"
    };
}

fn event_from(r: &DbRow) -> Result<CaseEvent> {
    let kind: String = col(r, 5)?;
    let vis: String = col(r, 7)?;
    Ok(CaseEvent {
        id: EventId(col(r, 0)?),
        report: ReportId(col(r, 1)?),
        case: col::<Option<i64>>(r, 2)?.map(CaseId),
        at: from_ts(col(r, 3)?)?,
        actor: col::<Option<i64>>(r, 4)?.map(UserId),
        kind: parse_enum(&kind, "event kind", EventKind::parse)?,
        text: col(r, 6)?,
        visibility: parse_enum(&vis, "visibility", Visibility::parse)?,
        detail: col(r, 8)?,
    })
}

macro_rules! attachment_cols {
    () => {
        "id, report, name, media_type, size, blake3, sha256, kind, verdict, verdict_detail, uploaded_by, uploaded_at"
    };
}

fn attachment_from(r: &DbRow) -> Result<Attachment> {
    let kind: String = col(r, 7)?;
    let verdict: String = col(r, 8)?;
    Ok(Attachment {
        id: AttachmentId(col(r, 0)?),
        report: ReportId(col(r, 1)?),
        name: col(r, 2)?,
        media_type: col(r, 3)?,
        size: col(r, 4)?,
        blake3: col(r, 5)?,
        sha256: col(r, 6)?,
        kind: parse_enum(&kind, "attachment kind", AttachmentKind::parse)?,
        verdict: parse_enum(&verdict, "verdict", Verdict::parse)?,
        verdict_detail: col(r, 9)?,
        uploaded_by: col::<Option<i64>>(r, 10)?.map(UserId),
        uploaded_at: from_ts(col(r, 11)?)?,
    })
}

macro_rules! referral_cols {
    () => {
        "id, report, from_case, target, status, proposed_by, text, proposed_at, decided_by, decided_at, new_case"
    };
}

fn referral_from(r: &DbRow) -> Result<Referral> {
    let status: String = col(r, 4)?;
    Ok(Referral {
        id: ReferralId(col(r, 0)?),
        report: ReportId(col(r, 1)?),
        from_case: CaseId(col(r, 2)?),
        target: OrgId(col(r, 3)?),
        status: parse_enum(&status, "referral status", ReferralStatus::parse)?,
        proposed_by: UserId(col(r, 5)?),
        text: col(r, 6)?,
        proposed_at: from_ts(col(r, 7)?)?,
        decided_by: col::<Option<i64>>(r, 8)?.map(UserId),
        decided_at: opt_ts(col(r, 9)?)?,
        new_case: col::<Option<i64>>(r, 10)?.map(CaseId),
    })
}

type Conn = <Db as sqlx::Database>::Connection;

async fn q_event(c: &mut Conn, e: &NewEvent) -> Result<CaseEvent> {
    let r = sqlx::query(concat!(
        "INSERT INTO case_events (report, case_id, at, actor, kind, text, visibility, detail) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ",
        event_cols!()
    ))
    .bind(e.report.0)
    .bind(e.case.map(|c| c.0))
    .bind(ts(e.at))
    .bind(e.actor.map(|u| u.0))
    .bind(e.kind.as_str())
    .bind(&e.text)
    .bind(e.visibility.as_str())
    .bind(&e.detail)
    .fetch_one(&mut *c)
    .await
    .map_err(be)?;
    event_from(&r)
}

async fn q_report(c: &mut Conn, id: ReportId) -> Result<Option<Report>> {
    let r = sqlx::query(concat!("SELECT ", report_cols!(), " FROM reports WHERE id = $1"))
        .bind(id.0)
        .fetch_optional(&mut *c)
        .await
        .map_err(be)?;
    r.as_ref().map(report_from).transpose()
}

/// Inserts a case and its search document.
async fn q_new_case(
    c: &mut Conn,
    report: &Report,
    nc: &NewCase,
    status: CaseStatus,
    at: OffsetDateTime,
) -> Result<Case> {
    let r = sqlx::query(concat!(
        "INSERT INTO cases (report, body, status, reason_text, checklist, referred_from, version, created_at, updated_at) \
         VALUES ($1, $2, $3, '', '[]', $4, 1, $5, $6) RETURNING ",
        case_cols!()
    ))
    .bind(report.id.0)
    .bind(nc.body.0)
    .bind(status.as_str())
    .bind(nc.referred_from.map(|c| c.0))
    .bind(ts(at))
    .bind(ts(at))
    .fetch_one(&mut *c)
    .await
    .map_err(be)?;
    let case = case_from(&r)?;
    let toks = search::document(
        nc.body,
        &report.title,
        &report.description,
        &report.answers,
        &report.facets,
    );
    q_index_case(c, case.id, &toks).await?;
    Ok(case)
}

async fn q_index_case(c: &mut Conn, id: CaseId, toks: &[String]) -> Result<()> {
    if pg() {
        sqlx::query("UPDATE cases SET search = $1::tsvector WHERE id = $2")
            .bind(search::tsvector(toks))
            .bind(id.0)
            .execute(&mut *c)
            .await
            .map_err(be)?;
    } else {
        sqlx::query("INSERT INTO cases_fts (rowid, doc) VALUES ($1, $2)")
            .bind(id.0)
            .bind(search::fts5_document(toks))
            .execute(&mut *c)
            .await
            .map_err(be)?;
    }
    Ok(())
}

async fn q_insert_report(c: &mut Conn, n: &NewReport, status: ReportStatus) -> Result<Report> {
    let k = &n.content;
    let r = sqlx::query(concat!(
        "INSERT INTO reports (kind, status, author, org, contact_hash, title, description, answers, \
         taxonomy_version, acts, methods, sector, admin_type, first_seen, last_seen, created_at, updated_at, submitted_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) RETURNING ",
        report_cols!()
    ))
    .bind(k.kind.as_str())
    .bind(status.as_str())
    .bind(n.author.map(|u| u.0))
    .bind(n.org.map(|o| o.0))
    .bind(n.contact_hash.as_deref())
    .bind(&k.title)
    .bind(&k.description)
    .bind(&k.answers)
    .bind(&k.taxonomy_version)
    .bind(words(&k.facets.acts))
    .bind(words(&k.facets.methods))
    .bind(k.facets.sector.clone().unwrap_or_default())
    .bind(k.facets.admin_type.clone().unwrap_or_default())
    .bind(k.first_seen.map(ts))
    .bind(k.last_seen.map(ts))
    .bind(ts(n.created_at))
    .bind(ts(n.created_at))
    .bind((status == ReportStatus::Submitted).then(|| ts(n.created_at)))
    .fetch_one(&mut *c)
    .await
    .map_err(be)?;
    report_from(&r)
}

/// Cases a PostgreSQL search walks newest-first before it asks the GIN index.
const PG_WINDOW: i64 = 2000;

/// The queue's columns: a case, then its report's kind, title, organization, submission
/// time and classification.
const QUEUE_COLS: &str = concat!(
    case_cols_c!(),
    ", r.kind, r.title, r.org, r.submitted_at, r.acts, r.methods, r.sector, r.admin_type, \
     (SELECT name FROM orgs WHERE id = r.org)"
);

enum Bind {
    I(i64),
    S(String),
}

/// Values bound to `$N` placeholders, numbered as they are added.
#[derive(Default)]
struct Binds(Vec<Bind>);

impl Binds {
    fn i(&mut self, v: i64) -> String {
        self.0.push(Bind::I(v));
        format!("${}", self.0.len())
    }
    fn s(&mut self, v: String) -> String {
        self.0.push(Bind::S(v));
        format!("${}", self.0.len())
    }
}

/// The queue's conditions other than the body, the keyset and the text.
fn filters(q: &CaseQuery, b: &mut Binds) -> Vec<String> {
    let mut conds = Vec::new();
    if let Some(u) = q.scope.unassigned_or {
        conds.push(format!("(c.assignee IS NULL OR c.assignee = {})", b.i(u.0)));
    }
    if !q.statuses.is_empty() {
        let list: Vec<String> = q
            .statuses
            .iter()
            .map(|s| b.s(s.as_str().to_string()))
            .collect();
        conds.push(format!("c.status IN ({})", list.join(", ")));
    }
    if let Some(u) = q.assignee {
        conds.push(format!("c.assignee = {}", b.i(u.0)));
    }
    if let Some(t) = q.overdue_at {
        conds.push(format!(
            "c.due_at IS NOT NULL AND c.due_at < {} AND c.status NOT IN ('closed', 'not_accepted')",
            b.i(ts(t))
        ));
    }
    conds
}

impl This {
    async fn q_insert_report_with_event(&self, n: &NewReport) -> Result<Report> {
        let mut tx = self.pool.begin().await.map_err(be)?;
        let rep = q_insert_report(&mut tx, n, ReportStatus::Draft).await?;
        q_event(
            &mut tx,
            &NewEvent::new(
                rep.id,
                None,
                n.created_at,
                n.author,
                EventKind::Created,
                Visibility::Reporter,
            ),
        )
        .await?;
        tx.commit().await.map_err(be)?;
        Ok(rep)
    }

    async fn q_report_by_contact(&self, hash: &str) -> Result<Option<Report>> {
        let r = sqlx::query(concat!(
            "SELECT ",
            report_cols!(),
            " FROM reports WHERE contact_hash = $1"
        ))
        .bind(hash)
        .fetch_optional(&self.pool)
        .await
        .map_err(be)?;
        r.as_ref().map(report_from).transpose()
    }

    async fn q_update_draft(
        &self,
        id: ReportId,
        k: &ReportContent,
        at: OffsetDateTime,
    ) -> Result<Report> {
        let r = sqlx::query(concat!(
            "UPDATE reports SET kind = $1, title = $2, description = $3, answers = $4, taxonomy_version = $5, \
             acts = $6, methods = $7, sector = $8, admin_type = $9, first_seen = $10, last_seen = $11, updated_at = $12 \
             WHERE id = $13 AND status = 'draft' RETURNING ",
            report_cols!()
        ))
        .bind(k.kind.as_str())
        .bind(&k.title)
        .bind(&k.description)
        .bind(&k.answers)
        .bind(&k.taxonomy_version)
        .bind(words(&k.facets.acts))
        .bind(words(&k.facets.methods))
        .bind(k.facets.sector.clone().unwrap_or_default())
        .bind(k.facets.admin_type.clone().unwrap_or_default())
        .bind(k.first_seen.map(ts))
        .bind(k.last_seen.map(ts))
        .bind(ts(at))
        .bind(id.0)
        .fetch_optional(&self.pool)
        .await
        .map_err(be)?;
        match r {
            Some(r) => report_from(&r),
            None => Err(self.missing_or_conflict(id).await),
        }
    }

    async fn missing_or_conflict(&self, id: ReportId) -> StoreError {
        match self.report(id).await {
            Ok(Some(_)) => StoreError::Conflict(format!("report {} is not a draft", id.0)),
            Ok(None) => StoreError::NotFound(format!("report {}", id.0)),
            Err(e) => e,
        }
    }

    async fn q_submit_report(
        &self,
        id: ReportId,
        bodies: &[OrgId],
        actor: Option<UserId>,
        at: OffsetDateTime,
    ) -> Result<(Report, Vec<Case>)> {
        let mut tx = self.pool.begin().await.map_err(be)?;
        let r = sqlx::query(concat!(
            "UPDATE reports SET status = 'submitted', submitted_at = $1, updated_at = $2 \
             WHERE id = $3 AND status = 'draft' RETURNING ",
            report_cols!()
        ))
        .bind(ts(at))
        .bind(ts(at))
        .bind(id.0)
        .fetch_optional(&mut *tx)
        .await
        .map_err(be)?;
        let Some(r) = r else {
            drop(tx);
            return Err(self.missing_or_conflict(id).await);
        };
        let rep = report_from(&r)?;
        let mut cases = Vec::new();
        for b in bodies {
            let nc = NewCase {
                body: *b,
                referred_from: None,
            };
            let case = q_new_case(&mut tx, &rep, &nc, CaseStatus::Received, at).await?;
            let mut e = NewEvent::new(
                rep.id,
                Some(case.id),
                at,
                actor,
                EventKind::Submitted,
                Visibility::Reporter,
            );
            e.detail = format!(r#"{{"body":{}}}"#, b.0);
            q_event(&mut tx, &e).await?;
            cases.push(case);
        }
        tx.commit().await.map_err(be)?;
        Ok((rep, cases))
    }

    async fn q_reports_of_org(
        &self,
        org: OrgId,
        drafts_of: UserId,
        before: Option<ReportId>,
        limit: i64,
    ) -> Result<Vec<ReportSummary>> {
        let rows = sqlx::query(
            "SELECT id, kind, status, title, author, created_at, updated_at FROM reports \
             WHERE org = $1 AND (status <> 'draft' OR author = $2) AND id < $3 \
             ORDER BY id DESC LIMIT $4",
        )
        .bind(org.0)
        .bind(drafts_of.0)
        .bind(before.map_or(i64::MAX, |b| b.0))
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .map_err(be)?;
        rows.iter()
            .map(|r| {
                let kind: String = col(r, 1)?;
                let status: String = col(r, 2)?;
                Ok(ReportSummary {
                    id: ReportId(col(r, 0)?),
                    kind: parse_enum(&kind, "report kind", ReportKind::parse)?,
                    status: parse_enum(&status, "report status", ReportStatus::parse)?,
                    title: col(r, 3)?,
                    author: col::<Option<i64>>(r, 4)?.map(UserId),
                    created_at: from_ts(col(r, 5)?)?,
                    updated_at: from_ts(col(r, 6)?)?,
                })
            })
            .collect()
    }

    async fn q_cases_of_report(&self, report: ReportId) -> Result<Vec<Case>> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            case_cols!(),
            " FROM cases WHERE report = $1 ORDER BY id"
        ))
        .bind(report.0)
        .fetch_all(&self.pool)
        .await
        .map_err(be)?;
        rows.iter().map(case_from).collect()
    }

    async fn q_case(&self, id: CaseId) -> Result<Option<Case>> {
        let r = sqlx::query(concat!("SELECT ", case_cols!(), " FROM cases WHERE id = $1"))
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await
            .map_err(be)?;
        r.as_ref().map(case_from).transpose()
    }

    async fn q_update_case(&self, k: &Case, e: &NewEvent) -> Result<Case> {
        let checklist = serde_json::to_string(&k.checklist)
            .map_err(|e| StoreError::Corrupt(format!("checklist: {e}")))?;
        let mut tx = self.pool.begin().await.map_err(be)?;
        let r = sqlx::query(concat!(
            "UPDATE cases SET status = $1, reason = $2, reason_text = $3, outcome = $4, assignee = $5, \
             due_at = $6, checklist = $7, version = version + 1, updated_at = $8 \
             WHERE id = $9 AND version = $10 RETURNING ",
            case_cols!()
        ))
        .bind(k.status.as_str())
        .bind(k.reason.as_deref())
        .bind(&k.reason_text)
        .bind(k.outcome.as_deref())
        .bind(k.assignee.map(|u| u.0))
        .bind(k.due_at.map(ts))
        .bind(checklist)
        .bind(ts(e.at))
        .bind(k.id.0)
        .bind(k.version)
        .fetch_optional(&mut *tx)
        .await
        .map_err(be)?;
        let Some(r) = r else {
            return Err(StoreError::Conflict(format!(
                "case {} changed meanwhile (or is missing)",
                k.id.0
            )));
        };
        let case = case_from(&r)?;
        q_event(&mut tx, e).await?;
        tx.commit().await.map_err(be)?;
        Ok(case)
    }

    async fn q_insert_event(&self, e: &NewEvent) -> Result<CaseEvent> {
        let mut c = self.pool.acquire().await.map_err(be)?;
        q_event(&mut c, e).await
    }

    async fn q_events(&self, report: ReportId) -> Result<Vec<CaseEvent>> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            event_cols!(),
            " FROM case_events WHERE report = $1 ORDER BY id"
        ))
        .bind(report.0)
        .fetch_all(&self.pool)
        .await
        .map_err(be)?;
        rows.iter().map(event_from).collect()
    }

    async fn q_insert_attachment(
        &self,
        a: &NewAttachment,
        max_total: i64,
        e: &NewEvent,
    ) -> Result<Option<Attachment>> {
        let size = i64::try_from(a.bytes.len()).unwrap_or(i64::MAX);
        let mut tx = self.pool.begin().await.map_err(be)?;
        // The limit holds under concurrent uploads: SQLite serialises writers; on
        // PostgreSQL the report row is locked first.
        if pg() {
            sqlx::query("SELECT id FROM reports WHERE id = $1 FOR UPDATE")
                .bind(a.report.0)
                .execute(&mut *tx)
                .await
                .map_err(be)?;
        }
        let r = sqlx::query(concat!(
            "INSERT INTO attachments (report, name, media_type, size, blake3, sha256, kind, verdict, verdict_detail, \
             bytes, uploaded_by, uploaded_at) \
             SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12 \
             WHERE (SELECT COALESCE(SUM(size), 0) FROM attachments WHERE report = $13) + $14 <= $15 RETURNING ",
            attachment_cols!()
        ))
        .bind(a.report.0)
        .bind(&a.name)
        .bind(&a.media_type)
        .bind(size)
        .bind(&a.blake3)
        .bind(&a.sha256)
        .bind(a.kind.as_str())
        .bind(a.verdict.as_str())
        .bind(&a.verdict_detail)
        .bind(a.bytes.as_slice())
        .bind(a.uploaded_by.map(|u| u.0))
        .bind(ts(a.uploaded_at))
        .bind(a.report.0)
        .bind(size)
        .bind(max_total)
        .fetch_optional(&mut *tx)
        .await
        .map_err(be)?;
        let Some(r) = r else {
            return Ok(None);
        };
        let att = attachment_from(&r)?;
        let mut e = e.clone();
        e.detail = format!(r#"{{"attachment":{}}}"#, att.id.0);
        q_event(&mut tx, &e).await?;
        tx.commit().await.map_err(be)?;
        Ok(Some(att))
    }

    async fn q_attachments(&self, report: ReportId) -> Result<Vec<Attachment>> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            attachment_cols!(),
            " FROM attachments WHERE report = $1 ORDER BY id"
        ))
        .bind(report.0)
        .fetch_all(&self.pool)
        .await
        .map_err(be)?;
        rows.iter().map(attachment_from).collect()
    }

    async fn q_attachment_bytes(&self, id: AttachmentId) -> Result<Option<(Attachment, Vec<u8>)>> {
        let r = sqlx::query(concat!(
            "SELECT ",
            attachment_cols!(),
            ", bytes FROM attachments WHERE id = $1"
        ))
        .bind(id.0)
        .fetch_optional(&self.pool)
        .await
        .map_err(be)?;
        match r {
            None => Ok(None),
            Some(r) => Ok(Some((attachment_from(&r)?, col(&r, 12)?))),
        }
    }

    async fn q_insert_referral(&self, n: &NewReferral, e: &NewEvent) -> Result<Referral> {
        let mut tx = self.pool.begin().await.map_err(be)?;
        let r = sqlx::query(concat!(
            "INSERT INTO referrals (report, from_case, target, status, proposed_by, text, proposed_at) \
             VALUES ($1, $2, $3, 'proposed', $4, $5, $6) RETURNING ",
            referral_cols!()
        ))
        .bind(n.report.0)
        .bind(n.from_case.0)
        .bind(n.target.0)
        .bind(n.proposed_by.0)
        .bind(&n.text)
        .bind(ts(n.at))
        .fetch_one(&mut *tx)
        .await
        .map_err(be)?;
        let referral = referral_from(&r)?;
        let mut e = e.clone();
        e.detail = format!(
            r#"{{"referral":{},"target":{}}}"#,
            referral.id.0, referral.target.0
        );
        q_event(&mut tx, &e).await?;
        tx.commit().await.map_err(be)?;
        Ok(referral)
    }

    async fn q_referral(&self, id: ReferralId) -> Result<Option<Referral>> {
        let r = sqlx::query(concat!("SELECT ", referral_cols!(), " FROM referrals WHERE id = $1"))
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await
            .map_err(be)?;
        r.as_ref().map(referral_from).transpose()
    }

    async fn q_referrals(&self, report: ReportId) -> Result<Vec<Referral>> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            referral_cols!(),
            " FROM referrals WHERE report = $1 ORDER BY id"
        ))
        .bind(report.0)
        .fetch_all(&self.pool)
        .await
        .map_err(be)?;
        rows.iter().map(referral_from).collect()
    }

    async fn q_decide_referral(
        &self,
        id: ReferralId,
        consent: bool,
        by: Option<UserId>,
        at: OffsetDateTime,
    ) -> Result<(Referral, Option<Case>)> {
        let status = if consent {
            ReferralStatus::Consented
        } else {
            ReferralStatus::Declined
        };
        let mut tx = self.pool.begin().await.map_err(be)?;
        let r = sqlx::query(concat!(
            "UPDATE referrals SET status = $1, decided_by = $2, decided_at = $3 \
             WHERE id = $4 AND status = 'proposed' RETURNING ",
            referral_cols!()
        ))
        .bind(status.as_str())
        .bind(by.map(|u| u.0))
        .bind(ts(at))
        .bind(id.0)
        .fetch_optional(&mut *tx)
        .await
        .map_err(be)?;
        let Some(r) = r else {
            return Err(StoreError::Conflict(format!(
                "referral {} is not open (or missing)",
                id.0
            )));
        };
        let mut referral = referral_from(&r)?;
        let mut e = NewEvent::new(
            referral.report,
            Some(referral.from_case),
            at,
            by,
            if consent {
                EventKind::ReferralConsented
            } else {
                EventKind::ReferralDeclined
            },
            Visibility::Reporter,
        );
        e.detail = format!(
            r#"{{"referral":{},"target":{}}}"#,
            referral.id.0, referral.target.0
        );
        q_event(&mut tx, &e).await?;
        let mut new_case = None;
        if consent {
            let rep = q_report(&mut tx, referral.report)
                .await?
                .ok_or_else(|| StoreError::NotFound(format!("report {}", referral.report.0)))?;
            let nc = NewCase {
                body: referral.target,
                referred_from: Some(referral.from_case),
            };
            let case = q_new_case(&mut tx, &rep, &nc, CaseStatus::Received, at).await?;
            sqlx::query("UPDATE referrals SET new_case = $1 WHERE id = $2")
                .bind(case.id.0)
                .bind(id.0)
                .execute(&mut *tx)
                .await
                .map_err(be)?;
            let mut e = NewEvent::new(
                referral.report,
                Some(case.id),
                at,
                by,
                EventKind::Referred,
                Visibility::Reporter,
            );
            e.detail = format!(
                r#"{{"referral":{},"from_case":{},"body":{}}}"#,
                referral.id.0, referral.from_case.0, referral.target.0
            );
            q_event(&mut tx, &e).await?;
            referral.new_case = Some(case.id);
            new_case = Some(case);
        }
        tx.commit().await.map_err(be)?;
        Ok((referral, new_case))
    }

    async fn q_case_queue(&self, q: &CaseQuery) -> Result<Vec<QueueRow>> {
        // Markers (act, sector) and the typed text go to the full-text index.
        let mut fq = match q.text.as_deref().map(search::Query::parse) {
            Some(Some(fq)) => Some(fq),
            // Text with nothing searchable in it finds nothing.
            Some(None) => return Ok(Vec::new()),
            None => None,
        };
        let mut markers = Vec::new();
        if let Some(a) = &q.act {
            markers.push(search::act_marker(a));
        }
        if let Some(s) = &q.sector {
            markers.push(search::sector_marker(s));
        }
        for m in markers {
            fq = Some(match fq {
                Some(f) => f.with_marker(m),
                None => search::Query {
                    terms: vec![search::Term::Marker(m)],
                },
            });
        }
        let limit = q.limit.clamp(1, 500);
        let Some(f) = fq else {
            let mut b = Binds::default();
            let mut conds = vec![format!("c.body = {}", b.i(q.scope.body.0))];
            if let Some(before) = q.before {
                conds.push(format!("c.id < {}", b.i(before.0)));
            }
            conds.extend(filters(q, &mut b));
            let sql = format!(
                "SELECT {QUEUE_COLS} FROM cases c JOIN reports r ON r.id = c.report WHERE {} ORDER BY c.id DESC LIMIT {}",
                conds.join(" AND "),
                b.i(limit)
            );
            return self.queue_rows(sql, b).await;
        };
        // Every search is limited to the body by its marker too (never instead of the
        // `c.body` condition: that one is the rule, the marker only speeds the index up).
        let f = f.with_marker(search::body_marker(q.scope.body));
        if !pg() {
            // Driven by the FTS index in rowid (= case id) order, newest first: CROSS JOIN
            // keeps the index as the outer loop, so the LIMIT stops the walk early, and the
            // body's marker lets FTS5 intersect the body's cases with common words.
            let mut b = Binds::default();
            let mut conds = vec![
                format!("f.doc MATCH {}", b.s(f.fts5())),
                format!("c.body = {}", b.i(q.scope.body.0)),
            ];
            if let Some(before) = q.before {
                conds.push(format!("f.rowid < {}", b.i(before.0)));
            }
            conds.extend(filters(q, &mut b));
            let sql = format!(
                "SELECT {QUEUE_COLS} FROM cases_fts f CROSS JOIN cases c ON c.id = f.rowid \
                 CROSS JOIN reports r ON r.id = c.report WHERE {} ORDER BY f.rowid DESC LIMIT {}",
                conds.join(" AND "),
                b.i(limit)
            );
            return self.queue_rows(sql, b).await;
        }
        // PostgreSQL's GIN index gives matches in no order. Phase 1 walks the body's newest
        // cases (a window) and filters them, which is quick for common words; when that does
        // not fill the page, phase 2 takes the older matches from the GIN index, which is
        // quick because the words are then rare in this body.
        let before = q.before.map_or(i64::MAX, |c| c.0);
        let tsq = f.tsquery();
        let mut b = Binds::default();
        let mut conds = vec![format!("c.search @@ {}::tsquery", b.s(tsq.clone()))];
        conds.extend(filters(q, &mut b));
        // The window is read newest first and filtered row by row; the LIMIT stops it as
        // soon as the page is full (the subqueries keep PostgreSQL from reordering that).
        let sql = format!(
            "SELECT {QUEUE_COLS} FROM (SELECT c.* FROM \
             (SELECT * FROM cases WHERE body = {} AND id < {} ORDER BY id DESC LIMIT {}) c \
             WHERE {} LIMIT {}) c JOIN reports r ON r.id = c.report ORDER BY c.id DESC",
            b.i(q.scope.body.0),
            b.i(before),
            b.i(PG_WINDOW),
            conds.join(" AND "),
            b.i(limit)
        );
        let mut rows = self.queue_rows(sql, b).await?;
        if rows.len() as i64 >= limit {
            return Ok(rows);
        }
        let edge: Option<(Option<i64>, i64)> = sqlx::query_as(
            "SELECT MIN(id), COUNT(*) FROM (SELECT id FROM cases WHERE body = $1 AND id < $2 ORDER BY id DESC LIMIT $3) w",
        )
        .bind(q.scope.body.0)
        .bind(before)
        .bind(PG_WINDOW)
        .persistent(false)
        .fetch_optional(&self.pool)
        .await
        .map_err(be)?;
        let Some((Some(edge), n)) = edge else {
            return Ok(rows);
        };
        if n < PG_WINDOW {
            return Ok(rows); // the window held every case of the body
        }
        let mut b = Binds::default();
        let mut conds = vec![format!("c.body = {}", b.i(q.scope.body.0))];
        conds.extend(filters(q, &mut b));
        let sql = format!(
            "WITH m AS MATERIALIZED (SELECT id FROM cases WHERE search @@ {}::tsquery AND id < {}) \
             SELECT {QUEUE_COLS} FROM m JOIN cases c ON c.id = m.id JOIN reports r ON r.id = c.report \
             WHERE {} ORDER BY c.id DESC LIMIT {}",
            b.s(tsq),
            b.i(edge),
            conds.join(" AND "),
            b.i(limit - rows.len() as i64)
        );
        rows.extend(self.queue_rows(sql, b).await?);
        Ok(rows)
    }

    async fn queue_rows(&self, sql: String, b: Binds) -> Result<Vec<QueueRow>> {
        // Unnamed statements: PostgreSQL plans each query with its actual values (a cached
        // generic plan cannot know how common a searched word is).
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).persistent(false);
        for v in b.0 {
            query = match v {
                Bind::I(i) => query.bind(i),
                Bind::S(s) => query.bind(s),
            };
        }
        let rows = query.fetch_all(&self.pool).await.map_err(be)?;
        rows.iter()
            .map(|r| {
                let kind: String = col(r, CASE_COLS)?;
                let sector: String = col(r, CASE_COLS + 6)?;
                let admin_type: String = col(r, CASE_COLS + 7)?;
                Ok(QueueRow {
                    case: case_from(r)?,
                    kind: parse_enum(&kind, "report kind", ReportKind::parse)?,
                    title: col(r, CASE_COLS + 1)?,
                    reporter_org: col::<Option<i64>>(r, CASE_COLS + 2)?.map(OrgId),
                    submitted_at: opt_ts(col(r, CASE_COLS + 3)?)?,
                    facets: Facets {
                        acts: unwords(&col::<String>(r, CASE_COLS + 4)?),
                        methods: unwords(&col::<String>(r, CASE_COLS + 5)?),
                        sector: Some(sector).filter(|s| !s.is_empty()),
                        admin_type: Some(admin_type).filter(|s| !s.is_empty()),
                    },
                    reporter_name: col(r, CASE_COLS + 8)?,
                })
            })
            .collect()
    }

    async fn q_import_reports(&self, rows: &[ImportedReport]) -> Result<()> {
        let mut tx = self.pool.begin().await.map_err(be)?;
        for row in rows {
            let rep = q_insert_report(&mut tx, &row.report, ReportStatus::Submitted).await?;
            for ic in &row.cases {
                let nc = NewCase {
                    body: ic.body,
                    referred_from: None,
                };
                let case = q_new_case(&mut tx, &rep, &nc, ic.status, row.report.created_at).await?;
                if ic.assignee.is_some() || ic.due_at.is_some() {
                    sqlx::query("UPDATE cases SET assignee = $1, due_at = $2 WHERE id = $3")
                        .bind(ic.assignee.map(|u| u.0))
                        .bind(ic.due_at.map(ts))
                        .bind(case.id.0)
                        .execute(&mut *tx)
                        .await
                        .map_err(be)?;
                }
            }
        }
        tx.commit().await.map_err(be)?;
        Ok(())
    }
}
