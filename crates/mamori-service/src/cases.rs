//! Case work at the receiving bodies: received → accepted / not accepted (a
//! reason from the list plus text, the reporter told) → in progress → closed with a typed
//! outcome once the body's closing checklist is complete; assignment, due dates,
//! internal notes, messages both ways; referral to another body with the reporter's
//! consent (one history across bodies); a body's queue with filters, Japanese full-text
//! search and keyset paging.
//!
//! Every change is one store call that writes the case and its history row together
//! (optimistic versioning: a concurrent change gives `E-CASE-STALE`), and is audited.

use crate::authz::{self, Permission, check};
use crate::intake::{SubmitTo, body_of};
use crate::{Actor, Result, ServiceError, Services, codes};
use mamori_core::guideline::{Body, NotAcceptedReason, Outcome, closing_checklist};
use mamori_core::taxonomy::{Act, Sector};
use mamori_store::{
    Case, CaseEvent, CaseId, CaseQuery, CaseStatus, EventKind, NewEvent, NewReferral, QueueRow,
    Referral, ReferralId, ReferralStatus, ReportId, StoreError, UserId, Visibility,
};
use serde::Serialize;
use serde_json::json;
use time::OffsetDateTime;

/// Longest message or note (characters).
pub const MAX_TEXT_CHARS: usize = 20_000;

/// A message or note: trimmed, 1–20,000 characters.
pub(crate) fn check_text(t: &str) -> Result<String> {
    let t = t.trim();
    if t.is_empty() || t.chars().count() > MAX_TEXT_CHARS {
        return Err(ServiceError::Invalid(codes::TEXT));
    }
    Ok(t.to_string())
}

/// Optional text (a not-accepted explanation, a closing note): up to 20,000 characters.
fn check_optional_text(t: &str) -> Result<String> {
    let t = t.trim();
    if t.chars().count() > MAX_TEXT_CHARS {
        return Err(ServiceError::Invalid(codes::TEXT));
    }
    Ok(t.to_string())
}

/// Filters of a body's queue.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueueFilter {
    /// Any of these statuses (all when empty).
    pub statuses: Vec<CaseStatus>,
    /// Classified with this act.
    pub act: Option<Act>,
    /// Of this sector.
    pub sector: Option<Sector>,
    /// Assigned to this person.
    pub assignee: Option<UserId>,
    /// Only open cases past their due date.
    pub overdue: bool,
    /// Full-text query (Japanese substrings of 1+ characters, latin words).
    pub text: Option<String>,
    /// Keyset: the `next` of the previous page.
    pub before: Option<CaseId>,
    /// Page size (1–200; default 50).
    pub limit: Option<i64>,
}

/// One page of a queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QueuePage {
    /// The cases, newest first.
    pub rows: Vec<QueueRow>,
    /// Pass as `before` for the next page; `None` on the last page.
    pub next: Option<CaseId>,
    /// When the page was made (what "overdue" is measured against).
    #[serde(with = "time::serde::rfc3339")]
    pub as_of: time::OffsetDateTime,
}

impl Services {
    /// Loads a case the actor may work; a refusal is audited and looks like "missing".
    async fn workable(&self, actor: &Actor, id: CaseId) -> Result<(Case, Body)> {
        let c = self.store.case(id).await?;
        let Some(c) = c.filter(|c| check(actor, Permission::WorkCase(c)).is_ok()) else {
            self.denied(actor, &format!("case:{}", id.0)).await?;
            return Err(ServiceError::NotFound);
        };
        let body = body_of(actor.org.kind).ok_or(ServiceError::NotFound)?;
        Ok((c, body))
    }

