//! De-duplication: the same incident reported to several bodies is counted once.
//!
//! [`find_links`] proposes links between records; a link is **certain** (applied
//! without review) when one record was referred from the other, or when the same
//! reporter reported the same indicator to two bodies; it is **uncertain** (a reviewer
//! decides) when only the reporter and the time window match, or only an indicator
//! (two victims of one phishing campaign share its URL without being one incident).
//! [`Incidents::new`] joins the applied links into incidents. A link's state lives
//! outside this module (the store), so every merge can be undone and is audited.

use super::StatRecord;
use crate::dimension::coded_enum;
use std::collections::HashMap;

coded_enum! {
    /// Why two records may be one incident.
    pub enum LinkReason {
        /// One record was referred from the other (referral history).
        Referral = "referral", "回付履歴", "referral history";
        /// The same reporter reported a shared indicator to two bodies.
        SameReporterIndicator = "same_reporter_indicator", "同じ届出者・共通の指標", "same reporter and a shared indicator";
        /// A shared indicator within the time window (different or unknown reporters).
        SharedIndicator = "shared_indicator", "共通の指標", "shared indicator";
        /// The same reporter at two bodies within the time window.
        SameReporterWindow = "same_reporter_window", "同じ届出者・近い日付", "same reporter within the time window";
    }
}

impl LinkReason {
    /// Whether a link for this reason is applied without review.
    pub fn is_certain(self) -> bool {
        matches!(
            self,
            LinkReason::Referral | LinkReason::SameReporterIndicator
        )
    }
}

coded_enum! {
    /// Where a link stands. `Auto` and `Confirmed` links are applied.
    pub enum LinkStatus {
        /// Certain: applied without review.
        Auto = "auto", "自動で統合", "merged automatically";
        /// Uncertain: waiting in the review queue.
        Proposed = "proposed", "確認待ち", "waiting for review";
        /// A reviewer confirmed it: applied.
        Confirmed = "confirmed", "確認済み（統合）", "confirmed (merged)";
        /// A reviewer rejected it.
        Rejected = "rejected", "別の事案と判断", "rejected (separate incidents)";
        /// An applied link was undone.
        Undone = "undone", "統合を取り消し", "merge undone";
    }
}

impl LinkStatus {
    /// Whether the two records count as one incident.
    pub fn is_applied(self) -> bool {
        matches!(self, LinkStatus::Auto | LinkStatus::Confirmed)
    }

    /// The status a new link of this reason starts in.
    pub fn initial(reason: LinkReason) -> LinkStatus {
        if reason.is_certain() {
            LinkStatus::Auto
        } else {
            LinkStatus::Proposed
        }
    }
}

/// A proposed link between two records (ids, `a < b`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Link {
    /// The smaller id.
    pub a: String,
    /// The larger id.
    pub b: String,
    /// Why.
    pub reason: LinkReason,
}

impl Link {
    /// A link with its ids in order.
    pub fn new(x: &str, y: &str, reason: LinkReason) -> Link {
        let (a, b) = if x <= y { (x, y) } else { (y, x) };
        Link {
            a: a.to_string(),
            b: b.to_string(),
            reason,
        }
    }
}

/// The windows the rules use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DedupConfig {
    /// Same reporter at two bodies within this many days.
    pub reporter_window_days: i64,
    /// Shared indicator within this many days.
    pub indicator_window_days: i64,
    /// Each record is compared with at most this many later ones per key (bounds
    /// the work when one indicator is in thousands of reports).
    pub max_pairs_per_record: usize,
}

impl Default for DedupConfig {
    fn default() -> Self {
        DedupConfig {
            reporter_window_days: 7,
            indicator_window_days: 30,
            max_pairs_per_record: 32,
        }
    }
}

