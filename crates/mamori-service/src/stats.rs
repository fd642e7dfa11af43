//! Statistics (issue 13): importing case-level records, de-duplication with a review
//! queue, the materialized aggregate, and the anonymized yearly report.
//!
//! Every import and every link decision rebuilds the aggregate cells from the records
//! and the applied links (`mamori_core::stats::aggregate`), so the cells always agree
//! with the case data and a report reads only cells. Reports are built with
//! k-anonymity applied (`mamori_core::stats::yearly_report`), so what leaves this module
//! can be published. Imports, link decisions and report views are audited.

use crate::audit::Event;
use crate::authz::{Caller, Permission, check_caller};
use crate::{Result, ServiceError, Services, codes};
use mamori_core::stats::dedup::{DedupConfig, LinkStatus, find_links};
use mamori_core::stats::{
    Cell, Dim, Effect, ExternalCount, Format, Incidents, Measure, RowError, YearlyReport,
    aggregate, anonymize, effect, parse_external, parse_records, yearly_report,
};
use mamori_store::{NewPublication, PublicationInfo, StoredLink};
use serde::Serialize;
use serde_json::json;

/// What an import did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportOutcome {
    /// Records stored.
    pub imported: u64,
    /// Rows rejected (with `partial`, the rest was stored; without, nothing was).
    pub rejected: Vec<RowError>,
    /// New de-duplication links applied without review.
    pub links_auto: u64,
    /// New links waiting for review.
    pub links_proposed: u64,
}

/// A reviewer's decision on a link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkDecision {
    /// The two reports are one incident (a proposed link is applied).
    Confirm,
    /// They are separate incidents (a proposed link is rejected).
    Reject,
    /// Undo an applied merge (automatic or confirmed).
    Undo,
}

impl LinkDecision {
    /// Parses `confirm`, `reject`, `undo`.
    pub fn parse(s: &str) -> Option<LinkDecision> {
        match s {
            "confirm" => Some(LinkDecision::Confirm),
            "reject" => Some(LinkDecision::Reject),
            "undo" => Some(LinkDecision::Undo),
            _ => None,
        }
    }

    fn transition(self) -> (&'static [LinkStatus], LinkStatus, &'static str) {
        match self {
            LinkDecision::Confirm => (
                &[
                    LinkStatus::Proposed,
                    LinkStatus::Rejected,
                    LinkStatus::Undone,
                ],
                LinkStatus::Confirmed,
                "stat_link_confirm",
            ),
            LinkDecision::Reject => (
                &[LinkStatus::Proposed],
                LinkStatus::Rejected,
                "stat_link_reject",
            ),
            LinkDecision::Undo => (
                &[LinkStatus::Auto, LinkStatus::Confirmed],
                LinkStatus::Undone,
                "stat_link_undo",
            ),
        }
    }
}

/// Years a report may ask for.
const YEARS: std::ops::RangeInclusive<i32> = 1900..=9999;

impl Services {
    /// Imports case-level records (JSON Lines or CSV). A file with any rejected row
    /// (syntax, schema, an id already stored) loads nothing unless `partial`, in which
    /// case the good rows are stored. Then the links and the aggregate are rebuilt.
    pub async fn import_stat_records(
        &self,
        caller: Caller<'_>,
        input: &str,
        format: Format,
        partial: bool,
    ) -> Result<ImportOutcome> {
        check_caller(caller, Permission::ManageStatistics)?;
        let mut parsed = parse_records(input, format);
        let ids: Vec<String> = parsed.records.iter().map(|(_, r)| r.id.clone()).collect();
        let existing: std::collections::HashSet<String> = self
            .store
            .existing_stat_ids(&ids)
            .await?
            .into_iter()
            .collect();
        if !existing.is_empty() {
            parsed.records.retain(|(line, r)| {
                if existing.contains(&r.id) {
                    parsed.errors.push(RowError {
                        line: *line,
                        field: Some("id".into()),
                        problem: mamori_core::stats::Problem::Invalid {
                            expected: "an id not imported before",
                            found: r.id.chars().take(60).collect(),
                        },
                    });
                    false
                } else {
                    true
                }
            });
            parsed.errors.sort_by_key(|e| e.line);
        }
        let mut out = ImportOutcome {
            rejected: parsed.errors,
            ..ImportOutcome::default()
        };
        if !out.rejected.is_empty() && !partial {
            self.audit_import(caller, &out).await?;
            return Ok(out);
        }
        let records: Vec<_> = parsed.records.into_iter().map(|(_, r)| r).collect();
        out.imported = self.store.insert_stat_records(&records, self.now()).await?;
        let (auto, proposed) = self.rebuild_stats().await?;
        out.links_auto = auto;
        out.links_proposed = proposed;
        self.audit_import(caller, &out).await?;
        Ok(out)
    }