    /// Writes a case change with its history row, then audits it.
    async fn change(
        &self,
        actor: &Actor,
        next: Case,
        kind: EventKind,
        visibility: Visibility,
        text: String,
        detail: serde_json::Value,
    ) -> Result<Case> {
        let ev = NewEvent {
            text,
            detail: detail.to_string(),
            ..NewEvent::new(
                next.report,
                Some(next.id),
                self.now(),
                Some(actor.user.id),
                kind,
                visibility,
            )
        };
        let saved = match self.store.update_case(&next, &ev).await {
            Err(StoreError::Conflict(_)) => return Err(ServiceError::Invalid(codes::CASE_STALE)),
            other => other?,
        };
        self.audit_intake(
            Some(actor),
            None,
            "case_change",
            format!("case:{}", saved.id.0),
            json!({"report": saved.report.0, "kind": kind.as_str(), "status": saved.status.as_str()}),
        )
        .await?;
        Ok(saved)
    }

    /// Takes a received case on (the reporter is told).
    pub async fn accept_case(&self, actor: &Actor, id: CaseId) -> Result<Case> {
        let (c, _) = self.workable(actor, id).await?;
        if c.status != CaseStatus::Received {
            return Err(ServiceError::Invalid(codes::CASE_TRANSITION));
        }
        let next = Case {
            status: CaseStatus::Accepted,
            ..c
        };
        self.change(
            actor,
            next,
            EventKind::Accepted,
            Visibility::Reporter,
            String::new(),
            json!({}),
        )
        .await
    }

    /// Does not take a case on: a reason code from `NotAcceptedReason` and an
    /// explanation; the reporter is told both (a reporter-visible history entry).
    pub async fn not_accept_case(
        &self,
        actor: &Actor,
        id: CaseId,
        reason: &str,
        text: &str,
    ) -> Result<Case> {
        let (c, _) = self.workable(actor, id).await?;
        let reason =
            NotAcceptedReason::parse(reason).ok_or(ServiceError::Invalid(codes::CASE_REASON))?;
        let text = check_optional_text(text)?;
        if !matches!(c.status, CaseStatus::Received | CaseStatus::Accepted) {
            return Err(ServiceError::Invalid(codes::CASE_TRANSITION));
        }
        let next = Case {
            status: CaseStatus::NotAccepted,
            reason: Some(reason.code().to_string()),
            reason_text: text.clone(),
            ..c
        };
        self.change(
            actor,
            next,
            EventKind::NotAccepted,
            Visibility::Reporter,
            text,
            json!({"reason": reason.code()}),
        )
        .await
    }

    /// Starts work on an accepted case (in progress; the reporter sees the status).
    pub async fn start_case(&self, actor: &Actor, id: CaseId) -> Result<Case> {
        let (c, _) = self.workable(actor, id).await?;
        if c.status != CaseStatus::Accepted {
            return Err(ServiceError::Invalid(codes::CASE_TRANSITION));
        }
        let next = Case {
            status: CaseStatus::InProgress,
            ..c
        };
        self.change(
            actor,
            next,
            EventKind::StatusChanged,
            Visibility::Reporter,
            String::new(),
            json!({"status": "in_progress"}),
        )
        .await
    }

    /// Assigns a case to a person of the same body, or to nobody. Supervisors assign
    /// anyone of their body; staff take a case for themselves.
    pub async fn assign_case(&self, actor: &Actor, id: CaseId, to: Option<UserId>) -> Result<Case> {
        let (c, _) = self.workable(actor, id).await?;
        let person = match to {
            Some(u) => Some(self.store.user(u).await?.ok_or(ServiceError::NotFound)?),
            None => None,
        };
        if check(actor, Permission::AssignCase(&c, person.as_ref())).is_err() {
            self.denied(actor, &format!("case:{}", id.0)).await?;
            return Err(ServiceError::NotFound);
        }
        let next = Case { assignee: to, ..c };
        self.change(
            actor,
            next,
            EventKind::Assigned,
            Visibility::BodyInternal,
            person.map(|p| p.display_name).unwrap_or_default(),
            json!({"assignee": to.map(|u| u.0)}),
        )
        .await
    }

