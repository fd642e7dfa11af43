//! The integrity use cases: make a baseline, check trees against it, take intended changes in.
//! The clock, host name and user are passed in, so these functions are deterministic to test.

use crate::baseline::{BASELINE_VERSION, Baseline, HistoryRecord};
use crate::compare::{ChangeKind, compare};
use crate::entry::EntryKind;
use crate::error::{Error, Result};
use crate::host::rfc3339;
use crate::path::PathBytes;
use crate::report::{BaselineInfo, CheckReport, Summary, Warning};
use crate::rules::Config;
use crate::walk::{Issue, Scan, ScanOptions, scan};
use crate::webcontent;
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Who and when, injected by the caller.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    /// The current time.
    pub now: time::OffsetDateTime,
    /// This host's name.
    pub host: &'a str,
    /// Who acts (user name and uid).
    pub who: &'a str,
    /// Progress callback (bytes read per entry).
    pub progress: Option<&'a (dyn Fn(u64) + Sync)>,
}

impl std::fmt::Debug for Context<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Context")
            .field("now", &self.now)
            .field("host", &self.host)
            .field("who", &self.who)
            .finish_non_exhaustive()
    }
}

/// The tool name written into baselines and reports.
pub fn tool_name() -> String {
    format!("mamori-integrity {}", env!("CARGO_PKG_VERSION"))
}

/// Scans `roots` (absolute paths) and makes a baseline. Problems met are returned beside it.
pub fn init(
    roots: &[PathBuf],
    config: Config,
    ctx: &Context<'_>,
) -> Result<(Baseline, Vec<Issue>)> {
    for r in roots {
        if !r.is_absolute() {
            return Err(Error::Root {
                path: r.clone(),
                detail: "not an absolute path".into(),
            });
        }
        std::fs::symlink_metadata(r).map_err(|e| Error::Root {
            path: r.clone(),
            detail: e.to_string(),
        })?;
    }
    let rules = config.compile()?;
    let opts = ScanOptions {
        algo: config.hash,
        xattrs: config.xattrs,
        follow_symlinks: config.follow_symlinks,
        rules: &rules,
        prefix_sizes: None,
        progress: ctx.progress,
    };
    let scan = scan(roots, &opts);
    let at = rfc3339(ctx.now);
    let baseline = Baseline {
        version: BASELINE_VERSION,
        tool: tool_name(),
        host: ctx.host.to_owned(),
        created_at: at.clone(),
        updated_at: at.clone(),
        roots: roots.iter().map(|r| PathBytes::from(r.as_path())).collect(),
        config,
        entries: scan.entries,
        history: vec![HistoryRecord {
            action: "init".into(),
            at,
            who: ctx.who.to_owned(),
            reason: None,
            paths: Vec::new(),
        }],
    };
    Ok((baseline, scan.issues))
}

/// Checks the trees of `baseline` now. Returns the report and the scan (for [`accept`]).
pub fn check(baseline: &Baseline, ctx: &Context<'_>) -> Result<(CheckReport, Scan)> {
    let rules = baseline.config.compile()?;
    let prefix_sizes: HashMap<PathBytes, u64> = baseline
        .entries
        .iter()
        .filter(|e| {
            rules.any_growth()
                && e.kind == EntryKind::File
                && rules.rule_for(e.path.as_path()).may_grow
        })
        .map(|e| (e.path.clone(), e.size))
        .collect();
    let opts = ScanOptions {
        algo: baseline.config.hash,
        xattrs: baseline.config.xattrs,
        follow_symlinks: baseline.config.follow_symlinks,
        rules: &rules,
        prefix_sizes: Some(&prefix_sizes),
        progress: ctx.progress,
    };
    let roots: Vec<PathBuf> = baseline
        .roots
        .iter()
        .map(|r| r.as_path().to_owned())
        .collect();
    let scan = scan(&roots, &opts);
    let mut changes = compare(&baseline.entries, &scan.entries, &rules, &baseline.roots);
    changes.par_iter_mut().for_each(|c| {
        if c.change != ChangeKind::Removed
            && c.kind == EntryKind::File
            && webcontent::is_web_file(c.path.as_path())
        {
            c.web_findings = webcontent::scan_file(c.path.as_path()).unwrap_or_default();
        }
    });
    let mut warnings = Vec::new();
    if baseline.host != ctx.host {
        warnings.push(Warning::other_host(&baseline.host, ctx.host));
    }
    let count = |k| changes.iter().filter(|c| c.change == k).count();
    let summary = Summary {
        entries_checked: scan.entries.len(),
        added: count(ChangeKind::Added),
        removed: count(ChangeKind::Removed),
        changed: count(ChangeKind::Changed),
        suspicious: changes
            .iter()
            .filter(|c| !c.web_findings.is_empty() || !c.flags.is_empty())
            .count(),
        issues: scan.issues.len(),
    };
    let report = CheckReport {
        schema: crate::report::SCHEMA_ID.to_owned(),
        tool: tool_name(),
        checked_at: rfc3339(ctx.now),
        host: ctx.host.to_owned(),
        baseline: Some(BaselineInfo {
            path: None,
            created_at: baseline.created_at.clone(),
            updated_at: baseline.updated_at.clone(),
            host: baseline.host.clone(),
            hash: baseline.config.hash,
            entries: baseline.entries.len(),
            signer: None,
        }),
        baseline_status: crate::report::BaselineStatus::Trusted,
        baseline_error: None,
        roots: baseline.roots.clone(),
        summary,
        changes,
        issues: scan.issues.clone(),
        warnings,
    };
    Ok((report, scan))
}

/// Takes changes into the baseline: all of them (`only` = `None`, `update`), or only those at
/// or under the given paths (`accept`). Records who, when and why. Returns the new baseline and
/// the paths whose changes were taken in.
pub fn accept(
    baseline: &Baseline,
    report: &CheckReport,
    scan: Scan,
    only: Option<&[PathBuf]>,
    reason: &str,
    ctx: &Context<'_>,
) -> (Baseline, Vec<PathBytes>) {
    let selected = |p: &PathBytes| match only {
        None => true,
        Some(list) => list.iter().any(|o| p.as_path().starts_with(o)),
    };
    let taken: Vec<PathBytes> = report
        .changes
        .iter()
        .filter(|c| selected(&c.path))
        .map(|c| c.path.clone())
        .collect();
    let mut entries: Vec<_> = baseline
        .entries
        .iter()
        .filter(|e| !selected(&e.path))
        .cloned()
        .chain(scan.entries.into_iter().filter(|e| selected(&e.path)))
        .collect();
    for e in &mut entries {
        e.prefix_hash = None;
    }
    entries.sort_by(|a, b| a.path.cmp(&b.path));
    let mut next = baseline.clone();
    next.entries = entries;
    next.updated_at = rfc3339(ctx.now);
    next.tool = tool_name();
    next.history.push(HistoryRecord {
        action: if only.is_some() { "accept" } else { "update" }.into(),
        at: rfc3339(ctx.now),
        who: ctx.who.to_owned(),
        reason: Some(reason.to_owned()),
        paths: taken.clone(),
    });
    (next, taken)
}

/// Makes `path` absolute without resolving symlinks.
pub fn absolute(path: &Path) -> Result<PathBuf> {
    std::path::absolute(path).map_err(|e| Error::io(path, e))
}