    async fn audit_import(&self, caller: Caller<'_>, out: &ImportOutcome) -> Result<()> {
        self.audit(Event {
            actor: caller.person().map(|a| a.user.id),
            action: "import_stat_records",
            object: "stats:records".into(),
            source: caller.source(),
            detail: json!({
                "imported": out.imported,
                "rejected": out.rejected.len(),
                "links_auto": out.links_auto,
                "links_proposed": out.links_proposed,
            }),
            ..Event::default()
        })
        .await
    }

    /// Finds new links over every record (existing links keep their decisions) and
    /// rebuilds the aggregate cells. Returns the new (automatic, proposed) links.
    pub async fn rebuild_stats(&self) -> Result<(u64, u64)> {
        let records = self.store.stat_records().await?;
        let found = find_links(&records, &DedupConfig::default());
        let known: std::collections::HashSet<(String, String)> = self
            .store
            .stat_links(None)
            .await?
            .into_iter()
            .map(|l| (l.link.a, l.link.b))
            .collect();
        let new: Vec<_> = found
            .into_iter()
            .filter(|l| !known.contains(&(l.a.clone(), l.b.clone())))
            .map(|l| {
                let s = LinkStatus::initial(l.reason);
                (l, s)
            })
            .collect();
        let auto = new.iter().filter(|(_, s)| *s == LinkStatus::Auto).count() as u64;
        let proposed = new.len() as u64 - auto;
        self.store.add_stat_links(&new).await?;
        self.rebuild_cells_from(&records).await?;
        Ok((auto, proposed))
    }

    async fn rebuild_cells_from(&self, records: &[mamori_core::stats::StatRecord]) -> Result<()> {
        let links = self.store.stat_links(None).await?;
        let applied: Vec<(&str, &str)> = links
            .iter()
            .filter(|l| l.status.is_applied())
            .map(|l| (l.link.a.as_str(), l.link.b.as_str()))
            .collect();
        let incidents = Incidents::new(records, applied);
        let cells = aggregate(records, &incidents);
        self.store.replace_stat_cells(&cells).await?;
        Ok(())
    }

    /// The de-duplication links, all or of one status (the review queue is `proposed`).
    pub async fn stat_links(
        &self,
        caller: Caller<'_>,
        status: Option<LinkStatus>,
    ) -> Result<Vec<StoredLink>> {
        check_caller(caller, Permission::ManageStatistics)?;
        let links = self.store.stat_links(status).await?;
        self.audit(Event {
            actor: caller.person().map(|a| a.user.id),
            action: "list_stat_links",
            object: "stats:links".into(),
            source: caller.source(),
            detail: json!({"status": status.map(LinkStatus::code), "count": links.len()}),
            ..Event::default()
        })
        .await?;
        Ok(links)
    }

    /// Confirms, rejects or undoes a link; audited, and the aggregate is rebuilt.
    pub async fn decide_stat_link(
        &self,
        caller: Caller<'_>,
        a: &str,
        b: &str,
        decision: LinkDecision,
    ) -> Result<()> {
        check_caller(caller, Permission::ManageStatistics)?;
        let (a, b) = if a <= b { (a, b) } else { (b, a) };
        let (from, to, action) = decision.transition();
        let by = caller.person().map(|p| p.user.id);
        if !self
            .store
            .decide_stat_link(a, b, from, to, by, self.now())
            .await?
        {
            return Err(ServiceError::Invalid(codes::STATS_LINK));
        }
        self.audit(Event {
            actor: by,
            action,
            object: format!("stat_link:{a}|{b}"),
            source: caller.source(),
            detail: json!({"status": to.code()}),
            ..Event::default()
        })
        .await?;
        let records = self.store.stat_records().await?;
        self.rebuild_cells_from(&records).await
    }

    /// The yearly report of `year` with k-anonymity `k` (audited view).
    pub async fn yearly_report(
        &self,
        caller: Caller<'_>,
        year: i32,
        k: u64,
    ) -> Result<YearlyReport> {
        check_caller(caller, Permission::ViewStatistics)?;
        let (cells, external) = self.report_inputs(year, k).await?;
        let report = yearly_report(&cells, year, k, external);
        self.audit(Event {
            actor: caller.person().map(|a| a.user.id),
            action: "view_stats_yearly",
            object: format!("stats:yearly:{year}"),
            source: caller.source(),
            detail: json!({"k": k}),
            ..Event::default()
        })
        .await?;
        Ok(report)
    }