    /// Sets or clears the due date (internal to the body).
    pub async fn set_due(
        &self,
        actor: &Actor,
        id: CaseId,
        due: Option<OffsetDateTime>,
    ) -> Result<Case> {
        let (c, _) = self.workable(actor, id).await?;
        if c.status.is_final() {
            return Err(ServiceError::Invalid(codes::CASE_TRANSITION));
        }
        let next = Case { due_at: due, ..c };
        self.change(
            actor,
            next,
            EventKind::DueSet,
            Visibility::BodyInternal,
            String::new(),
            json!({"due_at": due.map(OffsetDateTime::unix_timestamp)}),
        )
        .await
    }

    /// Ticks (or unticks) an item of the body's closing checklist (internal).
    pub async fn tick_checklist(
        &self,
        actor: &Actor,
        id: CaseId,
        item: &str,
        done: bool,
    ) -> Result<Case> {
        let (c, body) = self.workable(actor, id).await?;
        let Some(it) = closing_checklist(body).iter().find(|i| i.id == item) else {
            return Err(ServiceError::Invalid(codes::CASE_ITEM));
        };
        if c.status.is_final() {
            return Err(ServiceError::Invalid(codes::CASE_TRANSITION));
        }
        let mut list: Vec<String> = c
            .checklist
            .iter()
            .filter(|x| *x != it.id)
            .cloned()
            .collect();
        if done {
            list.push(it.id.to_string());
        }
        let next = Case {
            checklist: list,
            ..c
        };
        self.change(
            actor,
            next,
            EventKind::ChecklistTicked,
            Visibility::BodyInternal,
            String::new(),
            json!({"item": it.id, "done": done}),
        )
        .await
    }

    /// Closes an accepted or in-progress case with an outcome this body uses,
    /// refused while the closing checklist is incomplete. The reporter is told.
    pub async fn close_case(
        &self,
        actor: &Actor,
        id: CaseId,
        outcome: &str,
        text: &str,
    ) -> Result<Case> {
        let (c, body) = self.workable(actor, id).await?;
        let outcome = Outcome::parse(outcome)
            .filter(|o| o.applies_to(body))
            .ok_or(ServiceError::Invalid(codes::CASE_OUTCOME))?;
        let text = check_optional_text(text)?;
        if !matches!(c.status, CaseStatus::Accepted | CaseStatus::InProgress) {
            return Err(ServiceError::Invalid(codes::CASE_TRANSITION));
        }
        let open: Vec<&str> = closing_checklist(body)
            .iter()
            .filter(|i| !c.checklist.iter().any(|x| x == i.id))
            .map(|i| i.id)
            .collect();
        if !open.is_empty() {
            return Err(ServiceError::Invalid(codes::CASE_CHECKLIST));
        }
        let next = Case {
            status: CaseStatus::Closed,
            outcome: Some(outcome.code().to_string()),
            reason_text: text.clone(),
            ..c
        };
        self.change(
            actor,
            next,
            EventKind::Closed,
            Visibility::Reporter,
            text,
            json!({"outcome": outcome.code()}),
        )
        .await
    }

    /// An internal note: only the body's own people read it, or with `share` every body
    /// holding the report. Never the reporter.
    pub async fn add_note(
        &self,
        actor: &Actor,
        id: CaseId,
        text: &str,
        share: bool,
    ) -> Result<CaseEvent> {
        let text = check_text(text)?;
        let (c, _) = self.workable(actor, id).await?;
        let vis = if share {
            Visibility::Bodies
        } else {
            Visibility::BodyInternal
        };
        self.case_event(actor, &c, EventKind::Note, vis, text).await
    }

    /// A message from the body to the reporter (also to an anonymous consultant).
    pub async fn message_reporter(
        &self,
        actor: &Actor,
        id: CaseId,
        text: &str,
    ) -> Result<CaseEvent> {
        let text = check_text(text)?;
        let (c, _) = self.workable(actor, id).await?;
        self.case_event(
            actor,
            &c,
            EventKind::MessageToReporter,
            Visibility::Reporter,
            text,
        )
        .await
    }

