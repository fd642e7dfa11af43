//! MAM-A005 distributed-brute-force: one account attacked from many sources, each
//! staying under per-source limits (botnets against `root`, `admin`, a known e-mail).
//!
//! Example: `Failed password for root from …` from 300 addresses within 10 minutes.
//! Legal category: 識別符号窃用型 (Act Art. 3-2 (1)).

use super::{Escalating, Rule, RuleMeta};
use crate::config::Thresholds;
use crate::event::{Event, EventKind};
use crate::finding::Finding;
use mamori_core::{ActCategory, Severity, Text};
use std::collections::HashSet;
use std::sync::Arc;

/// Rule metadata.
pub static META: RuleMeta = RuleMeta {
    id: "MAM-A005",
    name: "distributed-brute-force",
    category: ActCategory::IdentifierMisuse,
    severity: Severity::Medium,
    title: Text::new(
        "分散型の総当たり攻撃",
        "Distributed brute force against one account",
    ),
    explanation: Text::new(
        "一つのアカウントに対し、多数の送信元から少しずつログイン失敗が続いています。送信元ごとの制限をすり抜けてパスワードを推測する攻撃です。",
        "One account failed to log in from many sources, each trying a few times: password guessing spread out to evade per-source limits.",
    ),
};

const MIN_SOURCES: usize = 5;

/// State of the rule.
#[derive(Debug)]
pub struct DistributedBruteForce {
    threshold: usize,
    keys: Escalating<(Arc<str>, Arc<str>)>,
}

impl DistributedBruteForce {
    /// A rule with the configured threshold and window.
    pub fn new(t: &Thresholds) -> Self {
        let threshold = t.brute_force_failures.max(1) as usize;
        DistributedBruteForce {
            threshold,
            keys: Escalating::new(t.brute_force_window_secs, threshold * 4),
        }
    }
}

impl Rule for DistributedBruteForce {
    fn observe(&mut self, ev: &Event) {
        if ev.kind != EventKind::AuthFailure || ev.restated {
            return;
        }
        let (Some(user), Some(target)) = (ev.user.as_ref(), ev.target.as_ref()) else {
            return;
        };
        let threshold = self.threshold;
        self.keys.observe((target.clone(), user.clone()), ev, |w| {
            let sources: HashSet<_> = w.iter().filter_map(|e| e.source).collect();
            (w.len() >= threshold && sources.len() >= MIN_SOURCES)
                .then(|| Finding::new(&META, ev.service, Some(target.to_string())))
        });
    }

    fn sweep(&mut self, now: i64) {
        self.keys.sweep(now);
    }

    fn finish(self: Box<Self>, out: &mut Vec<Finding>) {
        for mut f in self.keys.into_findings() {
            f.fact(
                format!("{} か所の送信元から {} 回の失敗", f.sources.len(), f.count),
                format!("{} failures from {} sources", f.count, f.sources.len()),
            );
            out.push(f.seal());
        }
    }
}