    /// What a yearly report of `year` is computed from: the cells and the external figures.
    async fn report_inputs(&self, year: i32, k: u64) -> Result<(Vec<Cell>, Vec<ExternalCount>)> {
        if !YEARS.contains(&year) || k > 100 {
            return Err(ServiceError::Invalid(codes::STATS_QUERY));
        }
        let cells = self.store.stat_cells_for_report(year).await?;
        let external = self.store.external_counts(&[year, year - 1]).await?;
        Ok((cells, external))
    }

    /// Publishes the yearly report of `year` (Act Art. 7): its inputs are frozen, so the
    /// public page shows exactly what the supervisor saw, whatever is imported later,
    /// until the year is published again (a new revision). Only with k ≥ the default k
    /// and for a year with data. Audited.
    pub async fn publish_yearly_report(
        &self,
        caller: Caller<'_>,
        year: i32,
        k: u64,
    ) -> Result<i64> {
        check_caller(caller, Permission::ManageStatistics)?;
        let by = caller.person().ok_or(ServiceError::NotFound)?.user.id;
        let (cells, external) = self.report_inputs(year, k).await?;
        let has_data = cells.iter().any(|c| c.year == year && c.count > 0);
        if k < anonymize::DEFAULT_K || !has_data {
            return Err(ServiceError::Invalid(codes::STATS_PUBLISH));
        }
        let id = self
            .store
            .insert_stat_publication(&NewPublication {
                year,
                k,
                cells,
                external,
                by,
                at: self.now(),
            })
            .await?;
        self.audit(Event {
            actor: Some(by),
            action: "publish_stats_yearly",
            object: format!("stats:published:{id}"),
            source: caller.source(),
            detail: json!({"year": year, "k": k}),
            ..Event::default()
        })
        .await?;
        Ok(id)
    }

    /// The published yearly reports, newest publication first (public: no caller).
    pub async fn stat_publications(&self) -> Result<Vec<PublicationInfo>> {
        Ok(self.store.stat_publications().await?)
    }

    /// The latest published report of `year` (public: no caller), computed from the
    /// frozen inputs with the k it was published with; `None` if never published.
    pub async fn published_report(
        &self,
        year: i32,
    ) -> Result<Option<(YearlyReport, PublicationInfo, u32)>> {
        if !YEARS.contains(&year) {
            return Ok(None);
        }
        Ok(self.store.latest_stat_publication(year).await?.map(|p| {
            let report = yearly_report(&p.cells, year, p.info.k, p.external);
            (report, p.info, p.revision)
        }))
    }

    /// Imports other organizations' published figures (CSV with their unit declared);
    /// nothing is stored if a row is rejected.
    pub async fn import_external_counts(
        &self,
        caller: Caller<'_>,
        input: &str,
    ) -> Result<(u64, Vec<RowError>)> {
        check_caller(caller, Permission::ManageStatistics)?;
        let (rows, errors) = parse_external(input);
        let n = if errors.is_empty() {
            self.store.insert_external_counts(&rows, self.now()).await?
        } else {
            0
        };
        self.audit(Event {
            actor: caller.person().map(|a| a.user.id),
            action: "import_external_counts",
            object: "stats:external".into(),
            source: caller.source(),
            detail: json!({"imported": n, "rejected": errors.len()}),
            ..Event::default()
        })
        .await?;
        Ok((n, errors))
    }

    /// The before/after trend of a measure's categories, `months` each side.
    pub async fn measure_effect(
        &self,
        caller: Caller<'_>,
        measure: &Measure,
        months: u8,
        k: u64,
    ) -> Result<Effect> {
        check_caller(caller, Permission::ViewStatistics)?;
        if measure.dim == Dim::Total || !(1..=12).contains(&measure.start.1) || months == 0 {
            return Err(ServiceError::Invalid(codes::STATS_QUERY));
        }
        let cells = self.store.stat_cells_of_dim(measure.dim).await?;
        self.audit(Event {
            actor: caller.person().map(|a| a.user.id),
            action: "view_stats_effect",
            object: format!("stats:effect:{}", measure.dim.code()),
            source: caller.source(),
            detail: json!({"values": measure.values, "start": [measure.start.0, measure.start.1]}),
            ..Event::default()
        })
        .await?;
        Ok(effect(&cells, measure, months, k))
    }
}