    async fn case_event(
        &self,
        actor: &Actor,
        c: &Case,
        kind: EventKind,
        vis: Visibility,
        text: String,
    ) -> Result<CaseEvent> {
        let ev = NewEvent {
            text,
            ..NewEvent::new(
                c.report,
                Some(c.id),
                self.now(),
                Some(actor.user.id),
                kind,
                vis,
            )
        };
        let e = self.store.insert_event(&ev).await?;
        self.audit_intake(
            Some(actor),
            None,
            "case_event",
            format!("case:{}", c.id.0),
            json!({"report": c.report.0, "kind": kind.as_str(), "event": e.id.0}),
        )
        .await?;
        Ok(e)
    }

    /// A reporter writes to one of the bodies holding their submitted report.
    pub async fn message_body(
        &self,
        actor: &Actor,
        report: ReportId,
        case: CaseId,
        text: &str,
    ) -> Result<CaseEvent> {
        let text = check_text(text)?;
        let (r, cases) = self
            .load_report(actor, report, |r, _| Permission::ActAsReporter(r))
            .await?;
        if !cases.iter().any(|c| c.id == case) {
            return Err(ServiceError::NotFound);
        }
        let ev = NewEvent {
            text,
            ..NewEvent::new(
                r.id,
                Some(case),
                self.now(),
                Some(actor.user.id),
                EventKind::MessageFromReporter,
                Visibility::Reporter,
            )
        };
        let e = self.store.insert_event(&ev).await?;
        self.audit_intake(
            Some(actor),
            None,
            "report_message",
            format!("report:{}", r.id.0),
            json!({"case": case.0, "event": e.id.0}),
        )
        .await?;
        Ok(e)
    }

    /// A body proposes to refer the report to another body. Nothing reaches the target
    /// until the reporter consents ([`Services::decide_referral`]).
    pub async fn propose_referral(
        &self,
        actor: &Actor,
        id: CaseId,
        to: SubmitTo,
        text: &str,
    ) -> Result<Referral> {
        let text = check_text(text)?;
        let (c, _) = self.workable(actor, id).await?;
        if c.status == CaseStatus::Closed {
            return Err(ServiceError::Invalid(codes::CASE_TRANSITION));
        }
        let target = self.resolve_target(to).await?;
        let holders = self.store.cases_of_report(c.report).await?;
        let pending = self.store.referrals(c.report).await?;
        let r = self
            .store
            .report(c.report)
            .await?
            .ok_or(ServiceError::NotFound)?;
        if target == c.body
            || holders.iter().any(|h| h.body == target)
            || pending
                .iter()
                .any(|p| p.target == target && p.status == ReferralStatus::Proposed)
            // An anonymous consultant has nobody to consent.
            || r.anonymous
        {
            return Err(ServiceError::Invalid(codes::REFERRAL_TARGET));
        }
        let ev = NewEvent {
            text: text.clone(),
            ..NewEvent::new(
                c.report,
                Some(c.id),
                self.now(),
                Some(actor.user.id),
                EventKind::ReferralProposed,
                Visibility::Reporter,
            )
        };
        let rf = self
            .store
            .insert_referral(
                &NewReferral {
                    report: c.report,
                    from_case: c.id,
                    target,
                    proposed_by: actor.user.id,
                    text,
                    at: self.now(),
                },
                &ev,
            )
            .await?;
        self.audit_intake(
            Some(actor),
            None,
            "referral_propose",
            format!("case:{}", c.id.0),
            json!({"report": c.report.0, "referral": rf.id.0, "target": target.0}),
        )
        .await?;
        Ok(rf)
    }

