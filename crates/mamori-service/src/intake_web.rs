//! The few calls the intake web pages need beyond [`crate::intake`] and
//! [`crate::cases`] (written by the web side; see `/work/briefs/web-needs.md`):
//! a case page by case id, its attachments, and the reporter's list with each
//! body's status. Each goes through the same authorization and audit as the
//! calls it builds on.

use crate::intake::ReportView;
use crate::{Actor, Result, ServiceError, Services};
use mamori_store::{
    Attachment, AttachmentId, CaseId, CaseStatus, ReportId, ReportStatus, ReportSummary,
};
use serde::Serialize;

/// A line of the reporter's list: the report and, per body holding it, the
/// body's name and the case's status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportLine {
    /// The report.
    pub summary: ReportSummary,
    /// `(body name, status)` per case, in case order.
    pub cases: Vec<(String, CaseStatus)>,
}

impl Services {
    /// The report behind a case of the caller's own body, as that body sees it.
    /// A case of another body, or one the caller may not work, is "not found".
    pub async fn case_report_view(&self, actor: &Actor, id: CaseId) -> Result<ReportView> {
        let report = self.case_report(actor, id).await?;
        let v = self.report_view(actor, report).await?;
        if v.own_case().is_none_or(|c| c.case.id != id) {
            self.denied(actor, &format!("case:{}", id.0)).await?;
            return Err(ServiceError::NotFound);
        }
        Ok(v)
    }

    /// One attachment of the report behind a case of the caller's body.
    pub async fn case_attachment(
        &self,
        actor: &Actor,
        id: CaseId,
        attachment: AttachmentId,
    ) -> Result<(Attachment, Vec<u8>)> {
        let report = self.case_report(actor, id).await?;
        self.attachment(actor, report, attachment).await
    }

    async fn case_report(&self, actor: &Actor, id: CaseId) -> Result<ReportId> {
        match self.store.case(id).await? {
            Some(c) if c.body == actor.org.id => Ok(c.report),
            _ => {
                self.denied(actor, &format!("case:{}", id.0)).await?;
                Err(ServiceError::NotFound)
            }
        }
    }

    /// The reporter's list ([`Services::my_reports`]) with each body's status.
    pub async fn my_report_lines(
        &self,
        actor: &Actor,
        before: Option<ReportId>,
        limit: i64,
    ) -> Result<Vec<ReportLine>> {
        let list = self.my_reports(actor, before, limit).await?;
        let mut names = std::collections::HashMap::new();
        let mut out = Vec::with_capacity(list.len());
        for summary in list {
            let mut cases = Vec::new();
            if summary.status != ReportStatus::Draft {
                for c in self.store.cases_of_report(summary.id).await? {
                    let name = match names.get(&c.body) {
                        Some(n) => String::clone(n),
                        None => {
                            let n = self
                                .store
                                .org(c.body)
                                .await?
                                .map_or_else(String::new, |o| o.name);
                            names.insert(c.body, n.clone());
                            n
                        }
                    };
                    cases.push((name, c.status));
                }
            }
            out.push(ReportLine { summary, cases });
        }
        Ok(out)
    }
}