/// Every link the rules propose over `records`, one per pair (the strongest reason).
/// Links join records at **different** bodies only, except referrals.
pub fn find_links(records: &[StatRecord], cfg: &DedupConfig) -> Vec<Link> {
    let mut best: HashMap<(usize, usize), LinkReason> = HashMap::new();
    let rank = |r: LinkReason| match r {
        LinkReason::Referral => 0,
        LinkReason::SameReporterIndicator => 1,
        LinkReason::SharedIndicator => 2,
        LinkReason::SameReporterWindow => 3,
    };
    let mut put = |i: usize, j: usize, r: LinkReason| {
        let key = (i.min(j), i.max(j));
        let e = best.entry(key).or_insert(r);
        if rank(r) < rank(*e) {
            *e = r;
        }
    };
    let by_id: HashMap<&str, usize> = records
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();
    for (i, r) in records.iter().enumerate() {
        if let Some(j) = r.referred_from.as_deref().and_then(|id| by_id.get(id)) {
            put(i, *j, LinkReason::Referral);
        }
    }
    // Group by reporter and by indicator, each group in date order.
    let mut by_reporter: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut by_indicator: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, r) in records.iter().enumerate() {
        if let Some(rep) = r.reporter.as_deref() {
            by_reporter.entry(rep).or_default().push(i);
        }
        for ind in &r.indicators {
            by_indicator.entry(ind.as_str()).or_default().push(i);
        }
    }
    let ord = |i: &usize| (records[*i].date.ordinal(), *i);
    for group in by_reporter.values_mut() {
        group.sort_by_key(ord);
        for (x, &i) in group.iter().enumerate() {
            let ri = &records[i];
            for &j in group.iter().skip(x + 1).take(cfg.max_pairs_per_record) {
                let rj = &records[j];
                if rj.date.ordinal() - ri.date.ordinal()
                    > cfg.reporter_window_days.max(cfg.indicator_window_days)
                {
                    break;
                }
                if ri.body == rj.body {
                    continue;
                }
                let days = rj.date.ordinal() - ri.date.ordinal();
                let shared = ri.indicators.iter().any(|v| rj.indicators.contains(v));
                if shared && days <= cfg.indicator_window_days {
                    put(i, j, LinkReason::SameReporterIndicator);
                } else if days <= cfg.reporter_window_days {
                    put(i, j, LinkReason::SameReporterWindow);
                }
            }
        }
    }
    for group in by_indicator.values_mut() {
        group.sort_by_key(ord);
        for (x, &i) in group.iter().enumerate() {
            let ri = &records[i];
            for &j in group.iter().skip(x + 1).take(cfg.max_pairs_per_record) {
                let rj = &records[j];
                if rj.date.ordinal() - ri.date.ordinal() > cfg.indicator_window_days {
                    break;
                }
                if ri.body != rj.body {
                    put(i, j, LinkReason::SharedIndicator);
                }
            }
        }
    }
    let mut out: Vec<Link> = best
        .into_iter()
        .map(|((i, j), r)| Link::new(&records[i].id, &records[j].id, r))
        .collect();
    out.sort_by(|x, y| (&x.a, &x.b).cmp(&(&y.a, &y.b)));
    out
}

/// Records joined into incidents by the applied links (union-find). Each incident is
/// represented by its earliest record (by date, then position).
#[derive(Debug, Clone)]
pub struct Incidents {
    parent: Vec<usize>,
}

impl Incidents {
    /// Joins `records` along `applied` (pairs of ids; unknown ids are ignored).
    pub fn new<'a>(
        records: &[StatRecord],
        applied: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Incidents {
        let by_id: HashMap<&str, usize> = records
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.as_str(), i))
            .collect();
        let mut parent: Vec<usize> = (0..records.len()).collect();
        fn find(p: &mut [usize], mut x: usize) -> usize {
            while p[x] != x {
                p[x] = p[p[x]];
                x = p[x];
            }
            x
        }
        for (a, b) in applied {
            let (Some(&i), Some(&j)) = (by_id.get(a), by_id.get(b)) else {
                continue;
            };
            let (ri, rj) = (find(&mut parent, i), find(&mut parent, j));
            if ri == rj {
                continue;
            }
            // The earlier record becomes the representative.
            let key = |k: usize| (records[k].date, k);
            if key(ri) <= key(rj) {
                parent[rj] = ri;
            } else {
                parent[ri] = rj;
            }
        }
        for i in 0..parent.len() {
            let r = find(&mut parent, i);
            parent[i] = r;
        }
        Incidents { parent }
    }

    /// The representative record of record `i`'s incident.
    pub fn of(&self, i: usize) -> usize {
        self.parent.get(i).copied().unwrap_or(i)
    }

    /// How many incidents.
    pub fn count(&self) -> usize {
        self.parent
            .iter()
            .enumerate()
            .filter(|(i, p)| i == *p)
            .count()
    }
}