    async fn resolve_target(&self, to: SubmitTo) -> Result<mamori_store::OrgId> {
        let bodies = self.receiving_bodies().await?;
        let list = bodies
            .into_iter()
            .find(|(b, _)| *b == to.body)
            .map(|(_, l)| l)
            .unwrap_or_default();
        let org = match to.org {
            Some(id) => list.into_iter().find(|o| o.id == id),
            None => list.into_iter().next(),
        };
        org.map(|o| o.id)
            .ok_or(ServiceError::Invalid(codes::REFERRAL_TARGET))
    }

    /// The reporter consents to a referral (the target gets a linked case, the history
    /// stays one) or declines it.
    pub async fn decide_referral(
        &self,
        actor: &Actor,
        report: ReportId,
        id: ReferralId,
        consent: bool,
    ) -> Result<Referral> {
        self.load_report(actor, report, |r, _| Permission::ActAsReporter(r))
            .await?;
        let rf = self.store.referral(id).await?;
        let Some(rf) = rf.filter(|r| r.report == report) else {
            self.denied(actor, &format!("referral:{}", id.0)).await?;
            return Err(ServiceError::NotFound);
        };
        if rf.status != ReferralStatus::Proposed {
            return Err(ServiceError::Invalid(codes::REFERRAL_STATE));
        }
        let (rf, case) = match self
            .store
            .decide_referral(id, consent, Some(actor.user.id), self.now())
            .await
        {
            Err(StoreError::Conflict(_)) => {
                return Err(ServiceError::Invalid(codes::REFERRAL_STATE));
            }
            other => other?,
        };
        self.audit_intake(
            Some(actor),
            None,
            "referral_decide",
            format!("report:{}", report.0),
            json!({"referral": id.0, "consent": consent, "new_case": case.map(|c| c.id.0)}),
        )
        .await?;
        Ok(rf)
    }

    /// A page of the actor's body's queue: supervisors see every case of their body,
    /// staff the unassigned ones and their own. Audited with the filters used.
    pub async fn case_queue(&self, actor: &Actor, f: &QueueFilter) -> Result<QueuePage> {
        let scope = match authz::queue_scope(actor) {
            Ok(s) => s,
            Err(_) => {
                self.denied(actor, "queue").await?;
                return Err(ServiceError::NotFound);
            }
        };
        let limit = f.limit.unwrap_or(50).clamp(1, 200);
        let q = CaseQuery {
            scope,
            statuses: f.statuses.clone(),
            act: f.act.map(|a| a.code().to_string()),
            sector: f.sector.map(|s| s.code().to_string()),
            assignee: f.assignee,
            overdue_at: f.overdue.then(|| self.now()),
            text: f
                .text
                .as_deref()
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(|t| t.chars().take(200).collect()),
            before: f.before,
            limit: limit + 1,
        };
        let mut rows = self.store.case_queue(&q).await?;
        let next = if rows.len() as i64 > limit {
            rows.truncate(usize::try_from(limit).unwrap_or(50));
            rows.last().map(|r| r.case.id)
        } else {
            None
        };
        self.audit_intake(
            Some(actor),
            None,
            "case_queue",
            format!("org:{}", scope.body.0),
            json!({
                "statuses": f.statuses.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
                "act": q.act, "sector": q.sector, "assignee": f.assignee.map(|u| u.0),
                "overdue": f.overdue, "text": q.text, "before": f.before.map(|c| c.0),
                "cases": rows.iter().map(|r| r.case.id.0).collect::<Vec<_>>(),
            }),
        )
        .await?;
        Ok(QueuePage {
            rows,
            next,
            as_of: self.now(),
        })
    }

    /// The people of the actor's body a case can be assigned to (for the form).
    pub async fn assignable(&self, actor: &Actor) -> Result<Vec<mamori_store::User>> {
        authz::queue_scope(actor)?;
        let people = self.store.users(Some(actor.org.id)).await?;
        Ok(people
            .into_iter()
            .filter(|u| {
                !u.disabled
                    && matches!(
                        u.role,
                        mamori_store::Role::BodyStaff | mamori_store::Role::BodySupervisor
                    )
            })
            .collect())
    }
}
