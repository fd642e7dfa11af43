//! MAM-A005 distributed-brute-force: one account attacked from many sources, each
//! staying under per-source limits (botnets against `root`, `admin`, a known e-mail).
//!
//! Example: `Failed password for root from …` from 300 addresses within 10 minutes.
//! Legal category: 識別符号窃用型 (Act Art. 3-2 (1)).

use super::{Rule, RuleMeta, Window};
use crate::config::Thresholds;
use crate::event::{Event, EventKind};
use crate::finding::Finding;
use mamori_core::{ActCategory, Severity, Text};
use std::collections::{HashMap, HashSet};
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
type Key = (Arc<str>, Arc<str>);

/// State of the rule.
#[derive(Debug)]
pub struct DistributedBruteForce {
    threshold: usize,
    span: i64,
    windows: HashMap<Key, Window>,
    findings: HashMap<Key, Finding>,
}

impl DistributedBruteForce {
    /// A rule with the configured threshold and window.
    pub fn new(t: &Thresholds) -> Self {
        DistributedBruteForce {
            threshold: t.brute_force_failures.max(1) as usize,
            span: t.brute_force_window_secs,
            windows: HashMap::new(),
            findings: HashMap::new(),
        }
    }
}

impl Rule for DistributedBruteForce {
    fn observe(&mut self, ev: &Event) {
        if ev.kind != EventKind::AuthFailure {
            return;
        }
        let (Some(user), Some(target)) = (ev.user.as_ref(), ev.target.as_ref()) else {
            return;
        };
        let key = (target.clone(), user.clone());
        if let Some(f) = self.findings.get_mut(&key) {
            f.add(ev);
            return;
        }
        let w = self
            .windows
            .entry(key.clone())
            .or_insert_with(|| Window::new(self.threshold * 4));
        w.push(ev, self.span);
        if w.len() >= self.threshold {
            let sources: HashSet<_> = w.iter().filter_map(|e| e.source).collect();
            if sources.len() >= MIN_SOURCES {
                let mut f = Finding::new(&META, ev.service, Some(target.to_string()));
                for e in w.drain() {
                    f.add(&e);
                }
                self.windows.remove(&key);
                self.findings.insert(key, f);
            }
        }
    }

    fn sweep(&mut self, now: i64) {
        let oldest = now - self.span;
        self.windows.retain(|_, w| {
            w.expire(oldest);
            !w.is_empty()
        });
    }

    fn finish(self: Box<Self>, out: &mut Vec<Finding>) {
        for (_, mut f) in self.findings {
            f.fact(
                format!("{} か所の送信元から {} 回の失敗", f.sources.len(), f.count),
                format!("{} failures from {} sources", f.count, f.sources.len()),
            );
            out.push(f.seal());
        }
    }
}
